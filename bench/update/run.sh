#!/usr/bin/env bash
# Issue 15's benchmark, in one run: what a 1 % update of the sample costs next to a full run.
#
#   1. the sample minus every 100th photo is featurized (the dataset as it was);
#   2. the whole sample is featurized from scratch (timed: the full run);
#   3. the held-back 1 % is added and `featurize --update` brings the dataset of (1) up to date (timed),
#      once with the default PCA policy (refit, re-project only if the components moved) and once with
#      --keep-pca on a copy of (1);
#   4. the updated dataset is checked against the full run (same paths, features ≤ 1e-6);
#   5. a classifier trained on (1) before the update is the warm start of one trained on the updated
#      dataset, timed beside training from zero.
# Prints each time, the update/full ratios (goal: ≤ 3 %), and writes them to bench/update/results.md.
#
# usage: bench/update/run.sh
#   ORCHARD_BIN=F   time this orchard binary instead of building a release one (.build-bench)
#   BENCH_DATA=D    a folder laid out like fruits-360-sample (default ../shared's)
#   PCA=50          components (0: no PCA)
#   ORCHARD_BENCH_DIR=/tmp/orchard-update-bench   scratch folder
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source bench/lib.sh
data=$bench_data model=$bench_model
work=${ORCHARD_BENCH_DIR:-/tmp/orchard-update-bench}
pca=${PCA:-50}
orchard=$(bench_orchard)
cpu=$(bench_cpu)
pca_args=(); [ "$pca" != 0 ] && pca_args=(--pca "$pca")

rm -rf "$work" && mkdir -p "$work/input" "$work/held"
# The input: every photo, all splits, under <split>-<class>/ so labels stay apart; every 100th held back.
n=0
while IFS= read -r -d '' file; do
    rel=${file#"$data"/}; split=${rel%%/*}; rest=${rel#*/}; class=${rest%%/*}
    dest=$work/input/$split-$class
    [ $((n % 100)) -eq 99 ] && dest=$work/held/$split-$class
    mkdir -p "$dest" && cp "$file" "$dest/"
    n=$((n + 1))
done < <(find "$data" -name '*.jpg' -print0 | sort -z)
held=$(find "$work/held" -name '*.jpg' | wc -l)
find "$work" -name '*.jpg' -exec cat {} + >/dev/null  # same page cache for every run

seconds() {
    local start end; start=$(date +%s.%N); "$@" >"$work/last.log" 2>&1; end=$(date +%s.%N)
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$end"
}
run() { "$orchard" featurize "$work/input" --model "$model" "${pca_args[@]}" "$@"; }

echo "initial dataset ($((n - held)) images)…" >&2
seconds run --out "$work/before" >/dev/null
echo "training a classifier on it (the bundle a warm start continues from)…" >&2
seconds "$orchard" train "$work/before" --out "$work/v1.orchard" >/dev/null
cp -r "$work/before" "$work/before-keep"
cp -r "$work/held/." "$work/input/"
echo "full run ($n images)…" >&2
full=$(seconds run --out "$work/full")
echo "update, default PCA policy (+$held images)…" >&2
update=$(seconds run --out "$work/before" --update)
update_log=$(cat "$work/last.log")
echo "update, --keep-pca…" >&2
keep=$(seconds run --out "$work/before-keep" --update --keep-pca)
echo "retraining on the updated dataset, cold and --warm-start…" >&2
iterations() { grep -o 'done after [0-9]* iterations' "$work/last.log" | grep -o '[0-9]*'; }
cold=$(seconds "$orchard" train "$work/before" --out "$work/v2-cold.orchard"); cold_iterations=$(iterations)
warm=$(seconds "$orchard" train "$work/before" --out "$work/v2-warm.orchard" --warm-start "$work/v1.orchard")
warm_iterations=$(iterations)

python3 - "$work/before" "$work/full" <<'PY'
import sys, numpy as np, pyarrow.dataset as ds
def load(p):
    t = ds.dataset(p, format="parquet").to_table(columns=["path", "features"]).to_pydict()
    o = np.argsort(t["path"]); return [t["path"][i] for i in o], np.array([t["features"][i] for i in o])
(pa, fa), (pb, fb) = load(sys.argv[1]), load(sys.argv[2])
assert pa == pb, "updated and full datasets hold different paths"
d = float(np.abs(fa - fb).max()); assert d <= 1e-6, f"features differ by {d}"
print(f"check: {len(pa)} rows, same paths, features max diff {d}")
PY

ratio() { python3 -c "import sys; print(f'{100 * float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
if [ "$pca" = 0 ]; then refit="none"
elif grep "version 2 (" <<<"$update_log" | grep -q "PCA fitted"; then refit="refitted, every row re-projected"
else refit="kept (components within tolerance)"; fi
table="| run | images featurized | seconds | share of the full run |
|---|---|---|---|
| full run from scratch | $n | $full | 100 % |
| \`--update\` (+1 %), PCA $refit | $held | $update | $(ratio "$update" "$full") % |
| \`--update --keep-pca\` (+1 %) | $held | $keep | $(ratio "$keep" "$full") % |

| \`orchard train\` on the updated dataset | L-BFGS iterations | seconds |
|---|---|---|
| from zero | $cold_iterations | $cold |
| \`--warm-start\` from the bundle trained before the update | $warm_iterations | $warm |"
echo "CPU: $cpu"
echo "$table"
{
    echo "# featurize --update: a 1 % update vs a full run"
    echo
    echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg)) by \`bench/update/run.sh\`"
    echo "(PCA=$pca, $orchard). CPU: $cpu. Goal (issue 15): an update of 1 % costs ≤ 3 % of the full run."
    echo
    echo "$table"
} >"$root/bench/update/results.md"
