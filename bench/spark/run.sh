#!/usr/bin/env bash
# Spark engine vs local engine on the same images and machine, in one run.
#   bash bench/spark/run.sh [IMAGES_DIR] [PORT]      (ORCHARD_BIN=path skips the release build)
# Builds orchard (release), starts a local Spark Connect server (local[2], 127.0.0.1), runs
# `orchard featurize … --pca 50` with the local engine and with --engine spark, and prints the overhead ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
images=${1:-../shared/data/fruits-360-sample/Test}
port=${2:-15022}
model=${ORCHARD_MODEL:-../shared/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite}
if [ -n "${ORCHARD_BIN:-}" ]; then bin=$ORCHARD_BIN; else
  swift build -c release --product orchard >/dev/null
  bin=$(swift build -c release --show-bin-path)/orchard
fi
work=$(mktemp -d)
trap 'bash scripts/spark-connect-server.sh stop "$port" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash scripts/spark-connect-server.sh start "$port" >/dev/null

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
count=$(find "$images" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)
# Warm the Spark session once (JVM JIT, first query) so both engines are timed warm.
"$bin" featurize "$images" --out "$work/warm" --model "$model" --engine spark --master "sc://127.0.0.1:$port" >/dev/null 2>&1
local_s=$(seconds "$bin" featurize "$images" --out "$work/local" --model "$model" --pca 50)
spark_s=$(seconds "$bin" featurize "$images" --out "$work/spark" --model "$model" --pca 50 --engine spark --master "sc://127.0.0.1:$port")
printf 'images: %s (%s)\n' "$count" "$images"
printf 'local engine: %.1f s (%.0f images/s)\n' "$local_s" "$(echo "$count / $local_s" | bc -l)"
printf 'spark engine (local[2]): %.1f s (%.0f images/s)\n' "$spark_s" "$(echo "$count / $spark_s" | bc -l)"
printf 'spark / local time: %.2fx (target <= 1.3x)\n' "$(echo "$spark_s / $local_s" | bc -l)"
