#!/usr/bin/env bash
# Builds and starts the verification service on its embedded defaults (http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec cargo run --release --locked -q -p menkyo-verify-api -- "$@"
