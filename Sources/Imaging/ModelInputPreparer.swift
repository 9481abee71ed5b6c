/// Turns image file bytes into the Float32 NHWC tensor Keras feeds MobileNetV2: decode, EXIF
/// orientation, Pillow-exact bicubic resize to `side`×`side`, then `x / 127.5 - 1` into [-1, 1].
/// Keeps its buffers and resampling weights between calls: give each worker its own preparer.
public struct ModelInputPreparer: Sendable {
    /// Output width and height in pixels (224 for MobileNetV2).
    public let side: Int
    /// The decoder (and limits) used for every input.
    public var decoder: ImageDecoder
    /// Floats one prepared image occupies: `side * side * 3`.
    public var elementCount: Int { side * side * 3 }

    private var buffers = DecodeBuffers()
    private var resampler = BicubicResampler()
    private var resized: [UInt8]

    /// A preparer producing `side`×`side` images, decoding within `limits`.
    public init(side: Int = 224, limits: ImageLimits = .init()) {
        precondition(side > 0, "ModelInputPreparer: side must be positive")
        self.side = side
        self.decoder = ImageDecoder(limits: limits)
        self.resized = [UInt8](repeating: 0, count: side * side * 3)
    }

    /// Decodes the file `name` from `bytes` and writes its `elementCount` floats (RGB, row-major) to
    /// the start of `output`, which must hold at least `elementCount` floats.
    public mutating func prepare(
        _ bytes: [UInt8], name: String, into output: UnsafeMutableBufferPointer<Float>
    ) throws(ImageError) {
        precondition(output.count >= elementCount,
                     "ModelInputPreparer: output holds \(output.count) floats, needs \(elementCount)")
        try decodeAndResize(bytes, name: name)
        // Keras's preprocess_input(mode="tf") in float32: the same two rounded operations, vectorised.
        resized.withUnsafeBufferPointer { pixels in
            guard let target = output.baseAddress, let source = pixels.baseAddress else { return }
            for i in 0..<pixels.count { target[i] = Float(source[i]) / 127.5 - 1 }
        }
    }

    /// Decodes and resizes into the 8-bit `side`×`side` RGB image that `prepare` scales; returns it.
    public mutating func prepareRGB(_ bytes: [UInt8], name: String) throws(ImageError) -> RGBImage {
        try decodeAndResize(bytes, name: name)
        return RGBImage(width: side, height: side, pixels: resized)
    }

    private mutating func decodeAndResize(_ bytes: [UInt8], name: String) throws(ImageError) {
        let size = try decoder.decode(bytes, name: name, buffers: &buffers)
        let side = side
        var target = resized
        resized = []
        target.withUnsafeMutableBufferPointer { target in
            buffers.pixels.withUnsafeBufferPointer { source in
                resampler.resize(source, width: size.width, height: size.height, into: target,
                                 outWidth: side, outHeight: side)
            }
        }
        resized = target
    }
}
