#!/usr/bin/env python3
"""Drives the counter page in headless Chromium: choose a submission file, read the verdict
from the page, keep a screenshot. Usage: counter_page_e2e.py BASE_URL WORK_DIR SHOT_DIR"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, work, shots = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
vectors = pathlib.Path(__file__).resolve().parent.parent / "testvectors" / "vectors"
shots.mkdir(parents=True, exist_ok=True)

opts = Options()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1100,1400", f"--user-data-dir={work / 'profile'}"]:
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
passed = failed = 0
try:
    for persona, want, word in [("p01-standard", "valid", "有効 VALID"), ("p07-expired", "invalid", "無効 INVALID")]:
        sub = json.loads((vectors / "personas" / persona / "submission.json").read_text())
        sub.pop("freshness", None)  # as written by `menkyo read` at a counter: no verifier nonce
        path = work / f"{persona}.json"
        path.write_text(json.dumps(sub))
        driver.get(base + "/")
        driver.find_element(By.ID, "file").send_keys(str(path))
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "verdict").is_displayed())
        verdict = driver.find_element(By.ID, "verdict")
        ok = verdict.get_attribute("class") == want and verdict.text == word
        if want == "valid":
            width = driver.execute_script("const i = document.getElementById('portrait'); return i ? i.naturalWidth : 0;")
            ok = ok and width > 0 and driver.find_element(By.ID, "number").text == "301234567890"
        else:
            ok = ok and "licence.expiry" in [e.get_attribute("data-check") for e in driver.find_elements(By.CSS_SELECTOR, "[data-check]")]
        driver.save_screenshot(str(shots / f"counter-{persona}.png"))
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"{persona}: page shows {verdict.get_attribute('class')!r} {verdict.text!r}", file=sys.stderr)
finally:
    driver.quit()
print(f"counter page end-to-end: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
