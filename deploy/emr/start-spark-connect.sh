#!/usr/bin/env bash
# Starts (or stops) a Spark Connect server on an EMR cluster's primary node, on YARN, for
# `orchard featurize --engine spark --master sc://…`. Run it as an EMR step (recommended: steps run
# on the primary node after Spark is installed) or as a bootstrap action with --background.
#
#   start-spark-connect.sh [--port 15002] [--jars s3://…/spark-connect_2.12-3.5.x.jar,…] [--conf k=v]…
#   start-spark-connect.sh --background …   # bootstrap action: on the primary node only, waits for Spark
#   start-spark-connect.sh --stop | --status [--port 15002]
#   start-spark-connect.sh --dry-run …      # print the start command instead of running it
#
# The server jar must match the cluster's Spark: EMR 7.x ships Spark 3.5.x built for Scala 2.12
# (e.g. emr-7.10.0: 3.5.5-amzn-1) without the Connect server, so this script reads the version from
# $SPARK_HOME/jars/spark-core_<scala>-<version>.jar and adds
# --packages org.apache.spark:spark-connect_<scala>:<version without -amzn-N> (the primary node then
# needs a route to Maven Central), or --jars when you stage the jar in S3 yourself. A Spark that
# already has a spark-connect jar in $SPARK_HOME/jars (Spark 4.x) needs neither.
#
# Address: Spark 4.x binds to spark.connect.grpc.binding.address, which this script sets to the
# node's private IPv4 address. Spark 3.5 has no such setting and listens on every interface; the
# script says so after start. Keep TCP 15002 closed in the security groups to everything but the
# cluster and reach it through an SSH tunnel (docs/emr.md): Spark Connect has no authentication.
set -euo pipefail

port=15002
jars=""
background=false
wait_for_spark=false
dry_run=false
action=start
extra_conf=()
while [ $# -gt 0 ]; do
  case "$1" in
  --port) port=${2:?--port needs a number}; shift 2 ;;
  --jars) jars=${2:?--jars needs a comma-separated list}; shift 2 ;;
  --conf) extra_conf+=(--conf "${2:?--conf needs key=value}"); shift 2 ;;
  --background) background=true; shift ;;
  --wait-for-spark) wait_for_spark=true; shift ;;
  --dry-run) dry_run=true; shift ;;
  --stop) action=stop; shift ;;
  --status) action=status; shift ;;
  -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "start-spark-connect: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "start-spark-connect: bad port $port" >&2
  exit 2
fi

log() { echo "start-spark-connect: $*"; }
die() { echo "start-spark-connect: error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

spark_home=${SPARK_HOME:-/usr/lib/spark}
state_dir=${ORCHARD_CONNECT_STATE:-/mnt/var/log/orchard-spark-connect}
instance_info=${EMR_INSTANCE_INFO:-/mnt/var/lib/info/instance.json}
export SPARK_LOG_DIR="$state_dir/logs" SPARK_PID_DIR="$state_dir/pids"
export SPARK_IDENT_STRING="orchard-$port"
pid_file="$SPARK_PID_DIR/spark-$SPARK_IDENT_STRING-org.apache.spark.sql.connect.service.SparkConnectServer-1.pid"

# EMR writes "isMaster": true into instance.json on the primary node only.
is_primary() { [ -f "$instance_info" ] && grep -qE '"isMaster"[[:space:]]*:[[:space:]]*true' "$instance_info"; }

# One instance-metadata value through IMDSv2 (EMR 7 nodes require session tokens), or nothing.
imds() {
  local token
  token=$(curl -sf -m 2 -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 60" 2>/dev/null) || return 0
  curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1" 2>/dev/null || true
}

# The node's private IPv4 address: instance metadata first, the kernel's view next.
private_ip() {
  local ip
  ip=$(imds local-ipv4)
  [ -n "$ip" ] || ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  echo "${ip:-127.0.0.1}"
}

port_answers() { (exec 3<>"/dev/tcp/$1/$port") 2>/dev/null; }

# "3.5.5-amzn-1 2.12" from $SPARK_HOME/jars/spark-core_2.12-3.5.5-amzn-1.jar.
spark_version() {
  local jar
  jar=$(find "$spark_home/jars" -maxdepth 1 -name 'spark-core_*.jar' -printf '%f\n' 2>/dev/null | head -n 1)
  [ -n "$jar" ] || return 1
  jar=${jar#spark-core_}
  jar=${jar%.jar}
  echo "${jar#*-} ${jar%%-*}"
}

if $background; then
  if ! is_primary; then log "not the primary node ($instance_info): nothing to do"; exit 0; fi
  mkdir -p "$state_dir" 2>/dev/null || { as_root mkdir -p "$state_dir"; as_root chown "$(id -u):$(id -g)" "$state_dir"; }
  args=(--port "$port" --wait-for-spark)
  [ -z "$jars" ] || args+=(--jars "$jars")
  args+=("${extra_conf[@]}")
  # Bootstrap actions run before EMR installs Spark, and provisioning waits for them to finish:
  # detach, and let the child wait for Spark to appear.
  nohup setsid bash "$0" "${args[@]}" >"$state_dir/background.log" 2>&1 </dev/null &
  log "will start once Spark is installed (log: $state_dir/background.log)"
  exit 0
fi

case "$action" in
status)
  ip=$(private_ip)
  if port_answers "$ip" || port_answers 127.0.0.1; then log "port $port answers"; exit 0; fi
  log "port $port closed"; exit 1
  ;;
stop)
  [ -f "$pid_file" ] || { log "no server started by this script on port $port"; exit 0; }
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; log "stopped"; exit 0; }
    sleep 0.25
  done
  log "pid $pid still running after 30 s; sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  exit 0
  ;;
