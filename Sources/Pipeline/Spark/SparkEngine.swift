import Foundation
import LinearAlgebra
import Recognition
import SparkConnect
import Storage

/// Runs a featurize job on a Spark cluster through Spark Connect, executors running `orchard worker`.
///
/// The CLI ships its own binary and the weights once per session (`addArtifacts`: once per executor,
/// not per row), Spark lists the input (`binaryFile`, paths only: rows stay small), a script
/// transformation featurizes each partition, and Spark writes the dataset. With PCA, the featurize
/// pass stages features (base64) under `OUT/_orchard/staging` with each partition's PCA sums, the
/// driver-side CLI merges the sums and solves the eigenproblem, and a second transformation applies
/// the projection. The layout and schema equal the local engine's. A re-run recomputes the job
/// (Spark's commit protocol makes each write atomic).
public struct SparkEngine: FeaturizeEngine {
    let master: String
    let stores: StoreResolver
    let partitions: Int?
    let binary: String?
    let progressOutput: @Sendable (String) -> Void
    /// PCA sums (6.6 MB each at 1280-d) the driver takes at most; executors merge more into this many.
    var sumsPerMerge = 16
    /// Whether Spark sends the images' bytes even when workers could read them (tests the HDFS path).
    var sendsContent = false

    /// An engine driving the Spark Connect server at `master` (`sc://host:port/;token=…`); executors run
    /// `binary` (default: this very executable).
    public init(
        master: String, stores: StoreResolver, partitions: Int? = nil, binary: String? = nil,
        progressOutput: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        self.master = master
        self.stores = stores
        self.partitions = partitions
        self.binary = binary
        self.progressOutput = progressOutput
    }

    public func run(_ job: FeaturizeJob) async throws -> RunSummary {
        let started = Date()
        let outputStore = try stores.store(for: job.output)  // an OUT the CLI cannot write fails before connecting
        try OutputPlacement.refuseOverlap(input: job.input, output: job.output)
        let session = try await SparkSession.connect(url: master)
        do {
            let summary = try await run(job, outputStore: outputStore, session: session, started: started)
            await session.stop()
            return summary
        } catch {
            await session.stop()
            throw error
        }
    }

    private func run(
        _ job: FeaturizeJob, outputStore: any ObjectStore, session: SparkSession, started: Date
    ) async throws -> RunSummary {
        let layout = DatasetLayout(root: job.output)
        let folder = OutputFolder(store: outputStore, layout: layout)
        var shipment = try SparkShipment(binary: binary ?? SparkShipment.runningBinary(), modelPath: job.modelPath)
        defer { shipment.remove() }
        let modelSHA256 = try ModelDigest.sha256(ofFile: job.modelPath)
        if job.update {  // it loads and checks the classifier and makes its own record, from the listing
            return try await update(job, folder: folder, shipment: shipment, modelSHA256: modelSHA256, session: session, started: started)
        }
        // Checked here, before any cluster time is spent: the bundle must fit this model's features.
        if let path = job.classifierPath { _ = try ClassifierBundle.forJob(path: path, modelPath: job.modelPath, modelSHA256: modelSHA256) }
        let record = JobRecord(
            job: job, images: [], modelBytes: shipment.modelBytes, modelSHA256: modelSHA256,
            classifierSHA256: try job.classifierPath.map { try ModelDigest.sha256(ofFile: $0) })
        if let path = job.classifierPath { _ = try shipment.add(file: path, named: "classifier-\(record.jobID).orchard") }
        let lease = try await folder.claimForRecompute(record: record, overwrite: job.overwrite)
        return try await lease.holding {
            try await run(job, record: record, folder: folder.guarded(by: lease), shipment: shipment, session: session, started: started)
        }
    }

