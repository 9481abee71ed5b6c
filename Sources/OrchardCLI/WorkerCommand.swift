import ArgumentParser
import Foundation
import MobileNet
import Imaging
import LinearAlgebra
import Pipeline
import Recognition

/// `orchard worker`: what Spark executors run inside `SELECT TRANSFORM … USING`; not for people.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Process rows from Spark script transformation on stdin (used by --engine spark).",
        shouldDisplay: false,
        subcommands: [Featurize.self, PCAMerge.self, PCAApply.self])

    /// Featurizes one image path per input row.
    struct Featurize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rows: path (or path, length, base64 bytes) → path, label, features, error.")

        @Option(help: "The weight file.")
        var model: String

        @Option(help: "Threads (one network each).")
        var threads: Int = 1

        @OptionGroup var backend: BackendOptions

        @Option(name: .customLong("max-pixels"), help: "Refuse images larger than this many pixels.")
        var maxPixels: Int = 50_000_000

        @Option(name: .customLong("max-bytes"), help: "Refuse image files larger than this many bytes.")
        var maxBytes: Int = 64 << 20

        @Flag(help: "Stage rows for a PCA: base64 features, then the partition's PCA sums.")
        var staged = false

        @Flag(help: "Rows carry path, length and base64 bytes (Spark read the file).")
        var content = false

        @Option(help: "A classifier bundle: unstaged rows get its prediction.")
        var classifier: String?

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let bundle = try classifier.map { try ClassifierBundle.load(from: $0) }
            try await storage.withStores { stores in
                try await SparkWorker(stores: stores).featurize(
                    lines: StandardInputLines(), modelPath: model, threads: max(1, threads),
                    limits: ImageLimits(maxPixels: maxPixels, maxBytes: maxBytes), staged: staged, content: content,
                    classifier: bundle, backend: backend.backend)
            }
        }
    }

    /// Merges several partitions' PCA sums into one.
    struct PCAMerge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pca-merge", abstract: "Rows: PCA sums in chunks → their merge in chunks.")

        func run() throws {
            try SparkWorker(stores: StoreResolver()).pcaMerge(lines: StandardInputLines())
        }
    }

    /// Appends the PCA projection to each row.
    struct PCAApply: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pca-apply", abstract: "Rows: path, label, base64 features, error → the dataset's columns, with pca (and prediction).")

        @Option(help: "The PCA model file.")
        var pca: String

        @Option(help: "A classifier bundle: rows also get its prediction.")
        var classifier: String?

        func run() throws {
            let model = try PCAModel.load(from: URL(fileURLWithPath: pca))
            let bundle = try classifier.map { try ClassifierBundle.load(from: $0) }
            try SparkWorker(stores: StoreResolver()).pcaApply(lines: StandardInputLines(), model: model, classifier: bundle)
        }
    }
}

/// Standard input, line by line, to its end (Spark requires the program to read all of it).
struct StandardInputLines: Sequence, IteratorProtocol {
    mutating func next() -> String? { readLine(strippingNewline: true) }
}
