import Foundation
import LinearAlgebra
import Recognition
import Storage

/// One `--update` of a dataset: featurizes only the images INPUT gained or changed, rewrites the parts
/// that hold rows of removed or changed images without them, refits the PCA from per-part sums, and
/// commits the new version with one manifest write.
///
/// Everything is staged under `_temporary/update/` (hidden from readers) until the manifest is written;
/// an attempt killed before that leaves nothing that counts and the next run starts the update again.
/// After it, `UpdatePublisher` makes the version visible, and a killed publish is finished by the next run.
struct DatasetUpdate {
    let job: FeaturizeJob
    let record: JobRecord
    let images: [ImageItem]
    let folder: OutputFolder
    let classifier: ClassifierBundle?
    let lease: any StoreLease
    let started: Date
    let makeProgress: (String, Int) -> ProgressReporter
    /// Where the new rows' features come from.
    let featurizer: any UpdateFeaturizer
    /// The engine named in the run summary.
    var engine = "local"
    /// Whether an OUT without a manifest is version 0 of a dataset (nothing in it yet) rather than an error.
    var startsEmpty = false

    private var layout: DatasetLayout { folder.layout }
    private var store: any ObjectStore { folder.store }
    private var staging: StorageLocation { layout.root.appending(DatasetLayout.updateStaging) }

    /// A part the update writes: its name and the images whose rows it holds.
    private struct NewPart {
        var name: String
        var images: [DatasetManifest.ImageIdentity]
        /// Where its rows come from before the final columns are computed.
        var source: StorageLocation
    }

