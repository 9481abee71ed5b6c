#!/usr/bin/env python3
"""`orchard serve` against a Python peer doing the same job, side by side in one run (issue 11).

    python3 bench/serve/run.py [--seconds 20] [--repeats 2] [--connections 1 8 64] [--soak 120]

Both servers run at once on this machine, each with one network per core (Orchard `--workers N`; the
peer: uvicorn `--workers N`, one 1-thread ONNX Runtime session per process, bench/serve/peer_server.py),
and serve the same model: a classifier trained by `orchard train` on the sample's Training split
(features from ../shared's real ImageNet MobileNetV2), which the peer gets as `orchard export`'s TFLite
file converted to ONNX by tf2onnx. wrk (Debian) POSTs the sample's Test photos (bench/serve/post_photos.lua)
at each connection count to one server then the other, the order alternating between repeats, after a
warm-up of each. Reported: requests/s answered 200, p50/p99 latency (median over repeats), the ratios,
each server's peak RSS, and `orchard classify`'s batch rate over the same photos on the same cores, once in
each repeat (the ceiling a server can approach). Then a soak of Orchard at the highest connection count, sampling its RSS.

Environment: ORCHARD_BIN (an orchard release binary; default: built into .build-bench),
ORCHARD_BENCH_DIR (scratch, default /tmp/orchard-serve-bench: venv, bundle, ONNX file, logs),
BENCH_DATA (a folder laid out like ../shared/data/fruits-360-sample). The peer's packages go into a venv
in the scratch folder (bench/serve/requirements.txt), so the system's Python stays as the tests need it.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "serve"
WORK = pathlib.Path(os.environ.get("ORCHARD_BENCH_DIR", "/tmp/orchard-serve-bench"))
DATA = pathlib.Path(os.environ.get("BENCH_DATA", ROOT.parent / "shared" / "data" / "fruits-360-sample"))
MODEL = ROOT.parent / "shared" / "models" / "mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite"
CORES = os.cpu_count() or 1


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    log("$ " + " ".join(str(part) for part in command))
    kwargs.setdefault("stdout", sys.stderr)  # stdout is the report
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def orchard_binary():
    if os.environ.get("ORCHARD_BIN"):
        return pathlib.Path(os.environ["ORCHARD_BIN"]).resolve()
    run(["swift", "build", "-c", "release", "--product", "orchard", "--scratch-path", ROOT / ".build-bench"], cwd=ROOT)
    return ROOT / ".build-bench" / "release" / "orchard"


def peer_python():
    """The venv's python with the peer's packages (made once)."""
    venv = WORK / "venv"
    python = venv / "bin" / "python"
    marker = venv / "installed.txt"
    wanted = (HERE / "requirements.txt").read_text()
    if not (marker.exists() and marker.read_text() == wanted):
        run([sys.executable, "-m", "venv", venv])
        run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", HERE / "requirements.txt"])
        marker.write_text(wanted)
    return python


def models(orchard, python):
    """fruit.orchard (Orchard's bundle), and the same classifier as ONNX for the peer, made once."""
    bundle, onnx, labels = WORK / "fruit.orchard", WORK / "peer" / "fruit.onnx", WORK / "peer" / "labels.txt"
    if not bundle.exists():
        features = WORK / "features-training"
        run([orchard, "featurize", DATA / "Training", "--out", features, "--model", MODEL, "--overwrite"])
        run([orchard, "train", features, "--out", WORK / "fruit.orchard.tmp", "--embed-backbone", "--model", MODEL])
        os.replace(WORK / "fruit.orchard.tmp", bundle)
    if not onnx.exists():
        (WORK / "peer").mkdir(parents=True, exist_ok=True)
        tflite = WORK / "peer" / "fruit.tflite"
        run([orchard, "export", bundle, "--out", tflite])
        run([python, "-m", "tf2onnx.convert", "--tflite", tflite, "--output", str(onnx) + ".tmp", "--opset", "17"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.replace(str(onnx) + ".tmp", onnx)
    return bundle, onnx, labels


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process (and its children), started and waited for until it answers `ready_path`."""

    def __init__(self, name, command, port, ready_path, env=None):
        self.name, self.port = name, port
        self.log = open(WORK / f"{name}.log", "w")
        self.process = subprocess.Popen([str(part) for part in command], stdout=self.log, stderr=subprocess.STDOUT,
                                        env=env, start_new_session=True)
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise SystemExit(f"{name} did not start; see {self.log.name}")
            time.sleep(0.5)
        log(f"{name} ready on port {port}")

    def pids(self):
        """The server's process and its descendants (uvicorn's workers)."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            try:
                for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
                    queue += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
        return found

    def memory_mib(self, field):
        """The sum of one /proc status field (VmRSS now, VmHWM peak) over the server's processes, in MiB."""
        total = 0
        for pid in self.pids():
            try:
                match = re.search(rf"^{field}:\s+(\d+) kB", pathlib.Path(f"/proc/{pid}/status").read_text(), re.M)
                total += int(match.group(1)) if match else 0
            except OSError:
                pass
        return total / 1024

    def stop(self):
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=60)
        self.log.close()


DRAIN_SECONDS = 2  # wrk stops mid-request: a server still answers the cut-off requests for a moment


def wrk(server, connections, seconds, photo_list):
    """One wrk run; its JSON summary (post_photos.lua's done()). It starts after a pause, so the requests the
    last run left in flight (up to one per connection) are answered first: back to back, the same server
    would meet the next run with its queue still full of them, and answer the new requests 503."""
    time.sleep(DRAIN_SECONDS)
    command = ["wrk", "-t", str(min(connections, CORES)), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "30s", "-s", str(HERE / "post_photos.lua"), f"http://127.0.0.1:{server.port}"]
    load = os.getloadavg()[0]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env=dict(os.environ, PHOTO_LIST=str(photo_list))).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["ok"] / (result["duration_us"] / 1e6)
    result["load"] = load
    log(f"{server.name} c={connections}: {result['rps']:.1f} req/s ok, p50 {result['p50_us'] / 1e3:.1f} ms, "
        f"p99 {result['p99_us'] / 1e3:.1f} ms, 503 {result['unavailable']}, other {result['other_status']}, "
        f"socket errors {result['socket_errors']}, load {load:.2f}")
    return result


