#!/usr/bin/env python3
"""Bookkeeping for bench/featurize/run.sh: records one measurement, or renders all of them as Markdown.

    report.py record NAME IMAGES TIME_V_FILE STDOUT_FILE LOAD_BEFORE -- COMMAND...   (appends one JSON line)
    report.py profile NAME STDOUT_FILE LOAD_BEFORE -- COMMAND...                      (appends one JSON line)
    report.py render RESULTS.jsonl                                                   (Markdown on stdout)

A measurement is one process run under `/usr/bin/time -v`: wall seconds, user+system CPU seconds and
maximum resident set size come from there; a peer's own JSON line on stdout (the last line that parses)
is kept too (the ONNX peer's images/s times `session.run` alone, the seed pipeline splits its phases).
"""
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys


NOTES = [
    "Orchard: `orchard featurize` release build (`swift build -c release --scratch-path .build-bench --product "
    "orchard`), the real `mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite` (int8 weights widened to float32 at "
    "load, float32 inference on `--backend auto`: `hybrid` with AVX-512, oneDNN without; the ImageNet top is left "
    "out, features only), decode → 224 bicubic → features → PCA(50) → Parquet, output folder "
    "overwritten each run. Its images/s is images / wall seconds of the whole process.",
    "The Keras peers are `keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None, pooling=\"avg\")` "
    "with seeded random weights: the architecture and the arithmetic are those of the ImageNet network, only the "
    "weight values differ, and these do not change the speed.",
    "(a) `bench/featurize/seed_pipeline.py`: PySpark 4.3 `local[2]`, `binaryFile` with `pathGlobFilter=*.jpg` and "
    "`recursiveFileLookup`, label from the path, scalar-iterator pandas UDF building the model once per partition "
    "from weights broadcast by the driver (`sc.broadcast(model.get_weights())`), PIL open → resize((224, 224)) → "
    "`preprocess_input` → `model.predict(batch_size=32)`, `spark.sql.execution.arrow.maxRecordsPerBatch=256`, "
    "`array_to_vector` → Spark ML `PCA(k=50)` → Parquet (path, label, features, pca). The featurized DataFrame is "
    "cached so inference runs once; TensorFlow gets one intra-op thread per Python worker (two workers on two "
    "cores; more would oversubscribe them) and `OPENBLAS_NUM_THREADS=1`. Timed from process start (Spark and "
    "JVM start included) to exit.",
    "(b) `bench/featurize/onnx_peer.py`: the same Keras network exported with tf2onnx (opset 15), ONNX Runtime "
    "1.32 CPU provider, sequential execution; the images are decoded and resized by Pillow (bicubic) and scaled "
    "to float32 before timing; only the `session.run` loop, batch 1, over all images is timed: one session with 2 "
    "intra-op threads, and 2 processes with one 1-thread session each over half the images, started together.",
    "Peak RSS: GNU time's \"Maximum resident set size\" of the `orchard` process; the 4× input is the Test split "
    "copied four times under different class-folder names.",
    "The machine is 2 vCPUs that may be shared with other work: the load average column shows how busy it was "
    "(about 1 on an idle machine: the run itself). The sides were interleaved (Orchard, then a peer, three "
    "times) so that load falls on all of them, and images per CPU-second is the figure least affected by "
    "sharing.",
]


