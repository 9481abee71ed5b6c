/// Working memory for decoding, kept between images so steady-state decoding allocates nothing.
struct DecodeBuffers: Sendable {
    /// The decoded RGB pixels after a successful `decode`.
    var pixels: [UInt8] = []
    /// Room for CMYK samples, 16-bit grey samples or the rotated copy.
    var scratch: [UInt8] = []
}

/// Sets `buffer.count` to `count`, keeping its storage (and so avoiding page faults) when it shrinks.
func resizeBuffer(_ buffer: inout [UInt8], to count: Int) {
    if buffer.count > count {
        buffer.removeLast(buffer.count - count)
    } else if buffer.count < count {
        buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    }
}
