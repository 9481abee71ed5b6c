/// How many principal components a fit keeps.
public enum ComponentSelection: Sendable, Equatable, Codable {
    /// Exactly this many components (1...min(n, d)).
    case count(Int)
    /// The fewest components whose cumulative explained-variance ratio exceeds this fraction,
    /// chosen like scikit-learn's `PCA(n_components=0.95)` (strictly greater, `searchsorted(side="right") + 1`).
    case varianceRatio(Double)
}
