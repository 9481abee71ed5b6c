#!/usr/bin/env bash
# Download of many small objects from a local moto S3 server: Orchard's S3 client (bench/S3Bench) against
# `aws s3 cp --recursive`, same server, same 2,000 Fruits-360 JPEGs (~5 KB each), one run each.
# usage: bench/s3-download.sh [COUNT] [CONCURRENCY]   (needs moto_server and awscli; loopback only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=${1:-2000}
concurrency=${2:-10}
work=$(mktemp -d)
trap 'scripts/moto-server.sh stop "$work/moto.pid"; rm -rf "$work"' EXIT

export AWS_ACCESS_KEY_ID=AKIABENCH AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_SHARED_CREDENTIALS_FILE=/dev/null
# awscli's default is 10 requests at once; both tools get the same number.
export AWS_CONFIG_FILE="$work/aws-config"
printf '[default]\ns3 =\n  max_concurrent_requests = %s\n' "$concurrency" >"$AWS_CONFIG_FILE"

echo "building bench/S3Bench (release)…" >&2
swift build -c release --package-path bench/S3Bench --scratch-path "$root/.build-s3bench" >&2
bench="$root/.build-s3bench/release/S3Bench"

port=$(scripts/moto-server.sh start 0 "$work/moto.pid" $$)
endpoint="http://127.0.0.1:$port"

mkdir -p "$work/source"
find ../shared/data/fruits-360-sample/Test -name '*.jpg' | sort | head -n "$count" | while read -r f; do
    rel=${f#../shared/data/fruits-360-sample/Test/}
    mkdir -p "$work/source/$(dirname "$rel")"
    cp "$f" "$work/source/$rel"
done
objects=$(find "$work/source" -type f | wc -l)
bytes=$(find "$work/source" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
aws --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null
aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$work/source" s3://bench/fruits/
echo "uploaded $objects objects, $bytes bytes to moto at $endpoint" >&2

start=$(date +%s.%N)
aws --endpoint-url "$endpoint" s3 cp --recursive --quiet s3://bench/fruits/ "$work/aws"
aws_seconds=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
"$bench" "$endpoint" bench fruits/ "$work/orchard" "$concurrency" >"$work/orchard.json"
orchard_seconds=$(echo "$(date +%s.%N) - $start" | bc)

diff -r "$work/source" "$work/aws" >/dev/null || { echo "awscli download differs from the source" >&2; exit 1; }
diff -r "$work/source" "$work/orchard" >/dev/null || { echo "Orchard download differs from the source" >&2; exit 1; }

printf '%s objects, %s bytes, concurrency %s, moto %s\n' "$objects" "$bytes" "$concurrency" "$(python3 -c 'import moto; print(moto.__version__)')"
printf 'aws s3 cp --recursive : %6.2f s  %7.1f objects/s\n' "$aws_seconds" "$(echo "$objects / $aws_seconds" | bc -l)"
printf 'Orchard S3Bench       : %6.2f s  %7.1f objects/s  (in-process: %s)\n' "$orchard_seconds" \
    "$(echo "$objects / $orchard_seconds" | bc -l)" "$(cat "$work/orchard.json")"
printf 'ratio (aws / Orchard) : %.2fx\n' "$(echo "$aws_seconds / $orchard_seconds" | bc -l)"
