#!/usr/bin/env bash
# Image preprocessing, Orchard (bench/ImagingBench, release) against Pillow (bench/imaging_preprocess.py)
# on the same Fruits-360 photos held in memory, one core each, run back to back: JPEG decode, bicubic
# resize to 224×224, and bytes → Float32 [-1, 1] model input. Prints ms/image for both.
# usage: bench/imaging-preprocess.sh [COUNT] [ROUNDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=${1:-200}
rounds=${2:-5}
runs=${3:-5}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
# Every 11th photo of the sorted Test split, so that all classes are represented.
find "$root/../shared/data/fruits-360-sample/Test" -name '*.jpg' | sort | awk 'NR % 11 == 1' | head -n "$count" >"$list"

echo "building bench/ImagingBench (release)…" >&2
swift build -c release --package-path bench/ImagingBench --scratch-path "$root/.build-imagingbench" >&2
echo "$(wc -l <"$list") images, $rounds rounds × $runs runs (median), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
"$root/.build-imagingbench/release/ImagingBench" "$list" "$rounds" "$runs"
OPENBLAS_NUM_THREADS=1 python3 bench/imaging_preprocess.py "$list" "$rounds" "$runs"
