import ArgumentParser
import Foundation
import Recognition

/// `orchard train`: featurized datasets in, a fruit classifier bundle out.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a fruit classifier (multinomial logistic regression) on featurized datasets.",
        discussion: """
            Each row's label (its image's folder name) is its class. Features are standardised on these rows, \
            then a softmax classifier with an L2 penalty is fitted by L-BFGS, as scikit-learn's \
            LogisticRegression does (same C, same stopping rule). Rows whose image failed are skipped and counted.

            Memory holds the whole feature matrix: rows × 1280 float64, about 15 KB a row with its float32 \
            copy (100 MB for 6,700 photos).

            Example: orchard train features/Training --out fruit.orchard
            """)

    @Argument(help: "Featurized dataset folders (or s3:// prefixes), as `orchard featurize` writes them.")
    var datasets: [String]

    @Option(name: .long, help: "Where to write the classifier bundle.")
    var out: String

    @Option(name: .customLong("c"), help: "Inverse L2 regularisation strength, as scikit-learn's C (smaller: simpler model).")
    var c: Double = 1.0

    @Option(name: .customLong("max-iterations"), help: "L-BFGS iterations at most.")
    var maxIterations: Int = 200

    @OptionGroup var read: DatasetReadOptions

    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if datasets.isEmpty { throw ValidationError("Give at least one featurized dataset.") }
        if !(c > 0 && c.isFinite) { throw ValidationError("--c must be a positive number, e.g. 1.0.") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1.") }
    }

    func run() async throws {
        let data = try await storage.withStores { try await LabeledFeatures.reading(datasets, options: read, stores: $0) }
        print("training on \(data.count) rows × \(data.dimension ?? 0) features, \(Set(data.labels).count) classes (\(data.skipped) failed rows skipped)")
        let (classifier, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(c: c, maxIterations: maxIterations)) { step in
            if step.iteration % 10 == 0 || step.iteration == 1 {
                print(String(format: "iteration %4d  loss %.6g  gradient %.3g", step.iteration, step.loss, step.gradientNorm))
            }
        }
        try ClassifierBundle(classifier: classifier, metrics: metrics, sources: datasets).write(to: out)
        print(String(format: "done after %d iterations (%@), loss %.6g, gradient %.3g", metrics.iterations,
                     metrics.converged ? "converged" : "stopped before the tolerance", metrics.finalLoss, metrics.finalGradientNorm))
        print(String(format: "training accuracy %.2f%% (%d rows)", 100 * metrics.trainAccuracy, metrics.trainRows))
        print("wrote \(out)  (score it: orchard evaluate \(out) DATASET)")
    }
}
