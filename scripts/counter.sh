#!/usr/bin/env bash
# The counter: builds `menkyo` and serves the counter page on http://127.0.0.1:8765 for the
# card reader on this computer (`menkyo counter --help` for the options, e.g. --trust DIR with
# the NPA signer certificates, --records DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# pcscd is socket-activated on a Debian desktop; start it where nothing does (containers).
if ! pgrep -x pcscd >/dev/null && ! systemctl is-active --quiet pcscd.socket 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo pcscd
fi
exec cargo run --release --locked -q -p menkyo-verify-api --bin menkyo -- counter "$@"
