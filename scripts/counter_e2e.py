#!/usr/bin/env python3
"""Drives `menkyo counter` in headless Chromium while simulated cards are put on and taken off
the vpcd reader: a read by 照合番号B, save + clear, a card without PIN, the last-try refusal and
the read after the confirmation, a wrong PIN, a conventional IC licence. Screenshots of each
step go to SHOT_DIR. Usage: counter_e2e.py BASE_URL WORK_DIR SHOT_DIR MENKYO"""
import json
import os
import pathlib
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, work, shots, menkyo = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
vectors = pathlib.Path(__file__).resolve().parent.parent / "testvectors" / "vectors"
shots.mkdir(parents=True, exist_ok=True)
records = work / "records"

opts = Options()
opts.binary_location = "/usr/bin/chromium"
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1280,1500", f"--user-data-dir={work / 'profile'}"]:
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
wait = WebDriverWait(driver, 40)
results = []
card = None


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    if not ok:
        print(f"FAIL {name}: {detail}", file=sys.stderr)


def shot(name):
    driver.save_screenshot(str(shots / f"counter-{name}.png"))


def put_card(persona, *args):
    """Takes the current card off the reader and puts `persona` on."""
    global card
    take_card()
    card = subprocess.Popen([menkyo, "simulate-card", persona, *args], stdout=subprocess.DEVNULL,
                            stderr=open(work / f"card-{persona}.log", "w"))
    kind = "ic_licence" if persona.startswith("ic") else "mynumber_card"
    wait.until(lambda d: d.find_element(By.ID, "card-kind").get_attribute("data-kind") == kind)


def take_card():
    global card
    if card:
        card.terminate()
        card.wait()
        card = None
        wait.until(lambda d: d.find_element(By.ID, "card-kind").get_attribute("data-kind") == "")


def creds(persona):
    kind = "ic-personas" if persona.startswith("ic") else "personas"
    return json.loads((vectors / kind / persona / "credentials.json").read_text())


def fill(values):
    for name, value in values.items():
        el = driver.find_element(By.NAME, name)
        if el.get_attribute("type") == "date":
            driver.execute_script("arguments[0].value = arguments[1]", el, value)
        else:
            el.clear()
            el.send_keys(value)


def read_and_wait():
    """Clicks 読み取り and waits until the server says this read finished."""
    before = int(driver.execute_script("return document.body.dataset.reads || 0"))
    driver.find_element(By.ID, "read").click()
    wait.until(lambda d: int(d.execute_script("return document.body.dataset.reads || 0")) > before)
    # The page renders the status it just received.
    time.sleep(0.2)


def verdict():
    v = driver.find_elements(By.ID, "verdict")
    return v[0].get_attribute("data-verdict") if v else None


def message_code():
    return driver.find_element(By.ID, "message").get_attribute("data-code")


