// MobileNet: MobileNetV2 (Sandler et al. 2018, arXiv 1801.04381) as keras.applications builds it,
// run on XNNPACK's subgraph API, with weights from Keras .h5 and TFLite files.
