import LinearAlgebra

/// Streams rows' feature vectors into PCA sums; failed rows (no features) are skipped.
struct FeatureAccumulator {
    private var accumulator: CovarianceAccumulator?

    /// Adds the features of every row that has them.
    mutating func add(_ rows: [FeatureRow]) throws {
        for row in rows {
            guard let features = row.features else { continue }
            if accumulator == nil { accumulator = try CovarianceAccumulator(dimension: features.count) }
            try accumulator!.add(features)
        }
    }

    /// The PCA of everything added; `source` names the data in the error when there is too little.
    func fit(_ selection: ComponentSelection, source: String) throws -> PCAModel {
        guard let accumulator, accumulator.count >= 2 else {
            throw PipelineError.invalidDataset(
                source, reason: "PCA needs at least 2 images with features; found \(accumulator?.count ?? 0)")
        }
        return try PCAModel.fit(accumulator, components: selection)
    }
}
