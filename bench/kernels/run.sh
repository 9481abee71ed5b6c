#!/usr/bin/env bash
# How close Orchard's own network kernels come to the core's FMA peak, on MobileNetV2's layer shapes as the
# `hybrid` backend calls them: per layer, its MFLOP per image, its share of the kernels' time and its share
# of the FMA peak (measured beside it). On an AVX-512 CPU it runs the AVX2 kernels too
# (ORCHARD_KERNELS_ISA=avx2), as the AVX2-only variant of this machine kind runs them.
#
# BASE=<git revision> also builds that revision's kernels into the same program and times them beside the
# current ones, round by round: "cur/base" is the median of the per-round speed ratios, and a layer whose
# outputs are not bit-identical says so. That is the comparison to trust on a host whose speed drifts (the
# shares of peak themselves move by up to ±20 % from one run to the next on such a host).
#
# With BASE it also times whole images, base and current in turns: every layer once, in the network's order,
# so each layer's weights come from wherever the layers before left them (the late layers' from L3, as in
# the network), not from L2 as when one layer runs again and again for its own row. COLD=1 makes each
# per-layer row read another copy of the 1×1 weights on every pass over the layer, from beyond L2.
#
# Usage: [BASE=<rev>] [COLD=1] bench/kernels/run.sh [rounds]   (default 21; needs clang and libpthreadpool, no Swift)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source bench/lib.sh
rounds="${1:-21}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kernels="$root/Sources/COrchardKernels"
kernel_files=(pointwise pointwise_narrow depthwise3x3 patches isa)  # the network's kernels (those a revision has)
sources=()
for file in "${kernel_files[@]}"; do
  if [ -f "$kernels/$file.c" ]; then sources+=("$kernels/$file.c"); fi
done
flags=(-O2)  # as Package.swift builds COrchardKernels; the kernels choose their instruction set at run time
objects=()
if [ -n "${BASE:-}" ]; then
  mkdir -p "$work/base"
  git archive "$BASE" Sources/COrchardKernels | tar -x -C "$work/base"
  base="$work/base/Sources/COrchardKernels"
  # Every orchard_… function of the base gets a base_ prefix, so both copies link into one program.
  grep -ohE '\borchard_[a-z0-9_]+\(' "$base"/*.c "$base"/*.h "$base"/include/*.h | tr -d '(' | sort -u |
    awk '{print "#define " $1 " base_" $1}' >"$work/base_names.h"
  for file in "${kernel_files[@]}"; do
    [ -f "$base/$file.c" ] || continue
    clang "${flags[@]}" -include "$work/base_names.h" -I"$base/include" -c "$base/$file.c" -o "$work/base_$file.o"
    objects+=("$work/base_$file.o")
  done
  flags+=(-DWITH_BASE)
  if grep -q orchard_conv3x3_rows "$base/include/orchard_kernels.h"; then flags+=(-DBASE_HAS_CONV3X3); fi
  echo "base: $(git rev-parse --short "$BASE") ($(git log -1 --format=%s "$BASE" | cut -c1-70))"
fi
clang "${flags[@]}" -I"$kernels/include" bench/kernels/efficiency.c "${sources[@]}" "${objects[@]}" \
  -lpthreadpool -lm -o "$work/efficiency"
echo "CPU: $(bench_cpu)"
"$work/efficiency" "$rounds"
if grep -qw avx512f /proc/cpuinfo; then
  echo
  ORCHARD_KERNELS_ISA=avx2 "$work/efficiency" "$rounds"
fi