    func run() async throws -> RunSummary {
        let publisher = UpdatePublisher(store: store, layout: layout)
        // A committed update that a crash left unpublished is finished first (roll forward).
        let manifest = try await publisher.publish(try await readManifest())
        try check(manifest)
        try await checkSameInput(manifest)
        // Whatever a killed attempt staged before its commit belongs to no version: start this update afresh.
        try await folder.removeStaging()
        try await folder.removeStaleTemporaries()

        let diff = InputDiff(manifest: manifest, images: images)
        if diff.isEmpty && job.pcaUpdate != .refit && manifest.version > 0 {
            let current = job.pca == nil ? nil : try? PCAModel(serialized: try await store.read(layout.pcaModel, maxBytes: 1 << 30))
            var summary = try await summary(of: manifest, featurized: 0, counts: nil, components: current?.componentCount)
            summary.upToDate = true
            // Up to date: the dataset's record and its last run's summary stay as they are (the report
            // describes the run that made this version, not this check).
            try await store.write([], to: layout.success)
            return summary
        }
        let updateID = Self.updateID(jobID: record.jobID, version: manifest.version + 1)
        var partNumber = 0
        func nextName() -> String {
            defer { partNumber += 1 }
            return DatasetLayout.partName(partNumber, jobID: updateID)
        }
        let writer = PartCommitter(store: store, layout: layout, record: record)
        defer { writer.removeScratch() }
        let statistics = PartStatistics(store: store, layout: layout)
        var newParts: [NewPart] = []
        var newSums = FeatureAccumulator()
        var featureCount = 0
        var packer = PartPacker(rowsPerPart: job.imagesPerPart)
        /// Stages each part `parts` filled, with its sums.
        func stage(_ parts: [PartPacker.Part]) async throws {
            for part in parts {
                let name = nextName()
                newSums = try await stageFeatures(part.rows, name: name, statistics: newSums)
                newParts.append(NewPart(name: name, images: part.images, source: stagedFeatures(name)))
            }
        }

        // 1. New and changed images, featurized into staged parts with their sums; every image must come
        // back exactly once (a featurizer on a cluster could lose or repeat rows).
        let toFeaturize = diff.toFeaturize
        let progress = makeProgress("featurize", toFeaturize.count)
        let identities = Dictionary(
            toFeaturize.map { ($0.location.description, DatasetManifest.ImageIdentity($0)) }, uniquingKeysWith: { first, _ in first })
        var featurized = Set<String>()
        featureCount = try await featurizer.featurize(toFeaturize, rowsPerPart: job.imagesPerPart, progress: progress) { rows in
            try await stage(try packer.add(rows) { row in
                guard let identity = identities[row.path], featurized.insert(row.path).inserted else {
                    throw PipelineError.invalidDataset(
                        layout.root.description, reason: "the \(engine) featurizer returned a row for \(row.path) it was not asked for, or twice")
                }
                return identity
            })
        }
        guard featurized.count == toFeaturize.count else {
            throw PipelineError.invalidDataset(
                layout.root.description,
                reason: "the \(engine) featurizer returned \(featurized.count) rows for \(toFeaturize.count) images; nothing was committed, run the update again")
        }
        progress.finish()

        // 2. Parts holding rows of removed or changed images: written again without those rows.
        let dropped = diff.dropped
        var droppedParts: [String] = []
        var keptParts: [DatasetManifest.Part] = []
        for part in manifest.parts {
            guard part.images.contains(where: { dropped.contains($0.path) }) else {
                keptParts.append(part)
                continue
            }
            droppedParts.append(part.name)
            try await stage(try await repack(part, except: dropped, into: &packer, reader: writer))
        }

        // 2b. Parts under half full are folded into the rows still waiting for a part, so every part but one
        // holds at least half of --images-per-part rows however many small updates came, and an update
        // rewrites at most half a part's worth of rows it did not featurize (a fuller part is left as it is).
        let small = keptParts.filter { $0.images.count < max(job.imagesPerPart / 2, 1) }
        if small.count >= 2 || (small.count == 1 && packer.pending > 0) {
            for part in small {
                droppedParts.append(part.name)
                try await stage(try await repack(part, except: [], into: &packer, reader: writer))
            }
            keptParts.removeAll { part in small.contains { $0.name == part.name } }
        }
        try await stage(packer.finish().map { [$0] } ?? [])

        // 3. The PCA: kept parts' saved sums + the new parts' sums, one eigendecomposition.
        var model: PCAModel? = nil
        var refitted = false
        if let choice = job.pca {
            // Version 0 (an empty OUT) has no model yet: the first one is fitted whatever the policy.
            let current = manifest.version == 0
                ? nil : try PCAModel(serialized: try await store.read(layout.pcaModel, maxBytes: 1 << 30))
            if job.pcaUpdate == .keep, let current {
                model = current  // no fit: the kept parts' sums are not even read
            } else {
                var total = newSums
                for part in keptParts { try total.merge(try await statistics.sums(ofPart: part.name)) }
                let fitted = try total.fit(choice, source: layout.root.description)
                refitted = current.map { job.pcaUpdate == .refit || PCAUpdatePolicy.moved(from: $0, to: fitted) } ?? true
                model = refitted ? fitted : current
            }
        }
        // With a new model every kept row is projected again: its part is rewritten under a new name
        // (its features, hence its sums, are unchanged).
        if refitted {
            for part in keptParts {
                let name = nextName()
                try await store.write(
                    try await statistics.sums(ofPart: part.name).serialized(), to: staging.appending("stats/\(name).cov"))
                newParts.append(NewPart(name: name, images: part.images, source: layout.root.appending(part.name)))
                droppedParts.append(part.name)
            }
            keptParts = []
        }

        // 4. The final columns of every new part, staged.
        let transforms = RowTransforms(pca: model, classifier: classifier)
        let projection = makeProgress("write", newParts.reduce(0) { $0 + $1.images.count })
        var counts = FailureCounts()
        for part in newParts {
            let rows = try transforms.applied(to: try await writer.read(part.source))
            counts.add(rows)
            try await writer.write(
                rows, to: staging.appending("parts/" + part.name), columns: transforms.columns,
                pcaComponents: model?.componentCount)
            projection.advance(by: rows.count)
        }
        projection.finish()
        for part in keptParts {
            counts.add(errors: try await LocalCopy.with(layout.root.appending(part.name), from: store) {
                try FeaturePartFile.readErrors(path: $0)
            })
        }
        if refitted, let model {
            try await store.write(try Array(model.toJSON()), to: staging.appending("pca.json"))
            try await store.write(model.serialized(), to: staging.appending("pca.orchpca"))
        }

        // 5. Commit: the manifest of the new version, with the plan that publishes it.
        var next = manifest
        next.version += 1
        next.parts = keptParts + newParts.map { DatasetManifest.Part(name: $0.name, images: $0.images) }
        next.history.append(DatasetManifest.Version(
            version: next.version, committed: DatasetManifest.timestamp(), images: images.count, added: diff.added.count,
            removed: diff.removed.count, changed: diff.changed.count, pcaRefitted: refitted))
        if counts.featureCount == 0 { counts.featureCount = featureCount }
        let summary = try await summary(of: next, featurized: toFeaturize.count, counts: counts, components: model?.componentCount)
        try await store.write(try record.encoded(), to: staging.appending("job.json"))
        try await store.write(try Self.encode(summary), to: staging.appending("run.json"))
        next.publish = DatasetManifest.Publish(
            staging: DatasetLayout.updateStaging, newParts: newParts.map(\.name), droppedParts: droppedParts,
            newPCA: refitted)
        // A run that lost its lease (stalled while another took OUT over) must not commit.
        guard await lease.isHeld else {
            throw PipelineError.outputInUse(layout.root.description, holder: "the lease was lost while this run stalled")
        }
        try await store.write(try next.encoded(), to: layout.manifest)

        // 6. Publish.
        _ = try await publisher.publish(next)
        return summary
    }

    /// A PCA choice as the flag that asks for it.
    static func flag(_ selection: ComponentSelection?) -> String {
        switch selection {
        case .count(let k): "--pca \(k)"
        case .varianceRatio(let v): "--pca-variance \(v)"
        case nil: "no PCA"
        }
    }

