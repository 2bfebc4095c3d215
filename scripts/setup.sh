#!/usr/bin/env bash
# Installs what building and testing menkyo needs on a fresh Debian machine (idempotent).
set -euo pipefail
# Debian packages: a C/C++ toolchain (aws-lc-rs, the fuzz crate's libFuzzer), pkg-config,
# PC/SC (pcscd and its headers for the `pcsc` crate) and vpcd, the virtual reader the card
# simulator plugs into; pcsc-tools for `pcsc_scan`; Chromium, its driver and a Japanese font
# for the counter page test; wrk and curl for the load and batch-memory scripts; PostgreSQL and
# openssl (test certificates) for the PostgreSQL tests.
packages=(gcc g++ pkg-config pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools
          chromium chromium-driver fonts-noto-cjk wrk curl postgresql openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Selenium drives Chromium in the counter page test (PyPI).
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium
if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found; install Rust (rustup) >= 1.92 first" >&2
  exit 1
fi
