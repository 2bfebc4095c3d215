#!/usr/bin/env bash
# Instructions per verification under cachegrind for the three workloads of
# scripts/bench-verify.sh: (Ir of N+1 runs - Ir of 1 run) / N, so loading the trust store and
# the one-time tables drop out. Deterministic where wall time on a shared machine drifts by
# ±10 %: use it to compare two versions of the code. Valgrind hides SHA-NI and ADX from the
# program, so hashing and RSA count more instructions than they run natively.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind missing: apt-get install valgrind" >&2; exit 1; }
n=${N:-100}
cargo build --release --locked -q -p menkyo-core --features fs --example verify_instructions
bin=target/release/examples/verify_instructions
ir() { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | awk '/I *refs/ {gsub(",", "", $NF); print $NF}'; }
for w in ic full age; do
  a=$(ir "$w" 0)
  b=$(ir "$w" "$n")
  echo "$w: $(( (b - a) / n )) instructions per verification"
done
