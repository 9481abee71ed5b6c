/// One built network on one backend, run one image at a time: the seam between `MobileNetV2` and the
/// library that computes its layers (one implementation per backend).
protocol NetworkRuntime: AnyObject, Sendable {
    /// Runs NHWC `[1, size, size, 3]` floats through the network. Not reentrant: callers serialise.
    func run(input: UnsafePointer<Float>) throws(ModelError) -> ModelOutput
}

extension RuntimeHandle: NetworkRuntime {}
