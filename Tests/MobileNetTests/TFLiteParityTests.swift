import Foundation
import Testing

@testable import MobileNet

/// Orchard's MobileNetV2, on every backend, with weights from the real int8 TFLite file against LiteRT running
/// that same file, on real fruit photos preprocessed exactly as Keras would (Pillow, bicubic, x/127.5-1).
///
/// LiteRT's dynamic-range kernels quantise activations to int8 on the fly, Orchard runs float32 on the
/// dequantised weights, so the outputs agree closely but not exactly.
@Suite struct TFLiteParityTests {
    struct Reference: Decodable {
        let image: String
        /// The preprocessed input, float32 NHWC [1, 224, 224, 3], base64 little-endian.
        let input: String
        let features: [Float]
        let probabilities: [Float]
    }

    static let script = #"""
        import base64, json, sys, warnings
        import numpy as np
        from PIL import Image
        from ai_edge_litert.interpreter import Interpreter
        warnings.simplefilter("ignore")
        model, root = sys.argv[1], sys.argv[2]
        it = Interpreter(model, experimental_preserve_all_tensors=True, num_threads=1)
        it.allocate_tensors()
        inp, out = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
        pooled = [d["index"] for d in it.get_tensor_details() if d["name"].endswith("global_average_pooling2d_1/Mean")][0]
        import os
        results = []
        for fruit in ["Banana 1", "Lemon 1", "Strawberry 1", "Pineapple 1"]:
            folder = os.path.join(root, "Test", fruit)
            name = sorted(os.listdir(folder))[0]
            image = Image.open(os.path.join(folder, name)).convert("RGB").resize((224, 224), Image.BICUBIC)
            x = (np.asarray(image, dtype=np.float32) / 127.5 - 1.0)[None]
            it.set_tensor(inp, x); it.invoke()
            results.append({"image": f"{fruit}/{name}", "input": base64.b64encode(x.tobytes()).decode(),
                            "features": it.get_tensor(pooled)[0].tolist(), "probabilities": it.get_tensor(out)[0].tolist()})
        print(json.dumps(results))
        """#

    @Test(arguments: InferenceBackend.allCases)
    func top1AndPooledFeaturesMatchLiteRT(backend: InferenceBackend) throws {
        let output = try TFLiteTestSupport.python(Self.script, arguments: [
            TFLiteTestSupport.realModel.path,
            TFLiteTestSupport.shared.appendingPathComponent("data/fruits-360-sample").path,
        ])
        let references = try JSONDecoder().decode([Reference].self, from: output)
        try #require(references.count == 4)
        let network = try MobileNetV2(weights: try TFLiteTestSupport.realWeights.get(), inputSize: 224, threads: 1,
                                      backend: backend)
        for reference in references {
            let input = try #require(Data(base64Encoded: reference.input))
            try #require(input.count == 224 * 224 * 3 * 4)
            let floats = input.withUnsafeBytes { raw in
                (0..<(224 * 224 * 3)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
            let result = try floats.withUnsafeBufferPointer { try network.run(input: $0) }
            let probabilities = try #require(result.probabilities)
            let top1 = argmax(probabilities)
            let expectedTop1 = argmax(reference.probabilities)
            let cosine = cosine(result.features, reference.features)
            let maxDelta = zip(result.features, reference.features).map { abs($0 - $1) }.max() ?? .infinity
            print("TFLite parity \(backend) \(reference.image): top-1 \(top1) vs LiteRT \(expectedTop1), pooled cosine \(cosine), max |Δ| \(maxDelta)")
            #expect(top1 == expectedTop1, "\(reference.image): top-1 \(top1), LiteRT \(expectedTop1)")
            #expect(cosine >= 0.99, "\(reference.image): pooled-feature cosine \(cosine)")
        }
    }

    private func argmax(_ values: [Float]) -> Int {
        values.indices.max { values[$0] < values[$1] } ?? -1
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var (dot, normA, normB) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
