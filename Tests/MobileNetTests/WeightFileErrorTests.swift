import Foundation
import Testing

@testable import MobileNet

/// Bad weight files and bad arguments fail with errors that say what and where.
@Suite struct WeightFileErrorTests {
    /// Writes `bytes` to a fresh temporary file and returns its path.
    private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("orchard-mobilenet-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    private func loadError(_ path: String) -> ModelError? {
        do {
            _ = try WeightFile.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyFile() throws {
        let path = try temporaryFile([], name: "empty.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadError(path) == .truncatedFile(source: path, detail: "the file is empty"))
    }

    @Test func missingFile() {
        guard case .unreadableFile(let path, _) = loadError("/nonexistent/weights.h5") else {
            Issue.record("expected unreadableFile")
            return
        }
        #expect(path == "/nonexistent/weights.h5")
    }

    @Test func unknownFormat() throws {
        let path = try temporaryFile(Array("not a weight file at all".utf8), name: "text.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadError(path) == .unknownFormat(path: path))
    }

    @Test(arguments: ["mobilenet_v2_0.35_224_no_top.h5", "missing_layers.h5"])
    func truncatedFile(fixture: String) throws {
        // The first uses a version-3 superblock (libver latest), the second version 0 like Keras 2's files.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: KerasFixtures.path(fixture))))
        let path = try temporaryFile(Array(bytes.prefix(bytes.count / 2)), name: fixture)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .truncatedFile(let source, let detail) = loadError(path) else {
            Issue.record("expected truncatedFile, got \(String(describing: loadError(path)))")
            return
        }
        #expect(source == path)
        #expect(detail.contains("\(bytes.count / 2) bytes") && detail.contains("\(bytes.count)"))
    }

    @Test func wrongShapeNamesTheLayer() {
        let error = loadError(KerasFixtures.path("wrong_shape.h5"))
        #expect(error == .wrongShape(layer: "Conv1 kernel (alpha 0.35)", expected: [3, 3, 3, 16], found: [3, 3, 3, 20]))
        #expect(error?.description.contains("Conv1") == true)
    }

    @Test func otherNetworkIsNotMobileNetV2() {
        let path = KerasFixtures.path("not_mobilenet_v2.h5")
        #expect(loadError(path) == .notMobileNetV2(source: path, reason: "it has no `Conv1` layer with a kernel"))
    }

    @Test func missingLayerIsNamed() {
        let path = KerasFixtures.path("missing_layers.h5")
        #expect(loadError(path) == .missingWeight(source: path, layer: "expanded_conv_depthwise", weight: "kernel"))
    }

    @Test func modelRejectsMismatchedWeightsAndInputs() throws {
        var weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224_no_top.h5"))
        #expect(throws: ModelError.invalidArgument("input size 16 is not in 32...2048")) {
            try MobileNetV2(weights: weights, inputSize: 16)
        }
        let model = try MobileNetV2(weights: weights)
        let short = [Float](repeating: 0, count: 100)
        #expect(throws: ModelError.self) { try short.withUnsafeBufferPointer { try model.run(input: $0) } }
        // Alpha 0.5 weights labelled 0.35 are caught before XNNPACK sees them.
        weights.alpha = 0.5
        #expect(throws: ModelError.self) { try MobileNetV2(weights: weights) }
    }
}
