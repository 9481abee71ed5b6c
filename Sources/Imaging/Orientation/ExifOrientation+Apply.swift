extension ExifOrientation {
    /// Writes the upright version of the `size` RGB image `source` into `target` (resized to fit)
    /// and returns the new size; Pillow's `Image.transpose` methods for tags 2–8.
    func apply(_ source: [UInt8], size: DecodedSize, into target: inout [UInt8]) -> DecodedSize {
        let (width, height) = (size.width, size.height)
        let out = swapsAxes ? DecodedSize(width: height, height: width) : size
        resizeBuffer(&target, to: width * height * 3)
        source.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                for y in 0..<out.height {
                    for x in 0..<out.width {
                        let (sx, sy) = sourcePoint(x: x, y: y, width: width, height: height)
                        let from = (sy * width + sx) * 3
                        let to = (y * out.width + x) * 3
                        dst[to] = src[from]
                        dst[to + 1] = src[from + 1]
                        dst[to + 2] = src[from + 2]
                    }
                }
            }
        }
        return out
    }

    /// The stored pixel shown at upright position (x, y), for a stored image of `width`×`height`.
    private func sourcePoint(x: Int, y: Int, width: Int, height: Int) -> (Int, Int) {
        switch self {
        case .upright: (x, y)
        case .mirrored: (width - 1 - x, y)
        case .rotated180: (width - 1 - x, height - 1 - y)
        case .flippedVertically: (x, height - 1 - y)
        case .transposed: (y, x)
        case .rotatedClockwise: (y, height - 1 - x)
        case .transversed: (width - 1 - y, height - 1 - x)
        case .rotatedCounterClockwise: (width - 1 - y, x)
        }
    }
}