def parse_time_v(path):
    """Wall seconds, CPU seconds and max RSS (MiB) from GNU time's -v report."""
    values = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            values[key] = value
    wall = 0.0
    for part in values["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    cpu = float(values["User time (seconds)"]) + float(values["System time (seconds)"])
    return {"wall_s": wall, "cpu_s": cpu, "max_rss_mib": int(values["Maximum resident set size (kbytes)"]) / 1024,
            "exit": int(values.get("Exit status", "0"))}


def last_json(path):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def record(args):
    name, images, time_file, stdout_file, load_before = args[:5]
    command = args[args.index("--") + 1:]
    entry = {"name": name, "images": int(images), "when": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
             "load_before": float(load_before),
             "load_after": os.getloadavg()[0], "command": shlex.join(command)}
    entry.update(parse_time_v(time_file))
    peer = last_json(stdout_file)
    if peer is not None:
        entry["peer"] = peer
    print(json.dumps(entry))


def profile(args):
    """A component benchmark (ImagingBench or InferenceBench): its last output line, kept as text or JSON."""
    name, stdout_file, load_before = args[:3]
    command = args[args.index("--") + 1:]
    with open(stdout_file) as f:
        line = f.read().strip().splitlines()[-1]
    try:
        output = json.loads(line)
    except ValueError:
        output = line
    print(json.dumps({"kind": "profile", "name": name, "output": output, "load_before": float(load_before),
                      "load_after": os.getloadavg()[0], "command": shlex.join(command),
                      "when": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC"}))


def machine():
    model, flags = "unknown", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    # The flags that decide which kernels run (AVX-512 or AVX2 + FMA), printed with every figure.
    simd = " ".join(sorted(flags & {"avx2", "avx512f", "avx512bw", "avx512vl", "fma", "sse4_2"})) or "none of avx2/avx512f/fma"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{platform.node()}: nproc {nproc}, {model} (flags: {simd}), {memory:.0f} GiB RAM, {platform.platform()}"


def render(path):
    with open(path) as f:
        everything = [json.loads(line) for line in f if line.strip()]
    entries = [e for e in everything if e.get("kind") != "profile"]
    profiles = [e for e in everything if e.get("kind") == "profile"]
    by_name = {}
    for e in entries:
        by_name.setdefault(e["name"], []).append(e)

    def rate(e):
        """End-to-end images/s (wall), except the ONNX peer: its own session.run-only rate."""
        if "onnx" in e["name"] and "peer" in e:
            return e["peer"]["images_per_s"]
        return e["images"] / e["wall_s"]

    def cpu_s(e):
        """CPU seconds of the measured work: the whole process tree, except the ONNX peer's session.run loop."""
        if "onnx" in e["name"] and "peer" in e and "cpu_s" in e["peer"]:
            return e["peer"]["cpu_s"]
        return e["cpu_s"]

    def median_entry(name):
        runs = sorted(by_name.get(name, []), key=lambda e: e["wall_s"])
        return runs[len(runs) // 2] if runs else None

    out = []
    w = out.append
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    w("# `orchard featurize` end to end, against the seed's PySpark pipeline and ONNX Runtime")
    w("")
    w(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; repository at {commit}")
    w(f"- Machine: {machine()}")
    loads = [e["load_before"] for e in entries] + [e["load_after"] for e in entries]
    w(f"- 1-minute load average seen during the run: {min(loads):.1f} to {max(loads):.1f} "
      "(the machine is shared; see the note below)")
    w(f"- Command: `{os.environ.get('BENCH_INVOCATION', 'bash bench/featurize/run.sh')}` (the commands each row "
      "timed are listed under the table)")
    if os.environ.get("BENCH_AVX2_ONLY") == "1":
        w("- **AVX2 code paths:** every Orchard and ONNX Runtime process ran under `bench/avx2_cpuid.c`, which hides "
          "AVX-512, AVX-VNNI and AMX from CPUID, so each took its AVX2 + FMA kernels as on the machine kind's "
          "AVX2-only variant; the core itself is this CPU's.")
    w("")
    w("Wall time is end to end (process start to exit) except for (b), whose images/s and CPU s cover its "
      "timed `session.run` loop only. CPU s is user + system time of the process and the children it waited for.")
    w("")
    w("| measurement | images | wall s | images/s | CPU s | images per CPU-s | max RSS MiB | load before→after | at |")
    w("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, runs in by_name.items():
        for e in runs:
            cpu = cpu_s(e)
            ips_cpu = e["images"] / cpu if cpu > 0 else float("nan")
            cpu_text, ips_cpu_text = f"{cpu:.1f}", f"{ips_cpu:.1f}"
            if "seed" in name:  # GNU time sees the driver only: the JVM and its Python workers are not reaped by it
                cpu_text, ips_cpu_text = "not counted", "—"
            label = name + (f" (run {runs.index(e) + 1}/{len(runs)})" if len(runs) > 1 else "")
            if "onnx" in name and "peer" in e:
                label += f" — session.run only: {e['peer']['seconds']:.1f} s of {e['wall_s']:.1f} s wall"
            w(f"| {label} | {e['images']:,} | {e['wall_s']:.1f} | {rate(e):.1f} | {cpu_text} | {ips_cpu_text} "
              f"| {e['max_rss_mib']:.0f} | {e['load_before']:.1f}→{e['load_after']:.1f} | {e.get('when', '')[11:]} |")
    w("")

    w("Exact commands, as run:")
    w("")
    w("```")
    seen = set()
    for e in entries + profiles:
        if e["command"] not in seen:
            seen.add(e["command"])
            w(f"# {e['name']}")
            w(e["command"])
    w("```")
    w("")
    w("## Ratios against the targets of issue 4")
    w("")
    orchard = median_entry("orchard test --pca 50 --threads 2")
    seed = median_entry("(a) seed PySpark test")
    seed_all = median_entry("(a) seed PySpark all")
    orchard_all = median_entry("orchard all --pca 50 --threads 2")
    if orchard and seed:
        ratio = seed["wall_s"] / orchard["wall_s"]
        w(f"- Orchard vs (a) the seed's PySpark pipeline, Test split ({orchard['images']:,} images), wall time end to "
          f"end: **{ratio:.1f}×** faster (target ≥ 5×: {'met' if ratio >= 5 else 'missed'}).")
        if "peer" in seed:
            p = seed["peer"]
            w(f"  - (a)'s phases: Spark start {p['spark_start_s']:.1f} s, driver model + broadcast "
              f"{p['driver_model_s']:.1f} s, featurize (UDF, cached) {p['featurize_s']:.1f} s over "
              f"{p['partitions']} partitions, PCA fit {p['pca_fit_s']:.1f} s, transform + Parquet write "
              f"{p['transform_write_s']:.1f} s.")
    if orchard_all and seed_all:
        ratio = seed_all["wall_s"] / orchard_all["wall_s"]
        w(f"- Orchard vs (a), whole sample ({orchard_all['images']:,} images): **{ratio:.1f}×** "
          f"(target ≥ 5×: {'met' if ratio >= 5 else 'missed'}).")
    onnx = [median_entry(n) for n in by_name if n.startswith("(b)")]
    onnx = [e for e in onnx if e]
    if orchard and onnx:
        best = max(onnx, key=rate)
        ratio = rate(orchard) / rate(best)
        w(f"- Orchard end to end ({rate(orchard):.1f} images/s) vs (b) ONNX Runtime inference alone, best "
          f"configuration `{best['name']}` ({rate(best):.1f} images/s): **{ratio:.2f}×** "
          f"(target ≥ 1.0×: {'met' if ratio >= 1.0 else 'missed'}).")
        for e in onnx:
            w(f"  - `{e['name']}`: {rate(e):.1f} images/s → Orchard / it = {rate(orchard) / rate(e):.2f}×; "
              f"images per CPU-second: Orchard {orchard['images'] / cpu_s(orchard):.1f}, it "
              f"{e['images'] / cpu_s(e):.1f}")
    one = median_entry("orchard test --pca 50 --threads 2")
    four = median_entry("orchard 4x test --pca 50 --threads 2")
    if one and four:
        growth = four["max_rss_mib"] / one["max_rss_mib"]
        w(f"- Peak RSS: {one['max_rss_mib']:.0f} MiB at {one['images']:,} images, {four['max_rss_mib']:.0f} MiB at "
          f"{four['images']:,} images: ×{growth:.2f} for ×{four['images'] / one['images']:.1f} the images "
          f"({'flat' if growth <= 1.15 else 'NOT flat'}). Orchard on the 4× input: {rate(four):.1f} images/s.")
    t1 = median_entry("orchard test --pca 50 --threads 1")
    nopca = median_entry("orchard test no PCA --threads 2")
    if orchard and (t1 or nopca or profiles):
        w("")
        w("## Where Orchard's time goes")
        w("")
        prep_ms, infer_1t = None, None
        for p in profiles:
            output = p["output"]
            if isinstance(output, dict):
                w(f"- `{p['name']}`: {output['images_per_s']:.1f} images/s over {output['seconds']:.1f} s "
                  f"(load {p['load_before']:.1f}→{p['load_after']:.1f})")
                if output.get("threads") == 1 and output.get("instances", 1) == 1:
                    infer_1t = output["images_per_s"]
            else:
                w(f"- `{p['name']}`: {output} (load {p['load_before']:.1f}→{p['load_after']:.1f})")
                words = output.split()
                if "decode+resize+scale" in words:
                    prep_ms = float(words[words.index("decode+resize+scale") + 1])
        if prep_ms and infer_1t:
            per_core = 1000 / (prep_ms + 1000 / infer_1t)
            w(f"- So one core spends {prep_ms:.2f} ms preparing and {1000 / infer_1t:.2f} ms inferring per image: "
              f"{per_core:.0f} images/s per core, {2 * per_core:.0f} on two, if nothing else cost anything; "
              f"Orchard end to end on 2 threads: {rate(orchard):.1f}.")
        if t1:
            w(f"- 1 thread: {rate(t1):.1f} images/s; 2 threads: {rate(orchard):.1f} images/s "
              f"(×{rate(orchard) / rate(t1):.2f}); per CPU-second {t1['images'] / t1['cpu_s']:.1f} vs "
              f"{orchard['images'] / orchard['cpu_s']:.1f}.")
        if nopca:
            w(f"- Without PCA: {nopca['wall_s']:.1f} s vs {orchard['wall_s']:.1f} s with `--pca 50` "
              f"(PCA fit + the second pass cost {orchard['wall_s'] - nopca['wall_s']:.1f} s wall).")
    w("")
    w("## How each side was run")
    w("")
    for line in NOTES:
        w(f"- {line}")
    print("\n".join(out))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("record", "profile", "render"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "record":
        record(sys.argv[2:])
    elif sys.argv[1] == "profile":
        profile(sys.argv[2:])
    else:
        render(sys.argv[2])


if __name__ == "__main__":
    main()
