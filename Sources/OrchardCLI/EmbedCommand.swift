import ArgumentParser
import Foundation
import Imaging
import MobileNet
import Recognition
import Storage

/// `orchard embed`: try the model on a few images.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print each image's feature vector (length and first values) and, with a top, its top-5 ImageNet classes.",
        discussion: "Example: orchard embed --model mobilenet_v2.tflite photo1.jpg photo2.png")

    @OptionGroup var model: ModelOptions

    @Option(help: "Threads for the network.")
    var threads: Int = 1

    @OptionGroup var backend: BackendOptions

    @Option(help: "How many leading feature values to print.")
    var values: Int = 8

    @Argument(help: "Image files (.jpg, .jpeg, .png).")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("Give at least one image file.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        var extractor = try MobileNetFeatureExtractor(
            weights: try WeightFile.load(path: try model.resolvedPath()), limits: ImageLimits(), threads: threads,
            backend: backend.backend)
        FileHandle.standardError.write(Data("network: \(extractor.backendDescription)\n".utf8))
        var failed = 0
        for image in images {
            do {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: image)))
                let output = try extractor.output(of: bytes, name: image)
                let head = output.features.prefix(values).map { String(format: "%.4f", $0) }.joined(separator: ", ")
                print("\(TerminalText.escaped(image)): \(output.features.count) features [\(head), …]")
                if let probabilities = output.probabilities {
                    for (rank, (index, p)) in topK(probabilities, 5).enumerated() {
                        let name = index < ImageNetClasses.names.count ? ImageNetClasses.names[index] : "class \(index)"
                        print("  \(rank + 1). \(name) (\(index)) \(String(format: "%.1f", p * 100))%")
                    }
                }
            } catch {
                failed += 1
                print("\(TerminalText.escaped(image)): error: \(TerminalText.escaped("\(error)"))")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func topK(_ values: [Float], _ k: Int) -> [(Int, Float)] {
        Array(values.enumerated().sorted { $0.element > $1.element }.prefix(k)).map { ($0.offset, $0.element) }
    }
}
