import Foundation
import Storage

/// Writes parts to a local scratch file and commits each whole into the dataset; reads parts back.
struct PartCommitter {
    let store: any ObjectStore
    let layout: DatasetLayout
    let record: JobRecord
    /// A private local folder for files on their way in or out of the store.
    let scratch: String

    init(store: any ObjectStore, layout: DatasetLayout, record: JobRecord) {
        self.store = store
        self.layout = layout
        self.record = record
        self.scratch = NSTemporaryDirectory() + "orchard-\(record.jobID)-\(UUID().uuidString.prefix(8))"
    }

    /// Footer metadata every part carries: where it came from.
    var provenance: [String: String] {
        ["orchard.version": record.orchardVersion, "orchard.job": record.jobID,
         "orchard.input": record.input, "orchard.model": record.model]
    }

    /// Writes `rows` as part `index` and makes it visible in one step.
    func commit(_ rows: [FeatureRow], part index: Int, staged: Bool, columns: DatasetColumns, pcaComponents: Int?) async throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let local = scratch + "/" + DatasetLayout.partName(index, jobID: record.jobID)
        defer { unlink(local) }
        var metadata = provenance
        if let pcaComponents { metadata["orchard.pca.components"] = String(pcaComponents) }
        try FeaturePartFile.write(rows, to: local, columns: columns, metadata: metadata)
        let target = staged ? layout.stagedPart(index, jobID: record.jobID) : layout.part(index, jobID: record.jobID)
        try await store.upload(file: local, to: target)
    }

    /// Writes `rows` as one part file at `target` (an update's staged parts), visible in one step.
    func write(_ rows: [FeatureRow], to target: StorageLocation, columns: DatasetColumns, pcaComponents: Int?) async throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let local = scratch + "/" + target.name
        defer { unlink(local) }
        var metadata = provenance
        if let pcaComponents { metadata["orchard.pca.components"] = String(pcaComponents) }
        try FeaturePartFile.write(rows, to: local, columns: columns, metadata: metadata)
        try await store.upload(file: local, to: target)
    }

    /// The rows of the part file at `location`.
    func read(_ location: StorageLocation) async throws -> [FeatureRow] {
        try await LocalCopy.with(location, from: store) { try FeaturePartFile.read(path: $0) }
    }

    /// The rows of part `index` (staged or final).
    func readPart(_ index: Int, staged: Bool) async throws -> [FeatureRow] {
        let location = staged ? layout.stagedPart(index, jobID: record.jobID) : layout.part(index, jobID: record.jobID)
        return try await LocalCopy.with(location, from: store) { try FeaturePartFile.read(path: $0) }
    }

    /// The `error` column of part `index` (staged or final): what a resumed run counts without decoding features.
    func readErrors(_ index: Int, staged: Bool) async throws -> [String?] {
        let location = staged ? layout.stagedPart(index, jobID: record.jobID) : layout.part(index, jobID: record.jobID)
        return try await LocalCopy.with(location, from: store) { try FeaturePartFile.readErrors(path: $0) }
    }

    /// Records the summary, then writes `_SUCCESS`: the dataset is complete.
    func finish(summary: RunSummary) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try await store.write(Array(try encoder.encode(summary)), to: layout.runFile)
        try await store.write([], to: layout.success)
    }

    /// The summary of the run that completed the dataset.
    func readSummary() async throws -> RunSummary {
        try JSONDecoder().decode(RunSummary.self, from: Data(try await store.read(layout.runFile, maxBytes: 1 << 20)))
    }

    /// Deletes the local scratch folder.
    func removeScratch() {
        try? FileManager.default.removeItem(atPath: scratch)
    }
}
