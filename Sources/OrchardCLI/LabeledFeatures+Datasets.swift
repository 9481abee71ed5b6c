import Pipeline
import Recognition
import Storage

extension LabeledFeatures {
    /// Every row of the datasets at `roots` (folders or s3:// prefixes), part by part; failed rows are
    /// counted, not kept. `dimension` fixes the feature count (a classifier's) when given.
    static func reading(
        _ roots: [String], dimension: Int? = nil, options: DatasetReadOptions, stores: StoreResolver
    ) async throws -> LabeledFeatures {
        var data = LabeledFeatures(dimension: dimension)
        for root in roots {
            let dataset = try await options.open(try StorageLocation(parsing: root).absolute, stores: stores)
            try await dataset.forEachPart { _, rows in
                for row in rows { try data.add(label: row.label, features: row.features, error: row.error, source: row.path) }
            }
        }
        return data
    }
}
