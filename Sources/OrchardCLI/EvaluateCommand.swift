import ArgumentParser
import Foundation
import Recognition

/// `orchard evaluate`: a classifier bundle and featurized datasets in, accuracy and a confusion matrix out.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a classifier bundle on featurized datasets: accuracy, per-class scores, confusion matrix.",
        discussion: """
            Each row's label is its true class; rows whose image failed are skipped. Prints accuracy, top-5 \
            accuracy, precision, recall and F1 per class, and the confusion matrix (rows: true labels); \
            with --json, one JSON object with accuracy, top5_accuracy, per_class and confusion.

            Example: orchard evaluate fruit.orchard features/Test --json
            """)

    @Argument(help: "The classifier bundle `orchard train` wrote.")
    var bundle: String

    @Argument(help: "Featurized dataset folders (or s3:// prefixes) to score it on.")
    var datasets: [String]

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var read: DatasetReadOptions

    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if datasets.isEmpty { throw ValidationError("Give at least one featurized dataset to evaluate on.") }
        try LocalFilePath.require(bundle, for: "The bundle")
    }

    func run() async throws {
        let loaded = try ClassifierBundle.load(from: bundle)
        let data = try await storage.withStores { stores in
            try Self.refuseOtherNetworks(try await RecordedBackbone.reading(datasets, stores: stores), bundle: loaded, path: bundle)
            return try await LabeledFeatures.reading(datasets, dimension: loaded.featureCount, options: read, stores: stores)
        }
        guard data.count > 0 else { throw RecognitionError.noUsableRows(skipped: data.skipped) }
        let probabilities = try (0..<data.count).map { try loaded.probabilities(for: data.features(at: $0)) }
        let evaluation = Evaluation(trueLabels: data.labels, probabilities: probabilities, classLabels: loaded.labels)
        // Said on stderr, so --json stays one JSON object.
        let unknown = Set(data.labels).subtracting(loaded.labels).sorted()
        if !unknown.isEmpty {
            FileHandle.standardError.write(Data((
                "note: \(unknown.count) label(s) of these rows are not among the bundle's \(loaded.labels.count) classes, so their "
                    + "rows count as wrong: \(unknown.prefix(10).joined(separator: ", "))\(unknown.count > 10 ? ", …" : "")\n").utf8))
        }
        if json {
            print(String(decoding: try evaluation.json(), as: UTF8.self))
        } else {
            if data.skipped > 0 { print(data.skippedText) }
            print(evaluation.text)
        }
    }

    /// Refuses datasets whose job records name another network than the one the bundle was trained on:
    /// their features mean something else, and the scores would be noise.
    static func refuseOtherNetworks(_ records: [RecordedBackbone], bundle: ClassifierBundle, path: String) throws {
        guard let trained = bundle.backbone?.sha256.lowercased() else { return }
        if let other = records.first(where: { $0.sha256 != nil && $0.sha256 != trained }) {
            throw RecognitionError.invalidOption(
                name: "datasets",
                reason: "\(other.dataset) holds features of \(other.modelName ?? "another network") (SHA-256 \(other.sha256 ?? "?")), but "
                    + "\(path) was trained on features of \(bundle.backbone?.name ?? "another one") (SHA-256 \(trained)): featurize the "
                    + "photos with that network, or evaluate a bundle trained on this one")
        }
    }
}
