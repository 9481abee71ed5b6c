#!/usr/bin/env python3
"""Writes MobileNetTests' Keras fixtures: random-weight MobileNetV2 .h5 files and Keras's own outputs.

Run from anywhere:  python3 Tests/MobileNetTests/Resources/make_keras_fixtures.py
Needs tensorflow-cpu (Keras 3), h5py, numpy, pillow and ../shared/data/fruits-360-sample. Fixed seeds:
the outputs only change when Keras or Pillow do.

Weights are random but every BatchNorm has random gamma/beta/moving mean/moving variance, so a
folding bug cannot hide. Values are small integers times powers of two and datasets are
stored gzip+shuffle compressed to keep the committed files small; HDF5 decompresses transparently,
names, shapes and attributes are exactly what Keras writes.

Files written next to this script:
  mobilenet_v2_0.35_224_no_top.h5          Keras-2 layout written by Keras 3's legacy writer
                                           (vlen string attributes, names without ":0")
  mobilenet_v2_0.35_224_no_top.weights.h5  the same weights saved the Keras 3 way (layers/<n>/vars/<i>)
  mobilenet_v2_0.5_224_no_top.h5           Keras-2 layout as Keras 2.x wrote the official files
                                           (fixed-length byte-string attributes, names with ":0",
                                           depthwise weights called `depthwise_kernel`)
  mobilenet_v2_0.35_224.h5                 with the 1000-class top (legacy writer)
  wrong_shape.h5, missing_layers.h5,
  not_mobilenet_v2.h5                      small bad files for the error tests
  images_97_rgb8.bin, mobilenet_v2_0.35_97_no_top.features.f32
                                           the same images at 97x97 (odd: other padding) and Keras's
                                           features for them with the 0.35 no_top weights
  images_224_rgb8.bin                      4 images, PIL bicubic-resized to 224x224 RGB uint8, NHWC;
                                           the pipeline's input is exactly float32(x) / 127.5 - 1
  <fixture>.features.f32                   Keras's pooled features, float32 little-endian [4, C]
  mobilenet_v2_0.35_224.probabilities.f32  Keras's softmax output [4, 1000]
  fixtures.json                            what each file holds
"""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402
from PIL import Image  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SAMPLE = ROOT.parent / "shared" / "data" / "fruits-360-sample" / "Test"
IMAGES = ["Apple 10/r0_103_100.jpg", "Banana 1/100_100.jpg", "Kiwi 1/33_100.jpg", "Strawberry 1/321_100.jpg"]
def levels(rng, shape, low, high):
    """Small integers in [low, high]: few distinct values, so gzip squeezes the files ~10x."""
    return rng.integers(low, high + 1, size=shape).astype(np.float64)


