import COrchardKernels

/// Resizes 8-bit RGB exactly like Pillow's `Image.resize(size, Image.BICUBIC)` (Resample.c): two
/// separable passes — normally horizontal over the rows the vertical pass needs, then vertical —
/// with the intermediate image rounded and clipped to 8 bits. Keeps kernels and the intermediate
/// image between calls, so resizing many images of one size computes weights once and allocates nothing.
struct BicubicResampler: Sendable {
    private struct KernelKey: Hashable, Sendable {
        var inSize: Int
        var outSize: Int
    }

    /// Most distinct (input, output) lengths kept; datasets rarely mix more sizes than this.
    private static let cacheLimit = 16
    private var kernels: [KernelKey: ResampleKernel] = [:]
    private var intermediate: [UInt8] = []

    /// An empty resampler; kernels are computed on first use.
    init() {}

    /// Resizes the `width`×`height` RGB `source` to `outWidth`×`outHeight` RGB in `target`.
    mutating func resize(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
        into target: UnsafeMutableBufferPointer<UInt8>, outWidth: Int, outHeight: Int
    ) {
        precondition(source.count >= width * height * 3 && target.count >= outWidth * outHeight * 3)
        let needHorizontal = outWidth != width
        let needVertical = outHeight != height
        if !needHorizontal && !needVertical {
            _ = target.initialize(from: source[0..<width * height * 3])
            return
        }
        let vertical = kernel(inSize: height, outSize: outHeight)
        guard needHorizontal else {
            verticalPass(source, rowLength: width * 3, kernel: vertical, firstRow: 0, into: target,
                         outHeight: outHeight)
            return
        }
        let horizontal = kernel(inSize: width, outSize: outWidth)
        if !needVertical {
            horizontalPass(source, width: width, rows: 0..<height, kernel: horizontal, into: target, outWidth: outWidth)
            return
        }
        var middle = intermediate
        intermediate = []
        if Self.verticalFirst(width: width, height: height, outWidth: outWidth, outHeight: outHeight) {
            resizeBuffer(&middle, to: width * outHeight * 3)
            middle.withUnsafeMutableBufferPointer { middle in
                verticalPass(source, rowLength: width * 3, kernel: vertical, firstRow: 0, into: middle,
                             outHeight: outHeight)
                horizontalPass(UnsafeBufferPointer(middle), width: width, rows: 0..<outHeight, kernel: horizontal,
                               into: target, outWidth: outWidth)
            }
        } else {
            // Only the input rows some output row reads need the horizontal pass.
            let firstRow = vertical.starts[0]
            let lastRow = vertical.starts[outHeight - 1] + vertical.counts[outHeight - 1]
            resizeBuffer(&middle, to: (lastRow - firstRow) * outWidth * 3)
            middle.withUnsafeMutableBufferPointer { middle in
                horizontalPass(source, width: width, rows: firstRow..<lastRow, kernel: horizontal, into: middle,
                               outWidth: outWidth)
                verticalPass(UnsafeBufferPointer(middle), rowLength: outWidth * 3, kernel: vertical,
                             firstRow: firstRow, into: target, outHeight: outHeight)
            }
        }
        intermediate = middle
    }

    /// Pillow 13 resamples vertically first when the height shrinks by more than twice as many pixels
    /// as the width does (found by comparing both orders with Pillow on a few hundred random sizes;
    /// Pillow PR #9549). The order matters because the intermediate image is rounded to 8 bits.
    static func verticalFirst(width: Int, height: Int, outWidth: Int, outHeight: Int) -> Bool {
        height > outHeight && height - outHeight > 2 * (width - outWidth)
    }

    private mutating func kernel(inSize: Int, outSize: Int) -> ResampleKernel {
        let key = KernelKey(inSize: inSize, outSize: outSize)
        if let cached = kernels[key] { return cached }
        if kernels.count >= Self.cacheLimit { kernels.removeAll(keepingCapacity: true) }
        let kernel = ResampleKernel(inSize: inSize, outSize: outSize)
        kernels[key] = kernel
        return kernel
    }

    /// Resamples each row in `rows` of `source` to `outWidth` pixels, one output row per input row.
    /// Resamples rows (`rows` of the source) into consecutive output rows: Orchard's C kernel.
    private func horizontalPass(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, rows: Range<Int>, kernel: ResampleKernel,
        into target: UnsafeMutableBufferPointer<UInt8>, outWidth: Int
    ) {
        guard let src = source.baseAddress, let dst = target.baseAddress else { return }
        kernel.weights.withUnsafeBufferPointer { weights in
            kernel.starts.withUnsafeBufferPointer { starts in
                kernel.counts.withUnsafeBufferPointer { counts in
                    orchard_resample_horizontal_rgb(src + rows.lowerBound * width * 3, width, rows.count,
                                                    weights.baseAddress, kernel.taps, starts.baseAddress,
                                                    counts.baseAddress, dst, outWidth)
                }
            }
        }
    }

    /// Resamples columns: output row y mixes input rows `starts[y] - firstRow ..< + counts[y]`, whole rows
    /// at once (Orchard's C kernel, AVX2 where the CPU has it).
    private func verticalPass(
        _ source: UnsafeBufferPointer<UInt8>, rowLength: Int, kernel: ResampleKernel, firstRow: Int,
        into target: UnsafeMutableBufferPointer<UInt8>, outHeight: Int
    ) {
        guard let src = source.baseAddress, let dst = target.baseAddress else { return }
        kernel.weights.withUnsafeBufferPointer { weights in
            kernel.starts.withUnsafeBufferPointer { starts in
                kernel.counts.withUnsafeBufferPointer { counts in
                    orchard_resample_vertical(src, rowLength, weights.baseAddress, kernel.taps, starts.baseAddress,
                                              counts.baseAddress, firstRow, dst, outHeight)
                }
            }
        }
    }
}
