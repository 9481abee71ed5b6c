#!/usr/bin/env python3
"""Pillow's answers for ImagingTests: for each image path, the RGB pixels Pillow produces.

Usage: pillow_reference.py MODE OUTDIR PATH...
  convert    Image.open(p).convert("RGB")
  upright    ImageOps.exif_transpose(Image.open(p)).convert("RGB")
  resize224  Image.open(p).convert("RGB").resize((224, 224))   (Pillow's default: BICUBIC)
  tensor224  the resize224 pixels as float32, then x / 127.5 - 1 (Keras "tf" preprocessing)
  resize=WxH Image.open(p).convert("RGB").resize((W, H))
Writes OUTDIR/<index>.bin with the raw bytes (row-major RGB, uint8 or float32 little-endian) and
prints one line "<width> <height>" per path, in order.
"""
import sys
from pathlib import Path

from PIL import Image, ImageOps


def main():
    mode, out, paths = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    for index, path in enumerate(paths):
        image = Image.open(path)
        if mode == "upright":
            image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        if mode in ("resize224", "tensor224"):
            image = image.resize((224, 224))
        elif mode.startswith("resize="):
            width, height = mode.removeprefix("resize=").split("x")
            image = image.resize((int(width), int(height)))
        data = image.tobytes()
        if mode == "tensor224":
            import numpy as np  # only here: importing numpy costs more than the rest of the script

            data = (np.asarray(image).astype(np.float32) / 127.5 - 1).tobytes()
        (out / f"{index}.bin").write_bytes(data)
        print(image.width, image.height)


if __name__ == "__main__":
    main()
