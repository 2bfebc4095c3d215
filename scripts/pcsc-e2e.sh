#!/usr/bin/env bash
# End to end through real PC/SC: pcscd with the vpcd virtual reader, the card simulator as a
# vpcd card (TEST ONLY persona), and `menkyo read` talking to it like to any reader.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -q -p menkyo-verify-api --bins
menkyo=target/debug/menkyo
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${started_pcscd:-}" ] && pkill -x pcscd 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! pgrep -x pcscd >/dev/null; then
  # --apdu: pcscd logs every APDU on the wire; the checks below read that trace. It holds the
  # VERIFY data (here the TEST ONLY persona's PINs), so never run pcscd with --apdu at a
  # counter; the log stays in $work, which is removed on exit.
  pcscd --foreground --apdu > "$work/pcscd.log" 2>&1 &
  started_pcscd=1
fi
for _ in $(seq 1 100); do ss -ltn | grep -q ':35963 ' && break; sleep 0.1; done
ss -ltn | grep -q ':35963 ' || { echo "pcscd/vpcd not listening on 35963" >&2; cat "$work/pcscd.log" >&2; exit 1; }

# vpcd offers two readers: without --reader and without a terminal the read is refused.
set +e
"$menkyo" read < /dev/null > /dev/null 2> "$work/several.err"
code=$?
set -e
[ "$code" -eq 3 ] && grep -q "several card readers" "$work/several.err" || { echo "several readers: exit $code" >&2; cat "$work/several.err" >&2; exit 1; }

"$menkyo" simulate-card p02-all-categories > "$work/card.log" 2>&1 &
pids+=($!)

birth() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["birth_date"])' "testvectors/vectors/personas/$1/credentials.json"; }
set +e
# The PINs, and the birth date, which also opens the kenkaku age record.
MENKYO_LICENCE_PIN=1234 MENKYO_KENHOJO_PIN=9012 MENKYO_BIRTH_DATE=$(birth p02-all-categories) \
  timeout 60 "$menkyo" read --reader "Virtual PCD 00 00" \
  --trust testvectors/vectors/trust --out "$work/out" < /dev/null > "$work/read.out" 2> "$work/read.err"
code=$?
set -e
cat "$work/read.out"
if [ "$code" -ne 0 ]; then
  echo "menkyo read exited $code" >&2
  cat "$work/read.err" "$work/card.log" >&2
  exit 1
fi
for f in submission.json record.csv portrait.jpg; do
  [ -s "$work/out/$f" ] || { echo "missing $f" >&2; exit 1; }
  # Personal data, and with kenhojo the 個人番号 hash: owner only.
  [ "$(stat -c %a "$work/out/$f")" = 600 ] || { echo "$f is not mode 0600" >&2; exit 1; }
done
# Read here in one session, answering the reader's own challenge: fresh and bound.
grep -q "the card signed this verifier's challenge" "$work/read.out" || { echo "no fresh challenge answer" >&2; exit 1; }
if grep -q "not_fresh\]\|_not_bound\]" "$work/read.out"; then echo "a local read claims less than it proves" >&2; exit 1; fi
# Captured, not piped into `grep -q`: the verdict is read from the whole report.
report=$("$menkyo" verify --trust testvectors/vectors/trust --json "$work/out/submission.json")
grep -q '"verdict": "valid"' <<<"$report" || { echo "read submission does not verify:" >&2; echo "$report" >&2; exit 1; }
# The submission carries exactly the bytes on the card.
python3 - "$work/out/submission.json" testvectors/vectors/personas/p02-all-categories <<'PY'
import base64, json, pathlib, sys
s = json.load(open(sys.argv[1]))
d = pathlib.Path(sys.argv[2])
assert base64.b64decode(s["licence"]["wef02"]) == (d / "licence/wef02.bin").read_bytes()
assert base64.b64decode(s["kenhojo"]["ef0002"]) == (d / "kenhojo/ef0002.bin").read_bytes()
assert "ef0001" not in s["kenhojo"]
assert base64.b64decode(s["kenkaku"]["ef0001"]) == (d / "kenkaku/ef0001.bin").read_bytes()
assert set(s["kenkaku"]) == {"ef0001", "ef0004"}
assert s["freshness"]["signature"] and s["freshness"]["kenkaku_signature"]
PY
# The remote age check through the same reader: a challenge from the service, the age record
# of the card (p02's birth date), the answer checked against the service's receipt.
. scripts/lib/service.sh
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_service target/debug/menkyo-verify-api "$port" "$work"
pids+=("$SERVICE_PID")
apdus_before_age_check=$(grep -c "APDU: " "$work/pcscd.log" || true)
for over in 18 70; do
  set +e
  MENKYO_BIRTH_DATE=$(birth p02-all-categories) timeout 60 "$menkyo" age-check --reader "Virtual PCD 00 00" \
    --service "http://127.0.0.1:$port" --over "$over" < /dev/null > "$work/age-$over.out" 2> "$work/age-$over.err"
  code=$?
  set -e
  cat "$work/age-$over.out"
  want=0; [ "$over" = 70 ] && want=1   # p02 is 61 on the test date
  [ "$code" -eq "$want" ] || { echo "age-check --over $over exited $code, expected $want" >&2; cat "$work/age-$over.err" "$work/service.log" >&2; exit 1; }
