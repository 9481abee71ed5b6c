#!/usr/bin/env python3
"""ONNX Runtime inference alone, batch 1, on pre-decoded images: the ceiling a Python stack reaches.

    python3 bench/featurize/onnx_peer.py INPUT [--work DIR] [--threads 2] [--processes 1]

MobileNetV2 1.0 / 224 without its top, global average pooled (1280-d), built by
keras.applications with weights=None and seeded random weights (the ImageNet weights fill the same
architecture, so the speed is the same), exported to ONNX with tf2onnx (opset 15). Every *.jpg under
INPUT (sorted, recursive) is decoded and resized first, untimed, as Pillow does for the model: RGB,
resize((224, 224), BICUBIC), x / 127.5 - 1 in float32. Then only `session.run` is timed, batch 1, over
all images: one session with --threads intra-op threads, or --processes sessions of one thread each,
each in its own process over its share of the images, started together. Prints one JSON line (images/s
and the CPU seconds of all sessions' threads, both over the session.run loop only).
"""
import argparse
import json
import multiprocessing
import os
import pathlib
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def export(onnx_path):
    """Writes the ONNX file of the Keras network unless it exists (in a child process: TensorFlow stays out
    of the timed processes)."""
    if onnx_path.exists():
        return
    code = f"""
import keras, tensorflow as tf, tf2onnx
keras.utils.set_random_seed(2018)
model = keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None, input_shape=(224, 224, 3),
                                       pooling="avg")
spec = (tf.TensorSpec((1, 224, 224, 3), tf.float32, name="input"),)
tf2onnx.convert.from_function(tf.function(lambda x: model(x, training=False)), input_signature=spec, opset=15,
                              output_path={str(onnx_path)!r})
"""
    import subprocess
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)


def decode(input_dir, cache):
    """The images as uint8 [N, 224, 224, 3] after Pillow's bicubic resize, cached in a .npy."""
    import numpy as np
    if cache.exists():
        return np.load(cache)
    from PIL import Image
    paths = sorted(p for p in pathlib.Path(input_dir).rglob("*.jpg") if p.is_file())
    out = np.empty((len(paths), 224, 224, 3), dtype=np.uint8)
    for i, path in enumerate(paths):
        with Image.open(path) as image:
            out[i] = np.asarray(image.convert("RGB").resize((224, 224), Image.Resampling.BICUBIC))
    np.save(cache, out)
    return out


def run_share(onnx_path, cache, threads, index, count, barrier, results):
    """One process: one session, its share of the images, timed around session.run only."""
    import numpy as np
    import onnxruntime as ort
    if os.environ.get("ORCHARD_BENCH_AVX2_ONLY"):  # run.sh's AVX2_ONLY=1: CPUID must hide AVX-512 here too
        from numpy._core._multiarray_umath import __cpu_features__ as features
        if features.get("AVX512F") or not features.get("AVX2"):
            raise SystemExit("AVX2_ONLY: the CPUID shim (bench/avx2_cpuid.c) is not in effect in this process")
    images = np.load(cache, mmap_mode="r")
    share = np.arange(index, images.shape[0], count)
    tensors = [(images[i:i + 1].astype(np.float32) / np.float32(127.5) - np.float32(1)) for i in share]
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    for x in tensors[:5]:  # warm-up: first runs allocate
        session.run(None, {name: x})
    barrier.wait()
    start, cpu_start = time.perf_counter(), time.process_time()
    for x in tensors:
        session.run(None, {name: x})
    end, cpu_end = time.perf_counter(), time.process_time()
    results.put((len(tensors), start, end, cpu_end - cpu_start))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("--work", default="/tmp/orchard-featurize-bench")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads per session")
    parser.add_argument("--processes", type=int, default=1, help="sessions, one process each")
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    onnx_path = work / "mobilenet_v2_1.0_224_no_top.onnx"
    export(onnx_path)
    cache = work / (pathlib.Path(args.input).resolve().as_posix().strip("/").replace("/", "_") + ".u8.npy")
    decode(args.input, cache)

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(args.processes), context.Queue()
    workers = [context.Process(target=run_share, args=(onnx_path, cache, args.threads, i, args.processes, barrier,
                                                       results)) for i in range(args.processes)]
    for w in workers:
        w.start()
    shares = [results.get() for _ in workers]
    for w in workers:
        w.join()
        if w.exitcode != 0:
            raise SystemExit(f"worker exited with {w.exitcode}")
    images = sum(s[0] for s in shares)
    seconds = max(s[2] for s in shares) - min(s[1] for s in shares)
    cpu = sum(s[3] for s in shares)
    print(json.dumps({"backend": "onnxruntime", "threads": args.threads, "processes": args.processes,
                      "images": images, "seconds": seconds, "images_per_s": images / seconds, "cpu_s": cpu}))


if __name__ == "__main__":
    main()