esac

if $wait_for_spark; then
  # Up to 30 minutes for EMR to install Spark and bring YARN up after the bootstrap actions.
  for _ in $(seq 1 360); do
    [ -x "$spark_home/sbin/start-connect-server.sh" ] && [ -f /etc/spark/conf/spark-defaults.conf ] && break
    sleep 5
  done
  sleep 30
fi

[ -x "$spark_home/sbin/start-connect-server.sh" ] || die "no $spark_home/sbin/start-connect-server.sh (is Spark installed? set SPARK_HOME)"
read -r version scala < <(spark_version) || die "cannot find $spark_home/jars/spark-core_*.jar to read the Spark version"
upstream=${version%%-amzn-*}
ip=$(private_ip)

cmd=("$spark_home/sbin/start-connect-server.sh")
if compgen -G "$spark_home/jars/spark-connect_*.jar" >/dev/null; then
  log "Spark $version already ships the Connect server"
elif [ -n "$jars" ]; then
  local_jars=()
  $dry_run || mkdir -p "$state_dir/jars"
  IFS=, read -r -a jar_list <<<"$jars"
  for jar in "${jar_list[@]}"; do
    case "$jar" in
    s3://*) $dry_run || aws s3 cp --only-show-errors "$jar" "$state_dir/jars/"; local_jars+=("$state_dir/jars/$(basename "$jar")") ;;
    *) local_jars+=("$jar") ;;
    esac
  done
  cmd+=(--jars "$(IFS=,; echo "${local_jars[*]}")")
else
  cmd+=(--packages "org.apache.spark:spark-connect_${scala}:${upstream}")
fi
cmd+=(--conf "spark.connect.grpc.binding.address=$ip" --conf "spark.connect.grpc.binding.port=$port")
# orchard workers on the executors open their own S3 client: tell them the region they run in.
region=${AWS_REGION:-$(imds placement/region)}
[ -z "$region" ] || cmd+=(--conf "spark.executorEnv.AWS_REGION=$region")
cmd+=("${extra_conf[@]}")

if $dry_run; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi

if port_answers "$ip"; then log "port $port on $ip already answers"; exit 0; fi
mkdir -p "$SPARK_LOG_DIR" "$SPARK_PID_DIR" 2>/dev/null || {
  as_root mkdir -p "$SPARK_LOG_DIR" "$SPARK_PID_DIR"
  as_root chown -R "$(id -u):$(id -g)" "$state_dir"
}
log "Spark $version (Scala $scala): ${cmd[*]}"
"${cmd[@]}"

# --packages resolves from Maven Central on first start, and YARN has to grant the driver its
# resources: allow five minutes.
for _ in $(seq 1 300); do
  if port_answers "$ip"; then
    listen=$(ss -ltnH "sport = :$port" 2>/dev/null | awk '{print $4}' | head -n 1)
    log "listening on ${listen:-$ip:$port} (logs in $SPARK_LOG_DIR)"
    case "$listen" in
    "*:$port" | "0.0.0.0:$port" | "[::]:$port")
      log "note: Spark $upstream ignores spark.connect.grpc.binding.address and listens on every interface;"
      log "      keep port $port closed in the security groups and use an SSH tunnel (docs/emr.md)" ;;
    esac
    exit 0
  fi
  if [ -f "$pid_file" ] && ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then break; fi
  sleep 1
done
echo "start-spark-connect: the server did not open port $port; log tail:" >&2
tail -n 60 "$SPARK_LOG_DIR"/*.out >&2 2>/dev/null || true
exit 1
