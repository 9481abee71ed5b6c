import ArgumentParser
import Foundation
import LinearAlgebra
import Pipeline
import Storage

/// `orchard pca`: fit and apply PCA on an existing features dataset.
struct PCACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "Fit a PCA on a features dataset, or add PCA components to one, without recomputing features.",
        discussion: """
            Examples:
              orchard pca fit features/ --components 50 --out pca.orchpca
              orchard pca transform features/ --model pca.orchpca --out features-pca/
            """,
        subcommands: [Fit.self, Transform.self])

    /// `orchard pca fit`.
    struct Fit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a PCA on the `features` column of a dataset and save the model (docs/pca-model.md).",
            discussion: "Example: orchard pca fit features/ --components 50 --out pca.orchpca")

        @Argument(help: "A features dataset folder or s3:// prefix (written by `featurize`, or any Parquet with a list<float> `features` column).")
        var dataset: String

        @Option(help: "The model file to write (a JSON summary is written beside it, as FILE.json).")
        var out: String

        @Option(help: "Keep this many components.")
        var components: Int?

        @Option(help: "Keep as many components as explain this share of the variance, e.g. 0.95.")
        var variance: Double?

        @OptionGroup var storage: StorageOptions
        @OptionGroup var reading: DatasetReadOptions

        func validate() throws {
            if (components == nil) == (variance == nil) { throw ValidationError("Give exactly one of --components or --variance.") }
            if let k = components, k < 1 { throw ValidationError("--components must be at least 1.") }
            if let r = variance, !(r > 0 && r <= 1) { throw ValidationError("--variance must be in (0, 1].") }
        }

        func run() async throws {
            let selection: ComponentSelection = components.map { .count($0) } ?? .varianceRatio(variance ?? 0.95)
            let root = try StorageLocation(parsing: dataset)
            let model = try await storage.withStores { try await reading.open(root, stores: $0).fitPCA(selection) }
            try model.write(to: URL(fileURLWithPath: out))
            try model.toJSON().write(to: URL(fileURLWithPath: out + ".json"))
            let explained = model.explainedVarianceRatio.reduce(0, +)
            print("\(model.componentCount) components of \(model.dimension) explain \(String(format: "%.2f", explained * 100))% of the variance (\(model.sampleCount) rows)")
            print("wrote \(out) and \(out).json")
        }
    }

    /// `orchard pca transform`.
    struct Transform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a copy of a features dataset with a `pca` column computed by a saved model.",
            discussion: "Example: orchard pca transform features/ --model pca.orchpca --out features-pca/")

        @Argument(help: "A features dataset folder or s3:// prefix.")
        var dataset: String

        @Option(help: "A model written by `orchard pca fit` or by `featurize --pca` (OUT/_orchard/pca.orchpca).")
        var model: String

        @Option(help: "The new dataset's folder or s3:// prefix (must be empty or new).")
        var out: String

        @OptionGroup var storage: StorageOptions
        @OptionGroup var reading: DatasetReadOptions

        func run() async throws {
            let pca = try PCAModel.load(from: URL(fileURLWithPath: model))
            let (root, target) = (try StorageLocation(parsing: dataset), try StorageLocation(parsing: out))
            let rows = try await storage.withStores { stores in
                try await reading.open(root, stores: stores).transform(with: pca, to: target, stores: stores)
            }
            print("wrote \(rows) rows with \(pca.componentCount) PCA components to \(out)")
        }
    }
}
