/// Per-feature centring and scaling, as scikit-learn's `StandardScaler` computes it on the training rows.
public struct Standardization: Sendable, Equatable, Codable {
    /// The mean of each feature over the training rows.
    public let mean: [Double]
    /// The population standard deviation of each feature (1 where it is zero, as `StandardScaler` does).
    public let scale: [Double]

    /// A standardisation from its parts; both arrays have one value per feature.
    public init(mean: [Double], scale: [Double]) {
        self.mean = mean
        self.scale = scale
    }

    /// The mean and standard deviation of the columns of `values` (`rows` × `dimension`, row-major).
    public init(fitting values: [Float], rows: Int, dimension: Int) {
        var mean = [Double](repeating: 0, count: dimension)
        for r in 0..<rows { for j in 0..<dimension { mean[j] += Double(values[r * dimension + j]) } }
        for j in 0..<dimension { mean[j] /= Double(max(rows, 1)) }
        // Two passes (mean, then squared deviations) so large means do not cancel the variance away.
        var variance = [Double](repeating: 0, count: dimension)
        for r in 0..<rows {
            for j in 0..<dimension {
                let d = Double(values[r * dimension + j]) - mean[j]
                variance[j] += d * d
            }
        }
        // StandardScaler leaves constant features unscaled (its `_handle_zeros_in_scale`).
        let scale = variance.enumerated().map { j, v -> Double in
            let s = (v / Double(max(rows, 1))).squareRoot()
            return s < 10 * Double.ulpOfOne * max(abs(mean[j]), 1) ? 1 : s
        }
        self.init(mean: mean, scale: scale)
    }

    /// The feature count.
    public var dimension: Int { mean.count }

    /// `(x - mean) / scale` for each feature of `features`.
    public func apply(_ features: [Float]) -> [Double] {
        (0..<dimension).map { (Double(features[$0]) - mean[$0]) / scale[$0] }
    }
}
