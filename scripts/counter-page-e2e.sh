#!/usr/bin/env bash
# The counter page in headless Chromium against a running service (demo anchors, loopback).
# Screenshots are kept in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import selenium' 2>/dev/null || pip install -q selenium
cargo build --locked -q -p menkyo-verify-api
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
. scripts/lib/service.sh
trap 'kill ${SERVICE_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
start_service target/debug/menkyo-verify-api "$port" "$work"
python3 scripts/counter_page_e2e.py "http://127.0.0.1:$port" "$work" target/e2e
