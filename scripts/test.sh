#!/usr/bin/env bash
# Runs Orchard's whole test suite (unit, parity and interop tests) in a release-like debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build "$@"
