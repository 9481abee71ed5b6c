#!/usr/bin/env bash
# Runs `orchard featurize` on an EMR cluster made by create-cluster.sh, through its Spark Connect
# server. Two ways (docs/emr.md explains when to pick which):
#
#   RUN_ON=local (default): from this machine through an SSH tunnel. This machine must be Linux on
#     the cluster's architecture with the same Orchard bundle installed, because orchard ships its
#     own binary to the executors.
#   RUN_ON=primary: copy the model to the primary node and run the orchard that the bootstrap
#     action installed there (works from any OS; the S3 credentials are the cluster's).
#
#   CLUSTER_ID=j-XXXXXXXX SSH_KEY=~/.ssh/my-key.pem MODEL=mobilenet_v2.h5 \
#     INPUT=s3://YOUR-BUCKET/YOUR-INPUT-PREFIX OUTPUT=s3://YOUR-BUCKET/YOUR-OUTPUT-PREFIX \
#     deploy/emr/run-featurize.sh [extra orchard featurize options…]
#
# Settings (environment): CLUSTER_ID, SSH_KEY, MODEL, INPUT, OUTPUT (required); PCA [50];
# RUN_ON [local]; LOCAL_PORT [15002]; CONNECT_PORT (the server's) [15002]; ORCHARD [orchard].
set -euo pipefail

die() { echo "run-featurize: $*" >&2; exit 1; }
cluster=${CLUSTER_ID:?set CLUSTER_ID (j-…, printed by create-cluster.sh)}
key=${SSH_KEY:?set SSH_KEY to the private key of the cluster key pair}
model=${MODEL:?set MODEL to a MobileNetV2 weight file (.h5 or .tflite) on this machine}
input=${INPUT:?set INPUT to s3://bucket/prefix of images}
output=${OUTPUT:?set OUTPUT to s3://bucket/prefix for the dataset}
pca=${PCA:-50}
run_on=${RUN_ON:-local}
local_port=${LOCAL_PORT:-15002}
connect_port=${CONNECT_PORT:-15002}
orchard=${ORCHARD:-orchard}
[ -f "$model" ] || die "no model file at $model"
case "$input$output" in s3://*s3://*) ;; *) die "INPUT and OUTPUT must both be s3:// URIs" ;; esac

public_dns=$(aws emr describe-cluster --cluster-id "$cluster" --query Cluster.MasterPublicDnsName --output text)
private_ip=$(aws emr list-instances --cluster-id "$cluster" --instance-group-types MASTER \
  --query 'Instances[0].PrivateIpAddress' --output text)
if [ -z "$public_dns" ] || [ "$public_dns" = None ]; then
  die "cluster $cluster has no primary DNS name yet (is it running?)"
fi
ssh_opts=(-i "$key" -o StrictHostKeyChecking=accept-new -o ServerAliveInterval=30)
target="hadoop@$public_dns"

case "$run_on" in
local)
  # The server listens on the primary's private address; forward a loopback port to it.
  control="${TMPDIR:-/tmp}/orchard-emr-tunnel-$$"
  ssh "${ssh_opts[@]}" -f -N -M -S "$control" -o ExitOnForwardFailure=yes \
    -L "127.0.0.1:$local_port:$private_ip:$connect_port" "$target"
  trap 'ssh -S "$control" -O exit "$target" 2>/dev/null || true' EXIT
  echo "run-featurize: tunnel 127.0.0.1:$local_port -> $private_ip:$connect_port via $public_dns"
  "$orchard" featurize "$input" --out "$output" --model "$model" --pca "$pca" \
    --engine spark --master "sc://localhost:$local_port" "$@"
  ;;
primary)
  remote_model="/home/hadoop/$(basename "$model")"
  scp "${ssh_opts[@]}" "$model" "$target:$remote_model"
  # Quote every argument for the remote shell.
  remote=$(printf '%q ' orchard featurize "$input" --out "$output" --model "$remote_model" --pca "$pca" \
    --engine spark --master "sc://$private_ip:$connect_port" "$@")
  ssh "${ssh_opts[@]}" -t "$target" "$remote"
  ;;
*) die "RUN_ON must be local or primary" ;;
esac
