#!/usr/bin/env bash
# Memory of POST /v1/batch against its size: streams NDJSON batches of growing size (the first
# persona without freshness) through curl into the release service and prints the service's
# peak resident memory (VmHWM) after each. Bounded memory means the peak stays flat.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${BATCH_SIZES:-"1000 10000 100000"}
cargo build --release --locked -q -p menkyo-verify-api
work=$(mktemp -d)
python3 - "$work/line.json" <<'PY'
import json, sys
s = json.load(open("testvectors/vectors/personas/p01-standard/submission.json"))
s.pop("freshness")
open(sys.argv[1], "w").write(json.dumps(s) + "\n")
PY
. scripts/lib/service.sh
trap 'kill ${SERVICE_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
load_config "$work"
start_service target/release/menkyo-verify-api 18182 "$work" --config "$work/load.toml"
hwm() { awk '/VmHWM/ {print $2 " " $3}' "/proc/$SERVICE_PID/status"; }
echo "service started: peak RSS $(hwm)"
for n in $sizes; do
  start=$SECONDS
  # curl -T - streams the body (chunked) while it reads the answer: nothing is held whole.
  python3 -c "import sys; l = open(sys.argv[1], 'rb').read(); [sys.stdout.buffer.write(l) for _ in range(int(sys.argv[2]))]" \
    "$work/line.json" "$n" |
    curl -sS -N -T - -X POST -H 'content-type: application/x-ndjson' -H "authorization: Bearer $LOAD_KEY" \
      http://127.0.0.1:18182/v1/batch |
    python3 -c "
import json, sys
n = v = 0
for line in sys.stdin:
    n += 1
    v += json.loads(line).get('verdict') == 'valid'
print(f'{n} lines answered, {v} valid', end='')
"
  mb=$(python3 -c "import os; print(round(os.path.getsize('$work/line.json') * $n / 1e6))")
  echo "; batch of $n lines ($mb MB) in $((SECONDS - start)) s: service peak RSS $(hwm)"
done
