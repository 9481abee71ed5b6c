#!/usr/bin/env bash
# Builds the libFuzzer targets (release, -sanitize=fuzzer,address) and runs each for SECONDS seconds on
# its committed corpus (fuzz/corpus/<target>, read only) plus a scratch folder for new inputs
# (fuzz/.build/fuzz-runs/<target>, not committed). Prints executions, exec/s and coverage per target and
# the path of every crash file; exits 1 if any target crashed.
#   bash fuzz/run.sh 60                 # all five targets, a minute each
#   bash fuzz/run.sh 600 parquet        # one target, ten minutes
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(jpeg-png-exif parquet tflite arrow-ipc s3-xml); fi

# Inputs much larger than the seeds only slow the fuzzer down; images and Parquet files need the most room.
max_len() {
    case $1 in
        jpeg-png-exif | parquet) echo 65536 ;;
        tflite) echo 16384 ;;
        *) echo 8192 ;;
    esac
}

PATH=/opt/swift/usr/bin:$PATH
# -parse-as-library: libFuzzer supplies main(), the targets have no top-level code. gold warns about
# every ASan helper symbol it cannot export; those lines are noise.
flags=(-c release -Xswiftc "-sanitize=fuzzer,address" -Xswiftc -parse-as-library)
mkdir -p .build
if ! swift build "${flags[@]}" >.build/fuzz-build.log 2>&1; then
    grep -v "Cannot export local symbol" .build/fuzz-build.log >&2
    echo "fuzz build failed (log: fuzz/.build/fuzz-build.log)" >&2
    exit 2
fi
grep -v "Cannot export local symbol" .build/fuzz-build.log | tail -1
bin=$(swift build "${flags[@]}" --show-bin-path)

# The Swift runtime's backtracer would otherwise take over libFuzzer's crash handling (and can hang).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1

crashed=0
summary=()
for target in "${targets[@]}"; do
    runs=.build/fuzz-runs/$target
    mkdir -p "$runs/new" "$runs/crashes"
    log=$runs/fuzz.log
    echo "== $target: ${seconds}s"
    status=0
    "$bin/$target" "$runs/new" "corpus/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len "$target")" \
        -print_final_stats=1 -artifact_prefix="$runs/crashes/" >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
    line="$target: ${executions:-?} executions, ${speed:-?} exec/s, ${coverage:-no coverage line}"
    if [ "$status" -ne 0 ]; then
        crashed=1
        artifacts=$(grep -oE "Test unit written to .*" "$log" | sed 's/^Test unit written to //' || true)
        line="$line — CRASHED (exit $status): ${artifacts:-see $log}"
        grep -m1 -E "ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY" "$log" || true
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "== summary (logs in fuzz/.build/fuzz-runs/<target>/fuzz.log)"
printf '%s\n' "${summary[@]}"
exit "$crashed"
