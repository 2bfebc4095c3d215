#!/usr/bin/env bash
# The portrait decompression attack against the release service: 64 concurrent requests of a
# 1.35 KB submission whose validly signed (TEST ONLY) portrait declares 2048x2048 pixels, with
# ?portrait=jpeg, repeated ROUNDS times. Prints the service's peak resident memory (VmHWM) and
# fails above LIMIT_MB (default 100).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
limit_mb=${LIMIT_MB:-100}
cargo build --release --locked -q -p menkyo-verify-api
work=$(mktemp -d)
. scripts/lib/service.sh
trap 'kill ${SERVICE_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work/body.json" <<'PY'
import json, sys
s = json.load(open("testvectors/vectors/malformed/hostile-portrait-2048.json"))
s.pop("kenhojo"); s.pop("freshness")
body = json.dumps(s)
open(sys.argv[1], "w").write(body)
print(f"hostile submission: {len(body)} bytes")
PY
load_config "$work"
start_service target/release/menkyo-verify-api 18183 "$work" --config "$work/load.toml"
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SERVICE_PID/status"; }
echo "service started: peak RSS $(hwm) kB"
python3 - "$work/body.json" "$LOAD_KEY" "$rounds" <<'PY'
import json, sys, threading, urllib.request
body, key, rounds = open(sys.argv[1], "rb").read(), sys.argv[2], int(sys.argv[3])
results = []
def one():
    req = urllib.request.Request("http://127.0.0.1:18183/v1/verifications?portrait=jpeg", data=body,
                                 headers={"content-type": "application/json", "authorization": "Bearer " + key})
    r = json.load(urllib.request.urlopen(req, timeout=60))
    results.append((r["verdict"], "jpeg" in r["licence"]["photo"]))
for _ in range(rounds):
    threads = [threading.Thread(target=one) for _ in range(64)]
    for t in threads: t.start()
    for t in threads: t.join()
valid = sum(v == "valid" for v, _ in results)
decoded = sum(j for _, j in results)
print(f"{len(results)} requests (64 at a time): {valid} valid, {decoded} portraits decoded")
assert len(results) == 64 * rounds and decoded == 0
PY
peak=$(hwm)
echo "service peak RSS after the attack: $peak kB (limit ${limit_mb} MB)"
[ "$peak" -lt $((limit_mb * 1024)) ] || { echo "peak RSS above ${limit_mb} MB" >&2; exit 1; }
