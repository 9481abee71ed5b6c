#!/usr/bin/env python3
"""Pillow peer of bench/ImagingBench: the seed pipeline's preprocessing on the same files.

decode = Image.open(f).convert("RGB"); resize = .resize((224, 224)) (bicubic);
decode+resize+scale = both, then np.asarray(float32) / 127.5 - 1 (Keras "tf" preprocessing).
Milliseconds per image, median of RUNS runs of ROUNDS passes over files held in memory.
usage: imaging_preprocess.py LIST [ROUNDS] [RUNS]   (run with OPENBLAS_NUM_THREADS=1)
"""
import io
import statistics
import sys
import time

import numpy as np
from PIL import Image


def main():
    paths = open(sys.argv[1]).read().split("\n")
    paths = [p for p in paths if p]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    files = [open(p, "rb").read() for p in paths]
    images = [Image.open(io.BytesIO(b)).convert("RGB") for b in files]

    def measure(body):
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(rounds):
                for index in range(len(files)):
                    body(index)
            samples.append((time.perf_counter() - start) * 1000 / (rounds * len(files)))
        return statistics.median(samples)

    def prepare(index):
        image = Image.open(io.BytesIO(files[index])).convert("RGB").resize((224, 224))
        x = np.asarray(image, dtype=np.float32)
        x /= 127.5
        x -= 1

    decode = measure(lambda i: Image.open(io.BytesIO(files[i])).convert("RGB"))
    resize = measure(lambda i: images[i].resize((224, 224)))
    full = measure(prepare)
    print(f"pillow   decode {decode:.3f}  resize {resize:.3f}  decode+resize+scale {full:.3f}  ms/image"
          f"  ({len(files)} images)")


if __name__ == "__main__":
    main()