    private func run(
        _ job: FeaturizeJob, record: JobRecord, folder: OutputFolder, shipment: SparkShipment, session: SparkSession,
        started: Date
    ) async throws -> RunSummary {
        let layout = folder.layout
        let outputStore = folder.store

        progressOutput("spark: connected to \(session.url); shipping orchard and the model to the executors")
        var step = Date()
        let classifierName = job.classifierPath.map { _ in "classifier-\(record.jobID).orchard" }
        var queries = SparkJobQueries(
            jobID: record.jobID, binaryName: shipment.binaryName, modelName: shipment.modelName, classifierName: classifierName,
            workerOptions: workerOptions)
        let (imageCount, slots) = try await shipAndList(job.input, shipment: shipment, queries: queries, session: session)
        let partitionCount = partitions ?? Self.partitionCount(images: imageCount, slots: slots)
        progressOutput("spark: \(imageCount) images in \(partitionCount) partitions over \(slots) task slots \(since(&step))")

        // Workers read local and S3 images themselves; from HDFS, Spark reads them and sends the bytes.
        let content = sendsContent || job.input.isHDFS
        if content {
            // base64() breaks its output into 76-character lines unless this setting (Spark 3.5.2 and later)
            // turns that off; on 3.5.0 and 3.5.1 the query removes the line breaks itself.
            if let version = await session.serverVersion, version < SparkVersion(3, 5, 2) {
                queries.stripsBase64LineBreaks = true
            } else {
                try await session.conf.set("spark.sql.chunkBase64String.enabled", "false")
            }
            // binaryFile's own limit fails the whole query on a larger file; the queries never let it read
            // one (see `SparkJobQueries.featurize`), and this makes sure of it.
            try await session.conf.set("spark.sql.sources.binaryFile.maxLength", String(job.maxImageBytes))
        }
        let featurized = try await session.sql(queries.featurize(
            partitions: partitionCount, threads: job.threads, maxPixels: job.maxImagePixels, maxBytes: job.maxImageBytes,
            staged: job.pca != nil, content: content, backend: job.backend))
        var components: Int?
        // Spark names the parts it writes; the record is what lets a later `--overwrite` tell them from a user's.
        try await folder.recordSparkParts(jobID: record.jobID, written: false)
        if let selection = job.pca {
            let staging = Self.sparkPath(job.output.appending("_orchard/staging/features"))
            try await featurized.write.mode(.overwrite).parquet(staging, progress: progress("featurize"))
            progressOutput("spark: featurized \(since(&step))")
            let model = try await fitPCA(
                selection, sums: queries.pcaSums(staging: staging, mergeInto: mergeGroups(partitionCount)),
                session: session, folder: folder)
            components = model.componentCount
            progressOutput("spark: PCA fitted, \(model.componentCount) components \(since(&step))")
            let pcaFile = try shipment.add(model.serialized(), named: "pca-\(record.jobID).orchpca")
            try await session.addArtifact(file: pcaFile)
            // One task per staged file, as many as the featurize pass had (whole waves): without this
            // Spark packs small files into fewer, uneven partitions.
            try await session.conf.set("spark.sql.files.openCostInBytes", String(1 << 30))
            try await append(session.sql(queries.pcaApply(staging: staging, pcaName: pcaFile.lastPathComponent)), to: job.output, step: "pca")
            progressOutput("spark: PCA applied \(since(&step))")
            try await folder.removeOrchardStaging()
        } else {
            try await append(featurized, to: job.output, step: "featurize")
            progressOutput("spark: featurized \(since(&step))")
        }

        try await folder.recordSparkParts(jobID: record.jobID, written: true)
        let counts = try await Self.counts(of: Self.sparkPath(job.output), session: session)
        let seconds = Date().timeIntervalSince(started)
        let summary = RunSummary(
            images: counts.rows, resumed: 0, failures: counts.failures, failuresByReason: counts.byReason,
            seconds: seconds, imagesPerSecond: Double(counts.rows) / max(seconds, 1e-9),
            featureCount: counts.featureCount, pcaComponents: components, threads: slots, engine: "spark")
        try await PartCommitter(store: outputStore, layout: layout, record: record).finish(summary: summary)
        return summary
    }

    /// The storage settings this CLI was given, for the workers: executors would otherwise read S3 from
    /// their own environment's endpoint (AWS itself).
    var workerOptions: [String] {
        (stores.s3Endpoint.map { ["--s3-endpoint", $0] } ?? [])
            + (stores.s3Addressing.map { ["--s3-addressing-style", $0.styleName] } ?? [])
    }

    /// Ships the binary and weights while Spark lists the input: the number of images and of task slots.
    private func shipAndList(
        _ input: StorageLocation, shipment: SparkShipment, queries: SparkJobQueries, session: SparkSession
    ) async throws -> (images: Int, slots: Int) {
        // Independent round trips, overlapped.
        async let shipped = session.addArtifacts(files: shipment.files)
        async let slots = Self.taskSlots(session)
        let images: Int
        if case .s3 = input {
            images = try await listHere(input, queries: queries, session: session)
        } else {
            // The listing reads paths only, never the files: without this each file is charged Spark's 4 MB
            // open cost and a few thousand small images become dozens of scan tasks.
            try await session.conf.set("spark.sql.files.openCostInBytes", "0")
            try await session.read.format("binaryFile").option("recursiveFileLookup", "true")
                .load(Self.sparkPath(input)).createOrReplaceTempView(queries.files)
            try await session.sql(queries.imageFiles).createOrReplaceTempView(queries.images)
            images = try await session.sql("SELECT path FROM \(queries.images)").count()
        }
        guard images > 0 else { throw PipelineError.noImages(input.description) }
        _ = try await shipped
        return (images, try await slots)
    }

    /// Lists an S3 input with the CLI's own client (its endpoint, addressing and credentials, which
    /// Spark's S3 connector may lack) and hands Spark the paths as inline rows, in views of
    /// `listedRowsPerView` rows: the number of images.
    private func listHere(_ input: StorageLocation, queries: SparkJobQueries, session: SparkSession) async throws -> Int {
        let (items, hidden) = try await ImageListing(store: stores.store(for: input)).listing(under: input)
        if let notice = ImageListing.skippedNotice(hidden) { progressOutput("spark: " + notice) }
        try await hand(items, to: session, queries: queries)
        return items.count
    }

