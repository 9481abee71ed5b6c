import LinearAlgebra

/// Streams rows' feature vectors into PCA sums; failed rows (no features) are skipped.
struct FeatureAccumulator {
    /// The sums so far; nil until a row with features came.
    private(set) var sums: CovarianceAccumulator?

    init(sums: CovarianceAccumulator? = nil) {
        self.sums = sums
    }

    /// Adds the features of every row that has them.
    mutating func add(_ rows: [FeatureRow]) throws {
        for row in rows {
            guard let features = row.features else { continue }
            if sums == nil { sums = try CovarianceAccumulator(dimension: features.count) }
            try sums!.add(features)
        }
    }

    /// Adds another accumulator's sums (a part's saved statistics).
    mutating func merge(_ other: FeatureAccumulator) throws {
        guard let theirs = other.sums else { return }
        if sums == nil { sums = theirs } else { try sums!.merge(theirs) }
    }

    /// The PCA of everything added; `source` names the data in the error when there is too little.
    func fit(_ selection: ComponentSelection, source: String) throws -> PCAModel {
        guard let sums, sums.count >= 2 else {
            throw PipelineError.invalidDataset(
                source, reason: "PCA needs at least 2 images with features; found \(sums?.count ?? 0)")
        }
        return try PCAModel.fit(sums, components: selection)
    }

    /// The sums as stored in `_orchard/stats/` (empty bytes when no row had features).
    func serialized() -> [UInt8] { sums?.serialized() ?? [] }

    /// Sums read back from `serialized()`.
    init(serialized bytes: [UInt8]) throws {
        sums = bytes.isEmpty ? nil : try CovarianceAccumulator(serialized: bytes)
    }
}