done
# The wire as pcscd saw it: a counter read before every VERIFY; in the input-assist AP never
# EF 0001 (個人番号); in the kenkaku AP only EF 0001 and EF 0004, never EF 0002 / 0005 (the
# card face, the 個人番号 as an image); no more APDUs than needed: the SELECT that detects the
# card kind, then the full read 2+2+2+7+1 for licence and input-assist AP, SELECT AP, SELECT
# EF 0011, counter, VERIFY, EF 0001, EF 0004 and 80 2A = 1 + 21; each age check 7.
if [ -n "${started_pcscd:-}" ]; then
  python3 - "$work/pcscd.log" "$apdus_before_age_check" <<'PY'
import re, sys
apdus = [bytes.fromhex(m.group(1)) for m in re.finditer(r"APDU: ([0-9A-F ]+)", open(sys.argv[1]).read())]
assert apdus, "pcscd --apdu logged no APDUs"
KENHOJO = bytes.fromhex("D3921000310001010408")
KENKAKU = bytes.fromhex("D3921000310001010402")
counted, ap = set(), b""
for a in apdus:
    cla, ins, p1, p2 = a[:4]
    if ins == 0xA4 and p1 == 0x04:
        ap = a[5:]
    if ins == 0x20 and len(a) == 4:
        counted.add(p2)
    elif ins == 0x20:
        assert p2 in counted, f"VERIFY P2={p2:02X} without a counter read first"
        counted.discard(p2)
    if ap == KENHOJO:
        assert not (ins == 0xA4 and p1 == 0x02 and a[5:7] == b"\x00\x01"), "kenhojo EF 0001 selected"
        assert not (ins == 0xB0 and p1 == 0x81), "kenhojo EF 0001 read by SFI"
    if ap == KENKAKU:
        assert not (ins == 0xA4 and p1 == 0x02 and a[5:7] in (b"\x00\x02", b"\x00\x05")), "kenkaku image EF selected"
        assert not (ins == 0xB0 and p1 in (0x82, 0x85)), "kenkaku image EF read by SFI"
read, age = int(sys.argv[2]), len(apdus) - int(sys.argv[2])
assert read == 22, f"{read} APDUs for the full read, expected 22 (detection + the minimum 21)"
assert age == 14, f"{age} APDUs for two age checks, expected 2 x 7"
print(f"pcscd trace: {read} APDUs for the read, {age} for two age checks; a counter read before each VERIFY; "
      "EF 0001 of the input-assist AP and the kenkaku image EFs never touched")
