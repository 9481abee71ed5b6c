#!/usr/bin/env bash
# Regenerates Sources/SparkConnectProtos/*.swift from Apache Spark's own spark/connect/*.proto,
# which ship inside pyspark's jars/spark-connect_2.13-<version>.jar. The generated code is
# committed; CI never runs this. Needs: python3 with pyspark, unzip, protoc (apt protobuf-compiler),
# swift and git (github.com reachable or mirrored).
#
# The two protoc plugins are built from the exact swift-protobuf / grpc-swift-protobuf versions
# pinned in Package.resolved, so generated code matches the runtime it is compiled against.
# Building them takes several minutes; they are cached in $PLUGIN_DIR (set PLUGIN_DIR to reuse a
# directory that already holds protoc-gen-swift and protoc-gen-grpc-swift-2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="${root}/Sources/SparkConnectProtos"

pinned() {  # the version Package.resolved pins for package identity $1
  python3 -c 'import json, sys
pins = json.load(open("Package.resolved"))["pins"]
print(next(p["state"]["version"] for p in pins if p["identity"] == sys.argv[1]))' "$1"
}
protobuf_version=$(pinned swift-protobuf)
grpc_protobuf_version=$(pinned grpc-swift-protobuf)

plugin_dir=${PLUGIN_DIR:-"${TMPDIR:-/tmp}/orchard-protoc-plugins/${grpc_protobuf_version}-${protobuf_version}"}
if [ ! -x "${plugin_dir}/protoc-gen-swift" ] || [ ! -x "${plugin_dir}/protoc-gen-grpc-swift-2" ]; then
  mkdir -p "${plugin_dir}"
  src="${plugin_dir}/grpc-swift-protobuf"
  [ -d "${src}" ] || git clone -q --depth 1 -b "${grpc_protobuf_version}" \
    https://github.com/grpc/grpc-swift-protobuf "${src}"
  # Build protoc-gen-swift inside the same package (it is a product of its swift-protobuf
  # dependency) so SwiftProtobuf compiles once, pinned to the version Orchard resolves.
  (cd "${src}" && swift package resolve swift-protobuf --version "${protobuf_version}" &&
    swift build -c release --product protoc-gen-swift &&
    swift build -c release --product protoc-gen-grpc-swift-2)
  cp "${src}/.build/release/protoc-gen-swift" "${src}/.build/release/protoc-gen-grpc-swift-2" "${plugin_dir}/"
fi

pyspark_dir=$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
jar=$(find "${pyspark_dir}/jars" -maxdepth 1 -name 'spark-connect_2.13-*.jar' | sort | head -n 1)
protos=$(mktemp -d)
trap 'rm -rf "${protos}"' EXIT
unzip -q -o "${jar}" 'spark/connect/*.proto' -d "${protos}"
# example_plugins.proto only demonstrates server extensions; nothing imports it.
rm -f "${protos}/spark/connect/example_plugins.proto"

rm -f "${out}"/*.pb.swift "${out}"/*.grpc.swift
(cd "${protos}" && protoc \
  --plugin=protoc-gen-swift="${plugin_dir}/protoc-gen-swift" \
  --swift_out="${out}" --swift_opt=Visibility=Public,FileNaming=DropPath \
  spark/connect/*.proto)
# Only base.proto declares a service (SparkConnectService); the client side is all Orchard needs.
(cd "${protos}" && protoc \
  --plugin=protoc-gen-grpc-swift-2="${plugin_dir}/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="${out}" \
  --grpc-swift-2_opt=Visibility=Public,FileNaming=DropPath,Client=true,Server=false \
  spark/connect/base.proto)
echo "generated from $(basename "${jar}") with swift-protobuf ${protobuf_version}," \
  "grpc-swift-protobuf ${grpc_protobuf_version}:"
ls "${out}"
