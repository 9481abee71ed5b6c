/// Turns JPEG or PNG file bytes into upright 8-bit RGB, as Pillow's `Image.open(f).convert("RGB")`
/// followed by `ImageOps.exif_transpose` would, within the configured limits.
public struct ImageDecoder: Sendable {
    /// The bounds every input is checked against before pixels are allocated.
    public var limits: ImageLimits

    /// A decoder enforcing `limits`.
    public init(limits: ImageLimits = .init()) {
        self.limits = limits
    }

    /// Decodes `bytes` (the contents of the file called `name`, used only in errors) to upright RGB.
    public func decode(_ bytes: [UInt8], name: String) throws(ImageError) -> RGBImage {
        var buffers = DecodeBuffers()
        let size = try decode(bytes, name: name, buffers: &buffers)
        return RGBImage(width: size.width, height: size.height, pixels: buffers.pixels)
    }

    /// Decodes into `buffers.pixels`, reusing the buffers' storage across calls.
    func decode(_ bytes: [UInt8], name: String, buffers: inout DecodeBuffers) throws(ImageError) -> DecodedSize {
        if bytes.isEmpty { throw .empty(file: name) }
        if bytes.count > limits.maxBytes {
            throw .tooManyBytes(file: name, bytes: bytes.count, limit: limits.maxBytes)
        }
        let result: Result<DecodedSize, ImageError> = bytes.withUnsafeBufferPointer { input in
            guard let format = ImageFormat(sniffing: input) else { return .failure(.notAnImage(file: name)) }
            do throws(ImageError) {
                switch format {
                case .jpeg:
                    let size = try JPEGDecoder.decode(
                        input, file: name, limits: limits, into: &buffers.pixels, scratch: &buffers.scratch)
                    let orientation = ExifOrientation(jpeg: input)
                    guard orientation != .upright else { return .success(size) }
                    let upright = orientation.apply(buffers.pixels, size: size, into: &buffers.scratch)
                    swap(&buffers.pixels, &buffers.scratch)
                    return .success(upright)
                case .png:
                    return .success(try PNGDecoder.decode(
                        input, file: name, limits: limits, into: &buffers.pixels, scratch: &buffers.scratch))
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
