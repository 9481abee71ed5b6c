import COrchardKernels
import OrchardTestKit
import Testing

/// Orchard's 3×3 depthwise kernel, each instruction set this CPU has, against a plain reference, on the
/// shapes its fast and border paths split on: widths below and around its four-pixel groups, both strides,
/// odd and even sizes, channel counts with a remainder after the last whole vector, and bands of rows.
@Suite struct DepthwiseKernelTests {
    struct Shape: CustomStringConvertible {
        let size: Int, channels: Int, stride: Int
        var description: String { "\(size)×\(size)×\(channels) stride \(stride)" }
        var padTop: Int { stride == 1 ? 1 : size % 2 }  // Keras: 'same', or correct_pad + 'valid'
        var outputSize: Int { (size + stride - 1) / stride }
    }

    static let shapes: [Shape] = [1, 2, 3, 4, 5, 7, 9, 14, 15].flatMap { size in
        [(24, 1), (24, 2), (40, 1), (40, 2), (3, 1), (16, 2)].map { Shape(size: size, channels: $0.0, stride: $0.1) }
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

    @Test(arguments: ["avx512f", "avx2", "scalar"])
    func everyShapeMatchesTheReference(isa: String) throws {
        var random = SplitMix64(seed: 7)
        var ran = 0
        for shape in Self.shapes {
            let (n, c, o) = (shape.size, shape.channels, shape.outputSize)
            let input = (0..<(n * n * c)).map { _ in Float.random(in: -3...3, using: &random) }
            let weights = (0..<(9 * c)).map { _ in Float.random(in: -1...1, using: &random) }
            let bias = (0..<c).map { _ in Float.random(in: -1...1, using: &random) }
            let expected = Self.reference(shape, input, weights, bias)
            var output = [Float](repeating: .nan, count: o * o * c)
            let status = input.withUnsafeBufferPointer { i in
                weights.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        output.withUnsafeMutableBufferPointer { out in
                            var p = orchard_depthwise3x3(
                                input: i.baseAddress, output: out.baseAddress, input_row0: 0, output_row0: 0,
                                weights: w.baseAddress, bias: b.baseAddress, in_height: Int32(n), in_width: Int32(n),
                                out_height: Int32(o), out_width: Int32(o), channels: Int32(c), stride: Int32(shape.stride),
                                pad_top: Int32(shape.padTop), pad_left: Int32(shape.padTop), min: 0, max: 6)
                            return orchard_depthwise3x3_run_isa(&p, 0, Int32(o), isa)
                        }
                    }
                }
            }
            if status == -1 { continue }  // this CPU lacks the instruction set
            ran += 1
            let worst = zip(output, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst <= 1e-5, "\(isa) \(shape): max |Δ| \(worst)")
        }
        if isa == "scalar" { #expect(ran == Self.shapes.count) }
    }

    @Test func aBandOfRowsReadsAndWritesRelativeToItsFirstRows() throws {
        // Rows 3…5 of a 9×9 input computing output rows 4…4 at stride 1 (needs input rows 3…5).
        let shape = Shape(size: 9, channels: 40, stride: 1)
        var random = SplitMix64(seed: 11)
        let (n, c) = (shape.size, shape.channels)
        let input = (0..<(n * n * c)).map { _ in Float.random(in: -3...3, using: &random) }
        let weights = (0..<(9 * c)).map { _ in Float.random(in: -1...1, using: &random) }
        let bias = (0..<c).map { _ in Float.random(in: -1...1, using: &random) }
        let expected = Self.reference(shape, input, weights, bias)
        let band = Array(input[(3 * n * c)..<(6 * n * c)])
        var output = [Float](repeating: .nan, count: n * c)
        band.withUnsafeBufferPointer { i in
            weights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        var p = orchard_depthwise3x3(
                            input: i.baseAddress, output: out.baseAddress, input_row0: 3, output_row0: 4,
                            weights: w.baseAddress, bias: b.baseAddress, in_height: Int32(n), in_width: Int32(n),
                            out_height: Int32(n), out_width: Int32(n), channels: Int32(c), stride: 1,
                            pad_top: 1, pad_left: 1, min: 0, max: 6)
                        orchard_depthwise3x3_run(&p, 4, 5)
                    }
                }
            }
        }
        let worst = zip(output, expected[(4 * n * c)..<(5 * n * c)]).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-5)
    }
}
