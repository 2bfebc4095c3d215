#!/usr/bin/env bash
# Copies the committed test vectors into fuzz/seeds/<target>/ (the committed seed corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
v=testvectors/vectors
s=fuzz/seeds
rm -rf "$s"
for t in wef01 wef02 wef03 ef0002 ef0003 ef0004 ef0005 ef0007 kenkaku_ef0001 jis_text wareki_date submission portrait; do mkdir -p "$s/$t"; done
for p in "$v"/personas/*/; do
  id=$(basename "$p")
  for f in wef01 wef02 wef03; do cp "$p/licence/$f.bin" "$s/$f/$id.bin"; done
  for f in ef0002 ef0003 ef0004 ef0005 ef0007; do cp "$p/kenhojo/$f.bin" "$s/$f/$id.bin"; done
  cp "$p/kenkaku/ef0001.bin" "$s/kenkaku_ef0001/$id.bin"
  cp "$p/age-check-submission.json" "$s/submission/$id-age-check.json"
  cp "$p/submission.json" "$s/submission/$id.json"
done
for f in "$v"/malformed/*.bin; do
  id=$(basename "$f" .bin)
  t=${id%%-*}
  [ -d "$s/$t" ] && cp "$f" "$s/$t/$id.bin"
done
cp "$v"/malformed/*.json "$s/submission/"
# The conventional IC licence: each EF of each persona into its decoder's target.
ic_efs="mf/ef01:ic_common_data mf/ef02:ic_pin_setting df1/ef01:ic_entries df1/ef02:ic_domicile df1/ef03:ic_glyphs
  df1/ef04:ic_changes df1/ef05:ic_change_glyphs df1/ef06:ic_domicile_changes df1/ef07:ic_signature df2/ef01:ic_photo"
for pair in $ic_efs; do mkdir -p "$s/${pair#*:}"; done
for p in "$v"/ic-personas/*/; do
  id=$(basename "$p")
  for pair in $ic_efs; do
    f=${pair%%:*}
    if [ -f "$p/$f.bin" ]; then cp "$p/$f.bin" "$s/${pair#*:}/$id.bin"; fi
  done
  cp "$p/submission.json" "$s/submission/$id.json"
done
# IC malformed vectors are named ic-<record, dashes for underscores>-…: longest names first.
for f in "$v"/malformed/ic-*.bin; do
  id=$(basename "$f" .bin)
  for t in ic_domicile_changes ic_change_glyphs ic_common_data ic_pin_setting ic_signature ic_entries ic_domicile \
    ic_glyphs ic_changes ic_photo; do
    case "$id" in "${t//_/-}"-*) cp "$f" "$s/$t/$id.bin"; break ;; esac
  done
done
# JIS X 0208 texts and era dates, as they appear inside WEF02.
printf '\x3B\x33\x45\x44' > "$s/jis_text/yamada.bin"
printf '\x34\x63\x36\x40\x45\x79\x21\x4A\xFF\xF1\x21\x4B' > "$s/jis_text/gaiji.bin"
printf '\x3B\x33\xFF\xFA\x21\x21\x21\x21' > "$s/jis_text/missing-padded.bin"
printf '\x80\x21' > "$s/jis_text/bad.bin"
for d in 3550217 4010108 3640107 5010501 4310430 0000000 3640108 5130229; do printf '%s' "$d" > "$s/wareki_date/$d.bin"; done
# The synthetic JPEG 2000 portraits of the personas.
cp testvectors/assets/portraits/*.jp2 "$s/portrait/"
echo "seeds: $(find "$s" -type f | wc -l) files"