def randomize(model, seed, gain=0.6):
    """Kernels k * 2^-e with small integers k, BatchNorm statistics far from identity (gamma≠1, beta≠0,
    mean≠0, var≠1); every value is exact in float32. The scales sit between chaos and collapse: with
    He-scaled kernels the random network is chaotic (TensorFlow's own float32 outputs move by 2e-2
    between its oneDNN and Eigen kernels), with much smaller ones the features stop depending on the
    image. Here oneDNN vs Eigen differ by ~1e-5 and features vary across images by ~0.08."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([
                (0.75 + levels(rng, c, 0, 8) / 16).astype(np.float32),
                (levels(rng, c, -4, 4) / 8).astype(np.float32),
                (levels(rng, c, -4, 4) / 8).astype(np.float32),
                (0.5 + levels(rng, c, 0, 8) / 8).astype(np.float32),
            ])
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)):
            values = []
            for w in layer.get_weights():
                if w.ndim == 1:
                    values.append((levels(rng, w.shape, -3, 3) / 16).astype(np.float32))
                else:
                    depthwise = isinstance(layer, keras.layers.DepthwiseConv2D)
                    fan_in = int(np.prod(w.shape[:2] if depthwise else w.shape[:-1]))
                    step = 2.0 ** np.round(np.log2(gain / np.sqrt(fan_in)))
                    # The 1280×1000 classifier dominates the file: three levels keep it ~4x smaller.
                    spread = 1 if isinstance(layer, keras.layers.Dense) else 3
                    values.append((levels(rng, w.shape, -spread, spread) * step).astype(np.float32))
            layer.set_weights(values)


def compress(path):
    """Rewrites every dataset of an .h5 gzip+shuffle compressed, keeping names and attributes."""
    tmp = path.with_suffix(".tmp")
    # libver="latest" + one chunk per dataset: compact v2 indexes, ~3x less HDF5 overhead than v1 B-trees.
    with h5py.File(path, "r") as src, h5py.File(tmp, "w", libver="latest") as dst:
        def copy(group_in, group_out):
            for k, v in group_in.attrs.items():
                group_out.attrs[k] = v
            for name, item in group_in.items():
                if isinstance(item, h5py.Group):
                    copy(item, group_out.create_group(name))
                else:
                    kw = dict(compression="gzip", compression_opts=9, shuffle=True, chunks=item.shape) \
                        if item.size > 64 else {}
                    d = group_out.create_dataset(name, data=item[()], **kw)
                    for k, v in item.attrs.items():
                        d.attrs[k] = v
        copy(src, dst)
    tmp.replace(path)


def save_legacy_keras3(model, path):
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    compress(path)


def save_legacy_keras2(model, path):
    """The layout of the official files, written by Keras 2.x: fixed-length byte strings, names with ':0'."""
    with h5py.File(path, "w", libver="latest") as f:
        f.attrs["layer_names"] = np.array([layer.name.encode("utf8") for layer in model.layers])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.2.4"
        for layer in model.layers:
            g = f.create_group(layer.name)
            # Keras 2 called a DepthwiseConv2D's weight `depthwise_kernel`; Keras 3 calls it `kernel`.
            keras2 = {"kernel": "depthwise_kernel"} if isinstance(layer, keras.layers.DepthwiseConv2D) else {}
            names = [f"{layer.name}/{keras2.get(w.name, w.name)}:0".encode("utf8") for w in layer.weights]
            g.attrs["weight_names"] = np.array(names)
            for name, value in zip(names, layer.get_weights()):
                g.create_dataset(name.decode("utf8"), data=value, compression="gzip", compression_opts=9,
                                 shuffle=True, chunks=value.shape)


def load_images(size=224):
    out = []
    for rel in IMAGES:
        with Image.open(SAMPLE / rel) as im:
            out.append(np.asarray(im.convert("RGB").resize((size, size), Image.BICUBIC), dtype=np.uint8))
    return np.stack(out)


def write_bad_files():
    """Small HDF5 files for the error tests: a stem of the wrong width, a correct stem with nothing after
    it, and a Keras file of another network (MobileNet v1 names its stem `conv1`)."""
    with h5py.File(HERE / "wrong_shape.h5", "w") as f:
        f.attrs["layer_names"] = np.array([b"Conv1", b"bn_Conv1"])
        g = f.create_group("Conv1")
        g.attrs["weight_names"] = np.array([b"Conv1/kernel:0"])
        g.create_dataset("Conv1/kernel:0", data=np.zeros((3, 3, 3, 20), np.float32))
    with h5py.File(HERE / "missing_layers.h5", "w") as f:
        f.attrs["layer_names"] = np.array([b"Conv1", b"bn_Conv1"])
        g = f.create_group("Conv1")
        g.attrs["weight_names"] = np.array([b"Conv1/kernel:0"])
        g.create_dataset("Conv1/kernel:0", data=np.zeros((3, 3, 3, 16), np.float32))
        g = f.create_group("bn_Conv1")
        names = [f"bn_Conv1/{n}:0".encode() for n in ("gamma", "beta", "moving_mean", "moving_variance")]
        g.attrs["weight_names"] = np.array(names)
        for n in names:
            g.create_dataset(n.decode(), data=np.ones(16, np.float32))
    with h5py.File(HERE / "not_mobilenet_v2.h5", "w") as f:
        f.attrs["layer_names"] = np.array([b"conv1", b"conv1_bn"])
        g = f.create_group("conv1")
        g.attrs["weight_names"] = np.array([b"conv1/kernel:0"])
        g.create_dataset("conv1/kernel:0", data=np.zeros((3, 3, 3, 8), np.float32))


def main():
    rgb = load_images()
    (HERE / "images_224_rgb8.bin").write_bytes(rgb.tobytes())
    x = rgb.astype(np.float32) / np.float32(127.5) - np.float32(1.0)
    manifest = {"images": {"file": "images_224_rgb8.bin", "shape": list(rgb.shape), "sources": IMAGES},
                "fixtures": []}

    def record(name, model, alpha, top, extra=None):
        if top:
            pooled = keras.Model(model.input, model.layers[-2].output)
            features = np.asarray(pooled(x, training=False), dtype=np.float32)
            probabilities = np.asarray(model(x, training=False), dtype=np.float32)
            (HERE / name.replace(".h5", ".probabilities.f32")).write_bytes(probabilities.astype("<f4").tobytes())
        else:
            features = np.asarray(model(x, training=False), dtype=np.float32)
        (HERE / (name + ".features.f32")).write_bytes(features.astype("<f4").tobytes())
        entry = {"file": name, "alpha": alpha, "top": top, "features": name + ".features.f32",
                 "feature_shape": list(features.shape),
                 "features_zero_fraction": float(np.mean(features == 0)),
                 "features_mean": float(features.mean())}
        if top:
            entry["probabilities"] = name.replace(".h5", ".probabilities.f32")
        entry.update(extra or {})
        manifest["fixtures"].append(entry)

    m035 = keras.applications.MobileNetV2(alpha=0.35, include_top=False, weights=None,
                                          input_shape=(224, 224, 3), pooling="avg")
    randomize(m035, 35)
    save_legacy_keras3(m035, HERE / "mobilenet_v2_0.35_224_no_top.h5")
    record("mobilenet_v2_0.35_224_no_top.h5", m035, 0.35, False, {"layout": "keras2-legacy, keras3 writer"})
    m035.save_weights(HERE / "mobilenet_v2_0.35_224_no_top.weights.h5")
    compress(HERE / "mobilenet_v2_0.35_224_no_top.weights.h5")
    record("mobilenet_v2_0.35_224_no_top.weights.h5", m035, 0.35, False, {"layout": "keras3"})

    # An odd input size exercises the other padding case (Keras pads the top/left too when odd).
    rgb97 = load_images(97)
    (HERE / "images_97_rgb8.bin").write_bytes(rgb97.tobytes())
    m035_97 = keras.applications.MobileNetV2(alpha=0.35, include_top=False, weights=None,
                                             input_shape=(97, 97, 3), pooling="avg")
    m035_97.set_weights(m035.get_weights())
    x97 = rgb97.astype(np.float32) / np.float32(127.5) - np.float32(1.0)
    features97 = np.asarray(m035_97(x97, training=False), dtype=np.float32)
    (HERE / "mobilenet_v2_0.35_97_no_top.features.f32").write_bytes(features97.astype("<f4").tobytes())
    manifest["images_97"] = {"file": "images_97_rgb8.bin", "shape": list(rgb97.shape),
                             "features": "mobilenet_v2_0.35_97_no_top.features.f32",
                             "weights": "mobilenet_v2_0.35_224_no_top.h5"}

    m050 = keras.applications.MobileNetV2(alpha=0.5, include_top=False, weights=None,
                                          input_shape=(224, 224, 3), pooling="avg")
    randomize(m050, 50)
    save_legacy_keras2(m050, HERE / "mobilenet_v2_0.5_224_no_top.h5")
    record("mobilenet_v2_0.5_224_no_top.h5", m050, 0.5, False, {"layout": "keras2-legacy, keras2 style"})

    top = keras.applications.MobileNetV2(alpha=0.35, include_top=True, weights=None, input_shape=(224, 224, 3))
    randomize(top, 36)
    save_legacy_keras3(top, HERE / "mobilenet_v2_0.35_224.h5")
    record("mobilenet_v2_0.35_224.h5", top, 0.35, True, {"layout": "keras2-legacy, keras3 writer"})

    write_bad_files()

    (HERE / "fixtures.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for p in sorted(HERE.iterdir()):
        print(f"{p.stat().st_size:>9}  {p.name}")
    print(json.dumps(manifest["fixtures"], indent=1))


if __name__ == "__main__":
    main()
