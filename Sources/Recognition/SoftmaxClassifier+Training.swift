extension SoftmaxClassifier {
    /// Fits a classifier to `data`: standardises it, then minimises the penalised (class-weighted)
    /// log-loss with L-BFGS from zero weights. With `validation` rows (standardised as the training rows),
    /// their loss and accuracy are measured after every iteration, reported in the metrics, and drive
    /// early stopping when `options.earlyStoppingPatience` is set. `progress` is called after every iteration.
    /// With `warmStart`, L-BFGS starts from that classifier's weights (carried over to this data's
    /// standardisation; new classes start at zero) instead of zero: the optimum is the same (the penalised
    /// objective is strictly convex), reached in fewer iterations when the data changed little.
    ///
    /// Memory: the standardised rows as float64 (`data.count` × `dimension` × 8 bytes, the same for the
    /// validation rows) beside `data`.
    public static func train(
        _ data: LabeledFeatures, validation: LabeledFeatures? = nil, options: TrainingOptions = TrainingOptions(),
        warmStart: SoftmaxClassifier? = nil, progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> (classifier: SoftmaxClassifier, metrics: TrainingMetrics) {
        try options.check()
        guard let d = data.dimension, data.count > 0 else { throw RecognitionError.noUsableRows(skipped: data.skipped) }
        let labels = Array(Set(data.labels)).sorted()
        guard labels.count >= 2 else { throw RecognitionError.tooFewClasses(labels) }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let k = labels.count
        let standardization = Standardization(fitting: data.values, rows: data.count, dimension: d)

        let targets = data.labels.map { index[$0]! }
        var counts = [Int](repeating: 0, count: k)
        for t in targets { counts[t] += 1 }
        let classWeights = options.classWeight.weights(classCounts: counts)
        var objective = SoftmaxObjective(
            x: standardized(data, standardization), targets: targets, dimension: d, classes: k, c: options.c)
        if options.classWeight != .uniform { objective.rowWeights = targets.map { classWeights[$0] } }
        let held = try validation.flatMap { try validationObjective($0, like: objective, standardization, index: index) }

        var stopper = held == nil ? nil : options.earlyStoppingPatience.map(EarlyStopping.init(patience:))
        let solver = LBFGS(maxIterations: options.maxIterations, tolerance: options.tolerance, gradientScale: objective.totalWeight)
        let start = try warmStart?.parameters(for: labels, standardization: standardization)
            ?? [Double](repeating: 0, count: objective.parameterCount)
        let result = solver.minimize(from: start, objective: objective.evaluate) { step in
            let measured = held?.logLossAndAccuracy(step.x)
            progress(TrainingProgress(
                iteration: step.iteration, loss: step.value / objective.totalWeight, gradientNorm: step.gradientNorm,
                validationLoss: measured?.loss, validationAccuracy: measured?.accuracy))
            guard let measured, stopper != nil else { return true }
            return !stopper!.observe(loss: measured.loss, iteration: step.iteration, parameters: step.x)
        }

        // The weights kept: the best on validation with early stopping, else where L-BFGS ended.
        var kept = (x: result.x, value: result.value, gradientNorm: result.gradientNorm, converged: result.converged)
        if let best = stopper?.best, best.iteration != result.iterations {
            let (value, gradient) = objective.evaluate(best.parameters)
            let norm = gradient.reduce(0) { max($0, abs($1)) } / objective.totalWeight
            kept = (best.parameters, value, norm, norm <= options.tolerance)
        }
        let classifier = try SoftmaxClassifier(
            labels: labels, standardization: standardization,
            weights: Array(kept.x[..<(d * k)]), intercepts: Array(kept.x[(d * k)...]))
        let fit = objective.logLossAndAccuracy(kept.x)
        let checked = held?.logLossAndAccuracy(kept.x)
        let metrics = TrainingMetrics(
            trainRows: data.count, skippedRows: data.skipped, iterations: result.iterations,
            finalLoss: kept.value / objective.totalWeight,
            finalGradientNorm: kept.gradientNorm, converged: kept.converged, trainAccuracy: fit.accuracy, c: options.c,
            classWeight: options.classWeight == .uniform ? nil : options.classWeight.rawValue,
            validationRows: held?.rows, validationAccuracy: checked?.accuracy, validationLoss: checked?.loss,
            bestIteration: stopper?.best?.iteration, stoppedEarly: stopper.map { _ in result.stopped })
        return (classifier, metrics)
    }

    /// `data`'s rows standardised, as float64, row-major.
    private static func standardized(_ data: LabeledFeatures, _ standardization: Standardization) -> [Double] {
        let d = standardization.dimension
        var x = [Double](repeating: 0, count: data.count * d)
        data.values.withUnsafeBufferPointer { values in
            for r in 0..<data.count {
                for j in 0..<d { x[r * d + j] = (Double(values[r * d + j]) - standardization.mean[j]) / standardization.scale[j] }
            }
        }
        return x
    }

    /// The validation rows as an objective over the training rows' classes (nil when there are none);
    /// throws for a row of another width or of a class the training rows do not have.
    private static func validationObjective(
        _ validation: LabeledFeatures, like training: SoftmaxObjective, _ standardization: Standardization, index: [String: Int]
    ) throws -> SoftmaxObjective? {
        guard validation.count > 0 else { return nil }
        guard validation.dimension == training.dimension else {
            throw RecognitionError.dimensionMismatch(
                expected: training.dimension, actual: validation.dimension ?? 0, source: "the validation rows")
        }
        let unknown = Set(validation.labels.filter { index[$0] == nil })
        guard unknown.isEmpty else {
            throw RecognitionError.invalidOption(
                name: "validation",
                reason: "label(s) \(unknown.sorted().joined(separator: ", ")) occur in the validation rows but not in the training rows")
        }
        return SoftmaxObjective(
            x: standardized(validation, standardization), targets: validation.labels.map { index[$0]! },
            dimension: training.dimension, classes: training.classes, c: training.c)
    }
}
