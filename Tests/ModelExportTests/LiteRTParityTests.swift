import Foundation
import Imaging
import MobileNet
import OrchardTestKit
import Testing

@testable import ModelExport

/// The exported file run by LiteRT (Google's own TFLite interpreter) against Orchard's MobileNetV2 (every backend)
/// with the head applied in float64, on the same input tensors.
@Suite struct LiteRTParityTests {
    /// Runs the model on raw float32 inputs and prints each output (and, when named, another tensor) as JSON.
    static let runScript = #"""
        import json, sys, warnings
        import numpy as np
        from ai_edge_litert.interpreter import Interpreter
        warnings.simplefilter("ignore")
        model, inputs, count, side, extra = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        x = np.fromfile(inputs, dtype="<f4").reshape(count, 1, side, side, 3)
        it = Interpreter(model_path=model, num_threads=1, experimental_preserve_all_tensors=bool(extra))
        it.allocate_tensors()
        inp, out = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
        named = [d["index"] for d in it.get_tensor_details() if d["name"] == extra]
        rows = []
        for k in range(count):
            it.set_tensor(inp, x[k]); it.invoke()
            rows.append({"output": it.get_tensor(out)[0].astype(float).tolist(),
                         "extra": it.get_tensor(named[0]).reshape(-1).astype(float).tolist() if named else []})
        print(json.dumps(rows))
        """#

    struct Row: Decodable {
        let output: [Double]
        let extra: [Double]
    }

    /// 20 test photos, round-robin over the 13 classes, prepared exactly as Orchard prepares them.
    @Test(arguments: InferenceBackend.allCases)
    func fruitPhotosMatchLiteRT(backend: InferenceBackend) throws {
        let backbone = try ExportTestSupport.realWeights.get()
        let labels = ExportTestSupport.fruitClasses
        // ±0.2 on 1280 features of typical size 0–3 puts logits several units apart: peaked, not uniform.
        let head = try ExportTestSupport.randomHead(labels: labels, scale: 0.2, seed: 2024)
        let bytes = try TFLiteExport.model(backbone: backbone, head: head)

        let photos = try Self.photos(count: 20)
        var preparer = ModelInputPreparer(side: 224)
        var inputs = [Float](repeating: 0, count: photos.count * preparer.elementCount)
        try inputs.withUnsafeMutableBufferPointer { all in
            for (index, photo) in photos.enumerated() {
                let bytes = [UInt8](try Data(contentsOf: photo))
                let slice = UnsafeMutableBufferPointer(rebasing: all[(index * preparer.elementCount)...])
                try preparer.prepare(bytes, name: photo.lastPathComponent, into: slice)
            }
        }
        let network = try MobileNetV2(weights: backbone, inputSize: 224, threads: 1, backend: backend)
        let expected = try (0..<photos.count).map { index in
            let features = try inputs.withUnsafeBufferPointer { all in
                try network.run(input: UnsafeBufferPointer(rebasing: all[(index * 224 * 224 * 3)..<((index + 1) * 224 * 224 * 3)]))
            }.features
            return Self.softmax(head, features)
        }

        let rows = try Self.runLiteRT(bytes, inputs: inputs, count: photos.count, side: 224)
        try #require(rows.count == photos.count)
        var maxDifference = 0.0
        var topProbabilities: [Double] = []
        for (index, (row, swift)) in zip(rows, expected).enumerated() {
            try #require(row.output.count == labels.count)
            let difference = zip(row.output, swift).map { abs($0 - $1) }.max() ?? .infinity
            maxDifference = max(maxDifference, difference)
            topProbabilities.append(swift.max() ?? 0)
            let name = photos[index].deletingLastPathComponent().lastPathComponent + "/" + photos[index].lastPathComponent
            #expect(Self.argmax(row.output) == Self.argmax(swift),
                    "\(name): LiteRT top-1 \(labels[Self.argmax(row.output)]), Orchard \(labels[Self.argmax(swift)])")
            #expect(difference <= 1e-3, "\(name): probabilities differ by up to \(difference)")
        }
        print("LiteRT parity, \(backend), on \(photos.count) photos: max |Δp| \(maxDifference), top-1 probability \(topProbabilities.min()!)…\(topProbabilities.max()!)")
        #expect(maxDifference <= 1e-3, "max |Δp| over all photos: \(maxDifference)")
        // A uniform head would make the comparison weak: the head must be confident on at least some photos.
        #expect(topProbabilities.max()! > 0.5, "top-1 probabilities \(topProbabilities)")
    }

    /// Odd and even input sizes at another width: TFLite's SAME padding must equal Keras's, pooled features included.
    @Test(arguments: [(0.35, 97), (0.75, 128)], InferenceBackend.allCases)
    func randomBackboneMatchesLiteRT(shape: (alpha: Double, side: Int), backend: InferenceBackend) throws {
        let (alpha, side) = shape
        let backbone = try RandomBackbone.weights(alpha: alpha, seed: UInt64(side))
        let architecture = try MobileNetV2Architecture(alpha: alpha)
        let head = try ExportTestSupport.randomHead(
            labels: ["a", "b", "c", "d", "e"], featureCount: architecture.headChannels, scale: 0.05, seed: 11)
        let bytes = try TFLiteExport.model(backbone: backbone, head: head, inputSize: side)
        var random = SplitMix64(seed: 12)
        let count = 2
        let inputs = (0..<(count * side * side * 3)).map { _ in Float.random(in: -1...1, using: &random) }
        let network = try MobileNetV2(weights: backbone, inputSize: side, threads: 1, backend: backend)
        let rows = try Self.runLiteRT(bytes, inputs: inputs, count: count, side: side, extra: "features")
        for (index, row) in rows.enumerated() {
            let features = try inputs.withUnsafeBufferPointer { all in
                try network.run(input: UnsafeBufferPointer(rebasing: all[(index * side * side * 3)..<((index + 1) * side * side * 3)]))
            }.features
            try #require(row.extra.count == features.count)
            let scale = Double(features.map(abs).max() ?? 0)
            let featureDifference = zip(row.extra, features).map { abs($0 - Double($1)) }.max() ?? .infinity
            // Features stuck at ReLU6's 0 or 6 would hide a padding error: most must lie in between.
            let live = features.filter { $0 > 0.01 && $0 < 5.99 }.count
            #expect(live > features.count / 2, "only \(live) of \(features.count) pooled features lie inside (0, 6)")
            #expect(featureDifference <= 1e-4 * max(scale, 1), "alpha \(alpha), side \(side): pooled features differ by \(featureDifference) (max |feature| \(scale))")
            let probabilityDifference = zip(row.output, Self.softmax(head, features)).map { abs($0 - $1) }.max() ?? .infinity
            print("LiteRT parity, \(backend), random alpha \(alpha) at \(side)×\(side): pooled max |Δ| \(featureDifference) of max \(scale), max |Δp| \(probabilityDifference)")
            #expect(probabilityDifference <= 1e-4, "alpha \(alpha), side \(side): probabilities differ by \(probabilityDifference)")
        }
    }

    // MARK: Helpers

    /// Runs `runScript` on `model` with the inputs written to a raw float32 file.
    static func runLiteRT(_ model: [UInt8], inputs: [Float], count: Int, side: Int, extra: String = "") throws -> [Row] {
        let folder = try ExportTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelPath = folder.appendingPathComponent("model.tflite")
        let inputPath = folder.appendingPathComponent("inputs.f32")
        try Data(model).write(to: modelPath)
        try Data(TFLiteGraph.littleEndianBytes(inputs)).write(to: inputPath)
        let output = try ExportTestSupport.python(runScript, [modelPath.path, inputPath.path, "\(count)", "\(side)", extra])
        return try JSONDecoder().decode([Row].self, from: output)
    }

    /// `count` photos from the sample's Test split: the first of each class, then the second, and so on.
    static func photos(count: Int) throws -> [URL] {
        let test = ExportTestSupport.shared.appendingPathComponent("data/fruits-360-sample/Test")
        let perClass = try ExportTestSupport.fruitClasses.map { fruit in
            try FileManager.default.contentsOfDirectory(atPath: test.appendingPathComponent(fruit).path)
                .filter { $0.hasSuffix(".jpg") }.sorted().map { test.appendingPathComponent(fruit).appendingPathComponent($0) }
        }
        var photos: [URL] = []
        var round = 0
        while photos.count < count, round < 10 {
            for files in perClass where round < files.count && photos.count < count { photos.append(files[round]) }
            round += 1
        }
        return photos
    }

    /// softmax(features · weights + bias) in float64.
    static func softmax(_ head: AffineHead, _ features: [Float]) -> [Double] {
        let classes = head.labels.count
        var logits = head.bias.map(Double.init)
        for (f, value) in features.enumerated() {
            for k in 0..<classes { logits[k] += Double(value) * Double(head.weights[f * classes + k]) }
        }
        let top = logits.max() ?? 0
        let exponentials = logits.map { Foundation.exp($0 - top) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] < values[$1] } ?? -1
    }
}
