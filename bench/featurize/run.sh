#!/usr/bin/env bash
# Issue 4's end-to-end benchmark, side by side in one run: `orchard featurize … --pca 50` (release build,
# real int8 TFLite MobileNetV2) against (a) the seed's pipeline done the seed's way (PySpark local[2],
# binaryFile, Keras MobileNetV2 in a pandas UDF, Spark ML PCA, Parquet; bench/featurize/seed_pipeline.py)
# and (b) ONNX Runtime inference alone on pre-decoded tensors (bench/featurize/onnx_peer.py); plus
# Orchard's peak RSS at 1× and 4× the images, and Orchard at 1 thread and without PCA to see where its
# time goes. Prints the table and the ratios, and writes them to bench/featurize/results.md.
#
# usage: bench/featurize/run.sh
#   SEED_INPUT=all   also run (a) on the whole sample (8,943 images; default: the Test split only)
#   SEED_RESULT=F    take (a) on the Test split from F, a line `report.py record` wrote for the same command
#                    in an earlier run, instead of running it again (it takes ~30 min on a busy machine);
#                    the table shows when each row was measured
#   REPEATS=3        runs of the main Orchard measurement (the median is compared)
#   ALL=0            skip Orchard on the whole sample (the 4× run is as large)
#   PROFILE=0        skip the component timings (ImagingBench: decode+resize+scale; InferenceBench: the
#                    network alone on the same model file), which need two more release builds
#   ORCHARD_BIN=F    time this orchard binary instead of building one (e.g. a release build made elsewhere)
#   BENCH_DATA=D     a folder laid out like fruits-360-sample (D/Test/<class>/*.jpg; default ../shared's)
#   ORCHARD_BENCH_DIR=/tmp/orchard-featurize-bench   scratch folder (outputs, 4× copy, ONNX file)
#   AVX2_ONLY=1      Orchard and ONNX Runtime on their AVX2 + FMA code paths, as on the machine kind's AVX2-only
#                    variant (bench/avx2_cpuid.c hides AVX-512 from CPUID; needs the cpuid_fault flag); no seed
#                    row (a JVM takes SIGSEGV for itself); writes bench/featurize/results-avx2.md instead
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source bench/lib.sh
data=$bench_data model=$bench_model
work=${ORCHARD_BENCH_DIR:-/tmp/orchard-featurize-bench}
repeats=${REPEATS:-3}
seed_input=${SEED_INPUT:-test}
seed_result=${SEED_RESULT:-}
profile=${PROFILE:-1}
all=${ALL:-1}
avx2_only=${AVX2_ONLY:-0}
export OPENBLAS_NUM_THREADS=1 TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES=
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
mkdir -p "$work"
results=$work/results.jsonl
: >"$results"

orchard=$(bench_orchard)

# The prefix every Orchard and ONNX Runtime process runs under: nothing, or the shim that shows it an AVX2 CPU.
under=()
results_md=bench/featurize/results.md
if [ "$avx2_only" = 1 ]; then
    grep -qw cpuid_fault /proc/cpuinfo || { echo "AVX2_ONLY=1 needs CPUID faulting (no cpuid_fault in /proc/cpuinfo)" >&2; exit 1; }
    clang -O2 -shared -fPIC -o "$work/avx2_cpuid.so" bench/avx2_cpuid.c
    under=(env LD_PRELOAD="$work/avx2_cpuid.so" ORCHARD_KERNELS_ISA=avx2 ORCHARD_BENCH_AVX2_ONLY=1)
    results_md=bench/featurize/results-avx2.md
fi

