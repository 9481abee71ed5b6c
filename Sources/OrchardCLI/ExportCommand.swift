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
            (or exactly the new ones); anything else is refused unless --overwrite is given. --out is never the \
            bundle or the backbone, nor inside a featurized dataset.

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
        if (out as NSString).lastPathComponent == "labels.txt" {
            throw ValidationError("--out names the model file; labels.txt is written beside it, so the model needs another name, e.g. fruit.tflite.")
        }
        try LocalFilePath.require(bundle, for: "The bundle")
        try LocalFilePath.require(out, for: "--out")
    }

    func run() throws {
        let output = URL(fileURLWithPath: out)
        let labels = output.deletingLastPathComponent().appendingPathComponent("labels.txt")
        let modelFile = OutputFile(path: out, option: "--out", example: "fruit.tflite")
        try modelFile.check(
            inputs: [bundle] + (backbone.backbone.map { [$0] } ?? []), overwrite: overwrite, kind: "a model Orchard exported",
            isOurs: { FileManager.default.contents(atPath: $0).flatMap { LabelsMetadata.labels(inExport: [UInt8]($0)) } != nil })
        let loaded = try ClassifierBundle.load(from: bundle)
        let weights = try backbone.weights(for: loaded, bundlePath: bundle)
        let (folded, bias) = loaded.affineHead()
        let head = try AffineHead(
            labels: loaded.labels, weights: folded.map(Float.init), bias: bias.map(Float.init), featureCount: loaded.featureCount)
        let model = try TFLiteExport.model(backbone: weights, head: head)
        let labelBytes = Data(LabelsMetadata.encode(loaded.labels))
        if !overwrite { try refuseReplacingOthersLabels(output: output, labels: labels, newLabels: labelBytes) }
        try modelFile.write(Data(model))
        try OutputFile(path: labels.path, option: "labels.txt").write(labelBytes)
        print("wrote \(out) (\(model.count) bytes: input [1,224,224,3] float32 in [-1,1], output [1,\(loaded.labels.count)] probabilities)")
        print("wrote \(labels.path) (\(loaded.labels.count) labels, one per line, in output order)")
    }

    /// Refuses to replace a labels.txt Orchard did not write: one holding the labels of the export at `output`
    /// (which `check` let through) or already exactly `newLabels` is replaced.
    private func refuseReplacingOthersLabels(output: URL, labels: URL, newLabels: Data) throws {
        let previousLabels = FileManager.default.contents(atPath: output.path)
            .flatMap { LabelsMetadata.labels(inExport: [UInt8]($0)) }.map { Data(LabelsMetadata.encode($0)) }
        if let existing = FileManager.default.contents(atPath: labels.path), existing != previousLabels, existing != newLabels {
            throw OutputFileRefusal(
                "\(labels.path) exists and holds other labels than the export at \(output.path) it would sit beside; export "
                    + "into another folder, or give --overwrite to replace it")
        }
    }
}
