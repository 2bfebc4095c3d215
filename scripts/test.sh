#!/usr/bin/env bash
# Runs every test of the workspace (unit, property, manifest-driven, command line).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo test --workspace --all-features --locked
# The card reader end to end through real pcscd and the vpcd virtual reader.
scripts/pcsc-e2e.sh
# `menkyo counter` in headless Chromium with simulated cards through pcscd + vpcd.
scripts/counter-e2e.sh
# The service's page in headless Chromium against the running service.
scripts/counter-page-e2e.sh
# The audit log and challenges on PostgreSQL (the same tests as on the embedded SQLite).
scripts/postgres-test.sh
