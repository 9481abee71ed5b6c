#!/usr/bin/env python3
"""MobileNetV2 1.0 / 224 inference, batch 1: Orchard (each backend, from Swift) side by side with its peers.

    python3 bench/inference.py [--seconds 5] [--repeats 3] [--threads 1 2] [--backends xnnpack onednn hybrid]
                               [--peers onnxruntime litert tensorflow] [--avx2-only]

One network for everyone: keras.applications.MobileNetV2(alpha=1.0, 224, include_top=False,
pooling="avg") with seeded random weights, saved as a Keras-2 .h5 for Orchard, exported to ONNX
(tf2onnx, opset 15) for ONNX Runtime and converted to float32 TFLite for LiteRT. Every measurement
runs in its own process (thread pools cannot be re-sized once created), configurations are
interleaved round-robin so background load hits all of them alike, and the median of --repeats is
reported. Peers run with OPENBLAS_NUM_THREADS=1. Orchard is also run as two independent 1-thread
runtimes driven by two threads ("2×1"), the alternative to one 2-thread runtime. The CPU's SIMD flags
and the load average before every measurement are printed with the figures.

--avx2-only runs every engine, Orchard's and the peers', as on the machine kind's AVX2-only variant, on a
CPU with AVX-512: bench/avx2_cpuid.c (an LD_PRELOAD shim; needs the CPU's cpuid_fault flag) makes the CPUID
instruction report no AVX-512, AVX-VNNI or AMX to every library of the process, so each picks its AVX2 + FMA
kernels; ORCHARD_KERNELS_ISA=avx2 and ONEDNN_MAX_CPU_ISA=AVX2 say the same to Orchard's kernels and oneDNN.
Each peer checks that numpy, in its process, sees no AVX-512. The core stays this CPU's: the figures show the
AVX2 code paths against each other, not another CPU's speed.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "InferenceBench"
WORK = pathlib.Path(os.environ.get("ORCHARD_BENCH_DIR", "/tmp/orchard-inference-bench"))
H5 = WORK / "mobilenet_v2_1.0_224_no_top.h5"
ONNX = WORK / "mobilenet_v2_1.0_224_no_top.onnx"
TFLITE = WORK / "mobilenet_v2_1.0_224_no_top.tflite"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")


def synthetic_image():
    """The image InferenceBench builds: ((i * 7919) mod 255) / 127.5 - 1 in float32, NHWC [1, 224, 224, 3]."""
    import numpy as np
    i = np.arange(224 * 224 * 3, dtype=np.int64)
    return ((i * 7919 % 255).astype(np.float32) / np.float32(127.5) - np.float32(1)).reshape(1, 224, 224, 3)


def keras_model():
    import keras
    import numpy as np
    keras.utils.set_random_seed(2018)
    model = keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None,
                                           input_shape=(224, 224, 3), pooling="avg")
    # Give BatchNorm non-trivial statistics so the exported graphs cannot fold it away as identity.
    rng = np.random.default_rng(2018)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.75, 1.25, c).astype("f4"), rng.uniform(-0.5, 0.5, c).astype("f4"),
                               rng.uniform(-0.5, 0.5, c).astype("f4"), rng.uniform(0.5, 1.5, c).astype("f4")])
    return model


def prepare():
    """Writes the .h5, .onnx and .tflite of one random-weight network, plus Keras's features for the
    synthetic image, unless they exist."""
    WORK.mkdir(parents=True, exist_ok=True)
    if H5.exists() and ONNX.exists() and TFLITE.exists() and (WORK / "keras_features.npy").exists():
        return
    import h5py
    import numpy as np
    import tensorflow as tf
    import tf2onnx
    from keras.src.legacy.saving import legacy_h5_format
    model = keras_model()
    with h5py.File(H5, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    model.save_weights(WORK / "mobilenet_v2_1.0_224_no_top.weights.h5")
    np.save(WORK / "keras_features.npy", np.asarray(model(synthetic_image(), training=False)))
    spec = (tf.TensorSpec((1, 224, 224, 3), tf.float32, name="input"),)
    function = tf.function(lambda x: model(x, training=False))
    tf2onnx.convert.from_function(function, input_signature=spec, opset=15, output_path=str(ONNX))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([function.get_concrete_function(*spec)], function)
    TFLITE.write_bytes(converter.convert())


def peer(name, threads, seconds, warmup):
    """Runs in a child process: one peer at `threads` threads, batch 1, on the synthetic image."""
    import numpy as np
    if os.environ.get("ORCHARD_BENCH_AVX2_ONLY"):
        check_avx2_only()
    x = synthetic_image()
    if name == "tensorflow":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        import keras
        model = keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None,
                                               input_shape=(224, 224, 3), pooling="avg")
        model.load_weights(WORK / "mobilenet_v2_1.0_224_no_top.weights.h5")
        function = tf.function(lambda v: model(v, training=False))
        tensor = tf.constant(x)
        run = lambda: function(tensor).numpy()  # noqa: E731
    elif name == "onnxruntime":
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session = ort.InferenceSession(str(ONNX), options, providers=["CPUExecutionProvider"])
        input_name = session.get_inputs()[0].name
        run = lambda: session.run(None, {input_name: x})[0]  # noqa: E731
    elif name == "litert":
        from ai_edge_litert.interpreter import Interpreter
        interpreter = Interpreter(model_path=str(TFLITE), num_threads=threads)
        interpreter.allocate_tensors()
        input_index = interpreter.get_input_details()[0]["index"]
        output_index = interpreter.get_output_details()[0]["index"]

        def run():
            interpreter.set_tensor(input_index, x)
            interpreter.invoke()
            return interpreter.get_tensor(output_index)
    else:
        raise SystemExit(f"unknown peer {name}")
    features = np.asarray(run()).reshape(-1)
    reference = np.load(WORK / "keras_features.npy").reshape(-1)
    deadline = time.perf_counter() + warmup
    while time.perf_counter() < deadline:
        run()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run()
        count += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"backend": name, "threads": threads, "instances": 1, "images": count, "seconds": elapsed,
                      "images_per_s": count / elapsed, "max_abs_vs_keras": float(np.abs(features - reference).max())}))


def build_orchard():
    # The bench package's own .build: the same one `swift build -c release` in bench/InferenceBench makes.
    subprocess.run(["swift", "build", "-c", "release", "--package-path", str(BENCH)], check=True, stdout=subprocess.DEVNULL)
    return BENCH / ".build" / "release" / "InferenceBench"


def cpu_flags():
    """The SIMD extensions the kernels can use (AVX2, FMA, AVX-512 …), from /proc/cpuinfo."""
    try:
        flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split(":")[1].split()
    except (OSError, StopIteration):
        return "unknown"
    return " ".join(sorted(f for f in flags if f in ("avx2", "fma", "f16c") or f.startswith("avx512")))


def avx2_only_environment():
    """ENV plus the shim that shows every library of a process an AVX2 + FMA CPU (see the module's doc)."""
    shim = WORK / "avx2_cpuid.so"
    source = ROOT / "bench" / "avx2_cpuid.c"
    if "cpuid_fault" not in open("/proc/cpuinfo").read().split():
        sys.exit("--avx2-only needs CPUID faulting, which this CPU or kernel lacks (no cpuid_fault in /proc/cpuinfo)")
    if not shim.exists() or shim.stat().st_mtime < source.stat().st_mtime:
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["clang", "-O2", "-shared", "-fPIC", "-o", str(shim), str(source)], check=True)
    return dict(ENV, LD_PRELOAD=str(shim), ORCHARD_KERNELS_ISA="avx2", ONEDNN_MAX_CPU_ISA="AVX2",
                ORCHARD_BENCH_AVX2_ONLY="1")