PY
fi
# A conventional IC licence on the second vpcd slot, on a reader that refuses extended
# lengths: detected, PIN1 and PIN2 from the environment, read in 256-byte chunks.
apdus_before_ic=$(grep -c "APDU: " "$work/pcscd.log" || true)
"$menkyo" simulate-card ic02-spec-008 --no-extended-le --vpcd 127.0.0.1:35964 > "$work/ic-card.log" 2>&1 &
pids+=($!)
set +e
MENKYO_IC_PIN1=$(python3 -c 'import json; print(json.load(open("testvectors/vectors/ic-personas/ic02-spec-008/credentials.json"))["pin1"])') \
MENKYO_IC_PIN2=$(python3 -c 'import json; print(json.load(open("testvectors/vectors/ic-personas/ic02-spec-008/credentials.json"))["pin2"])') \
  timeout 60 "$menkyo" read --reader "Virtual PCD 00 01" --trust testvectors/vectors/trust --out "$work/ic-out" \
  < /dev/null > "$work/ic-read.out" 2> "$work/ic-read.err"
code=$?
set -e
cat "$work/ic-read.out"
[ "$code" -eq 0 ] || { echo "IC licence read exited $code" >&2; cat "$work/ic-read.err" "$work/ic-card.log" >&2; exit 1; }
for f in submission.json record.csv portrait.jpg; do
  [ "$(stat -c %a "$work/ic-out/$f")" = 600 ] || { echo "IC $f is not mode 0600" >&2; exit 1; }
done
grep -q '^card,\|,ic_licence,' "$work/ic-out/record.csv" || { echo "IC record.csv has no ic_licence row" >&2; exit 1; }
if [ -n "${started_pcscd:-}" ]; then
  python3 - "$work/pcscd.log" "$apdus_before_ic" <<'PY'
import re, sys
apdus = [bytes.fromhex(m.group(1)) for m in re.finditer(r"APDU: ([0-9A-F ]+)", open(sys.argv[1]).read())]
ic = apdus[int(sys.argv[2]):]
counted, verified, extended = set(), False, 0
for a in ic:
    cla, ins, p1, p2 = a[:4]
    if ins == 0x20 and len(a) == 4:
        counted.add(p2)
    elif ins == 0x20:
        assert p2 in counted, f"VERIFY P2={p2:02X} without a counter read first"
        counted.discard(p2)
        verified = True
    if ins == 0xB0 and not verified:
        # Before any VERIFY only MF/EF01 (selected, current EF) and MF/EF02 (SFI 0A) are read.
        assert p1 & 0x80 == 0 or p1 == 0x8A, f"read before VERIFY: {a.hex()}"
    if ins == 0xB0 and len(a) == 7 and a[4] == 0:
        extended += 1
    if ins == 0xA4 and p1 == 0x04:
        assert verified or a[5:] == bytes.fromhex("A0000002310600000000000000000000") \
            or a[5:] == bytes.fromhex("D3921000310001010408") or a[5:].startswith(bytes.fromhex("A0000002310100")), a.hex()
assert len([a for a in ic if a[1] == 0x20 and len(a) > 4]) == 2, "exactly two VERIFYs with data (PIN1, PIN2)"
# The refused extended READ (6700) once; every later read in chunks of at most 256 bytes.
assert extended == 1, f"{extended} extended-length READs, expected the one refused attempt"
print(f"pcscd trace (IC licence): {len(ic)} APDUs; a counter before each VERIFY; only MF/EF01-02 read before VERIFY; "
      f"256-byte chunks after one refused extended read")
PY
fi
# Without pcscd: one line, exit 4 (only when this script started it).
if [ -n "${started_pcscd:-}" ]; then
  pkill -x pcscd; started_pcscd=
  for _ in $(seq 1 50); do pgrep -x pcscd >/dev/null || break; sleep 0.1; done
  set +e
  "$menkyo" read --reader "Virtual PCD" < /dev/null > /dev/null 2> "$work/nopcscd.err"
  code=$?
  set -e
  [ "$code" -eq 4 ] && grep -q "pcscd) is not running" "$work/nopcscd.err" || { echo "no pcscd: exit $code" >&2; cat "$work/nopcscd.err" >&2; exit 1; }
fi
echo "pcsc end-to-end: 1 passed, 0 failed"
