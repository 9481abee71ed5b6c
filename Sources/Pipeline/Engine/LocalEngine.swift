import Foundation
import Imaging
import LinearAlgebra
import MobileNet
import Recognition
import Storage

/// Runs a featurize job on this machine: every core busy, streaming, memory bounded by one part.
///
/// Pass 1 featurizes part by part (images are read a chunk ahead of the workers); each part is written
/// to a local temporary file and committed whole. With PCA, pass 1 stages parts under `_temporary/`,
/// each with its PCA sums, the PCA is fitted from the sums, and pass 2 writes the final parts.
/// A part is the unit of resumption: a re-run skips committed parts and redoes at most one part per worker.
public struct LocalEngine: FeaturizeEngine {
    let stores: StoreResolver
    let progressOutput: (@Sendable (String) -> Void)?

    /// An engine reading and writing through `stores`; progress goes to standard error unless redirected.
    public init(stores: StoreResolver, progressOutput: (@Sendable (String) -> Void)? = nil) {
        self.stores = stores
        self.progressOutput = progressOutput
    }

    public func run(_ job: FeaturizeJob) async throws -> RunSummary {
        let started = Date()
        try OutputPlacement.refuseOverlap(input: job.input, output: job.output)
        let (images, hidden) = try await ImageListing(store: try stores.store(for: job.input)).listing(under: job.input)
        if let notice = ImageListing.skippedNotice(hidden) { note("featurize: " + notice) }
        guard !images.isEmpty else { throw PipelineError.noImages(job.input.description) }
        let modelSize = try FileManager.default.attributesOfItem(atPath: job.modelPath)[.size] as? NSNumber
        let modelSHA256 = try ModelDigest.sha256(ofFile: job.modelPath)
        let classifier = try job.classifierPath.map {
            try ClassifierBundle.forJob(path: $0, modelPath: job.modelPath, modelSHA256: modelSHA256)
        }
        let record = JobRecord(
            job: job, images: images, modelBytes: modelSize?.int64Value ?? 0, modelSHA256: modelSHA256,
            classifierSHA256: try job.classifierPath.map { try ModelDigest.sha256(ofFile: $0) })
        let outputStore = try stores.store(for: job.output)
        let folder = OutputFolder(store: outputStore, layout: DatasetLayout(root: job.output))
        if job.update, let summary = try await update(
            job, images: images, record: record, folder: folder, classifier: classifier, started: started) {
            return summary
        }
        let parts = stride(from: 0, to: images.count, by: job.imagesPerPart).map {
            Array(images[$0 ..< min($0 + job.imagesPerPart, images.count)])
        }
        let (state, lease) = try await folder.claim(for: record, overwrite: job.overwrite, rowsPerPart: parts.map(\.count))
        return try await lease.holding {
            try await run(
                job, record: record, parts: parts, state: state, folder: folder.guarded(by: lease), lease: lease, classifier: classifier,
                started: started)
        }
    }

