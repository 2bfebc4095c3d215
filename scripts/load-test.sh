#!/usr/bin/env bash
# Drives the service on loopback with wrk (POST /v1/verifications, the first persona without
# freshness), prints requests/s, p99 latency and failures, and the ratio to the in-process
# verification rate of scripts/bench-verify.sh (criterion estimate, one core).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${LOAD_SECONDS:-20}
conns=${LOAD_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --locked -q -p menkyo-verify-api
work=$(mktemp -d)
python3 - "$work/body.json" <<'PY'
import json, sys
s = json.load(open("testvectors/vectors/personas/p01-standard/submission.json"))
s.pop("freshness")
open(sys.argv[1], "w").write(json.dumps(s))
PY
. scripts/lib/service.sh
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $LOAD_KEY"
local f = io.open("$work/body.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
trap 'kill ${SERVICE_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
load_config "$work"
start_service target/release/menkyo-verify-api 18181 "$work" --config "$work/load.toml"
# The body is checked once: the load must be of valid verifications.
python3 - "$work/body.json" "$LOAD_KEY" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:18181/v1/verifications", data=open(sys.argv[1], "rb").read(),
                             headers={"content-type": "application/json", "authorization": "Bearer " + sys.argv[2]})
assert json.load(urllib.request.urlopen(req))["verdict"] == "valid"
PY
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" http://127.0.0.1:18181/v1/verifications | tee "$work/wrk.txt"
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from audit').fetchone()[0])" "$work/audit.sqlite")
python3 - "$work/wrk.txt" "$rows" <<'PY'
import json, os, re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"service: {rps:.0f} requests/s, p99 {p99}, non-2xx {bad.group(1) if bad else 0}, socket errors: {errors.group(1) if errors else 'none'}, audit rows {sys.argv[2]}")
est = "target/criterion/verify/full_submission/new/estimates.json"
if os.path.exists(est):
    rate = 1e9 / json.load(open(est))["mean"]["point_estimate"]
    print(f"in-process verification (scripts/bench-verify.sh): {rate:.0f}/s on one core; ratio {rps / rate:.2f} (target >= 0.5)")
else:
    print("run scripts/bench-verify.sh first for the ratio")
if bad or errors:
    sys.exit(1)
PY