try:
    driver.get(base + "/")
    wait.until(lambda d: "Virtual PCD" in d.find_element(By.ID, "reader-status").text)
    shot("1-no-card")
    check("no card: no kind", driver.find_element(By.ID, "card-kind").get_attribute("data-kind") == "")

    # 1. A マイナ免許証 read with 照合番号B (birth date, card expiry year, security code).
    put_card("p01-standard")
    c = creds("p01-standard")
    check("licence PIN asked (WEF01: set)", driver.find_element(By.NAME, "licence_pin").is_displayed())
    check("tries shown", "残り10回" in driver.find_element(By.ID, "tries-left").text, driver.find_element(By.ID, "tries-left").text)
    fill({"licence_pin": c["licence_pin"], "birth_date": c["birth_date"],
          "card_expiry_year": str(c["card_expiry_year"]), "security_code": c["security_code"]})
    shot("2-mynumber-credentials")
    read_and_wait()
    check("collation B read: valid", verdict() == "valid", message_code())
    check("holder name", driver.find_element(By.ID, "holder-name").text == "山田　太郎", driver.find_element(By.ID, "holder-name").text)
    check("licence number", driver.find_element(By.ID, "licence-number").text == "301234567890")
    width = driver.execute_script("const i = document.getElementById('portrait'); return i && i.naturalWidth || 0;")
    check("portrait shown", width > 0)
    limits = [e.get_attribute("data-code") for e in driver.find_elements(By.CSS_SELECTOR, "#limits [data-code]")]
    check("local read: only test anchors", limits == ["test_anchors"], limits)
    check("no PIN left in the form", all(not e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "input[type=password]")))
    shot("3-mynumber-valid")

    # 2. Save, then clear.
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: "saved" in d.find_element(By.ID, "saved").text)
    saved = sorted(records.glob("*/*"))
    names = sorted(p.name for p in saved)
    check("saved record.csv and portrait.jpg", names == ["portrait.jpg", "record.csv"], names)
    check("saved files 0600", all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in saved))
    check("record directory 0700", all(stat.S_IMODE(p.parent.stat().st_mode) == 0o700 for p in saved))
    csv = next(p for p in saved if p.name == "record.csv").read_text()
    check("record has the licence, not a PIN", "301234567890" in csv and c["licence_pin"] + "," not in csv)
    shot("4-saved")
    driver.find_element(By.ID, "clear").click()
    wait.until(lambda d: not d.find_elements(By.ID, "verdict"))
    check("clear empties the result", driver.find_element(By.ID, "result").text == "")
    shot("5-cleared")

    # 3. A card without PIN: no licence PIN asked.
    put_card("p10-no-pin")
    c = creds("p10-no-pin")
    check("no PIN set: no licence PIN field", not driver.find_element(By.NAME, "licence_pin").is_displayed())
    fill({"kenhojo_pin": c["kenhojo_pin"]})
    read_and_wait()
    check("no-PIN card read: valid", verdict() == "valid", message_code())
    shot("6-no-pin-valid")
    # Taking the card off clears the screen.
    take_card()
    check("card taken off: screen cleared", not driver.find_elements(By.ID, "verdict"))

    # 4. The last try: refused, then read after the confirmation.
    put_card("p01-standard", "--tries", "86=1")
    c = creds("p01-standard")
    check("last try: confirmation offered", driver.find_element(By.NAME, "allow_last_try").is_displayed())
    fill({"licence_pin": c["licence_pin"], "kenhojo_pin": c["kenhojo_pin"]})
    read_and_wait()
    check("last try refused", message_code() == "last_try" and verdict() is None, message_code())
    shot("7-last-try-refused")
    fill({"licence_pin": c["licence_pin"], "kenhojo_pin": c["kenhojo_pin"]})
    driver.find_element(By.NAME, "allow_last_try").click()
    read_and_wait()
    check("read after the confirmation: valid", verdict() == "valid", message_code())
    shot("8-last-try-confirmed")

    # 5. A wrong PIN: the tries left, never retried.
    put_card("p01-standard")
    fill({"licence_pin": "0000", "kenhojo_pin": c["kenhojo_pin"]})
    read_and_wait()
    check("wrong PIN reported", message_code() == "wrong_pin", message_code())
    wait.until(lambda d: "残り9回" in d.find_element(By.ID, "tries-left").text)
    check("9 tries left shown", "残り9回" in driver.find_element(By.ID, "tries-left").text)
    shot("9-wrong-pin")

    # 5b. A PIN typed for one card is never tried on the card put on since, even when the page
    # has not shown the swap yet: the read names the screen generation it was typed on. Sent
    # from here, not the page (a 412 in the page would be a browser console error).
    token = driver.find_element(By.CSS_SELECTOR, 'meta[name="menkyo-token"]').get_attribute("content")

    def api(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"x-menkyo-token": token, "content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    typed_on = json.loads(api("GET", "/api/status")[1])["generation"]
    put_card("p01-standard")  # another card: 10 tries
    wait.until(lambda d: "残り10回" in d.find_element(By.ID, "tries-left").text)
    reads = json.loads(api("GET", "/api/status")[1])["reads"]
    status, _ = api("POST", "/api/read", {"licence_pin": "0000", "kenhojo_pin": c["kenhojo_pin"], "generation": typed_on})
    check("credentials typed for the previous card refused", status == 412, status)
    wait.until(lambda d: message_code() == "card_changed")
    after = json.loads(api("GET", "/api/status")[1])
    check("no read run, no try spent on the new card",
          after["reads"] == reads and "残り10回" in driver.find_element(By.ID, "tries-left").text, after["reads"])
    shot("9b-card-changed")

    # 6. A conventional IC licence, with changes on the back.
    put_card("ic04-changes-on-back")
    c = creds("ic04-changes-on-back")
    check("IC: PIN1 and PIN2 asked", driver.find_element(By.NAME, "ic_pin1").is_displayed() and driver.find_element(By.NAME, "ic_pin2").is_displayed())
    check("IC: no マイナ fields", not driver.find_element(By.NAME, "licence_pin").is_displayed())
    fill({"ic_pin1": c["pin1"], "ic_pin2": c["pin2"]})
    read_and_wait()
    check("IC read: valid", verdict() == "valid", message_code())
    check("IC: changes shown as not signed", "not signed" in driver.find_element(By.ID, "changes").text)
    limits = [e.get_attribute("data-code") for e in driver.find_elements(By.CSS_SELECTOR, "#limits [data-code]")]
    check("IC limits", "changes_not_signed" in limits and "no_card_key_binding" not in limits, limits)
    shot("10-ic-licence")

    # 7. A driving-history record says it is not a licence.
    put_card("p08-driving-history")
    c = creds("p08-driving-history")
    fill({"licence_pin": c["licence_pin"] or "", "kenhojo_pin": c["kenhojo_pin"]} if c.get("licence_pin") else {"kenhojo_pin": c["kenhojo_pin"]})
    read_and_wait()
    check("driving history warning", driver.find_elements(By.ID, "warning") and "運転免許ではありません" in driver.find_element(By.ID, "warning").text)
    shot("11-driving-history")

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    check("no browser errors (CSP, scripts)", not errors, errors)
finally:
    take_card() if card else None
    driver.quit()
passed = sum(ok for _, ok in results)
failed = len(results) - passed
print(f"counter end-to-end: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
