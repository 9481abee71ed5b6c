import COrchardKernels
import OrchardTestKit
import Testing

/// The stem's patch gather: each output pixel's 3×3 window in the kernel's (ky, kx, channel) order, zeros
/// outside the image, for any band of rows; and the stem run on windows read in place, which must give the
/// bits of the 1×1 kernel on gathered patches.
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

    /// The stem convolution on an RGB image at stride 2, each instruction set this CPU has: windows read in
    /// place give the bits of gathering every window and running the 1×1 kernel, on every row band.
    @Test(arguments: ["avx512f", "avx2", "scalar"])
    func windowsReadInPlaceGiveTheBitsOfGatheredPatches(isa: String) throws {
        // Even sizes pad after (Keras's correct_pad), odd ones before too; 32 outputs as MobileNetV2 1.0,
        // 16 as alpha 0.35, 24 and 40 partial tiles.
        let shapes = [(size: 224, padBefore: 0, outputs: 32), (17, 1, 16), (30, 0, 24), (9, 1, 40), (5, 0, 32)]
        for (seed, (size, padBefore, outputs)) in shapes.enumerated() {
            var random = SplitMix64(seed: UInt64(seed))
            let image = (0..<size * size * 3).map { _ in Float.random(in: -1...1, using: &random) }
            let kernel = (0..<27 * outputs).map { _ in Float.random(in: -1...1, using: &random) }
            let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &random) }
            var packed = [Float](repeating: .nan, count: orchard_pointwise_packed_count(27, Int32(outputs)))
            var packedBias = [Float](repeating: .nan, count: orchard_pointwise_packed_bias_count(Int32(outputs)))
            orchard_pointwise_pack(kernel, bias, 27, Int32(outputs), &packed, &packedBias)
            let outSize = (size + 1) / 2
            var g = orchard_patches3x3(in_height: Int32(size), in_width: Int32(size), channels: 3, stride: 2,
                                       pad_top: Int32(padBefore), pad_left: Int32(padBefore), out_width: Int32(outSize))
            for rows in [0..<outSize, 1..<min(4, outSize), (outSize - 1)..<outSize] {
                var patches = [Float](repeating: .nan, count: rows.count * outSize * 27)
                orchard_patches3x3_rows(&g, image, Int32(rows.lowerBound), Int32(rows.upperBound), &patches)
                var gathered = [Float](repeating: .nan, count: rows.count * outSize * outputs), inPlace = gathered
                var scratch = [Float](repeating: .nan, count: outSize * 27)
                let status = packed.withUnsafeBufferPointer { w in
                    packedBias.withUnsafeBufferPointer { b in
                        var p = orchard_pointwise(xnn_operator: nil, packed: w.baseAddress, bias: b.baseAddress,
                                                  inputs: 27, outputs: Int32(outputs), min: 0, max: 6)
                        _ = orchard_pointwise_run_isa(&p, rows.count * outSize, patches, &gathered, isa)
                        return orchard_conv3x3_rows_isa(&g, &p, image, Int32(rows.lowerBound), Int32(rows.upperBound),
                                                        &scratch, &inPlace, isa)
                    }
                }
                if status == -1 { return }  // this CPU lacks the instruction set
                let differing = zip(inPlace, gathered).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(isa) \(size)×\(size) pad \(padBefore) → \(outputs), rows \(rows): \(differing) differ")
                #expect(!inPlace.contains { $0.isNaN }, "\(isa) \(size)×\(size): an output left unwritten")
            }
        }
    }
}
