#!/usr/bin/env python3
"""Writes the small image fixtures of ImagingTests into fixtures/ (run once; outputs are committed).

Each fixture exercises one decoding path; the tests compare Orchard's pixels with Pillow's, computed
live, so these files only need to exist, not to hold known answers.
Usage: python3 make_fixtures.py [path/to/shared]   (default: ../../../../shared, beside the repo)
"""
import ctypes
import ctypes.util
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures"
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared"
SAMPLES = SHARED / "data" / "fruits-360-sample" / "Test"


def sample(cls: str) -> Image.Image:
    path = sorted((SAMPLES / cls).glob("*.jpg"))[0]
    return Image.open(path).convert("RGB")


def noisy_upscale(img: Image.Image, size, seed: int) -> Image.Image:
    """A larger, detailed photo: the sample upscaled, plus Gaussian noise so resampling has texture."""
    rng = np.random.default_rng(seed)
    big = np.asarray(img.resize(size, Image.BILINEAR), dtype=np.float32)
    big += rng.normal(0, 12, big.shape)
    return Image.fromarray(np.clip(big, 0, 255).astype(np.uint8), "RGB")


def raw_png(width, height, color_type, bit_depth, rows, extra_chunks=(), interlace=0) -> bytes:
    """A PNG written by hand, for variants Pillow cannot save (16-bit RGB, 16-bit LA, 2-bit grey)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    body = b"".join(b"\x00" + bytes(row) for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(chunk(k, d) for k, d in extra_chunks)
            + chunk(b"IDAT", zlib.compress(body, 9)) + chunk(b"IEND", b""))


def ycck_jpeg(cmyk: np.ndarray) -> bytes:
    """A YCCK JPEG (Adobe transform 2), which Pillow cannot write: libturbojpeg's tjCompress2 turns
    CMYK input into YCCK. Loaded through ctypes from the system library."""
    tj = ctypes.CDLL(ctypes.util.find_library("turbojpeg") or "libturbojpeg.so.0")
    tj.tjInitCompress.restype = ctypes.c_void_p
    handle = ctypes.c_void_p(tj.tjInitCompress())
    height, width, _ = cmyk.shape
    source = np.ascontiguousarray(cmyk, dtype=np.uint8)
    output = ctypes.POINTER(ctypes.c_ubyte)()
    size = ctypes.c_ulong(0)
    tjpf_cmyk, tjsamp_420 = 11, 2
    status = tj.tjCompress2(handle, source.ctypes.data_as(ctypes.c_void_p), width, 0, height, tjpf_cmyk,
                            ctypes.byref(output), ctypes.byref(size), tjsamp_420, 90, 0)
    if status != 0:
        raise RuntimeError("tjCompress2 failed")
    data = ctypes.string_at(output, size.value)
    tj.tjFree(output)
    tj.tjDestroy(handle)
    return data


def exif_with_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def main():
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(7)
    apple, kiwi, banana, mango = sample("Apple 10"), sample("Kiwi 1"), sample("Banana 1"), sample("Mango 1")

    noisy_upscale(apple, (1000, 750), 1).save(OUT / "large_1000x750.jpg", quality=85)
    noisy_upscale(kiwi, (333, 517), 2).save(OUT / "large_333x517.png", optimize=True)
    noisy_upscale(banana, (57, 300), 3).save(OUT / "narrow_57x300.jpg", quality=90, subsampling=1)
    mango.save(OUT / "progressive.jpg", quality=90, progressive=True)
    mango.save(OUT / "yuv444.jpg", quality=95, subsampling=0)

    kiwi.convert("L").save(OUT / "gray.jpg", quality=90)
    kiwi.convert("CMYK").save(OUT / "cmyk.jpg", quality=90)
    (OUT / "ycck.jpg").write_bytes(ycck_jpeg(np.asarray(banana.convert("CMYK"))))

    palette = banana.quantize(colors=32)
    palette.save(OUT / "palette.png", transparency=0)
    rgba = apple.convert("RGBA")
    rgba.putalpha(Image.fromarray(rng.integers(0, 256, (100, 100), dtype=np.uint8)))
    rgba.save(OUT / "rgba.png")
    la = kiwi.convert("LA")
    la.putalpha(Image.fromarray(rng.integers(0, 256, (100, 100), dtype=np.uint8)))
    la.save(OUT / "gray_alpha.png")
    apple.save(OUT / "interlaced.png", interlace=1)

    w, h = 40, 30
    rgb16 = rng.integers(0, 65536, (h, w, 3), dtype=np.uint16)
    (OUT / "rgb16.png").write_bytes(raw_png(w, h, 2, 16, [r.astype(">u2").tobytes() for r in rgb16]))
    la16 = rng.integers(0, 65536, (h, w, 2), dtype=np.uint16)
    (OUT / "gray_alpha16.png").write_bytes(raw_png(w, h, 4, 16, [r.astype(">u2").tobytes() for r in la16]))
    # Half the grey levels under 256 so that Pillow's clipping of I;16 → RGB shows both behaviours.
    gray16 = rng.integers(0, 512, (h, w), dtype=np.uint16)
    (OUT / "gray16.png").write_bytes(raw_png(w, h, 0, 16, [r.astype(">u2").tobytes() for r in gray16]))
    gray2 = rng.integers(0, 256, (h, w // 4), dtype=np.uint8)
    (OUT / "gray2.png").write_bytes(raw_png(w, h, 0, 2, gray2))
    rgb_trns = rng.integers(0, 256, (h, w * 3), dtype=np.uint8)
    trns = [(b"tRNS", struct.pack(">HHH", *rgb_trns[0, :3]))]
    (OUT / "rgb_trns.png").write_bytes(raw_png(w, h, 2, 8, rgb_trns, trns))

    # A non-square picture with a marked corner, saved with each EXIF orientation.
    oriented = noisy_upscale(mango, (48, 32), 4)
    for value in range(2, 9):
        oriented.save(OUT / f"exif_{value}.jpg", quality=92, exif=exif_with_orientation(value))

    Image.new("RGB", (1, 1), (200, 30, 90)).save(OUT / "one_pixel.png")
    Image.new("RGB", (1, 1), (200, 30, 90)).save(OUT / "one_pixel.jpg", quality=95)
    # 10000×10000 = 100 megapixels in a 1-bit PNG of ~12 KB: a decompression bomb for the limit test.
    row = np.zeros(10000 // 8, dtype=np.uint8)
    (OUT / "bomb_10000x10000.png").write_bytes(raw_png(10000, 10000, 0, 1, (row for _ in range(10000))))


if __name__ == "__main__":
    main()