def check_avx2_only():
    """In a peer under --avx2-only: stops unless this process's CPUID really hides AVX-512."""
    from numpy._core._multiarray_umath import __cpu_features__ as features
    if not features.get("AVX2") or features.get("AVX512F"):
        sys.exit("--avx2-only: the CPUID shim is not in effect in this process (numpy sees "
                 f"AVX2={features.get('AVX2')}, AVX512F={features.get('AVX512F')})")


def run_json(command, env=ENV):
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="untimed seconds before each measurement")
    parser.add_argument("--repeats", type=int, default=3, help="processes per configuration (median reported)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts to compare")
    parser.add_argument("--backends", nargs="+", default=["xnnpack", "onednn", "hybrid"], help="Orchard backends to compare")
    parser.add_argument("--peers", nargs="*", default=["onnxruntime", "litert", "tensorflow"],
                        help="peers to compare (none: Orchard's backends only)")
    parser.add_argument("--avx2-only", action="store_true",
                        help="every engine on its AVX2 + FMA code paths, as on an AVX2-only CPU (needs cpuid_fault)")
    parser.add_argument("--peer", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(args.peer, args.threads[0], args.seconds, args.warmup)
        return

    orchard_env = peer_env = ENV
    if args.avx2_only:
        orchard_env = peer_env = avx2_only_environment()
    prepare()
    binary = build_orchard()
    import numpy as np
    reference = np.load(WORK / "keras_features.npy").reshape(-1)
    deltas = {}
    for backend in args.backends:
        dump = WORK / f"orchard_{backend}_features.f32"
        run_json([str(binary), "--weights", str(H5), "--backend", backend, "--seconds", "0.1", "--warmup", "0",
                  "--dump-features", str(dump)], orchard_env)
        deltas[f"orchard-{backend}"] = float(np.abs(np.fromfile(dump, "<f4") - reference).max())

    timing = ["--seconds", str(args.seconds), "--warmup", str(args.warmup)]
    configs = []
    for backend in args.backends:
        orchard = [str(binary), "--weights", str(H5), "--backend", backend]
        for t in args.threads:
            configs.append(((f"orchard-{backend}", t, 1), orchard + ["--threads", str(t)] + timing, orchard_env))
        if 2 in args.threads:
            configs.append(((f"orchard-{backend}", 1, 2), orchard + ["--threads", "1", "--instances", "2"] + timing,
                            orchard_env))
    for name in args.peers:
        for t in args.threads:
            configs.append(((name, t, 1), [sys.executable, __file__, "--peer", name, "--threads", str(t)] + timing,
                            peer_env))

    results = {key: [] for key, _, _ in configs}
    loads = {key: [] for key, _, _ in configs}
    for _ in range(args.repeats):
        for key, command, env in configs:
            loads[key].append(os.getloadavg()[0])
            result = run_json(command, env)
            results[key].append(result["images_per_s"])
            if "max_abs_vs_keras" in result:
                deltas[key[0]] = result["max_abs_vs_keras"]

    load = os.getloadavg()
    print(f"MobileNetV2 1.0, 224×224, batch 1, pooled 1280-d features; images/s, median of {args.repeats} "
          f"processes × {args.seconds:g} s, interleaved; load average {load[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"CPU: {cpu_flags()}")
    if args.avx2_only:
        print("--avx2-only: every engine on its AVX2 + FMA code paths (bench/avx2_cpuid.c hides AVX-512, AVX-VNNI and AMX "
              "from CPUID in every process)")
    width = 6 * args.repeats + 2  # one column per run, e.g. "123.4 "
    print(f"{'backend':<18}{'threads':>8}{'images/s':>10}   {'runs':<{width}}{'load 1 min':<{width}}max|Δ| vs Keras")
    median = {key: statistics.median(v) for key, v in results.items()}
    for (name, t, inst), values in results.items():
        label = f"{inst}×{t}" if inst > 1 else str(t)
        runs = " ".join(f"{v:.1f}" for v in values)
        load_text = " ".join(f"{v:.1f}" for v in loads[(name, t, inst)])
        print(f"{name:<18}{label:>8}{median[(name, t, inst)]:>10.1f}   {runs:<{width}}{load_text:<{width}}"
              f"{deltas.get(name, float('nan')):.2e}")
    if not args.peers:
        if "onednn" in args.backends:
            print()
            print("Orchard backend / onednn (same thread count):")
            for backend in (b for b in args.backends if b != "onednn"):
                ratios = [f"{t} thr {median[(f'orchard-{backend}', t, 1)] / median[('orchard-onednn', t, 1)]:.2f}×"
                          for t in args.threads]
                if 2 in args.threads:
                    ratios.append(f"2×1 {median[(f'orchard-{backend}', 1, 2)] / median[('orchard-onednn', 1, 2)]:.2f}×")
                print(f"  orchard-{backend:<8} " + ", ".join(ratios))
        return
    def paired(a, b):
        """The median of the per-round ratios a/b: each round ran both back to back, so a drift of the
        machine's speed between rounds cancels (the ratio of medians does not see which runs were paired)."""
        return statistics.median(x / y for x, y in zip(results[a], results[b]))

    print()
    print("Orchard / peer (same thread count): ratio of the medians, then [median of the per-round ratios]:")
    for backend in args.backends:
        ours = f"orchard-{backend}"
        for name in args.peers:
            ratios = [f"{t} thr {median[(ours, t, 1)] / median[(name, t, 1)]:.2f}× "
                      f"[{paired((ours, t, 1), (name, t, 1)):.2f}×]" for t in args.threads]
            if 2 in args.threads:
                ratios.append(f"2×1 vs 2 thr {median[(ours, 1, 2)] / median[(name, 2, 1)]:.2f}× "
                              f"[{paired((ours, 1, 2), (name, 2, 1)):.2f}×]")
            print(f"  {ours:<16} / {name:<12} " + ", ".join(ratios))


if __name__ == "__main__":
    main()
