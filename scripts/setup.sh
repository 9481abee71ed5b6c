#!/usr/bin/env bash
# Installs everything Orchard needs on a fresh Debian machine of this kind: the C libraries it links
# and the Python peers its tests use. Safe to run again.
set -euo pipefail
apt_packages=(libxnnpack-dev libpthreadpool-dev libturbojpeg0-dev libpng-dev libhdf5-dev
  libopenblas-dev liblapacke-dev libzstd-dev libsnappy-dev zlib1g-dev pkg-config chromium
  shellcheck patchelf time)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Test peers (numerical and format references); tensorflow is only needed for bench/ and fixtures.
python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
