import COrchardKernels
import CXNNPACK
import OrchardTestKit
import Testing

/// Orchard's 1×1 convolution kernel, each instruction set this CPU has: the same bits as the scalar kernel
/// (every kernel sums in one order with fused multiply-adds) and within float32 rounding of a float64
/// reference, on pixel counts around its tiles (and pairs of pixels) and output counts around its panels of 16.
@Suite struct PointwiseKernelTests {
    struct Layer {
        let pixels: Int, inputs: Int, outputs: Int
        let input: [Float], kernel: [Float], bias: [Float]
        let min: Float, max: Float
    }

    static let shapes: [(pixels: Int, inputs: Int, outputs: Int)] = [1, 5, 6, 7, 8, 13, 49].flatMap { pixels in
        // 8, 16 and 24 outputs from up to 256 inputs run on AVX-512's narrow kernel (two pixels per vector);
        // AVX-512 panels whose weights pass 24 KiB (200, 401 and 600 inputs) run in slices of inputs, even
        // and uneven, beside a half panel and a partial one.
        [(1, 1), (3, 8), (24, 16), (17, 24), (40, 33), (144, 24), (8, 40), (32, 16), (264, 24), (200, 32), (401, 40),
         (600, 48)].map { (pixels, $0.0, $0.1) }
    }

    static func layer(_ shape: (pixels: Int, inputs: Int, outputs: Int), seed: UInt64, relu6: Bool) -> Layer {
        var random = SplitMix64(seed: seed)
        func values(_ count: Int, _ range: ClosedRange<Float>) -> [Float] {
            (0..<count).map { _ in Float.random(in: range, using: &random) }
        }
        return Layer(pixels: shape.pixels, inputs: shape.inputs, outputs: shape.outputs,
                     input: values(shape.pixels * shape.inputs, -3...3),
                     kernel: values(shape.inputs * shape.outputs, -1...1), bias: values(shape.outputs, -1...1),
                     min: relu6 ? 0 : -.infinity, max: relu6 ? 6 : .infinity)
    }

    /// Each product in float64, then the clamp, then rounded.
    static func reference(_ l: Layer) -> [Float] {
        (0..<l.pixels).flatMap { p in
            (0..<l.outputs).map { o in
                var sum = Double(l.bias[o])
                for i in 0..<l.inputs { sum += Double(l.input[p * l.inputs + i]) * Double(l.kernel[i * l.outputs + o]) }
                return Float(Swift.min(Swift.max(sum, Double(l.min)), Double(l.max)))
            }
        }
    }

    /// `run` on the kernel's description of `l`, its weights packed by `orchard_pointwise_pack`; the output
    /// starts as NaN, so a value the kernel leaves unwritten fails the comparison.
    static func output(_ l: Layer, _ run: (UnsafePointer<orchard_pointwise>, UnsafePointer<Float>,
                                           UnsafeMutablePointer<Float>) -> Int32) -> [Float]?
    {
        var packed = [Float](repeating: .nan, count: orchard_pointwise_packed_count(Int32(l.inputs), Int32(l.outputs)))
        var bias = [Float](repeating: .nan, count: orchard_pointwise_packed_bias_count(Int32(l.outputs)))
        orchard_pointwise_pack(l.kernel, l.bias, Int32(l.inputs), Int32(l.outputs), &packed, &bias)
        var output = [Float](repeating: .nan, count: l.pixels * l.outputs)
        let status = packed.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                var p = orchard_pointwise(xnn_operator: nil, packed: w.baseAddress, bias: b.baseAddress,
                                          inputs: Int32(l.inputs), outputs: Int32(l.outputs), min: l.min, max: l.max)
                return output.withUnsafeMutableBufferPointer { out in run(&p, l.input, out.baseAddress!) }
            }
        }
        return status == 0 ? output : nil
    }

    @Test(arguments: ["avx512f", "avx2"], [false, true])
    func everyKernelGivesTheScalarBits(isa: String, relu6: Bool) throws {
        var ran = 0
        for (index, shape) in Self.shapes.enumerated() {
            let l = Self.layer(shape, seed: UInt64(index), relu6: relu6)
            let scalar = try #require(Self.output(l) { orchard_pointwise_run_isa($0, l.pixels, $1, $2, "scalar") })
            guard let vector = Self.output(l, { orchard_pointwise_run_isa($0, l.pixels, $1, $2, isa) }) else { continue }
            ran += 1
            let differing = zip(vector, scalar).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(isa) \(shape): \(differing) of \(scalar.count) values differ")
        }
        #expect(ran == 0 || ran == Self.shapes.count)
    }

    @Test(arguments: [false, true])
    func theScalarKernelMatchesTheReference(relu6: Bool) throws {
        for (index, shape) in Self.shapes.enumerated() {
            let l = Self.layer(shape, seed: UInt64(index), relu6: relu6)
            let output = try #require(Self.output(l) { orchard_pointwise_run_isa($0, l.pixels, $1, $2, "scalar") })
            let worst = zip(output, Self.reference(l)).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst <= 1e-4, "\(shape): max |Δ| \(worst)")
            if relu6 { #expect(output.allSatisfy { (0...6).contains($0) }) }
        }
    }

    /// A last tile narrower than its vectors stores only its own outputs: the floats after the last row stay
    /// as they were (a full-width store there would write past the caller's buffer).
    @Test(arguments: ["avx512f", "avx2", "scalar"])
    func nothingIsWrittenPastTheLastOutput(isa: String) throws {
        for (index, shape) in Self.shapes.enumerated() where shape.outputs % 16 != 0 {
            let l = Self.layer(shape, seed: UInt64(index), relu6: false)
            let guardCount = 32
            let written = Self.output(l) { p, input, output in
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: l.pixels * l.outputs + guardCount)
                defer { padded.deallocate() }
                padded.initialize(repeating: 12345, count: l.pixels * l.outputs + guardCount)
                let status = orchard_pointwise_run_isa(p, l.pixels, input, padded, isa)
                output.update(from: padded, count: l.pixels * l.outputs)
                let untouched = (0..<guardCount).allSatisfy { padded[l.pixels * l.outputs + $0] == 12345 }
                #expect(status != 0 || untouched, "\(isa) \(shape): wrote past its last output")
                return status
            }
            if written == nil { return }  // this CPU lacks `isa`
        }
    }

    /// The head's split over threads: every share of the pixels, whatever the split, as one run computes it.
    @Test(arguments: [1, 2, 3, 7])
    func sharesOfThePixelsGiveOneRunsBits(parts: Int32) throws {
        let l = Self.layer((pixels: 49, inputs: 40, outputs: 24), seed: 7, relu6: true)
        let whole = try #require(Self.output(l) { orchard_pointwise_run($0, l.pixels, $1, $2); return 0 })
        let pool = pthreadpool_create(2)
        defer { pthreadpool_destroy(pool) }
        let shared = try #require(Self.output(l) { p, input, output in
            orchard_pointwise_run_shared(p, l.pixels, input, output, UnsafeMutableRawPointer(pool), parts)
            return 0
        })
        #expect(zip(shared, whole).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
