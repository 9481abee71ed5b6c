#!/usr/bin/env bash
# The main job on the shared sample: every Fruits-360 sample photo → MobileNetV2 features (the real ImageNet
# TFLite model) → PCA → a Parquet dataset in out/fruits-360-sample, plus its HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${ORCHARD_SHARED:-../shared}
out=${1:-out/fruits-360-sample}
swift build -c release --product orchard
bin=$(swift build -c release --show-bin-path)/orchard
"$bin" featurize "$shared/data/fruits-360-sample" --out "$out" \
  --model "$shared/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite" --pca-variance 0.95
"$bin" report "$out"
