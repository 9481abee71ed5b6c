/// How much each row's loss counts, by its class: the answer to imbalanced classes.
public enum ClassWeighting: String, Sendable, Equatable, CaseIterable, Codable {
    /// Every row counts once.
    case uniform
    /// Each class counts as much in total: a row of class c weighs n / (K · n_c), scikit-learn's
    /// `class_weight="balanced"` (n rows, K classes, n_c rows of class c). The weights average 1.
    case balanced

    /// The weight of a row of each class, given how many training rows each class has (none zero).
    public func weights(classCounts counts: [Int]) -> [Double] {
        switch self {
        case .uniform:
            return counts.map { _ in 1 }
        case .balanced:
            let n = Double(counts.reduce(0, +)), k = Double(counts.count)
            return counts.map { n / (k * Double($0)) }
        }
    }
}
