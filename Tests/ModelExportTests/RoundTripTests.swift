import Foundation
@testable import MobileNet
import Testing

@testable import ModelExport

/// Export, then read the file back with Orchard's own TFLite loader: the same weights, bit for bit.
@Suite struct RoundTripTests {
    @Test func realBackboneAndHeadReadBackExactly() throws {
        let backbone = try ExportTestSupport.realWeights.get()
        let labels = ExportTestSupport.fruitClasses
        let head = try ExportTestSupport.randomHead(labels: labels, scale: 0.05, seed: 7)
        let clock = ContinuousClock()
        let start = clock.now
        let bytes = try TFLiteExport.model(backbone: backbone, head: head)
        print("Exported MobileNetV2 + \(labels.count)-label head: \(bytes.count) bytes in \(clock.now - start)")

        let loaded = try TFLiteWeightLoader.load(bytes: bytes, name: "exported.tflite")
        #expect(Self.firstDifference(backbone, loaded) == nil)
        // The loader turns FULLY_CONNECTED [K, features] back into Keras's [features, K]: the head's own layout.
        #expect(loaded.classifier == MobileNetV2Weights.Classifier(
            kernel: WeightTensor(shape: [1280, labels.count], values: head.weights), bias: head.bias))

        let file = try ExportedFile(bytes)
        let stored = try #require(try file.metadata()[LabelsMetadata.name])
        #expect(String(decoding: stored, as: UTF8.self) == labels.joined(separator: "\n") + "\n")
        #expect(LabelsMetadata.decode(stored) == labels)
        #expect(try file.version == 3)
        #expect(try file.description?.contains(LabelsMetadata.name) == true)
        #expect(try file.buffers.first?.vector(0, "data", elementSize: 1) == nil, "buffer 0 must be empty")
        let codes = try file.operatorCodes()
        #expect(codes.map(\.builtin).sorted() == [0, 3, 4, 9, 25, 40])  // ADD, CONV_2D, DEPTHWISE, FC, SOFTMAX, MEAN
        for code in codes {
            #expect(Int32(code.deprecated) == code.builtin && code.version == 1, "operator code \(code)")
        }
        let misaligned = try file.bufferDataOffsets().filter { $0 % 16 != 0 }
        #expect(misaligned.isEmpty, "buffer data at offsets \(misaligned) is not 16-byte aligned")
    }

    @Test func weightFileLoadsTheExportedFileFromDisk() throws {
        let backbone = try RandomBackbone.weights(alpha: 0.35, seed: 3)
        let head = try ExportTestSupport.randomHead(labels: ["a", "b"], scale: 0.1, seed: 4)
        let folder = try ExportTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.tflite").path
        try Data(try TFLiteExport.model(backbone: backbone, head: head, inputSize: 96)).write(to: URL(fileURLWithPath: path))
        let loaded = try WeightFile.load(path: path)
        #expect(Self.firstDifference(backbone, loaded) == nil)
        #expect(loaded.classifier?.bias == head.bias)
    }

    @Test func labelsInAnyScriptReadBack() throws {
        let labels = ["Äpfel", "香蕉", "🍓 fraise", "kiwi (gold)", "a;b,c\"d"]
        let head = try ExportTestSupport.randomHead(labels: labels, scale: 0.1, seed: 5)
        let bytes = try TFLiteExport.model(backbone: try RandomBackbone.weights(alpha: 0.35, seed: 6), head: head, inputSize: 64)
        let stored = try #require(try ExportedFile(bytes).metadata()[LabelsMetadata.name])
        #expect(LabelsMetadata.decode(stored) == labels)
        #expect(stored == Array("Äpfel\n香蕉\n🍓 fraise\nkiwi (gold)\na;b,c\"d\n".utf8))
    }

    @Test func exportIsDeterministic() throws {
        let backbone = try RandomBackbone.weights(alpha: 0.5, seed: 8)
        let head = try ExportTestSupport.randomHead(labels: ["x", "y", "z"], scale: 0.1, seed: 9)
        #expect(try TFLiteExport.model(backbone: backbone, head: head) == TFLiteExport.model(backbone: backbone, head: head))
    }

    /// The first backbone layer whose folded weights differ, or nil; arrays this large would flood a failure message.
    static func firstDifference(_ a: MobileNetV2Weights, _ b: MobileNetV2Weights) -> String? {
        if a.alpha != b.alpha { return "alpha \(a.alpha) vs \(b.alpha)" }
        var layers: [(String, FoldedConvolution?, FoldedConvolution?)] = [("Conv1", a.stem, b.stem)]
        guard a.blocks.count == b.blocks.count else { return "\(a.blocks.count) vs \(b.blocks.count) blocks" }
        for (index, (x, y)) in zip(a.blocks, b.blocks).enumerated() {
            layers += [("block \(index) expand", x.expand, y.expand), ("block \(index) depthwise", x.depthwise, y.depthwise),
                       ("block \(index) project", x.project, y.project)]
        }
        layers.append(("Conv_1", a.head, b.head))
        for (name, x, y) in layers where x != y {
            guard let x, let y else { return "\(name): present in one only" }
            if x.kernel.shape != y.kernel.shape { return "\(name): kernel shape \(x.kernel.shape) vs \(y.kernel.shape)" }
            if let i = x.kernel.values.indices.first(where: { x.kernel.values[$0] != y.kernel.values[$0] }) {
                return "\(name): kernel[\(i)] \(x.kernel.values[i]) vs \(y.kernel.values[i])"
            }
            return "\(name): bias differs"
        }
        return nil
    }
}
