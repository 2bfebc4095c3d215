#!/usr/bin/env bash
# `menkyo counter` in headless Chromium, with the simulated cards served through real pcscd +
# vpcd (TEST ONLY personas and trust store). Screenshots of every step in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium
cargo build --locked -q -p menkyo-verify-api --bin menkyo
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pkill -f "menkyo simulate-card" 2>/dev/null || true
  [ -n "${started_pcscd:-}" ] && pkill -x pcscd 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if ! pgrep -x pcscd >/dev/null; then
  pcscd --foreground > "$work/pcscd.log" 2>&1 &
  started_pcscd=1
fi
for _ in $(seq 1 100); do ss -ltn | grep -q ':35963 ' && break; sleep 0.1; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Only the first vpcd slot: the counter follows the card put on "Virtual PCD 00 00".
target/debug/menkyo counter --reader "Virtual PCD 00 00" --trust testvectors/vectors/trust \
  --listen "127.0.0.1:$port" --records "$work/records" > "$work/counter.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q "menkyo counter: http" "$work/counter.log" && break; sleep 0.1; done
python3 scripts/counter_e2e.py "http://127.0.0.1:$port" "$work" target/e2e target/debug/menkyo
