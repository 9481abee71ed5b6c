import ArgumentParser
import Foundation
import MobileNet
import Pipeline

/// `orchard model`: get and inspect MobileNetV2 weight files.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Download and inspect MobileNetV2 weight files.",
        discussion: """
            Examples:
              orchard model fetch --alpha 1.0 --size 224
              orchard model info ~/.cache/orchard/models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5
            """,
        subcommands: [Fetch.self, Info.self])

    /// `orchard model fetch`: the official Keras weights into the cache.
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the official Keras MobileNetV2 ImageNet weights into the model cache.",
            discussion: "Files come from the address keras.applications uses and land in $ORCHARD_CACHE (default ~/.cache/orchard/models), each with its SHA-256 in NAME.sha256; a cached file that no longer matches is refused. `featurize` uses the newest one when --model is not given.\n\nExample: orchard model fetch --alpha 1.0 --size 224 --top")

        @Option(help: "Width multiplier: 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4.")
        var alpha: Double = 1.0

        @Option(help: "Input size the weights were trained at: 96, 128, 160, 192 or 224.")
        var size: Int = 224

        @Flag(help: "Include the 1000-class ImageNet classifier (needed for top-5 classes in `embed`).")
        var top = false

        @Option(name: .customLong("sha256"), help: "The SHA-256 (64 hex digits) the file must have; Keras publishes none for these files.")
        var sha256: String?

        func validate() throws {
            if let sha256, !ModelChecksum.isValidHex(sha256) {
                throw ValidationError("--sha256 takes 64 hex digits, not '\(sha256)'.")
            }
        }

        func run() async throws {
            let downloader = ModelDownloader()
            let isTerminal = isatty(2) == 1
            let path = try await downloader.fetch(alpha: alpha, size: size, top: top, sha256: sha256) { received, total in
                guard isTerminal else { return }
                let share = total.map { " \(Int(Double(received) / Double(max($0, 1)) * 100))%" } ?? ""
                FileHandle.standardError.write(Data("\r\u{1B}[2Kdownloading \(received / 1024) KiB\(share)".utf8))
            }
            if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            print(path)
        }
    }

    /// `orchard model info`: what a weight file holds.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what a MobileNetV2 weight file (.h5 or .tflite) holds.",
            discussion: "Example: orchard model info mobilenet_v2_1.0_224.tflite")

        @Argument(help: "A Keras .h5 / .weights.h5 or a TFLite file.")
        var file: String

        func run() throws {
            let weights = try WeightFile.load(path: file)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            print(WeightSummary(weights).lines(file: file, bytes: size).joined(separator: "\n"))
        }
    }
}

/// A few facts about loaded weights, for people.
struct WeightSummary {
    let weights: MobileNetV2Weights

    init(_ weights: MobileNetV2Weights) { self.weights = weights }

    func lines(file: String, bytes: Int) -> [String] {
        var convolutions = [weights.stem, weights.head]
        for block in weights.blocks {
            convolutions += [block.expand, block.depthwise, block.project].compactMap { $0 }
        }
        var parameters = convolutions.reduce(0) { $0 + $1.kernel.values.count + $1.bias.count }
        if let classifier = weights.classifier { parameters += classifier.kernel.values.count + classifier.bias.count }
        return [
            "file: \(file) (\(bytes) bytes)",
            "network: MobileNetV2, alpha \(weights.alpha), \(weights.blocks.count) inverted-residual blocks",
            "features: \(weights.head.bias.count) (pooled output of the last 1×1 convolution)",
            "classifier: " + (weights.classifier.map { "yes, \($0.bias.count) ImageNet classes" } ?? "no (features only)"),
            "parameters: \(parameters) (BatchNorm folded into the convolutions)",
        ]
    }
}
