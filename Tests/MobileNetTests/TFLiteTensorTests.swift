import Testing

@testable import MobileNet

/// The float16 widening float16 TFLite files (weights behind DEQUANTIZE operators) rely on.
@Suite struct TFLiteTensorTests {
    #if !(os(macOS) && arch(x86_64))  // Swift's Float16 is missing on Intel macOS
    @Test func halfWideningMatchesFloat16ForEveryBitPattern() {
        var mismatches = 0
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let found = TFLiteTensor.widen(bits)
            let same = expected.isNaN ? found.isNaN : found.bitPattern == expected.bitPattern
            if !same { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
    #endif

    @Test func halfWideningKnownValues() {
        #expect(TFLiteTensor.widen(0x3C00) == 1)
        #expect(TFLiteTensor.widen(0xC000) == -2)
        #expect(TFLiteTensor.widen(0x7BFF) == 65504)
        #expect(TFLiteTensor.widen(0x0001) == 0x1p-24)
        #expect(TFLiteTensor.widen(0x8000).bitPattern == (-Float(0)).bitPattern)
        #expect(TFLiteTensor.widen(0x7C00) == .infinity)
        #expect(TFLiteTensor.widen(0x7E00).isNaN)
    }
}
