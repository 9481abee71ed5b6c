// MobileNet: MobileNetV2 (Sandler et al. 2018, arXiv 1801.04381) as keras.applications builds it,
// run on oneDNN or XNNPACK (`InferenceBackend`), with weights from Keras .h5 and TFLite files.
//
// - Architecture/: the paper's Table 2 as data (`MobileNetV2Architecture`, `InvertedResidual`), Keras's
//   `_make_divisible` widths for each alpha and the expected shape of every weight.
// - Runtime/: the network as one XNNPACK subgraph (https://github.com/google/XNNPACK, Debian
//   0.0~git20220216, include/xnnpack.h), fp32 NHWC, batch 1, or as a chain of oneDNN primitives
//   (Runtime/OneDNN/, https://oneapi-src.github.io/oneDNN/, Debian 2.6.3, dnnl.h), each behind
//   `NetworkRuntime`; `MobileNetV2` is the public face and `InferenceBackend` picks the library.
// - Weights/: format-independent folded weights (`MobileNetV2Weights`), `WeightFile` which sniffs the
//   format, the Keras HDF5 loader (Weights/Keras/, libhdf5; Keras 2 `save_weights` layout and Keras 3
//   `.weights.h5`) and the TFLite loader (schema.fbs).
// - `ModelError`: the module's one error enum.
