#!/usr/bin/env bash
# Spark engine vs local engine on the same images and machine, side by side in one run.
#   bash bench/spark/run.sh [IMAGES_DIR] [PORT]      (ORCHARD_BIN=path skips the release build)
# Builds orchard (release), starts two Spark Connect servers on 127.0.0.1 — local[2] (executors are
# threads of the driver) on PORT and, on PORT+1, a standalone cluster shaped like EMR's
# (scripts/spark-cluster.sh: two worker JVMs x 1 core, Hive catalog) — then for `--pca 50` and for no
# PCA runs the local engine and --engine spark on each server alternately, REPEATS times each (default 2)
# after WARMUPS (default 2) warm-up runs of each shape on each server, and prints the best time of each
# with the spark/local ratios, plus each server's step timings from its last run. CPU flags are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
images=${1:-../shared/data/fruits-360-sample/Test}
port=${2:-15022}
repeats=${REPEATS:-2}
model=${ORCHARD_MODEL:-../shared/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite}
if [ -n "${ORCHARD_BIN:-}" ]; then bin=$ORCHARD_BIN; else
  swift build -c release --product orchard >/dev/null
  bin=$(swift build -c release --show-bin-path)/orchard
fi
work=$(mktemp -d)
cluster_port=$((port + 1))
trap 'bash scripts/spark-connect-server.sh stop "$port" >/dev/null 2>&1 || true
      bash scripts/spark-cluster.sh stop "$cluster_port" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash scripts/spark-connect-server.sh start "$port" >/dev/null
bash scripts/spark-cluster.sh start "$cluster_port" >/dev/null

# Wall seconds of one featurize run; its stderr goes to $work/last.log.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$bin" featurize "$images" --out "$work/out" --overwrite --model "$model" "$@" >/dev/null 2>"$work/last.log"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
best() { printf '%s\n' "$@" | sort -g | head -n 1; }

count=$(find "$images" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)
spark=(--engine spark --master "sc://127.0.0.1:$port")
cluster=(--engine spark --master "sc://127.0.0.1:$cluster_port")
# Warm the servers (JVM JIT of both job shapes) so they are timed as a long-lived cluster runs: warm.
for _ in $(seq 1 "${WARMUPS:-2}"); do
  for server in spark cluster; do
    declare -n options=$server
    seconds --pca 50 "${options[@]}" >/dev/null
    seconds "${options[@]}" >/dev/null
  done
done
printf 'images: %s (%s), load average: %s\n' "$count" "$images" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'CPU: %s\n' "$(bench_cpu)"
printf '| run | local s | spark local[2] s | ratio | spark cluster 2x1 s | ratio |\n|---|---:|---:|---:|---:|---:|\n'
for pca in "--pca 50" ""; do
  local_times=() spark_times=() cluster_times=()
  for _ in $(seq 1 "$repeats"); do
    # shellcheck disable=SC2086  # $pca is empty or two words on purpose
    local_times+=("$(seconds $pca)")
    # shellcheck disable=SC2086
    spark_times+=("$(seconds $pca "${spark[@]}")")
    cp "$work/last.log" "$work/spark${pca// /}.log"
    # shellcheck disable=SC2086
    cluster_times+=("$(seconds $pca "${cluster[@]}")")
    cp "$work/last.log" "$work/cluster${pca// /}.log"
  done
  l=$(best "${local_times[@]}") s=$(best "${spark_times[@]}") c=$(best "${cluster_times[@]}")
  printf '| %s | %.1f | %.1f | %.2fx | %.1f | %.2fx |\n' "${pca:-no PCA}" "$l" "$s" "$(echo "$s / $l" | bc -l)" \
    "$c" "$(echo "$c / $l" | bc -l)"
done
for server in spark cluster; do
  printf '\n%s steps (last run with --pca 50):\n' "$server"
  grep -v -e '^spark featurize:' -e '^spark pca' "$work/$server--pca50.log"
done
