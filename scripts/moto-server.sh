#!/usr/bin/env bash
# Starts or stops a local moto S3 server bound to 127.0.0.1, for S3 tests and benchmarks.
#   moto-server.sh start PORT PIDFILE [WATCH_PID]  — PORT 0 picks a free port; prints the port once it listens.
#                                                    With WATCH_PID, moto is stopped when that process exits.
#   moto-server.sh stop PIDFILE
set -euo pipefail

wait_for_port() {
    local port=$1 pid=$2
    for _ in $(seq 1 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

stop_pid() {
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
start)
    port=${2:?port (0 for any free one)}
    pidfile=${3:?pid file}
    watch=${4:-}
    if [ "$port" = 0 ]; then
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    # Loopback only; moto keeps everything in memory and dies with its process.
    moto_server -H 127.0.0.1 -p "$port" >"$pidfile.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile"
    if [ -n "$watch" ]; then
        # A watchdog detached from our stdout, so callers reading it are not held open.
        (
            while kill -0 "$watch" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
            stop_pid "$pid"
        ) >/dev/null 2>&1 </dev/null &
    fi
    if ! wait_for_port "$port" "$pid"; then
        echo "moto_server did not start; log:" >&2
        cat "$pidfile.log" >&2
        stop_pid "$pid"
        exit 1
    fi
    echo "$port"
    ;;
stop)
    pidfile=${2:?pid file}
    [ -f "$pidfile" ] || exit 0
    stop_pid "$(cat "$pidfile")"
    rm -f "$pidfile"
    ;;
*)
    echo "usage: $0 start PORT PIDFILE [WATCH_PID] | stop PIDFILE" >&2
    exit 2
    ;;
esac