    /// Hands Spark `items` as the job's image view, inline rows in views of `listedRowsPerView` rows.
    func hand(_ items: [ImageItem], to session: SparkSession, queries: SparkJobQueries) async throws {
        var views: [String] = []
        for start in stride(from: 0, to: items.count, by: Self.listedRowsPerView) {
            let view = "\(queries.files)_\(views.count)"
            try await session.sql(SparkJobQueries.listed(items[start ..< min(start + Self.listedRowsPerView, items.count)]))
                .createOrReplaceTempView(view)
            views.append(view)
        }
        guard !views.isEmpty else { return }
        try await session.sql(views.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL "))
            .createOrReplaceTempView(queries.images)
    }

    /// Rows per inline view of a listing (about 200 KB of SQL each).
    static let listedRowsPerView = 2000

    /// Appends `rows` to the dataset with Spark's writer; `_SUCCESS` is Orchard's to write, last.
    private func append(_ rows: DataFrame, to output: StorageLocation, step: String) async throws {
        try await rows.write.mode(.append).option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
            .parquet(Self.sparkPath(output), progress: progress(step))
    }

    /// Groups executors merge the partitions' PCA sums into first, so the driver receives at most
    /// `sumsPerMerge` of them; nil when there are no more than that anyway.
    private func mergeGroups(_ partitions: Int) -> Int? {
        partitions > sumsPerMerge ? sumsPerMerge : nil
    }

    /// Fits the PCA from every partition's partial sums, merged here, and saves the model in OUT.
    private func fitPCA(
        _ selection: ComponentSelection, sums: String, session: SparkSession, folder: OutputFolder
    ) async throws -> PCAModel {
        var partials = PartialSums()
        for row in try await session.sql(sums).collect(progress: progress("pca sums")) {
            guard case .string(let id) = row[0], case .integer(let chunk) = row[1], case .integer(let chunks) = row[2],
                  case .string(let data) = row[3] else { continue }
            try partials.add(id: id, chunk: Int(chunk), of: Int(chunks), base64: data)
        }
        let model = try PCAModel.fit(try partials.merged(), components: selection)
        try await folder.savePCA(model)
        return model
    }

    /// Images per task at most: small enough that a retried task costs little, large enough that the
    /// process start and model load (~0.1 s) stay negligible.
    static let maxImagesPerTask = 2000
    /// Whole waves of tasks: a multiple of the task slots, so no core idles through a last, partial
    /// wave, and as few waves as keep tasks at `maxImagesPerTask` images or fewer.
    static func partitionCount(images: Int, slots: Int) -> Int {
        let slots = max(1, slots)
        let waves = max(1, (images + slots * maxImagesPerTask - 1) / (slots * maxImagesPerTask))
        return max(1, min(images, slots * waves))
    }

    /// The cluster's task slots now (Spark's default parallelism: all executor cores).
    /// The written dataset's counts, from Spark (only per-reason totals come back to the driver).
    static func counts(of dataset: String, session: SparkSession) async throws -> FailureCounts {
        var counts = FailureCounts()
        let totals = try await session.sql(SparkJobQueries.datasetCounts(dataset)).collect()
        counts.rows = Int(totals.first?[0].int64 ?? 0)
        counts.featureCount = Int(totals.first?[1].int64 ?? 0)
        for row in try await session.sql(SparkJobQueries.failuresByReason(dataset)).collect() {
            guard case .string(let reason) = row[0], let count = row[1].int64 else { continue }
            counts.add(reason: reason, count: Int(count))
        }
        return counts
    }

    static func taskSlots(_ session: SparkSession) async throws -> Int {
        let rows = try await session.sql(SparkJobQueries.taskSlots).collect()
        guard let value = rows.first?[0].int64, value > 0 else { return 2 }
        return Int(value)
    }

    /// "(1.2 s)" since `start`, which moves to now.
    private func since(_ start: inout Date) -> String {
        let seconds = Date().timeIntervalSince(start)
        start = Date()
        return "(\(String(format: "%.1f", seconds)) s)"
    }

    /// Prints Spark's task progress for one step, at most every few seconds.
    func progress(_ step: String) -> ProgressHandler {
        let printer = SparkProgressPrinter(step: step, output: progressOutput)
        return { printer.show($0) }
    }

    /// The path as Spark names it: local paths absolute, `s3://` (EMR's own scheme) and `hdfs://` kept.
    static func sparkPath(_ location: StorageLocation) -> String {
        switch location {
        case .local(let path):
            return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        case .s3, .hdfs:
            return location.description
        }
    }
}

extension StorageLocation {
    /// Whether only Spark can read this location.
    var isHDFS: Bool {
        if case .hdfs = self { true } else { false }
    }
}
