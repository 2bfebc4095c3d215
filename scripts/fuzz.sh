#!/usr/bin/env bash
# Runs the fuzz targets one after another: scripts/fuzz.sh [SECONDS_EACH] [TARGET ...]
# On stable Rust cargo-fuzz needs RUSTC_BOOTSTRAP=1 (set here). Logs go to fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cd fuzz
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list); fi
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  echo "== $t: ${secs}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 \
    > "logs/$t.log" 2>&1 || { echo "$t: FAILED, see fuzz/logs/$t.log"; tail -30 "logs/$t.log"; exit 1; }
  grep -E "^(Done|stat::number_of_executed_units|stat::new_units_added)" "logs/$t.log" || tail -3 "logs/$t.log"
done
