import Testing

@testable import MobileNet
@testable import ModelExport

/// TFLite's SAME padding is Keras's padding, which the XNNPACK builder applies, for every size and stride.
@Suite struct SamePaddingTests {
    @Test func sameEqualsKerasPaddingForEverySize() {
        var mismatches: [String] = []
        for input in 1...2048 {
            for stride in [1, 2] {
                let same = SamePadding(input: input, kernel: 3, stride: stride)
                let keras = MobileNetV2Architecture.padding(input, stride: stride)
                let size = MobileNetV2Architecture.outputSize(input, stride: stride)
                if (same.before, same.after, same.output) != (keras.before, keras.after, size) {
                    mismatches.append("input \(input) stride \(stride): SAME \(same), Keras \(keras) → \(size)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // 1×1 convolutions pad nothing, as the XNNPACK builder's `kh == 1 ? (0, 0)`.
        let pointwise = SamePadding(input: 7, kernel: 1, stride: 1)
        #expect(pointwise.before == 0 && pointwise.after == 0 && pointwise.output == 7)
    }
}
