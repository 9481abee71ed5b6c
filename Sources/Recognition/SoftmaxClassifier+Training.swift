extension SoftmaxClassifier {
    /// Fits a classifier to `data`: standardises it, then minimises the penalised log-loss with L-BFGS
    /// from zero weights. `progress` is called after every iteration.
    ///
    /// Memory: the standardised rows as float64 (`data.count` × `dimension` × 8 bytes) beside `data`.
    public static func train(
        _ data: LabeledFeatures, options: TrainingOptions = TrainingOptions(),
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> (classifier: SoftmaxClassifier, metrics: TrainingMetrics) {
        guard options.c > 0, options.c.isFinite else { throw RecognitionError.invalidOption(name: "c", reason: "must be a positive number") }
        guard options.maxIterations >= 1 else { throw RecognitionError.invalidOption(name: "maxIterations", reason: "must be at least 1") }
        guard let d = data.dimension, data.count > 0 else { throw RecognitionError.noUsableRows(skipped: data.skipped) }
        let labels = Array(Set(data.labels)).sorted()
        guard labels.count >= 2 else { throw RecognitionError.tooFewClasses(labels) }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let n = data.count
        let standardization = Standardization(fitting: data.values, rows: n, dimension: d)
        var x = [Double](repeating: 0, count: n * d)
        for r in 0..<n {
            for j in 0..<d { x[r * d + j] = (Double(data.values[r * d + j]) - standardization.mean[j]) / standardization.scale[j] }
        }
        let objective = SoftmaxObjective(x: x, targets: data.labels.map { index[$0]! }, dimension: d, classes: labels.count, c: options.c)
        let solver = LBFGS(maxIterations: options.maxIterations, tolerance: options.tolerance, gradientScale: Double(n))
        let result = solver.minimize(from: [Double](repeating: 0, count: objective.parameterCount), objective: objective.evaluate) {
            progress(TrainingProgress(iteration: $0, loss: $1, gradientNorm: $2))
        }
        let k = labels.count
        let scores = objective.scores(result.x)
        var correct = 0
        for r in 0..<n {
            let row = scores[r * k ..< (r + 1) * k]
            if row.indices.max(by: { row[$0] < row[$1] })! - r * k == objective.targets[r] { correct += 1 }
        }
        let classifier = try SoftmaxClassifier(
            labels: labels, standardization: standardization,
            weights: Array(result.x[..<(d * k)]), intercepts: Array(result.x[(d * k)...]))
        let metrics = TrainingMetrics(
            trainRows: n, skippedRows: data.skipped, iterations: result.iterations, finalLoss: result.value,
            finalGradientNorm: result.gradientNorm, converged: result.converged,
            trainAccuracy: Double(correct) / Double(n), c: options.c)
        return (classifier, metrics)
    }
}
