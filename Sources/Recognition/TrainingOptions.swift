/// How a `SoftmaxClassifier` is trained; the defaults are scikit-learn's `LogisticRegression`'s.
public struct TrainingOptions: Sendable, Equatable {
    /// Inverse L2 regularisation strength: the objective is the summed log-loss plus ‖W‖²/(2C).
    public var c: Double = 1.0
    /// L-BFGS iterations at most.
    public var maxIterations = 200
    /// Stop once every component of the mean-loss gradient is at most this in absolute value.
    public var tolerance = 1e-4

    /// Options with scikit-learn's defaults, changed where given.
    public init(c: Double = 1.0, maxIterations: Int = 200, tolerance: Double = 1e-4) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }
}

/// Where training stands after an iteration, for progress output.
public struct TrainingProgress: Sendable {
    /// Iterations done.
    public var iteration: Int
    /// The objective (summed log-loss plus penalty).
    public var loss: Double
    /// The largest absolute component of the mean-loss gradient.
    public var gradientNorm: Double
}

/// What training did: its data, its effort and how well it fits the rows it saw.
public struct TrainingMetrics: Sendable, Equatable, Codable {
    /// Rows trained on.
    public var trainRows: Int
    /// Rows skipped: failed images or rows without features.
    public var skippedRows: Int
    /// L-BFGS iterations run.
    public var iterations: Int
    /// The objective at the end (summed log-loss plus penalty).
    public var finalLoss: Double
    /// The gradient max-norm at the end (mean-loss scale, as the tolerance).
    public var finalGradientNorm: Double
    /// Whether the gradient tolerance was reached.
    public var converged: Bool
    /// The share of training rows whose most probable class is their label.
    public var trainAccuracy: Double
    /// The inverse regularisation strength used.
    public var c: Double
}
