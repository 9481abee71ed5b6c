/// How well predictions match true labels: accuracy, top-5 accuracy, per-class precision, recall and
/// F1 (as scikit-learn's `classification_report`, 0 where undefined), and the confusion matrix.
public struct Evaluation: Sendable, Equatable {
    /// One class's scores.
    public struct ClassScores: Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Rows whose true label is this class.
        public var support: Int
    }

    /// The confusion matrix's labels: the classifier's, then true labels it never saw (sorted).
    public let labels: [String]
    /// `confusion[t][p]`: rows of true label `labels[t]` predicted as `labels[p]`.
    public let confusion: [[Int]]
    /// Rows evaluated.
    public let rowCount: Int
    /// Rows whose true label was among their five most probable classes.
    public let top5Correct: Int
    /// Scores of each class in `labels`.
    public let perClass: [ClassScores]

    /// Scores `probabilities` (one row per image, in `classLabels` order) against `trueLabels`.
    public init(trueLabels: [String], probabilities: [[Double]], classLabels: [String]) {
        precondition(trueLabels.count == probabilities.count, "one probability row per true label")
        let unseen = Set(trueLabels).subtracting(classLabels).sorted()
        let labels = classLabels + unseen
        self.labels = labels
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var top5 = 0
        for (truth, p) in zip(trueLabels, probabilities) {
            let ranked = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            confusion[index[truth]!][ranked[0]] += 1
            if ranked.prefix(5).contains(where: { classLabels[$0] == truth }) { top5 += 1 }
        }
        self.confusion = confusion
        rowCount = trueLabels.count
        top5Correct = top5
        perClass = labels.indices.map { k in
            let truePositives = confusion[k][k]
            let predicted = confusion.reduce(0) { $0 + $1[k] }
            let support = confusion[k].reduce(0, +)
            let precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
            let recall = support == 0 ? 0 : Double(truePositives) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassScores(label: labels[k], precision: precision, recall: recall, f1: f1, support: support)
        }
    }

    /// Rows whose most probable class was their label.
    public var correct: Int { labels.indices.reduce(0) { $0 + confusion[$1][$1] } }
    /// The share of rows predicted right (0 with no rows).
    public var accuracy: Double { rowCount == 0 ? 0 : Double(correct) / Double(rowCount) }
    /// The share of rows whose label was among the five most probable classes.
    public var top5Accuracy: Double { rowCount == 0 ? 0 : Double(top5Correct) / Double(rowCount) }
}