    private func run(
        _ job: FeaturizeJob, record: JobRecord, parts: [[ImageItem]], state: OutputFolder.State, folder: OutputFolder,
        lease: any StoreLease, classifier: ClassifierBundle?, started: Date
    ) async throws -> RunSummary {
        let images = parts.reduce(0) { $0 + $1.count }
        let writer = PartCommitter(store: folder.store, layout: folder.layout, record: record)
        defer { writer.removeScratch() }

        // An update killed while publishing its version may already have recorded this job: finish it first.
        if let bytes = try? await folder.store.read(folder.layout.manifest, maxBytes: DatasetManifest.maxBytes),
           let manifest = try? DatasetManifest.decode(bytes, source: folder.layout.manifest.description), manifest.publish != nil {
            _ = try await UpdatePublisher(store: folder.store, layout: folder.layout).publish(manifest)
        }
        if state.complete, let summary = try? await writer.readSummary() {
            return summary  // the same command again: the dataset is already complete
        }
        let pending = parts.indices.filter { !state.committed.contains($0) && !state.staged.contains($0) }
        let progress = makeProgress(title: "featurize", total: images)
        progress.skip(parts.indices.filter { !pending.contains($0) }.reduce(0) { $0 + parts[$1].count })

        // Counted as rows are written; parts an earlier attempt wrote add their `error` column only.
        var counts = FailureCounts()
        for index in parts.indices where !pending.contains(index) {
            counts.add(errors: try await writer.readErrors(index, staged: !state.committed.contains(index)))
        }
        let stage = PCAStage(committer: writer, folder: folder)
        // Sums of the parts staged by this attempt, for the PCA fit.
        var sums = FeatureAccumulator()
        if !pending.isEmpty {
            let pool = try FeaturePool.mobileNet(job: job)
            counts.featureCount = pool.featureCount
            let featurizer = BatchFeaturizer(stores: stores, pool: pool, maxImageBytes: job.maxImageBytes)
            // Each part is written while the network works on the next: at most two parts in memory.
            // Each child writes a part and returns its PCA sums (nil when no PCA is to come).
            try await withThrowingTaskGroup(of: FeatureAccumulator?.self) { writing in
                for index in pending {
                    let rows = await featurizer.rows(for: parts[index]) { done, failed in
                        progress.advance(by: done, failures: failed)
                    }
                    counts.add(rows)
                    if case let written?? = try await writing.next() { try sums.merge(written) }
                    writing.addTask {
                        // With a PCA to come, parts are staged as featurized; the PCA stage transforms them.
                        if job.pca != nil { return try await stage.stage(rows, part: index) }
                        let transforms = RowTransforms(classifier: classifier)
                        try await writer.commit(
                            try transforms.applied(to: rows), part: index, staged: false, columns: transforms.columns,
                            pcaComponents: nil)
                        return nil
                    }
                }
                while let written = try await writing.next() {
                    if let written { try sums.merge(written) }
                }
            }
        } else if let first = parts.indices.first {
            // Nothing left to featurize: the feature length from one written part.
            let rows = try await writer.readPart(first, staged: !state.committed.contains(first))
            counts.featureCount = rows.lazy.compactMap(\.features).first?.count ?? 0
        }
        progress.finish()

        var components: Int? = nil
        if let choice = job.pca {
            let model = try await stage.model(
                choice: choice, parts: parts.indices, sums: sums, summed: Set(pending))
            components = model.componentCount
            let projection = makeProgress(title: "pca", total: images)
            projection.skip(state.committed.reduce(0) { $0 + parts[$1].count })
            try await stage.project(
                parts: parts.indices, committed: state.committed, transforms: RowTransforms(pca: model, classifier: classifier),
                threads: job.threads, progress: projection)
            projection.finish()
        }
        try await folder.removeStaging()

        let seconds = Date().timeIntervalSince(started)
        let redone = pending.reduce(0) { $0 + parts[$1].count }
        let manifest = try await FirstVersion(store: folder.store, layout: folder.layout, record: record)
            .manifest(parts: parts, images: images, pca: job.pca)
        let summary = RunSummary(
            images: images, resumed: images - redone, failures: counts.failures,
            failuresByReason: counts.byReason, seconds: seconds,
            imagesPerSecond: Double(redone) / max(seconds, 1e-9), featureCount: counts.featureCount,
            pcaComponents: components, threads: job.threads, engine: "local", version: manifest.version,
            history: manifest.history)
        // A run that lost its lease (stalled past its expiry while another took OUT over) must not mark it done.
        guard await lease.isHeld else { throw PipelineError.outputInUse(job.output.description, holder: "the lease was lost while this run stalled") }
        try await folder.store.write(try manifest.encoded(), to: folder.layout.manifest)
        try await writer.finish(summary: summary)
        return summary
    }

    /// A line for the user, beside the progress.
    func note(_ line: String) {
        if let output = progressOutput { output(line) } else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    func makeProgress(title: String, total: Int) -> ProgressReporter {
        if let output = progressOutput {
            return ProgressReporter(title: title, total: total, isTerminal: false, interval: 5, output: output)
        }
        return ProgressReporter(title: title, total: total)
    }
}
