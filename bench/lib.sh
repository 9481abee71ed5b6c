# Shared by the bench/*/run.sh scripts (sourced, from the package root).

# The sample photos and the real ImageNet model in ../shared (BENCH_DATA overrides the photos).
bench_data=$(cd "${BENCH_DATA:-$PWD/../shared/data/fruits-360-sample}" && pwd)
bench_model=$(cd "$PWD/../shared/models" && pwd)/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite

# bench_orchard: the orchard binary to time, on stdout: ORCHARD_BIN if set, else a release build in
# .build-bench (kept apart from the debug build the tests use).
bench_orchard() {
    if [ -n "${ORCHARD_BIN:-}" ]; then
        echo "$(cd "$(dirname "$ORCHARD_BIN")" && pwd)/$(basename "$ORCHARD_BIN")"
    else
        echo "building orchard (release, scratch .build-bench)…" >&2
        swift build -c release --scratch-path "$PWD/.build-bench" --product orchard >&2
        echo "$PWD/.build-bench/release/orchard"
    fi
}

# bench_cpu: the CPU model, core count and the SIMD flags that decide the kernels, for every figure.
bench_cpu() {
    local flags
    flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|avx512f|fma|sse4_2' | sort | xargs)
    echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) vCPU, flags: ${flags:-none of avx2/avx512f/fma/sse4_2}"
}
