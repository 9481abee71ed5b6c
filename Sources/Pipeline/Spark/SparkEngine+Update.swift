import Foundation
import Recognition
import SparkConnect
import Storage

extension SparkEngine {
    /// `--update` on Spark: the CLI lists INPUT and compares it with OUT's manifest as the local engine
    /// does, the cluster featurizes only the new and changed images, and the CLI stages, re-projects and
    /// commits the new version (`DatasetUpdate`). An OUT with no dataset yet becomes version 1 this way,
    /// so it can be updated by either engine later.
    func update(
        _ job: FeaturizeJob, folder: OutputFolder, shipment: SparkShipment, modelSHA256: String, session: SparkSession,
        started: Date
    ) async throws -> RunSummary {
        guard !job.input.isHDFS else {
            throw PipelineError.invalidOption(
                "--update compares INPUT's listing with OUT, and this CLI cannot list hdfs:// itself: "
                    + "featurize the hdfs:// INPUT without --update, or update from a copy in S3 or a local folder")
        }
        let (images, hidden) = try await ImageListing(store: stores.store(for: job.input)).listing(under: job.input)
        if let notice = ImageListing.skippedNotice(hidden) { progressOutput("spark: " + notice) }
        guard !images.isEmpty else { throw PipelineError.noImages(job.input.description) }
        let classifier = try job.classifierPath.map {
            try ClassifierBundle.forJob(path: $0, modelPath: job.modelPath, modelSHA256: modelSHA256)
        }
        let record = JobRecord(
            job: job, images: images, modelBytes: shipment.modelBytes, modelSHA256: modelSHA256,
            classifierSHA256: try job.classifierPath.map { try ModelDigest.sha256(ofFile: $0) })
        let layout = folder.layout
        let objects = try await folder.listing()
        try folder.refuseForeign(objects)
        let hasManifest = objects.contains { $0.location == layout.manifest }
        // Empty, or only what a killed first update left (its lease, its staging): version 0.
        let staging = layout.root.appending("_temporary/").description
        guard hasManifest || objects.allSatisfy({ $0.location == layout.lockFile || $0.location.description.hasPrefix(staging) }) else {
            throw PipelineError.notUpdatable(
                layout.root.description,
                reason: "it holds no manifest (_orchard/manifest.json) to compare the input with (a Spark run without "
                    + "--update, or an older Orchard, wrote it): featurize into an empty OUT with --update once")
        }
        let lease = try await folder.takeLease()
        let folder = folder.guarded(by: lease)
        return try await lease.holding {
            var update = DatasetUpdate(
                job: job, record: record, images: images, folder: folder, classifier: classifier, lease: lease,
                started: started,
                makeProgress: { [progressOutput] title, total in
                    ProgressReporter(title: title, total: total, isTerminal: false, interval: 10) {
                        progressOutput($0.trimmingCharacters(in: .newlines))
                    }
                },
                featurizer: SparkUpdateFeaturizer(engine: self, job: job, record: record, shipment: shipment, folder: folder, session: session))
            update.engine = "spark"
            update.startsEmpty = !hasManifest
            return try await update.run()
        }
    }
}

/// Featurizes an update's images on the cluster: Spark gets their paths as inline rows, its executors'
/// `orchard worker` writes the rows into OUT's update staging, and the CLI reads them back file by file.
struct SparkUpdateFeaturizer: UpdateFeaturizer {
    let engine: SparkEngine
    let job: FeaturizeJob
    let record: JobRecord
    let shipment: SparkShipment
    let folder: OutputFolder
    let session: SparkSession

    func featurize(
        _ images: [ImageItem], rowsPerPart: Int, progress: ProgressReporter, emit: ([FeatureRow]) async throws -> Void
    ) async throws -> Int {
        guard !images.isEmpty else { return 0 }
        // The classifier's columns are the CLI's to add when it writes the parts; workers compute features only.
        let queries = SparkJobQueries(
            jobID: record.jobID, binaryName: shipment.binaryName, modelName: shipment.modelName, workerOptions: engine.workerOptions)
        async let shipped = session.addArtifacts(files: shipment.files)
        let slots = try await SparkEngine.taskSlots(session)
        try await engine.hand(images, to: session, queries: queries)
        _ = try await shipped
        // Enough tasks that each one's file holds at most a part's worth of rows.
        let partitions = max(
            engine.partitions ?? SparkEngine.partitionCount(images: images.count, slots: slots),
            (images.count + rowsPerPart - 1) / rowsPerPart)
        let output = folder.layout.root.appending(DatasetLayout.updateStaging + "spark")
        let rows = try await session.sql(queries.featurize(
            partitions: partitions, threads: job.threads, maxPixels: job.maxImagePixels, maxBytes: job.maxImageBytes,
            staged: false, content: false, backend: job.backend))
        try await rows.write.mode(.overwrite).parquet(SparkEngine.sparkPath(output), progress: engine.progress("featurize"))

        let reader = PartCommitter(store: folder.store, layout: folder.layout, record: record)
        defer { reader.removeScratch() }
        let files = try await folder.store.list(under: output)
            .filter { $0.location.name.hasPrefix("part-") && $0.location.name.hasSuffix(".parquet") }
            .sorted { $0.location.description < $1.location.description }
        var featureCount = 0
        for file in files {
            let rows = try await reader.read(file.location)
            if featureCount == 0, let features = rows.lazy.compactMap(\.features).first { featureCount = features.count }
            progress.advance(by: rows.count, failures: rows.filter { $0.error != nil }.count)
            for start in stride(from: 0, to: rows.count, by: rowsPerPart) {
                try await emit(Array(rows[start ..< min(start + rowsPerPart, rows.count)]))
            }
        }
        return featureCount
    }
}
