extension LabeledFeatures {
    /// Splits the rows into training and validation rows, stratified: of each class's n_c rows,
    /// round(`fraction` · n_c) go to validation, chosen by a shuffle seeded with `seed`, but always
    /// leaving the class at least one training row. Both parts keep the rows' original order; the
    /// training part carries the `skipped` count.
    ///
    /// The same rows, fraction and seed give the same split on every machine (`SeededGenerator`).
    public func stratifiedSplit(validationFraction fraction: Double, seed: UInt64) throws
        -> (training: LabeledFeatures, validation: LabeledFeatures)
    {
        guard fraction > 0, fraction < 1 else {
            throw RecognitionError.invalidOption(name: "validationFraction", reason: "must be strictly between 0 and 1, got \(fraction)")
        }
        var byClass: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() { byClass[label, default: []].append(i) }
        var generator = SeededGenerator(seed: seed)
        var isValidation = [Bool](repeating: false, count: count)
        for label in byClass.keys.sorted() {
            let rows = byClass[label]!
            let take = min(Int((fraction * Double(rows.count)).rounded()), rows.count - 1)
            for i in generator.shuffled(rows).prefix(take) { isValidation[i] = true }
        }
        let validation = isValidation.indices.filter { isValidation[$0] }
        guard !validation.isEmpty else {
            throw RecognitionError.invalidOption(
                name: "validationFraction",
                reason: "\(fraction) of \(count) rows (largest class \(byClass.values.map(\.count).max() ?? 0)) leaves no validation row")
        }
        let training = isValidation.indices.filter { !isValidation[$0] }
        return (rows(training, skipped: skipped, unlabeled: unlabeled), rows(validation, skipped: 0))
    }
}
