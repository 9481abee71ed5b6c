#!/usr/bin/env bash
# `orchard train` (release build) against scikit-learn's StandardScaler + LogisticRegression(lbfgs) on the
# same featurized rows, same C and max_iter, side by side in one go: times, their ratio, iterations and
# accuracies (training rows and held-out test rows), with the machine's CPU flags beside every figure.
# It featurizes nothing itself.
#
# usage: bench/train/run.sh [DATASET]
#   DATASET        a featurized dataset (default: out/fruits-360-sample, which scripts/featurize-sample.sh
#                  writes); its photos under a Test/ folder are the test rows, the rest train. Without one
#                  (or with the word `synthetic`), synthetic 1280-d blobs (13 classes, 6,700 training rows and
#                  1,675 test rows) stand in.
#   C=1.0 MAX_ITER=200   the regularisation and iteration limit both sides get
#   REPEATS=3      runs of each side (the median is compared)
#   ORCHARD_BIN=F  time this orchard binary instead of building one
#   ORCHARD_BENCH_DIR=/tmp/orchard-train-bench   scratch folder
# Both sides use OpenBLAS with its default thread count (all cores) unless OPENBLAS_NUM_THREADS is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
root=$(pwd)
c=${C:-1.0}
max_iter=${MAX_ITER:-200}
repeats=${REPEATS:-3}
work=${ORCHARD_BENCH_DIR:-/tmp/orchard-train-bench}
mkdir -p "$work"

if [ -n "${ORCHARD_BIN:-}" ]; then
    orchard=$ORCHARD_BIN
else
    echo "building orchard (release)…" >&2
    swift build -c release --product orchard >&2
    orchard=$(swift build -c release --show-bin-path)/orchard
fi

input=${1:-$root/out/fruits-360-sample}
rm -rf "$work/data"
if [ "$input" != synthetic ] && [ -f "$input/_SUCCESS" ]; then
    source="$input"
    python3 bench/train/data.py split "$input" "$work/data" >&2
else
    if [ "$input" = synthetic ]; then
        source="synthetic blobs (bench/train/data.py)"
    elif [ $# -gt 0 ]; then
        echo "no featurized dataset at $input (no _SUCCESS)" >&2
        exit 1
    else
        source="synthetic blobs (bench/train/data.py; no $input: scripts/featurize-sample.sh writes the real one)"
    fi
    python3 bench/train/data.py synthetic "$work/data" >&2
fi

cpu=$(bench_cpu)
now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: >"$work/orchard.times"; : >"$work/orchard.fit"; : >"$work/sklearn.jsonl"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for run in $(seq "$repeats"); do
    echo "── run $run/$repeats: orchard train" >&2
    start=$(now)
    "$orchard" train "$work/data/train" --out "$work/fruit.orchard" --c "$c" --max-iterations "$max_iter" >"$work/orchard.out"
    end=$(now)
    awk "BEGIN { print $end - $start }" >>"$work/orchard.times"
    sed -n 's/^trained in \([0-9.]*\) s.*/\1/p' "$work/orchard.out" >>"$work/orchard.fit"
    echo "── run $run/$repeats: scikit-learn" >&2
    python3 bench/train/sklearn_peer.py "$work/data/train" "$work/data/test" "$c" "$max_iter" >>"$work/sklearn.jsonl"
done
"$orchard" evaluate "$work/fruit.orchard" "$work/data/test" --json >"$work/evaluate.json"

load="$load_before → $(cut -d' ' -f1 /proc/loadavg)"
python3 - "$work" "$source" "$cpu" "$c" "$max_iter" "$orchard" "$load" <<'PY'
import json, re, statistics, sys
work, source, cpu, c, max_iter, orchard, load = sys.argv[1:]
out = open(f"{work}/orchard.out").read()
wall = [float(v) for v in open(f"{work}/orchard.times").read().split()]
fit = [float(v) for v in open(f"{work}/orchard.fit").read().split()]
sk = [json.loads(line) for line in open(f"{work}/sklearn.jsonl")]
test = json.load(open(f"{work}/evaluate.json"))
iterations = int(re.search(r"done after (\d+) iterations", out).group(1))
train_acc = float(re.search(r"training accuracy ([0-9.]+)%", out).group(1)) / 100
rows = re.search(r"training on (\d+) rows × (\d+) features, (\d+) classes", out).groups()
o_wall, o_fit = statistics.median(wall), statistics.median(fit)
s_total, s_fit = statistics.median(r["total_s"] for r in sk), statistics.median(r["fit_s"] for r in sk)
s = sk[-1]
print(f"data: {source}: {rows[0]} training rows × {rows[1]} features, {rows[2]} classes; {test['rows']} test rows")
print(f"CPU: {cpu}; 1-minute load average {load} (before → after)")
print(f"options: C={c}, max_iter={max_iter}, lbfgs; median of {len(wall)} runs each")
print(f"{'':34}{'orchard':>12}{'scikit-learn':>14}{'sklearn/orchard':>17}")
print(f"{'fit (standardise + L-BFGS), s':34}{o_fit:12.3f}{s_fit:14.3f}{s_fit / o_fit:16.2f}x")
print(f"{'read + fit, s':34}{o_wall:12.3f}{s_total:14.3f}{s_total / o_wall:16.2f}x   (orchard: whole process)")
print(f"{'iterations':34}{iterations:12d}{s['iterations']:14d}")
print(f"{'training accuracy':34}{train_acc:12.4f}{s['train_accuracy']:14.4f}")
print(f"{'test accuracy':34}{test['accuracy']:12.4f}{s['test_accuracy']:14.4f}")
print(f"command: {orchard} train {work}/data/train --out {work}/fruit.orchard --c {c} --max-iterations {max_iter}")
PY
