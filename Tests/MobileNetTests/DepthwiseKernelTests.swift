import COrchardKernels
import OrchardTestKit
import Testing

/// Orchard's 3×3 depthwise kernel, each instruction set this CPU has, against a plain reference, on the
/// shapes its fast and border paths split on: widths below and around its four-pixel groups, both strides,
/// odd and even sizes, channel counts with a remainder after the last whole vector, whole vectors (where
/// stride-1 rows run in pairs), and bands of rows.
@Suite struct DepthwiseKernelTests {
    struct Shape: CustomStringConvertible {
        let size: Int, channels: Int, stride: Int
        var description: String { "\(size)×\(size)×\(channels) stride \(stride)" }
        var padTop: Int { stride == 1 ? 1 : size % 2 }  // Keras: 'same', or correct_pad + 'valid'
        var outputSize: Int { (size + stride - 1) / stride }
    }

    static let shapes: [Shape] = [1, 2, 3, 4, 5, 7, 9, 14, 15].flatMap { size in
        [(24, 1), (24, 2), (40, 1), (40, 2), (3, 1), (16, 2), (32, 1), (48, 1)].map { Shape(size: size, channels: $0.0, stride: $0.1) }
    }

    /// Every tap in float64, the clamp, then rounded: the kernel's float32 FMAs stay within a few ulps.
    static func reference(_ shape: Shape, _ input: [Float], _ weights: [Float], _ bias: [Float]) -> [Float] {
        let (n, c, o) = (shape.size, shape.channels, shape.outputSize)
        var output = [Float](repeating: 0, count: o * o * c)
        for oy in 0..<o {
            for ox in 0..<o {
                for ch in 0..<c {
                    var sum = Double(bias[ch])
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let iy = oy * shape.stride - shape.padTop + ky, ix = ox * shape.stride - shape.padTop + kx
                            guard (0..<n).contains(iy), (0..<n).contains(ix) else { continue }
                            sum += Double(input[(iy * n + ix) * c + ch]) * Double(weights[(ky * 3 + kx) * c + ch])
                        }
                    }
                    output[(oy * o + ox) * c + ch] = Float(min(max(sum, 0), 6))
                }
            }
        }
        return output
    }

    /// Random input, weights and bias for `shape`, from `seed`.
    static func layer(_ shape: Shape, seed: UInt64) -> (input: [Float], weights: [Float], bias: [Float]) {
        var random = SplitMix64(seed: seed)
        let (n, c) = (shape.size, shape.channels)
        return ((0..<(n * n * c)).map { _ in Float.random(in: -3...3, using: &random) },
                (0..<(9 * c)).map { _ in Float.random(in: -1...1, using: &random) },
                (0..<c).map { _ in Float.random(in: -1...1, using: &random) })
    }

    /// Runs `body` on the kernel's description of `shape` over `input` (holding rows `inputRow0`…) into
    /// `output` (rows `outputRow0`…).
    static func withLayer<R>(_ shape: Shape, _ input: [Float], _ weights: [Float], _ bias: [Float],
                             inputRow0: Int = 0, outputRow0: Int = 0, into output: inout [Float],
                             _ body: (inout orchard_depthwise3x3) -> R) -> R
    {
        let (n, o) = (Int32(shape.size), Int32(shape.outputSize))
        return input.withUnsafeBufferPointer { i in
            weights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        var p = orchard_depthwise3x3(
                            input: i.baseAddress, output: out.baseAddress, input_row0: Int32(inputRow0),
                            output_row0: Int32(outputRow0), weights: w.baseAddress, bias: b.baseAddress,
                            in_height: n, in_width: n, out_height: o, out_width: o, channels: Int32(shape.channels),
                            stride: Int32(shape.stride), pad_top: Int32(shape.padTop), pad_left: Int32(shape.padTop),
                            min: 0, max: 6, input_ring_rows: 0)
                        return body(&p)
                    }
                }
            }
        }
    }

    @Test(arguments: ["avx512f", "avx2", "scalar"])
    func everyShapeMatchesTheReference(isa: String) throws {
        var ran = 0
        for (index, shape) in Self.shapes.enumerated() {
            let (input, weights, bias) = Self.layer(shape, seed: UInt64(index))
            let expected = Self.reference(shape, input, weights, bias)
            var output = [Float](repeating: .nan, count: expected.count)
            let status = Self.withLayer(shape, input, weights, bias, into: &output) { p in
                orchard_depthwise3x3_run_isa(&p, 0, Int32(shape.outputSize), isa)
            }
            if status == -1 { continue }  // this CPU lacks the instruction set
            ran += 1
            let worst = zip(output, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst <= 1e-5, "\(isa) \(shape): max |Δ| \(worst)")
        }
        if isa == "scalar" { #expect(ran == Self.shapes.count) }
    }

    /// Rows run in pairs where they can (stride 1, whole vectors of channels, four input rows inside): a pair
    /// must give the bits two single rows give, since the runtime pairs rows or not by where its bands fall.
    @Test(arguments: ["avx512f", "avx2", "scalar"])
    func rowsInPairsGiveTheBitsOfSingleRows(isa: String) throws {
        for size in [4, 5, 7, 14] {
            let shape = Shape(size: size, channels: 32, stride: 1)
            let (input, weights, bias) = Self.layer(shape, seed: UInt64(100 + size))
            var together = [Float](repeating: .nan, count: size * size * 32), single = together
            let status = Self.withLayer(shape, input, weights, bias, into: &together) { p in
                orchard_depthwise3x3_run_isa(&p, 0, Int32(size), isa)
            }
            if status == -1 { return }  // this CPU lacks the instruction set
            for row in 0..<size {
                Self.withLayer(shape, input, weights, bias, into: &single) { p in
                    _ = orchard_depthwise3x3_run_isa(&p, Int32(row), Int32(row + 1), isa)
                }
            }
            let differing = zip(together, single).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(isa) \(shape): \(differing) outputs differ in their bits")
        }
    }

    /// Output rows of a band, read from and written to buffers holding only the band's rows: one row of 40
    /// channels (single rows), and rows 3…6 of 32 channels (two pairs), their input rows in order or in a
    /// ring (as the runtime keeps a block's expanded rows: row r in slot r mod n, here wrapping past its end).
    @Test(arguments: [(40, 4..<5, 0, 11), (32, 3..<7, 0, 12), (40, 4..<5, 4, 13), (32, 3..<7, 6, 14)]
        as [(Int, Range<Int>, Int, UInt64)])
    func aBandOfRowsReadsAndWritesRelativeToItsFirstRows(channels: Int, rows: Range<Int>, ring: Int,
                                                         seed: UInt64) throws {
        let shape = Shape(size: 9, channels: channels, stride: 1)
        let (input, weights, bias) = Self.layer(shape, seed: seed)
        let expected = Self.reference(shape, input, weights, bias)
        let rowLength = shape.size * shape.channels
        let inputRows = (rows.lowerBound - 1)...rows.upperBound  // stride 1: output row r reads rows r − 1 … r + 1
        var band = [Float](repeating: .nan, count: (ring > 0 ? ring : inputRows.count) * rowLength)
        for row in inputRows {
            let slot = ring > 0 ? row % ring : row - inputRows.lowerBound
            band.replaceSubrange((slot * rowLength)..<((slot + 1) * rowLength),
                                 with: input[(row * rowLength)..<((row + 1) * rowLength)])
        }
        var output = [Float](repeating: .nan, count: rows.count * rowLength)
        Self.withLayer(shape, band, weights, bias, inputRow0: ring > 0 ? 0 : inputRows.lowerBound,
                       outputRow0: rows.lowerBound, into: &output) { p in
            p.input_ring_rows = Int32(ring)
            orchard_depthwise3x3_run(&p, Int32(rows.lowerBound), Int32(rows.upperBound))
        }
        let expectedRows = expected[(rows.lowerBound * rowLength)..<(rows.upperBound * rowLength)]
        let worst = zip(output, expectedRows).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-5, "\(channels) channels, rows \(rows), ring \(ring)")
    }
}
