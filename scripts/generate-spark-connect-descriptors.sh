#!/usr/bin/env bash
# Writes Sources/SparkConnectProtos/Descriptors/spark-connect-<version>.pb: a FileDescriptorSet of
# Spark's spark/connect/*.proto as released in pyspark <version>, for the protocol compatibility test
# (Tests/SparkConnectTestKit/ProtocolCompatibility.swift). The sets are committed; tests never run this.
#
#   scripts/generate-spark-connect-descriptors.sh 3.5.6   # the Spark of EMR 7.x
#   scripts/generate-spark-connect-descriptors.sh 4.3.0   # the protocol the Swift code is generated from
#
# No protoc and no GitHub: every pyspark/sql/connect/proto/*_pb2.py embeds its .proto file compiled to a
# serialized FileDescriptorProto (the argument of AddSerializedFile). They come from the installed
# pyspark when its version matches, else from the pyspark sdist: $PYSPARK_SDIST if set (a downloaded
# pyspark-<version>.tar.gz), else PyPI's (pip download; 3.5.6's is 317 MB). Needs python3 with protobuf
# (pyspark[connect] brings it).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: $0 SPARK_VERSION (e.g. 3.5.6)}
out="Sources/SparkConnectProtos/Descriptors/spark-connect-${version}.pb"

work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
installed=$(python3 -c 'import pyspark, os; print(pyspark.__version__, os.path.dirname(pyspark.__file__))' 2>/dev/null || true)
if [ "${installed%% *}" = "${version}" ]; then
  proto_dir="${installed#* }/sql/connect/proto"
else
  sdist=${PYSPARK_SDIST:-"${work}/pyspark-${version}.tar.gz"}
  # pyspark 3.x is on PyPI as an sdist only; pip prepares its metadata with setuptools and wheel.
  [ -f "${sdist}" ] || python3 -m pip download -q --disable-pip-version-check --no-deps \
    "pyspark==${version}" -d "${work}"
  tar -xzf "${sdist}" -C "${work}" "pyspark-${version}/pyspark/sql/connect/proto"
  proto_dir="${work}/pyspark-${version}/pyspark/sql/connect/proto"
fi

python3 - "${proto_dir}" "${out}" <<'PY'
import ast, pathlib, sys
from google.protobuf import any_pb2, descriptor_pb2

proto_dir, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
files = {}
for module in sorted(proto_dir.glob("*_pb2.py")):
    # The module is read, never imported: its protobuf runtime check may not match the one installed.
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile":
            proto = descriptor_pb2.FileDescriptorProto.FromString(ast.literal_eval(node.args[0]))
            files[proto.name] = proto
if not any(name == "spark/connect/base.proto" for name in files):
    sys.exit(f"no spark/connect/base.proto descriptor under {proto_dir}")
# Spark's protos import google/protobuf/any.proto: include it so every type name resolves.
files["google/protobuf/any.proto"] = descriptor_pb2.FileDescriptorProto.FromString(any_pb2.DESCRIPTOR.serialized_pb)
descriptor_set = descriptor_pb2.FileDescriptorSet(file=[files[name] for name in sorted(files)])
out.write_bytes(descriptor_set.SerializeToString(deterministic=True))
print(f"{out}: {len(files)} files, {out.stat().st_size} bytes:", " ".join(sorted(files)))
PY
