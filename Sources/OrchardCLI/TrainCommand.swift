import ArgumentParser
import Foundation
import LinearAlgebra
import Pipeline
import Recognition
import Storage

extension ClassWeighting: ExpressibleByArgument {}

/// `orchard train`: featurized datasets in, a fruit classifier bundle out.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a fruit classifier (multinomial logistic regression) on featurized datasets.",
        discussion: """
            Each row's label (its image's folder name) is its class; rows whose image failed are skipped and \
            counted. Optionally a PCA is fitted on the training rows and applied first (--pca, --pca-variance). \
            Features are then standardised on the training rows and a softmax classifier with an L2 penalty is \
            fitted by L-BFGS in float64, as scikit-learn's StandardScaler + LogisticRegression(C=…) do (same \
            objective, same stopping rule); --class-weight balanced weights each row as \
            LogisticRegression(class_weight="balanced") does.

            Validation: --validation F holds out a share F of each class's rows (stratified, chosen by --seed), \
            or --validation-data names datasets to validate on. The validation loss (mean log-loss) and \
            accuracy are printed with the progress and stored in the bundle's metrics. Early stopping: when \
            the validation loss has not fallen by more than 1e-4 below its best for --early-stopping N \
            iterations in a row (default 10), training stops, and the weights with the lowest validation loss \
            are kept (also when training ends otherwise); --early-stopping 0 keeps the last weights.

            The bundle is one file: format version, labels, PCA, standardisation, weights, training metrics, \
            the backbone's name and SHA-256 as the datasets' _orchard/job.json record them (datasets of two \
            different networks are refused), and with --embed-backbone the backbone's weight file itself, so \
            the bundle alone can classify photos.

            Warm start: after `orchard featurize --update` grew a dataset, --warm-start PREVIOUS.orchard starts \
            from the previous bundle's weights (and keeps its PCA, if it had one) instead of from zero. The \
            objective and its optimum are the same as a cold start's; the solver gets there in fewer \
            iterations. New classes start at zero; the previous bundle must come from the same backbone.

            Memory: parts are read one at a time, but the whole feature matrix is held: rows × 1280 float32 as \
            read plus rows × 1280 float64 standardised, about 15 KB a row (100 MB for 6,700 photos); with --pca K \
            the float64 matrix is rows × K instead (plus a 1280 × 1280 covariance, 13 MB). Validation rows \
            count as rows.

            Example: orchard train features/Training --out fruit.orchard
            More examples:
              # PCA to 95% of the variance, 10% of each class held out, rare classes weighted up
              orchard train features/Training --out fruit.orchard --pca-variance 0.95 --validation 0.1 --class-weight balanced
              # validate on another dataset; the bundle carries the network, so it alone can classify
              orchard train features/Training --validation-data features/Validation --out fruit.orchard --embed-backbone
              # after an update of the dataset: continue from last week's bundle
              orchard train features/Training --out fruit-v2.orchard --warm-start fruit.orchard
            """)

    @Argument(help: "Featurized dataset folders (or s3:// prefixes), as `orchard featurize` writes them.")
    var datasets: [String]

    @Option(name: .long, help: ArgumentHelp("Where to write the classifier bundle (missing folders are created; an earlier bundle there is replaced).", valueName: "file"))
    var out: String

    @Flag(name: .long, help: "Replace --out even when it is not a bundle Orchard wrote.")
    var overwrite = false

    @Option(name: .customLong("c"), help: "Inverse L2 regularisation strength, as scikit-learn's C (smaller: simpler model).")
    var c: Double = 1.0

    @Option(name: .customLong("max-iterations"), help: "L-BFGS iterations at most.")
    var maxIterations: Int = 200

    @Option(
        name: .customLong("class-weight"),
        help: "uniform: every row counts once; balanced: a row of class c counts n / (classes × n_c), so every class weighs the same in total.")
    var classWeight: ClassWeighting = .uniform

    @Option(name: .long, help: ArgumentHelp("Fit a PCA with this many components on the training rows and train on its projection (stored in the bundle).", valueName: "k"))
    var pca: Int?

    @Option(name: .customLong("pca-variance"), help: ArgumentHelp("Like --pca, keeping as many components as explain this share of the variance, e.g. 0.95.", valueName: "share"))
    var pcaVariance: Double?

    @Option(name: .long, help: ArgumentHelp("Hold out this share (0 < F < 1) of each class's rows for validation, chosen at random by --seed.", valueName: "share"))
    var validation: Double?

    @Option(
        name: .customLong("validation-data"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Validate on these featurized datasets instead of a held-out share (every label must occur in the training rows).",
            valueName: "dataset"))
    var validationData: [String] = []

    @Option(name: .long, help: ArgumentHelp("Seed of the --validation split: the same seed picks the same rows.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(
        name: .customLong("early-stopping"),
        help: ArgumentHelp(
            "With validation: stop after this many iterations without the validation loss improving, keeping the best weights (0: never stop early). Default: 10.",
            valueName: "iterations"))
    var earlyStopping: Int?

    @Flag(name: .customLong("embed-backbone"), help: "Put the backbone's weight file into the bundle (checked against the SHA-256 the datasets record).")
    var embedBackbone = false

    @Option(name: .long, help: ArgumentHelp("With --embed-backbone: the weight file to embed (default: the model path the datasets' job records name).", valueName: "file"))
    var model: String?

    @Option(
        name: .customLong("warm-start"),
        help: ArgumentHelp("Start from this earlier bundle's weights (and keep its PCA): fewer iterations after a dataset update.", valueName: "file"))
    var warmStart: String?

    @OptionGroup var read: DatasetReadOptions

    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if datasets.isEmpty { throw ValidationError("Give at least one featurized dataset.") }
        if !(c > 0 && c.isFinite) { throw ValidationError("--c must be a positive number, e.g. 1.0.") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1.") }
        if pca != nil, pcaVariance != nil { throw ValidationError("Use either --pca or --pca-variance, not both.") }
        if let k = pca, k < 1 { throw ValidationError("--pca must be at least 1.") }
        if let v = pcaVariance, !(v > 0 && v < 1) { throw ValidationError("--pca-variance must be strictly between 0 and 1, e.g. 0.95.") }
        if validation != nil, !validationData.isEmpty { throw ValidationError("Use either --validation or --validation-data, not both.") }
        if let f = validation, !(f > 0 && f < 1) { throw ValidationError("--validation must be strictly between 0 and 1, e.g. 0.1.") }
        if let n = earlyStopping {
            if n < 0 { throw ValidationError("--early-stopping must be 0 (off) or more iterations.") }
            if validation == nil, validationData.isEmpty {
                throw ValidationError("--early-stopping needs validation rows: add --validation F or --validation-data DATASET.")
            }
        }
        if warmStart != nil, pca != nil || pcaVariance != nil {
            throw ValidationError("--warm-start keeps the earlier bundle's PCA (or its absence): drop --pca/--pca-variance.")
        }
        if model != nil, !embedBackbone { throw ValidationError("--model names the backbone to embed: use it with --embed-backbone.") }
        try LocalFilePath.require(out, for: "--out")
        if let warmStart { try LocalFilePath.require(warmStart, for: "--warm-start") }
        if let model { try LocalFilePath.require(model, for: "--model") }
    }

    /// The options handed to the library.
    var options: TrainingOptions {
        let validated = validation != nil || !validationData.isEmpty
        let patience = earlyStopping ?? 10
        return TrainingOptions(
            c: c, maxIterations: maxIterations, classWeight: classWeight,
            earlyStoppingPatience: validated && patience > 0 ? patience : nil)
    }

    /// The PCA asked for, if any.
    var pcaSelection: ComponentSelection? {
        pca.map { ComponentSelection.count($0) } ?? pcaVariance.map { ComponentSelection.varianceRatio($0) }
    }

    func run() async throws {
        let output = OutputFile(path: out, option: "--out")
        try output.check(inputs: [], overwrite: overwrite, kind: "a classifier bundle Orchard wrote", isOurs: ClassifierBundle.isBundle(atPath:))
        // The backbone first: a mixture of networks, or a file to embed that is not the one recorded, is
        // refused before any row is read.
        let records = try await storage.withStores { try await RecordedBackbone.reading(datasets + validationData, stores: $0) }
        let backbone = try RecordedBackbone.agreed(records)
        let embedded = embedBackbone ? try backboneBytes(recorded: backbone) : nil
        let previous = try warmStart.map { try previousBundle($0, recorded: backbone) }

        let clock = ContinuousClock()
        let reading = clock.now
        let (all, heldOut) = try await storage.withStores { stores -> (LabeledFeatures, LabeledFeatures?) in
            let progress = { (part: StorageLocation, rows: Int, kept: Int) in
                print("read \(part.name): \(rows) rows (\(kept) kept so far)")
            }
            let all = try await LabeledFeatures.reading(datasets, options: read, stores: stores, progress: progress)
            guard !validationData.isEmpty else { return (all, nil) }
            return (all, try await LabeledFeatures.reading(validationData, dimension: all.dimension, options: read, stores: stores, progress: progress))
        }

        print(String(format: "read %d rows in %.2f s", all.count + (heldOut?.count ?? 0), seconds(since: reading)))

        var (training, checking) = (all, heldOut)
        if let validation {
            (training, checking) = try all.stratifiedSplit(validationFraction: validation, seed: seed)
            print("validation: \(checking!.count) rows held out (\(validation) of each class, seed \(seed))")
        } else if let checking {
            print("validation: \(checking.count) rows from \(validationData.joined(separator: ", ")) (\(checking.skippedText))")
        }
        let classCount = Set(training.labels).count
        print("training on \(training.count) rows × \(training.dimension ?? 0) features, \(classCount) \(classCount == 1 ? "class" : "classes") (\(training.skippedText))")
        if classWeight == .balanced { printClassWeights(training) }
        if let previous, let warmStart {
            let known = Set(previous.labels), new = Set(training.labels).subtracting(known).sorted()
            print("warm start from \(warmStart): \(previous.labels.count) classes"
                + (new.isEmpty ? "" : ", new ones start at zero: \(new.joined(separator: ", "))")
                + (previous.pca.map { ", its PCA (\($0.componentCount) components) kept" } ?? ""))
        }
        if let pca { print("fitting a PCA of \(pca) components on the \(training.count) training rows") }
        if let pcaVariance { print("fitting a PCA keeping \(pcaVariance) of the variance on the \(training.count) training rows") }

        let fitting = clock.now
        let trained = try TrainedClassifier(
            training: training, validation: checking, pca: pcaSelection, options: options, warmStart: previous
        ) { step in
            guard step.iteration % 10 == 0 || step.iteration == 1 else { return }
            var line = String(format: "iteration %4d  loss %.6g  gradient %.3g", step.iteration, step.loss, step.gradientNorm)
            if let loss = step.validationLoss, let accuracy = step.validationAccuracy {
                line += String(format: "  validation loss %.4g  accuracy %.2f%%", loss, 100 * accuracy)
            }
            print(line)
        }
        print(String(format: "trained in %.2f s", seconds(since: fitting)))
        report(trained)

        let featureCount = trained.pca?.dimension ?? trained.classifier.dimension
        var identity = backbone?.identity(featureCount: featureCount)
        if let embedded, identity == nil {
            let name = (embedded.path as NSString).lastPathComponent
            identity = BackboneIdentity(name: name, sha256: BackboneFile.sha256(embedded.bytes), featureCount: featureCount)
            print("note: the datasets record no backbone, so \(embedded.path) is embedded unchecked: make sure it made their features")
        }
        let unrecorded = RecordedBackbone.unrecorded(records)
        if let identity {
            print("backbone: \(identity.name) (SHA-256 \(identity.sha256))\(embedded.map { ", embedded (\($0.bytes.count) bytes)" } ?? "")")
            if !unrecorded.isEmpty { print("note: \(unrecorded.joined(separator: ", ")) record(s) no backbone; assumed to be \(identity.name)") }
        } else {
            print("note: no dataset records its backbone (no _orchard/job.json with modelSHA256), so the bundle names none")
        }
        try output.write(Data(try trained.bundle(sources: datasets + validationData, backbone: identity, embeddedBackbone: embedded?.bytes).serialized()))
        print("wrote \(out)  (score it: orchard evaluate \(ShellWord.quoted(out)) DATASET)")
    }

    /// The backbone file to embed and its path: `--model` or the datasets' recorded model, checked against
    /// the recorded SHA-256.
    func backboneBytes(recorded: RecordedBackbone?) throws -> (bytes: [UInt8], path: String) {
        guard let path = model ?? recorded?.model else {
            throw TrainFailure(
                "--embed-backbone: the datasets record no backbone (no _orchard/job.json with the model), so give the "
                    + "weight file that made their features with --model FILE")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainFailure(
                "--embed-backbone: the backbone \(path) is not on this machine"
                    + (model == nil ? " (the datasets' job record names it): give its copy with --model FILE" : ""))
        }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TrainFailure("--embed-backbone: cannot read \(path): \(error.localizedDescription)")
        }
        // The bytes embedded are the bytes hashed: a file replaced meanwhile cannot slip in.
        if let expected = recorded?.sha256 {
            let actual = BackboneFile.sha256(bytes)
            guard actual == expected else {
                throw TrainFailure(
                    "--embed-backbone: \(path) has SHA-256 \(actual), but the datasets' features were made by "
                        + "\(recorded?.modelName ?? "another file") with SHA-256 \(expected): embed that file")
            }
        }
        return (bytes, path)
    }

    /// The `--warm-start` bundle, refused when it was trained on another backbone's features.
    func previousBundle(_ path: String, recorded: RecordedBackbone?) throws -> ClassifierBundle {
        let bundle = try ClassifierBundle.load(from: path)
        if let theirs = bundle.backbone?.sha256, let ours = recorded?.sha256, theirs != ours {
            throw TrainFailure(
                "--warm-start: \(path) was trained on features of \(bundle.backbone?.name ?? "another network") (SHA-256 \(theirs)), "
                    + "these datasets on \(recorded?.modelName ?? "another one") (SHA-256 \(ours)): its weights mean nothing here")
        }
        return bundle
    }

    /// Seconds from `start` to now.
    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// One line on the balanced class weights: their range and which classes get them.
    func printClassWeights(_ training: LabeledFeatures) {
        var counts: [String: Int] = [:]
        for label in training.labels { counts[label, default: 0] += 1 }
        let labels = counts.keys.sorted()
        let weights = ClassWeighting.balanced.weights(classCounts: labels.map { counts[$0]! })
        let low = weights.indices.min { weights[$0] < weights[$1] }!, high = weights.indices.max { weights[$0] < weights[$1] }!
        print(String(format: "class weights (balanced): %.3g (%@, %d rows) to %.3g (%@, %d rows)",
                     weights[low], labels[low], counts[labels[low]]!, weights[high], labels[high], counts[labels[high]]!))
    }

    /// What training achieved, in lines.
    func report(_ trained: TrainedClassifier) {
        let metrics = trained.metrics
        if let pca = trained.pca {
            print(String(format: "PCA: %d → %d components (%.1f%% of the variance)", pca.dimension, pca.componentCount,
                         100 * pca.explainedVarianceRatio.reduce(0, +)))
        }
        if metrics.stoppedEarly == true, let best = metrics.bestIteration {
            print("early stopping: the validation loss stopped improving; kept iteration \(best)'s weights")
        } else if let best = metrics.bestIteration, best != metrics.iterations {
            print("kept iteration \(best)'s weights (lowest validation loss)")
        }
        print(String(format: "done after %d iterations (%@), loss %.6g, gradient %.3g", metrics.iterations,
                     metrics.converged ? "converged" : "stopped before the tolerance", metrics.finalLoss, metrics.finalGradientNorm))
        print(String(format: "training accuracy %.2f%% (%d rows)", 100 * metrics.trainAccuracy, metrics.trainRows))
        if let accuracy = metrics.validationAccuracy, let loss = metrics.validationLoss, let rows = metrics.validationRows {
            print(String(format: "validation accuracy %.2f%% (%d rows), loss %.4g", 100 * accuracy, rows, loss))
        }
    }
}

/// A failure of `orchard train` that is about its inputs rather than a library's (printed as `Error: …`).
struct TrainFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
