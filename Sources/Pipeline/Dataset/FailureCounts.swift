import Storage

/// Rows and failures of a written dataset, counted from its parts (so resumed and Spark runs count all).
struct FailureCounts {
    var rows = 0
    var failures = 0
    var byReason: [String: Int] = [:]
    var featureCount = 0

    /// Counts the dataset at `root`.
    static func of(dataset root: StorageLocation, stores: StoreResolver) async throws -> FailureCounts {
        var counts = FailureCounts()
        try await FeatureDataset(root: root, stores: stores).forEachPart { _, rows in
            for row in rows {
                counts.rows += 1
                if let features = row.features { counts.featureCount = features.count }
                guard let error = row.error else { continue }
                counts.failures += 1
                counts.byReason[FailureReason.reason(fromMessage: error), default: 0] += 1
            }
        }
        return counts
    }
}