    /// Refuses an update that would mix rows of another network, PCA or classifier into the dataset.
    private func check(_ manifest: DatasetManifest) throws {
        let out = layout.root.description
        guard manifest.modelSHA256.lowercased() == record.modelSHA256?.lowercased() else {
            throw PipelineError.modelChanged(out, recorded: manifest.modelSHA256, given: record.modelSHA256 ?? "unknown")
        }
        guard manifest.pca == job.pca else {
            throw PipelineError.invalidOption(
                "\(out) was written with \(Self.flag(manifest.pca)), not \(Self.flag(job.pca)): "
                    + "an update keeps the dataset's PCA choice; ask for the same one")
        }
        guard manifest.classifierSHA256 == record.classifierSHA256 else {
            throw PipelineError.invalidOption(
                "\(out) was written \(manifest.classifierSHA256 == nil ? "without a classifier" : "with another classifier"): "
                    + "an update keeps the dataset's classifier; give the same one (or none)")
        }
    }

    /// Refuses an update from another INPUT than the dataset's: compared with another folder (a subfolder
    /// given by mistake), every photo outside it would read as removed, and its rows would be deleted.
    private func checkSameInput(_ manifest: DatasetManifest) async throws {
        guard manifest.version > 0, try await store.size(of: layout.jobFile) != nil else { return }
        let recorded = try JobRecord.decode(try await store.read(layout.jobFile, maxBytes: 1 << 20)).input
        guard recorded != record.input else { return }
        throw PipelineError.notUpdatable(
            layout.root.description,
            reason: "it holds the photos of \(recorded), not of \(record.input): compared with another INPUT, every photo "
                + "outside it would count as removed. Update it from \(recorded), or featurize \(record.input) into "
                + "another OUT (or replace this dataset: --overwrite, without --update)")
    }

    private func readManifest() async throws -> DatasetManifest {
        if startsEmpty, try await store.size(of: layout.manifest) == nil {
            return DatasetManifest(
                version: 0, modelSHA256: record.modelSHA256 ?? "", pca: job.pca, classifierSHA256: record.classifierSHA256,
                parts: [], history: [], publish: nil)
        }
        return try DatasetManifest.decode(
            try await store.read(layout.manifest, maxBytes: DatasetManifest.maxBytes), source: layout.manifest.description)
    }

    private func stagedFeatures(_ name: String) -> StorageLocation { staging.appending("features/" + name) }

    /// Adds the rows of committed `part` but those of images in `dropped` to `packer`; returns the parts filled.
    private func repack(
        _ part: DatasetManifest.Part, except dropped: Set<String>, into packer: inout PartPacker, reader: PartCommitter
    ) async throws -> [PartPacker.Part] {
        let identities = Dictionary(part.images.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try await reader.read(layout.root.appending(part.name)).filter { !dropped.contains($0.path) }
        return try packer.add(rows) { row in
            guard let identity = identities[row.path] else {
                throw PipelineError.invalidDataset(
                    layout.root.description, reason: "\(part.name) holds a row for \(row.path), which the manifest does not list in it")
            }
            return identity
        }
    }

    /// Stages `rows` (features only) as part `name` with its sums; returns `statistics` with them added.
    private func stageFeatures(_ rows: [FeatureRow], name: String, statistics: FeatureAccumulator) async throws -> FeatureAccumulator {
        let writer = PartCommitter(store: store, layout: layout, record: record)
        defer { writer.removeScratch() }
        try await writer.write(rows, to: stagedFeatures(name), columns: DatasetColumns(pca: false, classifier: false), pcaComponents: nil)
        var sums = FeatureAccumulator()
        if job.pca != nil {
            try sums.add(rows)
            try await store.write(sums.serialized(), to: staging.appending("stats/\(name).cov"))
        }
        var total = statistics
        try total.merge(sums)
        return total
    }

    /// The summary of the version `manifest` describes; `counts` are the rows' failures (read from the parts when nil).
    private func summary(of manifest: DatasetManifest, featurized: Int, counts given: FailureCounts?, components: Int?) async throws -> RunSummary {
        var counts = given ?? FailureCounts()
        if given == nil {
            for part in manifest.parts {
                counts.add(errors: try await LocalCopy.with(layout.root.appending(part.name), from: store) {
                    try FeaturePartFile.readErrors(path: $0)
                })
            }
        }
        let previous = try? JSONDecoder().decode(
            RunSummary.self, from: Data(try await store.read(layout.runFile, maxBytes: 1 << 20)))
        let seconds = Date().timeIntervalSince(started)
        return RunSummary(
            images: images.count, resumed: images.count - featurized, failures: counts.failures,
            failuresByReason: counts.byReason, seconds: seconds, imagesPerSecond: Double(featurized) / max(seconds, 1e-9),
            featureCount: counts.featureCount > 0 ? counts.featureCount : previous?.featureCount ?? 0,
            pcaComponents: components,
            threads: job.threads, engine: engine, version: manifest.version, history: manifest.history)
    }

    static func encode(_ summary: RunSummary) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(summary))
    }

    /// Names an update's parts apart from every earlier version's (even for an input that returns to an old state).
    static func updateID(jobID: String, version: Int) -> String {
        var digest = FNV1a64()
        digest.add(jobID)
        digest.add("update \(version)")
        return String(digest.value, radix: 16).leftPadded(to: 16)
    }
}
