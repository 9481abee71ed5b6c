#!/usr/bin/env bash
# Regenerates Sources/ServerAPI/*.swift from the server's OpenAPI document,
# Sources/Server/Resources/openapi.yaml (the source of truth, also served at /openapi.yaml).
# The generated code is committed; CI never runs this, so no build builds the generator plugin.
# Needs: swift and git (github.com reachable or mirrored).
#
# The generator is built from the swift-openapi-generator version below (matching the
# swift-openapi-runtime Package.resolved pins) and cached in $GENERATOR_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=1.14.3
generator_dir=${GENERATOR_DIR:-"${TMPDIR:-/tmp}/orchard-openapi-generator/${version}"}
tool="${generator_dir}/.build/debug/swift-openapi-generator"
if [ ! -x "${tool}" ]; then
  [ -d "${generator_dir}" ] || git clone -q --depth 1 -b "${version}" \
    https://github.com/apple/swift-openapi-generator "${generator_dir}"
  (cd "${generator_dir}" && swift build --product swift-openapi-generator)
fi
out="${root}/Sources/ServerAPI"
rm -f "${out}"/*.swift
"${tool}" generate "${root}/Sources/Server/Resources/openapi.yaml" \
  --config "${out}/openapi-generator-config.yaml" --output-directory "${out}"
echo "generated with swift-openapi-generator ${version}:"
ls "${out}"
