import Foundation

/// Multinomial logistic regression on standardised features: scikit-learn's `LogisticRegression`
/// (lbfgs, L2 penalty on the weights, free intercepts) after a `StandardScaler`.
public struct SoftmaxClassifier: Sendable, Equatable, Codable {
    /// The class names, sorted; class `k` is `labels[k]`.
    public let labels: [String]
    /// The standardisation fitted on the training rows, applied before the weights.
    public let standardization: Standardization
    /// Weights, `dimension` × `labels.count`, row-major.
    public let weights: [Double]
    /// One intercept per class.
    public let intercepts: [Double]

    /// A classifier from its parts (checked for consistent sizes).
    public init(labels: [String], standardization: Standardization, weights: [Double], intercepts: [Double]) throws {
        guard labels.count >= 2 else { throw RecognitionError.tooFewClasses(labels) }
        guard intercepts.count == labels.count, weights.count == standardization.dimension * labels.count,
              standardization.scale.count == standardization.dimension, standardization.dimension > 0
        else {
            throw RecognitionError.dimensionMismatch(
                expected: standardization.dimension * labels.count, actual: weights.count, source: "classifier weights")
        }
        guard standardization.scale.allSatisfy({ $0 > 0 && $0.isFinite }), standardization.mean.allSatisfy(\.isFinite),
              weights.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite)
        else {
            throw RecognitionError.invalidOption(name: "classifier", reason: "holds a non-finite value or a non-positive scale")
        }
        self.labels = labels
        self.standardization = standardization
        self.weights = weights
        self.intercepts = intercepts
    }

    private enum CodingKeys: String, CodingKey { case labels, standardization, weights, intercepts }

    /// Decodes through the checked initialiser, so a file cannot make an inconsistent classifier.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            labels: container.decode([String].self, forKey: .labels),
            standardization: container.decode(Standardization.self, forKey: .standardization),
            weights: container.decode([Double].self, forKey: .weights),
            intercepts: container.decode([Double].self, forKey: .intercepts))
    }

    /// The feature count the classifier takes.
    public var dimension: Int { standardization.dimension }

    /// The probability of each class (in `labels` order) for one image's features.
    ///
    /// `features` must have `dimension` values; callers check rows from outside against it first.
    public func predictProbabilities(_ features: [Float]) -> [Double] {
        precondition(features.count == dimension, "expected \(dimension) features, got \(features.count)")
        let x = standardization.apply(features)
        let k = labels.count
        var z = intercepts
        for j in 0..<dimension where x[j] != 0 {
            for c in 0..<k { z[c] += x[j] * weights[j * k + c] }
        }
        let top = z.max() ?? 0
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
