/// Early stopping on a validation loss, as scikit-learn's `MLPClassifier(early_stopping=True)` does it:
/// an iteration whose loss is not below the best by more than `minimumImprovement` counts as no
/// improvement; after `patience` of them in a row training stops. The best weights seen (lowest loss,
/// however small the margin) are the ones kept.
struct EarlyStopping {
    /// Iterations in a row without improvement before stopping.
    let patience: Int
    /// How much lower than the best a loss must be to count as an improvement (mean log-loss units).
    var minimumImprovement = 1e-4

    /// The lowest loss seen, the iteration and the parameters that had it.
    private(set) var best: (loss: Double, iteration: Int, parameters: [Double])?
    /// Iterations since the last improvement.
    private(set) var stale = 0

    init(patience: Int) { self.patience = patience }

    /// Records iteration `iteration`'s validation loss; returns true when training should stop.
    mutating func observe(loss: Double, iteration: Int, parameters: [Double]) -> Bool {
        let bestLoss = best?.loss ?? .infinity
        stale = loss < bestLoss - minimumImprovement ? 0 : stale + 1
        if loss < bestLoss { best = (loss, iteration, parameters) }
        return stale >= patience
    }
}
