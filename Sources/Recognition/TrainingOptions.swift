/// How a `SoftmaxClassifier` is trained; the defaults are scikit-learn's `LogisticRegression`'s.
public struct TrainingOptions: Sendable, Equatable {
    /// Inverse L2 regularisation strength: the objective is the summed log-loss plus ‖W‖²/(2C).
    public var c: Double = 1.0
    /// L-BFGS iterations at most.
    public var maxIterations = 200
    /// Stop once every component of the mean-loss gradient is at most this in absolute value.
    public var tolerance = 1e-4
    /// How much each row's loss counts, by its class.
    public var classWeight = ClassWeighting.uniform
    /// With validation rows: stop after this many iterations in a row without the validation loss
    /// improving (see `EarlyStopping`) and keep the weights with the lowest validation loss. Nil: never.
    public var earlyStoppingPatience: Int?

    /// Options with scikit-learn's defaults, changed where given.
    public init(
        c: Double = 1.0, maxIterations: Int = 200, tolerance: Double = 1e-4, classWeight: ClassWeighting = .uniform,
        earlyStoppingPatience: Int? = nil
    ) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.classWeight = classWeight
        self.earlyStoppingPatience = earlyStoppingPatience
    }

    /// Throws `RecognitionError.invalidOption` for a value out of range.
    func check() throws {
        guard c > 0, c.isFinite else { throw RecognitionError.invalidOption(name: "c", reason: "must be a positive number") }
        guard maxIterations >= 1 else { throw RecognitionError.invalidOption(name: "maxIterations", reason: "must be at least 1") }
        guard tolerance >= 0, tolerance.isFinite else {
            throw RecognitionError.invalidOption(name: "tolerance", reason: "must be a non-negative number")
        }
        if let patience = earlyStoppingPatience, patience < 1 {
            throw RecognitionError.invalidOption(name: "earlyStoppingPatience", reason: "must be at least 1 (nil turns early stopping off)")
        }
    }
}

/// Where training stands after an iteration, for progress output.
public struct TrainingProgress: Sendable {
    /// Iterations done.
    public var iteration: Int
    /// The objective per row: the weighted mean log-loss plus the penalty, as scikit-learn's (on the scale
    /// of the validation loss and of the gradient).
    public var loss: Double
    /// The largest absolute component of the mean-loss gradient.
    public var gradientNorm: Double
    /// The mean log-loss on the validation rows, when there are some.
    public var validationLoss: Double?
    /// The share of validation rows classified right, when there are some.
    public var validationAccuracy: Double?
}

/// What training did: its data, its effort and how well it fits the rows it saw and the rows it did not.
///
/// The optional fields are absent from bundles written before they existed (and when they do not apply).
public struct TrainingMetrics: Sendable, Equatable, Codable {
    /// Rows trained on.
    public var trainRows: Int
    /// Rows skipped: failed images or rows without features.
    public var skippedRows: Int
    /// L-BFGS iterations run.
    public var iterations: Int
    /// The objective at the weights kept, per row: the weighted mean log-loss plus the penalty, as
    /// scikit-learn's (bundles before 2026-12 stored it summed over the rows).
    public var finalLoss: Double
    /// The gradient max-norm at the weights kept (mean-loss scale, as the tolerance).
    public var finalGradientNorm: Double
    /// Whether the gradient tolerance was reached at the weights kept.
    public var converged: Bool
    /// The share of training rows whose most probable class is their label.
    public var trainAccuracy: Double
    /// The inverse regularisation strength used.
    public var c: Double
    /// `balanced` when rows were weighted by class; absent when every row counted once.
    public var classWeight: String?
    /// Rows held out for validation, when there were some.
    public var validationRows: Int?
    /// The share of validation rows classified right by the weights kept.
    public var validationAccuracy: Double?
    /// The mean log-loss (cross-entropy, unweighted) of the validation rows under the weights kept.
    public var validationLoss: Double?
    /// With early stopping: the iteration whose weights were kept (lowest validation loss).
    public var bestIteration: Int?
    /// With early stopping: whether it ended training before convergence or the iteration limit.
    public var stoppedEarly: Bool?
}
