import COrchardKernels

/// Fixed-point bicubic weights for resampling one axis, computed exactly as Pillow's
/// `precompute_coeffs` + `normalize_coeffs_8bpc` (libImaging/Resample.c) do for a full-image box.
struct ResampleKernel: Sendable {
    /// Fractional bits of the weights (Pillow's `PRECISION_BITS`: 32 − 8 − 2), as the C passes shift them.
    static let precisionBits = Int32(ORCHARD_RESAMPLE_PRECISION_BITS)

    /// The most taps any output sample uses (Pillow's `ksize`); `weights` has this stride.
    let taps: Int
    /// First input index each output sample reads.
    let starts: [Int]
    /// How many inputs each output sample reads, from `starts`.
    let counts: [Int]
    /// `taps` weights per output sample, scaled by 2^22 and rounded away from zero.
    let weights: [Int32]

    /// The kernel taking `inSize` samples to `outSize` with Pillow's bicubic filter (a = −0.5).
    init(inSize: Int, outSize: Int) {
        let support = 2.0  // the bicubic filter's radius at scale 1
        let scale = Double(inSize) / Double(outSize)
        // Downscaling widens the filter so that every input sample contributes (antialiasing).
        let filterScale = max(scale, 1.0)
        let radius = support * filterScale
        let taps = Int(radius.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: outSize)
        var counts = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * taps)
        var raw = [Double](repeating: 0, count: taps)
        let inverseScale = 1.0 / filterScale
        for out in 0..<outSize {
            // The output sample's centre in input coordinates, pixel centres at +0.5.
            let center = (Double(out) + 0.5) * scale
            let first = max(Int(center - radius + 0.5), 0)
            let count = min(min(Int(center + radius + 0.5), inSize) - first, taps)
            var total = 0.0
            for tap in 0..<count {
                let weight = Self.bicubic((Double(tap + first) - center + 0.5) * inverseScale)
                raw[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let normalized = total != 0 ? raw[tap] / total : raw[tap]
                let fixed = normalized * Double(1 << Self.precisionBits)
                weights[out * taps + tap] = Int32(normalized < 0 ? -0.5 + fixed : 0.5 + fixed)
            }
            starts[out] = first
            counts[out] = max(count, 0)
        }
        self.taps = taps
        self.starts = starts
        self.counts = counts
        self.weights = weights
    }

    /// Keys's cubic convolution kernel with a = −0.5, written in Pillow's operation order so that
    /// the doubles (and so the rounded fixed-point weights) come out bit-identical.
    static func bicubic(_ value: Double) -> Double {
        let a = -0.5
        let x = abs(value)
        if x < 1.0 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
        if x < 2.0 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0.0
    }
}
