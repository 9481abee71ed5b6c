/// Training or evaluation rows: each row's label and features, collected from a featurized dataset.
///
/// Rows that failed (an error, or no features) or carry no label are counted in `skipped` and left out.
public struct LabeledFeatures: Sendable {
    /// Each kept row's label.
    public private(set) var labels: [String] = []
    /// The kept rows' features, row-major (`count` × `dimension`), as the dataset stores them.
    public private(set) var values: [Float] = []
    /// The feature count, fixed by the first kept row (or by `init(dimension:)`).
    public private(set) var dimension: Int?
    /// Rows left out because their image failed, they had no features or no label.
    public private(set) var skipped = 0
    /// Of `skipped`, the rows with features but no label (null or empty): nothing to learn or score against.
    public private(set) var unlabeled = 0

    /// An empty collection; with `dimension`, every row must have that many features.
    public init(dimension: Int? = nil) {
        self.dimension = dimension
    }

    /// The number of kept rows.
    public var count: Int { labels.count }

    /// Adds one row; `source` (its path) names it in errors.
    public mutating func add(label: String, features: [Float]?, error: String?, source: String) throws {
        guard error == nil, let features else {
            skipped += 1
            return
        }
        let expected = dimension ?? features.count
        guard features.count == expected, expected > 0 else {
            throw RecognitionError.dimensionMismatch(expected: expected, actual: features.count, source: source)
        }
        if let column = features.firstIndex(where: { !$0.isFinite }) {
            throw RecognitionError.nonFiniteFeature(source: source, column: column)
        }
        guard !label.isEmpty else {
            skipped += 1
            unlabeled += 1
            return
        }
        dimension = expected
        labels.append(label)
        values.append(contentsOf: features)
    }

    /// Row `index`'s features.
    public func features(at index: Int) -> [Float] {
        let d = dimension ?? 0
        return Array(values[index * d ..< (index + 1) * d])
    }

    /// What was left out, in words: "3 failed rows skipped", "2 rows without a label skipped", or both.
    public var skippedText: String {
        let failed = skipped - unlabeled
        let parts = (failed > 0 || unlabeled == 0 ? ["\(failed) failed rows"] : []) + (unlabeled > 0 ? ["\(unlabeled) rows without a label"] : [])
        return parts.joined(separator: " and ") + " skipped"
    }

    /// The rows at `indices`, in that order, with `skipped` rows (`unlabeled` of them without a label) counted as left out.
    func rows(_ indices: [Int], skipped: Int, unlabeled: Int = 0) -> LabeledFeatures {
        var subset = LabeledFeatures(dimension: dimension)
        let d = dimension ?? 0
        subset.labels.reserveCapacity(indices.count)
        subset.values.reserveCapacity(indices.count * d)
        for i in indices {
            subset.labels.append(labels[i])
            subset.values.append(contentsOf: values[i * d ..< (i + 1) * d])
        }
        subset.skipped = skipped
        subset.unlabeled = unlabeled
        return subset
    }

    /// The same rows with other features (`values`: `count` × `dimension` row-major), e.g. projected.
    func replacingFeatures(_ values: [Float], dimension: Int) -> LabeledFeatures {
        precondition(values.count == count * dimension, "\(values.count) values for \(count) rows of \(dimension)")
        var copy = self
        copy.values = values
        copy.dimension = dimension
        return copy
    }
}