def classify_rate(orchard, bundle, photos_dir, count):
    """`orchard classify`'s images/s over the `count` photos (one whole command, model load included)."""
    start = time.perf_counter()
    run([orchard, "classify", "--model", bundle, "--workers", CORES, "--json", photos_dir], stdout=subprocess.DEVNULL)
    rate = count / (time.perf_counter() - start)
    log(f"orchard classify: {rate:.1f} images/s")
    return rate


def soak(server, connections, seconds, photo_list):
    """wrk for `seconds` while sampling the server's RSS every 5 s."""
    samples, stop = [], threading.Event()

    def sample():
        while not stop.wait(5):
            samples.append(round(server.memory_mib("VmRSS")))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = wrk(server, connections, seconds, photo_list)
    finally:
        stop.set()
        sampler.join()
    result["rss_samples"] = samples
    return result


def cpu_flags():
    text = pathlib.Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", text, re.M).group(1)
    flags = set(re.search(r"^flags\s*:\s*(.*)$", text, re.M).group(1).split())
    return model, " ".join(sorted(flags & {"avx", "avx2", "fma", "sse4_2", "avx512f", "avx512bw", "avx512vl"}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration of each measurement")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--soak", type=int, default=120, help="seconds of the soak (0: none)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    orchard = orchard_binary()
    python = peer_python()
    bundle, onnx, labels = models(orchard, python)
    photos_dir = DATA / "Test"
    photo_list = WORK / "photos.txt"
    photos = sorted(photos_dir.rglob("*.jpg"))
    photo_list.write_text("".join(f"{path}\n" for path in photos))

    orchard_port, peer_port = free_port(), free_port()
    servers = {
        "orchard": Server("orchard", [orchard, "serve", "--model", bundle, "--port", orchard_port, "--workers", CORES],
                          orchard_port, "/readyz"),
        "peer": Server("peer", [python, "-m", "uvicorn", "--app-dir", HERE, "peer_server:app", "--port", peer_port,
                                "--workers", CORES], peer_port, "/healthz",
                       env=dict(os.environ, ORCHARD_PEER_MODEL=str(onnx), ORCHARD_PEER_LABELS=str(labels),
                                OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")),
    }
    try:
        for server in servers.values():
            wrk(server, max(args.connections), 5, photo_list)  # warm-up: JIT-free, but caches, pools, allocators
        results = {(name, c): [] for name in servers for c in args.connections}
        batch_rates = []
        for repeat in range(args.repeats):
            order = list(servers) if repeat % 2 == 0 else list(reversed(servers))
            for connections in args.connections:
                for name in order:
                    results[(name, connections)].append(wrk(servers[name], connections, args.seconds, photo_list))
            # The ceiling, measured in each repeat beside the runs it is compared with: this host's cores
            # change speed from one minute to the next.
            batch_rates.append(classify_rate(orchard, bundle, photos_dir, len(photos)))
        soaked = soak(servers["orchard"], max(args.connections), args.soak, photo_list) if args.soak else None
        peaks = {name: server.memory_mib("VmHWM") for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    def median(name, connections, key):
        return statistics.median(r[key] for r in results[(name, connections)])

    model, flags = cpu_flags()
    loads = [r["load"] for rs in results.values() for r in rs]
    print(f"CPU: {model}, {CORES} cores, flags: {flags}")
    print(f"load average (1 min) before each wrk run: {min(loads):.2f} to {max(loads):.2f}")
    print(f"photos: {len(photos)} (the Test split of {DATA}), wrk {args.seconds} s per run, median of {args.repeats}")
    print()
    print("| connections | orchard req/s | peer req/s | ratio | orchard p50 / p99 ms | peer p50 / p99 ms | non-200 (orchard, peer) |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for c in args.connections:
        o, p = median("orchard", c, "rps"), median("peer", c, "rps")
        bad = {name: sum(r["unavailable"] + r["other_status"] + r["socket_errors"] for r in results[(name, c)])
               for name in servers}
        print(f"| {c} | {o:.1f} | {p:.1f} | {o / p:.2f}x | {median('orchard', c, 'p50_us') / 1e3:.1f} / "
              f"{median('orchard', c, 'p99_us') / 1e3:.1f} | {median('peer', c, 'p50_us') / 1e3:.1f} / "
              f"{median('peer', c, 'p99_us') / 1e3:.1f} | {bad['orchard']}, {bad['peer']} |")
    best = max(args.connections, key=lambda c: median("orchard", c, "rps"))
    per_repeat = [r["rps"] / rate for r, rate in zip(results[("orchard", best)], batch_rates)]
    print()
    print(f"orchard classify batch rate ({CORES} workers, {len(photos)} photos, whole command, once per repeat): "
          f"median {statistics.median(batch_rates):.1f} images/s ({', '.join(f'{r:.1f}' for r in batch_rates)})")
    print(f"server rate at {best} connections / the batch rate of the same repeat: median "
          f"{statistics.median(per_repeat):.2f} ({', '.join(f'{r:.2f}' for r in per_repeat)})")
    print(f"peak RSS: orchard {peaks['orchard']:.0f} MiB, peer {peaks['peer']:.0f} MiB (all its processes)")
    if soaked:
        print(f"soak: orchard at {max(args.connections)} connections for {args.soak} s: {soaked['rps']:.1f} req/s, "
              f"{soaked['ok']} answered 200, 503 {soaked['unavailable']}, other {soaked['other_status']}, "
              f"socket errors {soaked['socket_errors']}, p99 {soaked['p99_us'] / 1e3:.1f} ms; "
              f"RSS every 5 s (MiB): {soaked['rss_samples']}")


if __name__ == "__main__":
    main()
