#!/usr/bin/env bash
# Parquet writing, Orchard (bench/ParquetBench, release) against pyarrow (bench/parquet_peer.py), run back to
# back: 100,000 rows of (path string, label string, list<float> of 1280), row groups of 10,000, same codec.
# pyarrow writes the very rows Orchard wrote (it loads Orchard's file before timing). Prints seconds, file
# sizes, and the ratio pyarrow time / Orchard time (≥ 1.0 means Orchard is at least as fast).
# usage: bench/parquet.sh [ROWS] [CODEC] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rows=${1:-100000}
codec=${2:-zstd}
rounds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building bench/ParquetBench (release)…" >&2
swift build -c release --package-path bench/ParquetBench --scratch-path "$root/.build-parquetbench" >&2
echo "$rows rows × (path, label, list<float>[1280]), codec $codec, $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
orchard=$("$root/.build-parquetbench/release/ParquetBench" "$work/orchard.parquet" "$rows" "$codec" "$rounds")
echo "$orchard" | grep -v '^ORCHARD_SECONDS'
peer=$(python3 bench/parquet_peer.py "$work/orchard.parquet" "$work/pyarrow.parquet" "$codec" "$rounds")
echo "$peer" | grep -v '^PYARROW_SECONDS'
# Ratios pyarrow time / Orchard time, on wall and on CPU time (CPU is the fairer one on a loaded machine).
{ echo "$orchard"; echo "$peer"; } | awk '
    /^ORCHARD_SECONDS/ { ow = $2; oc = $3 }
    /^PYARROW_SECONDS_DEFAULT/ { pw = $2; pc = $3 }
    /^PYARROW_SECONDS_DICT_STRINGS/ { qw = $2; qc = $3 }
    END {
        printf "speed ratio vs pyarrow default:      wall %.2fx, cpu %.2fx\n", pw / ow, pc / oc
        printf "speed ratio vs pyarrow dict-strings: wall %.2fx, cpu %.2fx\n", qw / ow, qc / oc
    }'
