#!/usr/bin/env bash
# Drives the service on loopback with wrk and prints requests/s, p99 latency and failures:
# 1. POST /v1/verifications, the first persona's licence and card-surface data without
#    freshness (the workload of earlier releases: 2 RSA verifications), with two ratios to
#    in-process rates on one core, measured just before and just after the load
#    (examples/verify_interleaved.rs, the mean of the two: this machine's speed drifts by 10 %
#    within seconds): to the full submission of scripts/bench-verify.sh (4 RSA verifications,
#    the ratio the target has been stated on since the first release) and to the same body
#    verified in process (like for like);
# 2. POST /v1/age-checks on the kenkaku age record, each request answering its own challenge
#    of the service (issued and signed beforehand with the persona's TEST ONLY card key).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${LOAD_SECONDS:-20}
conns=${LOAD_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --locked -q -p menkyo-verify-api
cargo build --release --locked -q -p menkyo-core --features fs --example verify_interleaved
in_process() { taskset -c 0 target/release/examples/verify_interleaved 5 50; }
work=$(mktemp -d)
python3 - "$work/body.json" <<'PY'
import json, sys
s = json.load(open("testvectors/vectors/personas/p01-standard/submission.json"))
s.pop("freshness")
s.pop("kenkaku")
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
in_process > "$work/before.json"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" http://127.0.0.1:18181/v1/verifications | tee "$work/wrk.txt"
in_process > "$work/after.json"
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from audit').fetchone()[0])" "$work/audit.sqlite")
python3 - "$work/wrk.txt" "$rows" "$work/before.json" "$work/after.json" <<'PY'
import json, os, re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"service: {rps:.0f} requests/s, p99 {p99}, non-2xx {bad.group(1) if bad else 0}, socket errors: {errors.group(1) if errors else 'none'}, audit rows {sys.argv[2]}")
runs = [json.load(open(p)) for p in sys.argv[3:5]]
def ratio(key):
    before, after = (r[key] for r in runs)
    return before, after, rps / ((before + after) / 2)
b, a, r = ratio("full")
print(f"in-process full submission (4 RSA) before / after the load: {b:.0f} / {a:.0f} per second on one core; "
      f"ratio {r:.2f} (target >= 0.77)")
b, a, r = ratio("service")
print(f"in-process, the same body (2 RSA) before / after the load: {b:.0f} / {a:.0f} per second on one core; "
      f"ratio {r:.2f} (like for like)")
if bad or errors:
    sys.exit(1)
PY

# 2. Age checks: every request needs a fresh challenge of the service, signed by the card.
age_secs=${AGE_SECONDS:-5}
age_bodies=${AGE_BODIES:-45000}
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q cryptography
echo "issuing and signing $age_bodies challenges for the age-check run..."
python3 - "$work" "$age_bodies" "$LOAD_KEY" <<'PY'
import base64, json, multiprocessing, sys, threading, urllib.request
work, n, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
headers = {"authorization": "Bearer " + key}
challenges, lock = [], threading.Lock()
def issue(count):
    out = []
    for _ in range(count):
        req = urllib.request.Request("http://127.0.0.1:18181/v1/challenges", data=b"", headers=headers, method="POST")
        out.append(json.load(urllib.request.urlopen(req))["challenge"])
    with lock:
        challenges.extend(out)
threads = [threading.Thread(target=issue, args=(n // 8 + (i < n % 8),)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
def sign(chunk):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    pem = open("testvectors/vectors/personas/p01-standard/kenkaku-card-key.pem").read()
    k = serialization.load_pem_private_key(pem[pem.index("-----BEGIN"):].encode(), None)
    return [base64.b64encode(k.sign(base64.b64decode(c), padding.PKCS1v15(), hashes.SHA256())).decode() for c in chunk]
chunks = [challenges[i::2] for i in range(2)]
with multiprocessing.Pool(2) as pool:
    signed = pool.map(sign, chunks)
age = json.load(open("testvectors/vectors/personas/p01-standard/age-check-submission.json"))
with open(f"{work}/age-bodies.txt", "w") as f:
    for chunk, sigs in zip(chunks, signed):
        for c, s in zip(chunk, sigs):
            age["freshness"] = {"challenge": c, "kenkaku_signature": s}
            f.write(json.dumps({"submission": age, "over": 18}, separators=(",", ":")) + "\n")
PY
cat > "$work/age.lua" <<LUA
-- Each wrk thread takes every Nth body, so no challenge is used twice.
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  bodies = {}
  local i = 0
  for line in io.lines("$work/age-bodies.txt") do
    if i % 2 == id then table.insert(bodies, line) end
    i = i + 1
  end
  n = 0
end
function request()
  n = n + 1
  local body = bodies[n] or bodies[#bodies]
  return wrk.format("POST", "/v1/age-checks",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $LOAD_KEY"}, body)
end
LUA
in_process > "$work/before.json"
wrk -t2 -c"$conns" -d"${age_secs}s" --latency -s "$work/age.lua" http://127.0.0.1:18181/v1/age-checks | tee "$work/wrk-age.txt"
in_process > "$work/after.json"
python3 - "$work/wrk-age.txt" "$work/audit.sqlite" "$age_bodies" "$work/before.json" "$work/after.json" <<'PY'
import json, os, re, sqlite3, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
total = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
db = sqlite3.connect(sys.argv[2])
rows = db.execute("select verdict, count(*) from audit where endpoint = 'age-checks' group by verdict").fetchall()
verdicts = dict(rows)
print(f"age checks: {rps:.0f} requests/s, p99 {p99}, non-2xx {bad.group(1) if bad else 0}, verdicts {verdicts}")
if total > int(sys.argv[3]):
    print(f"  ({total} requests for {sys.argv[3]} prepared bodies: the excess replayed the last one and was refused)")
before, after = (json.load(open(p))["age"] for p in sys.argv[4:6])
rate = (before + after) / 2
print(f"in-process age check before / after the load: {before:.0f} / {after:.0f} per second on one core; ratio {rps / rate:.2f}")
if bad:
    sys.exit(1)
PY
