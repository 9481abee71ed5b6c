/// TFLite's SAME padding (tensorflow/lite/kernels/padding.h): output ⌈input / stride⌉, the total
/// padding `(output − 1)·stride + kernel − input` split with the smaller half first.
///
/// For MobileNetV2's 3×3 layers this is exactly Keras's padding, which the XNNPACK builder applies:
/// (1, 1) at stride 1, and at stride 2 `correct_pad` + 'valid' — one pixel after, one before only
/// when the size is odd. So every exported convolution is SAME and needs no PAD operator.
struct SamePadding: Equatable {
    let before: Int
    let after: Int
    let output: Int

    init(input: Int, kernel: Int, stride: Int) {
        output = (input + stride - 1) / stride
        let total = max((output - 1) * stride + kernel - input, 0)
        before = total / 2
        after = total - before
    }
}
