#!/usr/bin/env bash
# Creates an EMR 7.x cluster ready for `orchard featurize --engine spark`: Spark on YARN, the Orchard
# bundle installed on every node by the bootstrap action, a Spark Connect server started on the
# primary node by a step, the least-privilege instance profile, and an idle auto-termination so a
# forgotten cluster stops costing money. Walkthrough: docs/emr.md.
#
#   ORCHARD_BUCKET=my-bucket EC2_KEY_NAME=my-key deploy/emr/create-cluster.sh
#   DRY_RUN=1 ORCHARD_BUCKET=my-bucket EC2_KEY_NAME=my-key deploy/emr/create-cluster.sh   # print only
#
# Settings (environment):
#   ORCHARD_BUCKET            bucket holding artifacts and logs (required; YOUR-BUCKET in iam-policy.json)
#   ORCHARD_ARTIFACTS_PREFIX  where the tarball and the two scripts were uploaded   [orchard/artifacts]
#   ORCHARD_LOG_PREFIX        EMR log folder                                        [orchard/emr-logs]
#   ORCHARD_VERSION, ORCHARD_ARCH   which bundle            [version in the sources, x86_64]
#   ORCHARD_SHA256            the bundle's sha256           [read from dist/<tarball>.sha256 when present]
#   EC2_KEY_NAME              EC2 key pair for SSH to the primary node (required)
#   SUBNET_ID                 subnet to launch in           [the default VPC's]
#   EMR_RELEASE               release label; 7.x ships Spark 3.5.x (Scala 2.12)    [emr-7.12.0]
#   INSTANCE_PROFILE          instance profile (same name as its role)              [OrchardEmrNode]
#   SERVICE_ROLE              EMR service role                                      [EMR_DefaultRole]
#   PRIMARY_TYPE, CORE_TYPE, CORE_COUNT   instances    [m6i.xlarge, c6i.2xlarge, 2]
#   IDLE_TIMEOUT_SECONDS      terminate after this long with nothing running        [3600]
#   CLUSTER_NAME                                                                    [orchard]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "create-cluster: $*" >&2; exit 1; }

bucket=${ORCHARD_BUCKET:?set ORCHARD_BUCKET to the bucket holding the artifacts (YOUR-BUCKET)}
key_name=${EC2_KEY_NAME:?set EC2_KEY_NAME to an EC2 key pair name, for SSH to the primary node}
artifacts=${ORCHARD_ARTIFACTS_PREFIX:-orchard/artifacts}
logs=${ORCHARD_LOG_PREFIX:-orchard/emr-logs}
version=${ORCHARD_VERSION:-$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' "$root/Sources/Pipeline/OrchardVersion.swift" 2>/dev/null | head -n 1)}
arch=${ORCHARD_ARCH:-x86_64}
release=${EMR_RELEASE:-emr-7.12.0}
profile=${INSTANCE_PROFILE:-OrchardEmrNode}
service_role=${SERVICE_ROLE:-EMR_DefaultRole}
primary_type=${PRIMARY_TYPE:-m6i.xlarge}
core_type=${CORE_TYPE:-c6i.2xlarge}
core_count=${CORE_COUNT:-2}
idle=${IDLE_TIMEOUT_SECONDS:-3600}
name=${CLUSTER_NAME:-orchard}
[ -n "$version" ] || die "set ORCHARD_VERSION (cannot read it from the sources)"

# Everything below lands inside JSON strings: allow only characters that need no escaping.
for value in "$bucket" "$artifacts" "$logs" "$version" "$arch" "$release" "$profile" "$service_role" \
  "$primary_type" "$core_type" "$key_name" "$name" "${SUBNET_ID:-}"; do
  [[ "$value" =~ ^[A-Za-z0-9._/+=@-]*$ ]] || die "unexpected characters in '$value'"
done
if ! [[ "$core_count" =~ ^[0-9]+$ ]] || ! [[ "$idle" =~ ^[0-9]+$ ]]; then
  die "CORE_COUNT and IDLE_TIMEOUT_SECONDS must be numbers"
fi

tarball="orchard-${version}-linux-${arch}.tar.gz"
sha=${ORCHARD_SHA256:-}
if [ -z "$sha" ] && [ -f "$root/dist/$tarball.sha256" ]; then sha=$(cut -d' ' -f1 "$root/dist/$tarball.sha256"); fi
[ -z "$sha" ] || [[ "$sha" =~ ^[0-9a-f]{64}$ ]] || die "ORCHARD_SHA256 must be 64 hex digits"
[ -n "$sha" ] || echo "create-cluster: warning: no sha256 for $tarball; nodes will install it unchecked" >&2

base="s3://$bucket/$artifacts"
bootstrap_args="\"$base/$tarball\"${sha:+, \"$sha\"}"
bootstrap_actions="[{\"Name\": \"Install Orchard\", \"Path\": \"$base/bootstrap-orchard.sh\", \"Args\": [$bootstrap_args]}]"
# Steps run on the primary node after Spark is installed; the server outlives the step (its
# start script daemonises it), and the step fails if the port does not open.
steps="[{\"Type\": \"CUSTOM_JAR\", \"Name\": \"Start Spark Connect\", \"ActionOnFailure\": \"CONTINUE\", \"Jar\": \"command-runner.jar\", \"Args\": [\"bash\", \"-c\", \"aws s3 cp $base/start-spark-connect.sh /tmp/start-spark-connect.sh && bash /tmp/start-spark-connect.sh\"]}]"
groups="[{\"Name\": \"Primary\", \"InstanceGroupType\": \"MASTER\", \"InstanceType\": \"$primary_type\", \"InstanceCount\": 1}, {\"Name\": \"Core\", \"InstanceGroupType\": \"CORE\", \"InstanceType\": \"$core_type\", \"InstanceCount\": $core_count}]"
ec2_attributes="KeyName=$key_name,InstanceProfile=$profile${SUBNET_ID:+,SubnetId=$SUBNET_ID}"

cmd=(aws emr create-cluster
  --name "$name"
  --release-label "$release"
  --applications Name=Hadoop Name=Spark
  --service-role "$service_role"
  --ec2-attributes "$ec2_attributes"
  --instance-groups "$groups"
  --bootstrap-actions "$bootstrap_actions"
  --steps "$steps"
  --log-uri "s3://$bucket/$logs/"
  --auto-termination-policy "IdleTimeout=$idle"
  --tags "project=orchard"
  --query ClusterId --output text)

if [ -n "${DRY_RUN:-}" ]; then
  # One option per line, quoted for pasting into a shell (values hold no single quotes, see above).
  printf '%s %s %s' "${cmd[@]:0:3}"
  for arg in "${cmd[@]:3}"; do
    if [[ "$arg" == --* ]]; then printf ' \\\n  %s' "$arg"
    elif [[ "$arg" =~ ^[A-Za-z0-9._/:=,@+-]+$ ]]; then printf ' %s' "$arg"
    else printf " '%s'" "$arg"
    fi
  done
  echo
  exit 0
fi
cluster_id=$("${cmd[@]}")
echo "create-cluster: $cluster_id is starting (about 10 minutes). Next:"
echo "  aws emr wait cluster-running --cluster-id $cluster_id"
echo "  CLUSTER_ID=$cluster_id deploy/emr/run-featurize.sh   # see docs/emr.md"
echo "  aws emr terminate-clusters --cluster-ids $cluster_id  # when done"
