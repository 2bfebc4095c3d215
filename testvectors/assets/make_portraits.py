#!/usr/bin/env python3
"""Draws the synthetic monochrome test portraits and saves them as JPEG 2000.

TEST ONLY. Run once by hand when portraits change (needs Pillow with OpenJPEG:
`pip install pillow`); the .jp2 files are committed and `regen` copies them as they are,
so regenerating the vectors does not depend on Python or on an encoder's version.
Each file must stay at or under 2000 bytes (WEF02 tag 0107).
"""
import math
import pathlib
import sys

from PIL import Image, ImageDraw

OUT = pathlib.Path(__file__).resolve().parent / "portraits"
COUNT = 16
MAX_BYTES = 2000
W, H = 90, 120


def portrait(i: int) -> Image.Image:
    img = Image.new("L", (W, H), 235)
    d = ImageDraw.Draw(img)
    # shoulders, head, hair: shapes vary with i so every persona looks different
    d.ellipse((5, 88, 85, 150), fill=90 + (i * 7) % 40)
    hw = 26 + (i % 4) * 2
    d.ellipse((45 - hw, 22, 45 + hw, 90), fill=190 - (i * 5) % 30)
    d.chord((45 - hw - 2, 14, 45 + hw + 2, 70), 180, 360, fill=40 + (i * 11) % 50)
    ey = 52 + (i % 3)
    for ex in (34, 56):
        d.ellipse((ex - 3, ey - 2, ex + 3, ey + 2), fill=30)
    d.arc((35, 62 + i % 2, 55, 78), 20, 160, fill=60, width=2)
    d.text((4, 2), f"TEST {i:02d}", fill=0)
    return img


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for i in range(1, COUNT + 1):
        path = OUT / f"portrait-{i:02d}.jp2"
        img = portrait(i)
        for rate in (6, 7, 8, 10, 14, 20, 30):
            img.save(path, "JPEG2000", quality_mode="rates", quality_layers=[rate], irreversible=True)
            if path.stat().st_size <= MAX_BYTES:
                break
        size = path.stat().st_size
        if size > MAX_BYTES:
            print(f"{path.name}: {size} bytes, over {MAX_BYTES}", file=sys.stderr)
            return 1
        print(f"{path.name}: {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
