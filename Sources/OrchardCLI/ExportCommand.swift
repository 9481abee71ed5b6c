import ArgumentParser
import Foundation
import ModelExport
import Recognition

/// `orchard export`: a classifier bundle as one model file the phone app runs offline.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a classifier bundle with its backbone as one TFLite model for the phone app.",
        discussion: """
            The file holds MobileNetV2, then the bundle's PCA, standardisation and classifier folded into one \
            FULLY_CONNECTED layer (exact: each is affine), then SOFTMAX over the fruit labels. Input: float32 \
            [1, 224, 224, 3], RGB scaled to [-1, 1] (x / 127.5 - 1), as Keras's MobileNetV2 preprocessing; output: \
            float32 [1, K] probabilities in the order of labels.txt. The labels are also in the file's metadata \
            ("orchard_labels", one per line). See docs/tflite-export.md for the app's side.

            The backbone is the bundle's embedded copy, else --backbone FILE, else $ORCHARD_MODEL or a file \
            `orchard model fetch` cached (checked by SHA-256 against the one the classifier was trained on).

            Missing folders of --out are created. An existing --out is replaced only when it is an earlier Orchard \
            export (it carries "orchard_labels"), and an existing labels.txt only when it holds that export's labels \
            (or exactly the new ones); anything else is refused unless --overwrite is given.

            Example:
              orchard export fruit.orchard --format tflite --out fruit.tflite --backbone mobilenet_v2.tflite
            """)

    @Argument(help: "The classifier bundle `orchard train` wrote.")
    var bundle: String

    @Option(name: .long, help: "The model format to write. Only tflite (LiteRT, Android and iOS) today.")
    var format: String = "tflite"

    @Option(name: .long, help: "The model file to write; labels.txt is written beside it.")
    var out: String

    @Flag(name: .long, help: "Replace --out and labels.txt beside it even when they are not an earlier Orchard export's.")
    var overwrite = false

    @OptionGroup var backbone: BackboneOptions

    func validate() throws {
        if format != "tflite" { throw ValidationError("--format \(format) is not supported; use --format tflite.") }
        if out.hasSuffix("/") { throw ValidationError("--out names the model file to write, e.g. fruit.tflite.") }
        try LocalFilePath.require(bundle, for: "The bundle")
        try LocalFilePath.require(out, for: "--out")
    }

    func run() throws {
        let loaded = try ClassifierBundle.load(from: bundle)
        let weights = try backbone.weights(for: loaded, bundlePath: bundle)
        let (folded, bias) = loaded.affineHead()
        let head = try AffineHead(
            labels: loaded.labels, weights: folded.map(Float.init), bias: bias.map(Float.init), featureCount: loaded.featureCount)
        let model = try TFLiteExport.model(backbone: weights, head: head)
        let output = URL(fileURLWithPath: out)
        let labels = output.deletingLastPathComponent().appendingPathComponent("labels.txt")
        let labelBytes = Data(LabelsMetadata.encode(loaded.labels))
        if !overwrite { try refuseReplacingOthersFiles(output: output, labels: labels, newLabels: labelBytes) }
        try write(Data(model), to: output)
        try write(labelBytes, to: labels)
        print("wrote \(out) (\(model.count) bytes: input [1,224,224,3] float32 in [-1,1], output [1,\(loaded.labels.count)] probabilities)")
        print("wrote \(labels.path) (\(loaded.labels.count) labels, one per line, in output order)")
    }

    /// Refuses to replace files Orchard did not write: `output` unless it is an earlier export (it carries
    /// `orchard_labels`), `labels` unless it holds that export's labels or already exactly `newLabels`.
    private func refuseReplacingOthersFiles(output: URL, labels: URL, newLabels: Data) throws {
        var previousLabels: Data?
        if FileManager.default.fileExists(atPath: output.path) {
            let earlier = FileManager.default.contents(atPath: output.path).flatMap { LabelsMetadata.labels(inExport: [UInt8]($0)) }
            guard let earlier else {
                throw ValidationError(
                    "\(output.path) exists and is not a model Orchard exported; choose another --out, or give --overwrite to replace it.")
            }
            previousLabels = Data(LabelsMetadata.encode(earlier))
        }
        if let existing = FileManager.default.contents(atPath: labels.path), existing != previousLabels, existing != newLabels {
            throw ValidationError(
                "\(labels.path) exists and is not the labels.txt of an Orchard export at \(output.path); export into another "
                    + "folder, or give --overwrite to replace it.")
        }
    }

    /// Writes `data` to `file` atomically, creating missing folders (as featurize creates OUT).
    private func write(_ data: Data, to file: URL) throws {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        } catch {
            throw ExportWriteError(path: file.path, reason: error.localizedDescription)
        }
    }
}

/// A file `export` could not write, said in one line.
struct ExportWriteError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot write \(path): \(reason)" }
}
