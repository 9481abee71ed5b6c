import Foundation
import Pipeline
import Recognition
import Storage

extension LabeledFeatures {
    /// Every row of the datasets at `roots` (folders or s3:// prefixes), part by part; failed rows are
    /// counted, not kept. `dimension` fixes the feature count (a classifier's) when given. `progress` is
    /// called after each part with its location, its row count and the rows kept so far.
    static func reading(
        _ roots: [String], dimension: Int? = nil, options: DatasetReadOptions, stores: StoreResolver,
        progress: (_ part: StorageLocation, _ rows: Int, _ keptSoFar: Int) -> Void = { _, _, _ in }
    ) async throws -> LabeledFeatures {
        var data = LabeledFeatures(dimension: dimension)
        for root in roots {
            let dataset = try await options.open(try StorageLocation(parsing: root).absolute, stores: stores)
            try await dataset.forEachPart { part, rows in
                for row in rows { try data.add(label: row.label, features: row.features, error: row.error, source: row.path) }
                progress(part, rows.count, data.count)
            }
        }
        return data
    }
}

extension RecordedBackbone {
    /// The network each dataset at `roots` records in its `_orchard/job.json`, read through the store
    /// that holds the dataset; a dataset without the file records none.
    static func reading(_ roots: [String], stores: StoreResolver) async throws -> [RecordedBackbone] {
        /// The two fields of `JobRecord` that name the network; decoded alone so that job records of
        /// other Orchard versions still read.
        struct ModelFields: Decodable {
            var model: String?
            var modelSHA256: String?
        }
        var records: [RecordedBackbone] = []
        for root in roots {
            let location = try StorageLocation(parsing: root).absolute
            let store = try stores.store(for: location)
            let jobFile = DatasetLayout(root: location).jobFile
            // Not there, or not readable as a file (a part file given for the dataset): no record; reading the
            // dataset then says what is wrong with it.
            guard (try? await store.size(of: jobFile)) ?? nil != nil else {
                records.append(RecordedBackbone(dataset: root, model: nil, sha256: nil))
                continue
            }
            let fields: ModelFields
            do {
                fields = try JSONDecoder().decode(ModelFields.self, from: Data(try await store.read(jobFile, maxBytes: 1 << 20)))
            } catch is DecodingError {
                throw RecognitionError.fileIO(
                    path: jobFile.description, reason: "not a job record Orchard reads (JSON whose `model` and `modelSHA256` are strings)")
            }
            records.append(RecordedBackbone(dataset: root, model: fields.model, sha256: fields.modelSHA256))
        }
        return records
    }
}
