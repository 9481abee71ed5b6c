import Foundation
import LinearAlgebra
import Storage

extension RunReportData {
    /// The report of a dataset written by `featurize`: its run summary, PCA model and rows.
    public static func load(dataset root: StorageLocation, stores: StoreResolver) async throws -> RunReportData {
        let store = try stores.store(for: root)
        let layout = DatasetLayout(root: root)
        let job = try? JobRecord.decode(try await store.read(layout.jobFile, maxBytes: 1 << 20))
        let summary = try? JSONDecoder().decode(
            RunSummary.self, from: Data(try await store.read(layout.runFile, maxBytes: 1 << 20)))
        let pca = try? PCAModel(serialized: try await store.read(layout.pcaModel, maxBytes: 1 << 30))

        var perLabel: [String: Int] = [:]
        var byReason: [String: Int] = [:]
        var failures: [Failure] = []
        var scatter: [ScatterPoint] = []
        var seen = 0
        var featureDimension = 0
        var confusion: [String: [String: Int]] = [:]
        try await FeatureDataset(root: root, stores: stores).forEachPart { _, rows in
            for row in rows {
                seen += 1
                if let error = row.error {
                    byReason[FailureReason.reason(fromMessage: error), default: 0] += 1
                    if failures.count < maxFailuresListed { failures.append(Failure(path: row.path, reason: error)) }
                    continue
                }
                perLabel[row.label, default: 0] += 1
                if let prediction = row.prediction { confusion[row.label, default: [:]][prediction, default: 0] += 1 }
                featureDimension = row.features?.count ?? featureDimension
                if let pca = row.pca, pca.count >= 2 {
                    scatter.append(ScatterPoint(x: pca[0], y: pca[1], label: row.label))
                }
            }
        }
        var data = RunReportData(
            title: "Orchard featurize report", input: job?.input ?? "", output: root.description,
            model: job.map { ($0.model as NSString).lastPathComponent } ?? "", engine: summary?.engine ?? "",
            imageCount: seen - byReason.values.reduce(0, +), failureCount: byReason.values.reduce(0, +),
            failuresByReason: byReason, failures: failures, imagesPerLabel: perLabel,
            seconds: summary?.seconds ?? 0, imagesPerSecond: summary?.imagesPerSecond ?? 0,
            featureDimension: featureDimension, explainedVarianceRatio: pca?.explainedVarianceRatio ?? [],
            scatter: scatter, confusion: confusion.isEmpty ? nil : confusion,
            classifier: job?.classifier.map { ($0 as NSString).lastPathComponent })
        data.history = summary?.history ?? []
        // The dataset's last commit is when its run ended; without a history (a Spark run) it is not known.
        if let committed = data.history.last?.committed, let date = ISO8601DateFormatter().date(from: committed) {
            data.createdAt = date
        } else {
            data.finishTimeKnown = false
        }
        return data
    }
}
