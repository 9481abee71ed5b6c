#!/usr/bin/env bash
# Installs everything Orchard needs on a fresh Debian machine of this kind: the C libraries it links
# and the Python peers its tests use. Safe to run again.
set -euo pipefail
apt_packages=(libxnnpack-dev libpthreadpool-dev libdnnl-dev libturbojpeg0-dev libpng-dev libhdf5-dev
  libopenblas-dev liblapacke-dev libzstd-dev libsnappy-dev zlib1g-dev pkg-config chromium
  shellcheck patchelf time wrk curl openssl)
# pyspark (the Spark Connect server of the tests) needs Java 17+: install a JRE when none is on PATH.
if ! command -v java >/dev/null 2>&1; then apt_packages+=(openjdk-17-jre-headless); fi
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Test peers (numerical and format references); tensorflow is only needed for bench/ and fixtures.
python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
java_version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ "${java_version:-0}" -lt 17 ]; then
  echo "setup: pyspark 4 needs Java 17 or later on PATH; found '${java_version:-none}' (set PATH or JAVA_HOME to one)" >&2
  exit 1
fi
