#!/usr/bin/env bash
# Starts or stops a standalone Spark cluster on this machine, shaped like a real one (EMR's defaults):
# a master, two worker JVMs with one core each and their own work folders (executors are separate
# processes, not threads of the driver), and a Spark Connect server on that cluster with the Hive
# catalog enabled (a Derby metastore in the state folder). All from the pip-installed pyspark, all bound
# to 127.0.0.1. State, logs and pid files live in ${TMPDIR:-/tmp}/orchard-spark-cluster-<port>/.
#
#   scripts/spark-cluster.sh start [port]   # Spark Connect on <port> (default 15002); waits until it answers
#   scripts/spark-cluster.sh stop [port]    # stops the Connect server, the workers and the master
#   scripts/spark-cluster.sh status [port]
#
# Then: orchard featurize photos/ --out features/ --engine spark --master sc://127.0.0.1:<port>
# Executors inherit this script's environment (e.g. AWS_ACCESS_KEY_ID for S3 inputs).
set -euo pipefail

command=${1:-}
port=${2:-15002}
workers=2
state_dir="${TMPDIR:-/tmp}/orchard-spark-cluster-${port}"
export SPARK_LOG_DIR="${state_dir}/logs" SPARK_PID_DIR="${state_dir}/pids"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_IDENT_STRING="orchard-cluster-${port}"
# The daemons (master, workers) need little heap; executors get their own below.
export SPARK_DAEMON_MEMORY=512m

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

spark_home() {
  if [ -n "${SPARK_HOME:-}" ]; then echo "${SPARK_HOME}"; return; fi
  python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pid_file() { echo "${SPARK_PID_DIR}/spark-${SPARK_IDENT_STRING}-$1-$2.pid"; }

# Waits up to $2 quarter-seconds for the command in $1 to succeed.
wait_for() {
  for _ in $(seq 1 "$2"); do
    if eval "$1"; then return 0; fi
    sleep 0.25
  done
  return 1
}

fail() {
  echo "spark-cluster: $1; log tails:" >&2
  for log in "${SPARK_LOG_DIR}"/*.out; do echo "== ${log}" >&2; tail -n 30 "${log}" >&2; done 2>/dev/null || true
  "$0" stop "${port}" >/dev/null 2>&1 || true
  exit 1
}

stop_daemon() {  # class, instance
  local file pid
  file=$(pid_file "$1" "$2")
  [ -f "${file}" ] || return 0
  pid=$(cat "${file}")
  kill "${pid}" 2>/dev/null || true
  # A JVM needs a few seconds to shut down; SIGKILL after 30 s.
  if ! wait_for "! kill -0 ${pid} 2>/dev/null" 120; then kill -9 "${pid}" 2>/dev/null || true; fi
  rm -f "${file}"
}

master_class=org.apache.spark.deploy.master.Master
worker_class=org.apache.spark.deploy.worker.Worker
connect_class=org.apache.spark.sql.connect.service.SparkConnectServer

case "${command}" in
start)
  if port_answers "${port}"; then echo "spark-cluster: port ${port} already answers"; exit 0; fi
  home=$(spark_home)
  export SPARK_HOME="${home}"
  rm -rf "${state_dir}"
  mkdir -p "${SPARK_LOG_DIR}" "${SPARK_PID_DIR}" "${state_dir}/warehouse"
  master_port=$(free_port)
  echo "${master_port}" >"${state_dir}/master-port"
  master="spark://127.0.0.1:${master_port}"
  # (Every daemon's streams go to files: a daemonised JVM would otherwise hold the caller's pipes open.)
  "${home}/sbin/spark-daemon.sh" start "${master_class}" 1 \
    --host 127.0.0.1 --port "${master_port}" --webui-port "$(free_port)" >>"${state_dir}/start.log" 2>&1
  wait_for "port_answers ${master_port}" 240 || fail "the master did not open port ${master_port}"
  for i in $(seq 1 "${workers}"); do
    mkdir -p "${state_dir}/worker-${i}"
    "${home}/sbin/spark-daemon.sh" start "${worker_class}" "${i}" \
      --host 127.0.0.1 --cores 1 --memory 2g --webui-port "$(free_port)" \
      --work-dir "${state_dir}/worker-${i}" "${master}" >>"${state_dir}/start.log" 2>&1
  done
  registered() { [ "$(cat "${SPARK_LOG_DIR}"/*Master*.out 2>/dev/null | grep -c 'Registering worker')" -ge "${workers}" ]; }
  wait_for registered 480 || fail "${workers} workers did not register with the master"
  # The Connect server is the driver; the Hive catalog is EMR's default (script transformations
  # then default to Hive's serde, which Orchard must not depend on).
  "${home}/sbin/start-connect-server.sh" --master "${master}" \
    --conf spark.connect.grpc.binding.address=127.0.0.1 \
    --conf "spark.connect.grpc.binding.port=${port}" \
    --conf spark.ui.enabled=false \
    --conf spark.sql.catalogImplementation=hive \
    --conf "spark.sql.warehouse.dir=${state_dir}/warehouse" \
    --conf "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=${state_dir}/metastore_db;create=true" \
    --conf "spark.driver.extraJavaOptions=-Dderby.system.home=${state_dir}" \
    --conf spark.executor.cores=1 --conf spark.executor.memory=1g \
    --conf spark.task.maxFailures=4 >>"${state_dir}/start.log" 2>&1
  connect_pid=$(pid_file "${connect_class}" 1)
  wait_for "port_answers ${port} || { [ -f ${connect_pid} ] && ! kill -0 \$(cat ${connect_pid}) 2>/dev/null; }" 480 || true
  port_answers "${port}" || fail "the Connect server did not open port ${port}"
  echo "spark-cluster: Spark Connect on 127.0.0.1:${port}, master ${master}, ${workers} workers x 1 core, Hive catalog (logs in ${SPARK_LOG_DIR})"
  ;;
stop)
  if [ ! -d "${SPARK_PID_DIR}" ]; then echo "spark-cluster: no cluster started by this script for port ${port}"; exit 0; fi
  stop_daemon "${connect_class}" 1
  for i in $(seq 1 "${workers}"); do stop_daemon "${worker_class}" "${i}"; done
  stop_daemon "${master_class}" 1
  # The executors' work folders hold every application's shipped files (~700 MB a run); the logs stay.
  rm -rf "${state_dir}"/worker-*
  echo "spark-cluster: stopped"
  ;;
status)
  if port_answers "${port}"; then echo "spark-cluster: port ${port} answers"; else echo "spark-cluster: port ${port} closed"; exit 1; fi
  ;;
*)
  echo "usage: $0 start|stop|status [port]" >&2
  exit 2
  ;;
esac
