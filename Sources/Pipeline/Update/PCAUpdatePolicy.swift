import LinearAlgebra

/// What an update does with the dataset's PCA once the new parts' sums are in.
public enum PCAUpdatePolicy: String, Sendable, CaseIterable {
    /// Refit from every part's sums; re-project every row only if the model moved beyond `tolerance`.
    case auto
    /// Refit and re-project every row.
    case refit
    /// Project the new rows with the existing model (the sums are still kept for a later refit).
    case keep

    /// How far (largest absolute difference, components compared up to sign, the mean relative to its
    /// largest entry) a refitted model may move before every row is re-projected.
    public static let tolerance = 1e-3

    /// Whether `refitted` differs from `current` beyond `tolerance` (or keeps another number of components).
    static func moved(from current: PCAModel, to refitted: PCAModel) -> Bool {
        guard current.dimension == refitted.dimension, current.componentCount == refitted.componentCount else { return true }
        let d = current.dimension
        for k in 0 ..< current.componentCount {
            var same = 0.0, flipped = 0.0
            for j in 0 ..< d {
                let a = current.components[k * d + j], b = refitted.components[k * d + j]
                same = max(same, abs(a - b))
                flipped = max(flipped, abs(a + b))
            }
            if min(same, flipped) > tolerance { return true }
        }
        let scale = max(1, current.mean.map(abs).max() ?? 0)
        return zip(current.mean, refitted.mean).contains { abs($0 - $1) > tolerance * scale }
    }
}
