import ArgumentParser
import Foundation
import MobileNet
import LinearAlgebra
import Pipeline
import Recognition
import Storage

/// `orchard featurize`: images in, a Parquet dataset of features (and PCA components) out.
struct FeaturizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "featurize",
        abstract: "Turn a folder (or s3:// prefix) of images into a Parquet dataset of MobileNetV2 features.",
        discussion: """
            Every .jpg, .jpeg and .png under INPUT (recursively) becomes one row: its path, its label (the \
            name of the folder holding it), its 1280 MobileNetV2 features, its PCA components when asked, with \
            --classifier the fruit a bundle from `orchard train` predicts (`prediction`, `probability`), and \
            an error message instead of vectors when the image cannot be read. Files and folders whose names \
            start with . or _ are skipped (as Spark skips them), and the run says how many images that left out.

            OUT is laid out as Spark writes datasets: part-*.parquet files, then _SUCCESS once complete. An \
            interrupted run resumes where it stopped when the same command is run again.

            With --update, OUT is brought up to date with INPUT as it is now: only images that are new or \
            changed (size or modification time; ETag on S3) are featurized, rows of removed or changed images \
            are dropped, and the new version is committed in one step (_orchard/manifest.json), so readers of \
            the manifest see the old dataset or the new one. The PCA is refitted from per-part sums kept in \
            _orchard/stats/ and every row re-projected only if the components moved (or with --refit-pca); \
            --keep-pca projects new rows with the existing PCA. The model must be the one OUT was made with, which \
            is the default (the file its _orchard/job.json names). \
            With --engine spark the cluster featurizes the new images and this CLI commits the version (it lists \
            INPUT itself: a local folder or S3); to update a Spark-made dataset later, make it with --update \
            from the start.

            Examples:
              orchard featurize photos/ --out features/ --pca 50
              orchard featurize s3://fruits/Test --out s3://fruits/features --pca-variance 0.95
              orchard featurize photos/ --out features/ --engine spark --master sc://localhost:15002
              orchard featurize new-photos/ --out predicted/ --classifier fruit.orchard
              orchard featurize photos/ --out features/ --pca 50 --update
              orchard featurize s3://fruits/photos --out s3://fruits/features --pca 50 --update --engine spark --master sc://emr:15002
            """)

    @Argument(help: "Folder or s3://bucket/prefix of images (or hdfs://… with --engine spark); each image's label is its folder's name.")
    var input: String

    @Option(name: .long, help: "Dataset folder or s3://bucket/prefix to write.")
    var out: String

    @OptionGroup var model: ModelOptions

    @Option(name: .long, help: "Keep this many PCA components (adds a `pca` column).")
    var pca: Int?

    @Option(name: .customLong("pca-variance"), help: "Keep as many PCA components as explain this share of the variance, e.g. 0.95.")
    var pcaVariance: Double?

    @Option(name: .long, help: "A classifier bundle (`orchard train`): adds each image's `prediction` and its `probability`. It must have been trained on this model's features; without --model, the network it was trained on is used ($ORCHARD_MODEL or a cached file with its SHA-256, else its embedded copy).")
    var classifier: String?

    @Option(name: .long, help: "Worker threads, one network each (default: all cores); with PCA, as many final parts are written at once. With --engine spark: threads per Spark task (default 1, one per task slot; raise it with spark.task.cpus).")
    var threads: Int?

    @OptionGroup var backend: BackendOptions

    @Option(name: .customLong("images-per-part"), help: "Images per output part file (default 1000; local engine only: on Spark a part is a partition, see --spark-partitions).")
    var imagesPerPart: Int?

    @Option(name: .customLong("max-pixels"), help: "Refuse images larger than this many pixels (decompression-bomb guard).")
    var maxPixels: Int = 50_000_000

    @Flag(name: .long, help: "Delete whatever OUT holds and start over.")
    var overwrite = false

    @Flag(name: .long, help: "Bring the dataset in OUT up to date with INPUT: featurize only new or changed images, drop rows of removed ones (either engine).")
    var update = false

    @Flag(name: .customLong("refit-pca"), help: "With --update: refit the PCA and re-project every row, even if the components barely moved.")
    var refitPCA = false

    @Flag(name: .customLong("keep-pca"), help: "With --update: project new rows with the dataset's existing PCA (its sums are still kept for a later refit).")
    var keepPCA = false

    @OptionGroup var storage: StorageOptions

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        if pca != nil, pcaVariance != nil { throw ValidationError("Use either --pca or --pca-variance, not both.") }
        if let k = pca, k < 1 { throw ValidationError("--pca must be at least 1.") }
        if let r = pcaVariance, !(r > 0 && r <= 1) { throw ValidationError("--pca-variance must be in (0, 1], e.g. 0.95.") }
        if let n = threads, n < 1 { throw ValidationError("--threads must be at least 1.") }
        if let n = imagesPerPart, n < 1 { throw ValidationError("--images-per-part must be at least 1.") }
        if engine.engine == .spark, imagesPerPart != nil {
            throw ValidationError("--images-per-part applies to the local engine; on Spark each partition writes one part: use --spark-partitions.")
        }
        if update, overwrite { throw ValidationError("Use either --update (keep what OUT holds, add what is new) or --overwrite (start over), not both.") }
        if refitPCA || keepPCA, !update { throw ValidationError("--refit-pca and --keep-pca apply to --update runs only.") }
        if refitPCA, keepPCA { throw ValidationError("Use either --refit-pca or --keep-pca, not both.") }
        if maxPixels < 1 { throw ValidationError("--max-pixels must be at least 1.") }
        if let classifier { try LocalFilePath.require(classifier, for: "--classifier") }
    }

    func run() async throws {
        InterruptedRun.releaseLeasesOnInterrupt()
        let (job, summary) = try await storage.withStores { stores in
            let job = try makeJob(recordedModel: try await defaultModel(stores: stores))
            return (job, try await engine.makeEngine(stores: stores).run(job))
        }
        print(summary.text)
        print("wrote \(job.output)  (see it: orchard report \(ShellWord.quoted(job.output.description))\(storage.flags(for: job.output)))")
    }

    /// The weights to use when --model is not given and the job itself names them: an update uses those the
    /// dataset records, a run with --classifier those the bundle was trained on (any other is refused).
    func defaultModel(stores: StoreResolver) async throws -> String? {
        guard model.model == nil else { return nil }
        if update, let recorded = await JobRecord.stored(in: try StorageLocation(parsing: out).absolute, stores: stores)?.model {
            return recorded
        }
        guard let classifier else { return nil }
        return try ModelCache().backbone(of: try ClassifierBundle.load(from: classifier), candidates: BackboneOptions.candidates())
    }

    /// The job these options describe, with each engine's defaults; `recordedModel` is the model OUT records.
    func makeJob(recordedModel: String? = nil) throws -> FeaturizeJob {
        var job = FeaturizeJob(
            input: try StorageLocation(parsing: input).absolute, output: try StorageLocation(parsing: out).absolute,
            modelPath: try model.resolvedPath(recorded: recordedModel), pca: pca.map { ComponentSelection.count($0) } ?? pcaVariance.map { ComponentSelection.varianceRatio($0) },
            threads: threads ?? (engine.engine == .spark ? 1 : ProcessInfo.processInfo.activeProcessorCount),
            imagesPerPart: imagesPerPart ?? 1000, overwrite: overwrite, maxImagePixels: maxPixels,
            classifierPath: classifier.map { StorageLocation.local(path: $0).absolute.description },
            backend: backend.backend)
        job.update = update
        job.pcaUpdate = refitPCA ? .refit : keepPCA ? .keep : .auto
        return job
    }
}
