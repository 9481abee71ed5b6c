#!/usr/bin/env bash
# Runs Orchard's whole test suite: unit, parity and interop tests (they start their own local Spark Connect
# and S3 servers on 127.0.0.1), then the deployment kit's checks (shellcheck, IAM policy, bundle install).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build "$@"
bash scripts/check-deploy.sh
