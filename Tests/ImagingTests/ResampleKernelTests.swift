import COrchardKernels
import OrchardTestKit
import Testing

@testable import Imaging

/// The resize passes, each instruction set this CPU has, against the portable ones on random pixels: the
/// Pillow parity tests run only the kernels this CPU picks.
@Suite struct ResampleKernelTests {
    @Test(arguments: [(100, 224), (224, 100), (7, 3), (3, 7), (640, 224)])
    func everyKernelGivesTheScalarBytes(sizes: (inSize: Int, outSize: Int)) throws {
        let kernel = ResampleKernel(inSize: sizes.inSize, outSize: sizes.outSize)
        var random = SplitMix64(seed: UInt64(sizes.inSize * 1000 + sizes.outSize))
        let rowLength = 3 * 37  // not a multiple of the vector width: the tail loop runs too
        let source = (0..<(sizes.inSize * rowLength)).map { _ in UInt8.random(in: 0...255, using: &random) }
        func run(_ isa: String) -> [UInt8]? {
            var output = [UInt8](repeating: 0, count: sizes.outSize * rowLength)
            let status = source.withUnsafeBufferPointer { src in
                kernel.weights.withUnsafeBufferPointer { w in
                    kernel.starts.withUnsafeBufferPointer { starts in
                        kernel.counts.withUnsafeBufferPointer { counts in
                            output.withUnsafeMutableBufferPointer { out in
                                orchard_resample_vertical_isa(src.baseAddress, rowLength, w.baseAddress, kernel.taps,
                                                              starts.baseAddress, counts.baseAddress, 0,
                                                              out.baseAddress, sizes.outSize, isa)
                            }
                        }
                    }
                }
            }
            return status == 0 ? output : nil
        }
        let scalar = try #require(run("scalar"))
        #expect(Set(scalar).count > 100)  // real pixels, not a constant image
        if let avx2 = run("avx2") { #expect(avx2 == scalar) }
    }

    @Test(arguments: [(100, 224), (224, 100), (7, 3), (3, 7), (640, 224)])
    func everyHorizontalKernelGivesTheScalarBytes(sizes: (inSize: Int, outSize: Int)) throws {
        let kernel = ResampleKernel(inSize: sizes.inSize, outSize: sizes.outSize)
        var random = SplitMix64(seed: UInt64(sizes.inSize * 7 + sizes.outSize))
        let rows = 71  // two whole strips of 32 rows and a partial one
        let source = (0..<(rows * sizes.inSize * 3)).map { _ in UInt8.random(in: 0...255, using: &random) }
        func run(_ isa: String) -> [UInt8]? {
            var output = [UInt8](repeating: 0, count: rows * sizes.outSize * 3)
            let status = source.withUnsafeBufferPointer { src in
                kernel.weights.withUnsafeBufferPointer { w in
                    kernel.starts.withUnsafeBufferPointer { starts in
                        kernel.counts.withUnsafeBufferPointer { counts in
                            output.withUnsafeMutableBufferPointer { out in
                                orchard_resample_horizontal_rgb_isa(src.baseAddress, sizes.inSize, rows, w.baseAddress,
                                                                    kernel.taps, starts.baseAddress, counts.baseAddress,
                                                                    out.baseAddress, sizes.outSize, isa)
                            }
                        }
                    }
                }
            }
            return status == 0 ? output : nil
        }
        let scalar = try #require(run("scalar"))
        #expect(Set(scalar).count > 100)
        if let avx2 = run("avx2") { #expect(avx2 == scalar) }
    }
}
