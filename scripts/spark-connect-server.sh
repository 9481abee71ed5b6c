#!/usr/bin/env bash
# Starts or stops a local Spark Connect server (from the pip-installed pyspark) for tests and
# development: bound to 127.0.0.1 only, master local[2], no web UI. Logs and the pid file live in
# ${TMPDIR:-/tmp}/orchard-spark-connect-<port>/, so servers on different ports do not collide.
#
#   scripts/spark-connect-server.sh start [port]   # waits until the port answers (default 15002)
#   scripts/spark-connect-server.sh stop [port]    # waits until the server process has exited
#   scripts/spark-connect-server.sh status [port]
#
# SPARK_CONNECT_MASTER overrides the master (default local[2]); local[2,4] retries failed tasks up to 4 times.
set -euo pipefail

command=${1:-}
port=${2:-15002}
state_dir="${TMPDIR:-/tmp}/orchard-spark-connect-${port}"
export SPARK_LOG_DIR="${state_dir}/logs" SPARK_PID_DIR="${state_dir}/pids"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_IDENT_STRING="orchard-${port}"
pid_file="${SPARK_PID_DIR}/spark-${SPARK_IDENT_STRING}-org.apache.spark.sql.connect.service.SparkConnectServer-1.pid"

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; }

spark_home() {
  if [ -n "${SPARK_HOME:-}" ]; then echo "${SPARK_HOME}"; return; fi
  python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
}

case "${command}" in
start)
  if port_answers; then echo "spark-connect: port ${port} already answers"; exit 0; fi
  mkdir -p "${SPARK_LOG_DIR}" "${SPARK_PID_DIR}"
  home=$(spark_home)
  SPARK_HOME="${home}" "${home}/sbin/start-connect-server.sh" \
    --master "${SPARK_CONNECT_MASTER:-local[2]}" \
    --conf spark.connect.grpc.binding.address=127.0.0.1 \
    --conf "spark.connect.grpc.binding.port=${port}" \
    --conf spark.ui.enabled=false >"${state_dir}/start.log" 2>&1
  # (Both streams go to a file: the daemonised JVM would otherwise hold the caller's pipes open.)
  # The JVM takes a few seconds to open the port; give it a generous minute on a busy machine.
  for _ in $(seq 1 240); do
    if port_answers; then echo "spark-connect: listening on 127.0.0.1:${port} (logs in ${SPARK_LOG_DIR})"; exit 0; fi
    if [ -f "${pid_file}" ] && ! kill -0 "$(cat "${pid_file}")" 2>/dev/null; then break; fi
    sleep 0.25
  done
  echo "spark-connect: server did not open port ${port}; log tail:" >&2
  tail -n 40 "${SPARK_LOG_DIR}"/*.out >&2 2>/dev/null || true
  exit 1
  ;;
stop)
  if [ ! -f "${pid_file}" ]; then echo "spark-connect: no server started by this script on port ${port}"; exit 0; fi
  pid=$(cat "${pid_file}")
  # stop-connect-server.sh only sends SIGTERM; the JVM needs a few seconds to shut down.
  kill "${pid}" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "${pid}" 2>/dev/null || { rm -f "${pid_file}"; echo "spark-connect: stopped"; exit 0; }
    sleep 0.25
  done
  echo "spark-connect: pid ${pid} still running after 30 s; sending SIGKILL" >&2
  kill -9 "${pid}" 2>/dev/null || true
  rm -f "${pid_file}"
  ;;
status)
  if port_answers; then echo "spark-connect: port ${port} answers"; else echo "spark-connect: port ${port} closed"; exit 1; fi
  ;;
*)
  echo "usage: $0 start|stop|status [port]" >&2
  exit 2
  ;;
esac