# The 4× input: the Test split copied four times under different class-folder names.
x4=$work/test-x4
if [ "$(find "$x4" -name '*.jpg' 2>/dev/null | wc -l)" -ne $((4 * $(find "$data/Test" -name '*.jpg' | wc -l))) ]; then
    rm -rf "$x4" && mkdir -p "$x4"
    for k in 1 2 3 4; do
        for class in "$data/Test"/*/; do cp -r "$class" "$x4/$(basename "$class") copy $k"; done
    done
fi
# Same page cache for everyone: read every image once before timing.
find "$data" "$x4" -name '*.jpg' -exec cat {} + >/dev/null

count() { find "$1" -name '*.jpg' | wc -l; }
n_test=$(count "$data/Test"); n_all=$(count "$data"); n_x4=$(count "$x4")

# measure NAME IMAGES COMMAND…: one process under /usr/bin/time -v, one JSON line into $results.
measure() {
    local name=$1 images=$2 slug
    shift 2
    slug=$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')
    echo "── $name: $*" >&2
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    if ! /usr/bin/time -v -o "$work/$slug.time" "$@" >"$work/$slug.out" 2>"$work/$slug.err"; then
        echo "failed: $name (see $work/$slug.err)" >&2
        tail -20 "$work/$slug.err" >&2
        exit 1
    fi
    python3 bench/featurize/report.py record "$name" "$images" "$work/$slug.time" "$work/$slug.out" "$load" -- "$@" \
        >>"$results"
    tail -1 "$results" >&2
}

# orchard_run NAME IMAGES INPUT OUT [flags…]: one `orchard featurize` measurement.
orchard_run() {
    local name=$1 images=$2 input=$3 out=$4
    shift 4
    measure "$name" "$images" "${under[@]}" "$orchard" featurize "$input" --out "$out" --model "$model" "$@" --overwrite
}

seed_test() {
    if [ "$avx2_only" = 1 ]; then
        echo "── (a) seed PySpark test: not run with AVX2_ONLY=1" >&2
    elif [ -n "$seed_result" ]; then
        echo "── (a) seed PySpark test: taken from $seed_result" >&2
        grep -F '"(a) seed PySpark test"' "$seed_result" | tail -1 >>"$results"
    else
        measure "(a) seed PySpark test" "$n_test" \
            python3 bench/featurize/seed_pipeline.py "$data/Test" "$work/seed-test" --master 'local[2]' --pca 50
    fi
}

# Interleaved so that the shared machine's changing load falls on every side alike.
for i in $(seq 1 "$repeats"); do
    orchard_run "orchard test --pca 50 --threads 2" "$n_test" "$data/Test" "$work/out-test" --pca 50 --threads 2
    case $i in
        1) measure "(b) onnxruntime 1 session × 2 threads" "$n_test" \
               "${under[@]}" python3 bench/featurize/onnx_peer.py "$data/Test" --work "$work" --threads 2 --processes 1 ;;
        2) measure "(b) onnxruntime 2 processes × 1 thread" "$n_test" \
               "${under[@]}" python3 bench/featurize/onnx_peer.py "$data/Test" --work "$work" --threads 1 --processes 2 ;;
        3) seed_test ;;
    esac
done
if [ "$repeats" -lt 3 ]; then seed_test; fi
if [ "$repeats" -lt 2 ]; then
    measure "(b) onnxruntime 2 processes × 1 thread" "$n_test" \
        "${under[@]}" python3 bench/featurize/onnx_peer.py "$data/Test" --work "$work" --threads 1 --processes 2
fi
orchard_run "orchard 4x test --pca 50 --threads 2" "$n_x4" "$x4" "$work/out-x4" --pca 50 --threads 2
if [ "$all" = 1 ]; then
    orchard_run "orchard all --pca 50 --threads 2" "$n_all" "$data" "$work/out-all" --pca 50 --threads 2
fi
orchard_run "orchard test --pca 50 --threads 1" "$n_test" "$data/Test" "$work/out-test-t1" --pca 50 --threads 1
orchard_run "orchard test no PCA --threads 2" "$n_test" "$data/Test" "$work/out-test-nopca" --threads 2
if [ "$seed_input" = all ] && [ "$avx2_only" != 1 ]; then
    measure "(a) seed PySpark all" "$n_all" \
        python3 bench/featurize/seed_pipeline.py "$data" "$work/seed-all" --master 'local[2]' --pca 50
fi

# Components, one at a time: preparing images on one core, and the network alone on 1 and 2 threads.
if [ "$profile" = 1 ]; then
    echo "building bench/ImagingBench and bench/InferenceBench (release)…" >&2
    swift build -c release --package-path bench/ImagingBench --scratch-path "$root/.build-bench-imagingbench" >&2
    swift build -c release --package-path bench/InferenceBench --scratch-path "$root/.build-bench-inferencebench" >&2
    find "$data/Test" -name '*.jpg' | sort >"$work/test-list.txt"
    component() { # component NAME COMMAND…
        local name=$1 load
        shift
        echo "── $name: $*" >&2
        load=$(cut -d' ' -f1 /proc/loadavg)
        "${under[@]}" "$@" >"$work/component.out"
        python3 bench/featurize/report.py profile "$name" "$work/component.out" "$load" -- "$@" >>"$results"
        tail -1 "$results" >&2
    }
    component "ImagingBench: Test split in memory, 1 core, median of 3 runs" \
        "$root/.build-bench-imagingbench/release/ImagingBench" "$work/test-list.txt" 1 3
    inference=$root/.build-bench-inferencebench/release/InferenceBench
    component "InferenceBench: the network alone, 1 runtime × 1 thread, batch 1" \
        "$inference" --weights "$model" --threads 1 --seconds 10
    # What `featurize --threads 2` runs: two single-threaded networks.
    component "InferenceBench: the network alone, 2 runtimes × 1 thread, batch 1" \
        "$inference" --weights "$model" --threads 1 --instances 2 --seconds 10
    component "InferenceBench: the network alone, 1 runtime × 2-thread pthreadpool, batch 1" \
        "$inference" --weights "$model" --threads 2 --seconds 10
fi

invocation="bash bench/featurize/run.sh"
[ -n "${ORCHARD_BIN:-}" ] && invocation="ORCHARD_BIN=$ORCHARD_BIN $invocation"
[ -n "${BENCH_DATA:-}" ] && invocation="BENCH_DATA=$BENCH_DATA $invocation"
[ -n "$seed_result" ] && invocation="SEED_RESULT=$seed_result $invocation"
[ "$seed_input" = all ] && invocation="SEED_INPUT=all $invocation"
[ "$repeats" != 3 ] && invocation="REPEATS=$repeats $invocation"
[ "$profile" != 1 ] && invocation="PROFILE=$profile $invocation"
[ "$all" != 1 ] && invocation="ALL=$all $invocation"
[ "$avx2_only" = 1 ] && invocation="AVX2_ONLY=1 $invocation"
BENCH_INVOCATION=$invocation BENCH_AVX2_ONLY=$avx2_only python3 bench/featurize/report.py render "$results" | tee "$results_md"
