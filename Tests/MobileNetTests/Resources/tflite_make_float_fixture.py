"""Makes tflite_mobilenet_v2_035_float32.tflite and tflite_mobilenet_v2_035_float32.json.

A float32 TFLite MobileNetV2 (alpha 0.35, input 96, 10 classes so the file stays small) with random
weights and random, non-trivial BatchNorm statistics, and the weights Keras holds for it folded in
numpy (w * gamma / sqrt(var + 1e-3), b = beta - mean * gamma / sqrt(var + 1e-3)): for every kernel
(Keras layout) and bias its shape, sum, sum of squares and a few sampled values, so the test can check
the TFLite loader's layout and values without committing a second copy of the weights.

Run once from this folder: python3 tflite_make_float_fixture.py (needs tensorflow; not a test peer).
"""
import json
import os

import numpy as np
import tensorflow as tf

EPSILON = 1e-3
HERE = os.path.dirname(os.path.abspath(__file__))


def build_model():
    keras = tf.keras
    keras.utils.set_random_seed(20261125)
    model = keras.applications.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=True, weights=None, classes=10,
        classifier_activation="softmax")
    rng = np.random.default_rng(7)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([
                rng.uniform(0.5, 1.5, c).astype(np.float32),   # gamma
                rng.normal(0.0, 0.1, c).astype(np.float32),    # beta
                rng.normal(0.0, 0.1, c).astype(np.float32),    # moving mean
                rng.uniform(0.5, 1.5, c).astype(np.float32),   # moving variance
            ])
    dense = model.get_layer("predictions")
    kernel, _ = dense.get_weights()
    dense.set_weights([kernel, rng.normal(0.0, 0.1, kernel.shape[1]).astype(np.float32)])
    return model


def folded(model, conv_name, bn_name, depthwise):
    kernel = model.get_layer(conv_name).get_weights()[0].astype(np.float64)
    gamma, beta, mean, var = (w.astype(np.float64) for w in model.get_layer(bn_name).get_weights())
    factor = gamma / np.sqrt(var + EPSILON)
    if depthwise:  # [KH, KW, C, 1]: the channel is axis 2
        kernel = kernel * factor[None, None, :, None]
    else:          # [KH, KW, Cin, Cout]
        kernel = kernel * factor
    return kernel, beta - mean * factor


def stats(values, rng):
    flat = values.reshape(-1)
    picks = sorted(set(rng.integers(0, flat.size, 12).tolist()) | {0, flat.size - 1})
    return {
        "shape": list(values.shape),
        "sum": float(flat.sum()),
        "sumOfSquares": float((flat * flat).sum()),
        "samples": [[i, float(flat[i])] for i in picks],
    }


def describe(kernel, bias, rng):
    return {"kernel": stats(kernel, rng), "bias": stats(bias, rng)}


def main():
    model = build_model()
    rng = np.random.default_rng(11)
    layers = {"stem": describe(*folded(model, "Conv1", "bn_Conv1", False), rng)}
    blocks = []
    for i in range(17):
        prefix = "expanded_conv" if i == 0 else f"block_{i}"
        block = {}
        if i > 0:
            block["expand"] = describe(*folded(model, f"{prefix}_expand", f"{prefix}_expand_BN", False), rng)
        block["depthwise"] = describe(*folded(model, f"{prefix}_depthwise", f"{prefix}_depthwise_BN", True), rng)
        block["project"] = describe(*folded(model, f"{prefix}_project", f"{prefix}_project_BN", False), rng)
        blocks.append(block)
    layers["blocks"] = blocks
    layers["head"] = describe(*folded(model, "Conv_1", "Conv_1_bn", False), rng)
    kernel, bias = (w.astype(np.float64) for w in model.get_layer("predictions").get_weights())
    layers["classifier"] = describe(kernel, bias, rng)
    layers["alpha"] = 0.35

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    flatbuffer = converter.convert()
    with open(os.path.join(HERE, "tflite_mobilenet_v2_035_float32.tflite"), "wb") as f:
        f.write(flatbuffer)
    with open(os.path.join(HERE, "tflite_mobilenet_v2_035_float32.json"), "w") as f:
        json.dump(layers, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
