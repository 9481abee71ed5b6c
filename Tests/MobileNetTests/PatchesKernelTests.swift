import COrchardKernels
import Testing

/// The stem's patch gather: each output pixel's 3×3 window in the kernel's (ky, kx, channel) order, zeros
/// outside the image, for any band of rows.
@Suite struct PatchesKernelTests {
    /// A reference from the definition, for output rows [begin, end).
    static func reference(_ image: [Float], size: Int, channels: Int, stride: Int, padBefore: Int, outSize: Int,
                          rows: Range<Int>) -> [Float]
    {
        rows.flatMap { oy in
            (0..<outSize).flatMap { ox in
                (0..<9).flatMap { tap in
                    (0..<channels).map { c -> Float in
                        let iy = oy * stride - padBefore + tap / 3, ix = ox * stride - padBefore + tap % 3
                        guard (0..<size).contains(iy), (0..<size).contains(ix) else { return 0 }
                        return image[(iy * size + ix) * channels + c]
                    }
                }
            }
        }
    }

    @Test(arguments: [(size: 7, stride: 2, padBefore: 1), (size: 8, stride: 2, padBefore: 0), (size: 6, stride: 1, padBefore: 1)],
          [2, 3])
    func eachWindowInTheKernelsOrderWithZerosOutside(shape: (size: Int, stride: Int, padBefore: Int), channels: Int) {
        let size = shape.size
        let outSize = (size + shape.stride - 1) / shape.stride
        let image = (0..<size * size * channels).map { Float($0 + 1) }  // no zeros: a missed pad shows
        var p = orchard_patches3x3(in_height: Int32(size), in_width: Int32(size), channels: Int32(channels),
                                   stride: Int32(shape.stride), pad_top: Int32(shape.padBefore),
                                   pad_left: Int32(shape.padBefore), out_width: Int32(outSize))
        for rows in [0..<outSize, 1..<3, (outSize - 1)..<outSize] {
            var patches = [Float](repeating: .nan, count: rows.count * outSize * 9 * channels)
            orchard_patches3x3_rows(&p, image, Int32(rows.lowerBound), Int32(rows.upperBound), &patches)
            let expected = Self.reference(image, size: size, channels: channels, stride: shape.stride,
                                          padBefore: shape.padBefore, outSize: outSize, rows: rows)
            #expect(patches == expected, "\(shape), \(channels) channels, rows \(rows)")
        }
    }
}
