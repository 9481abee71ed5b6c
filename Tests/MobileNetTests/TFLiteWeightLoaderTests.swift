import Foundation
import Testing

@testable import MobileNet

/// The TFLite loader on the real dynamic-range int8 model and on a committed float32 conversion.
@Suite struct TFLiteWeightLoaderTests {
    @Test func realModelLoadsAsAlphaOneWithClassifier() throws {
        let weights = try TFLiteTestSupport.realWeights.get()
        #expect(weights.alpha == 1.0)
        #expect(weights.stem.kernel.shape == [3, 3, 3, 32])
        #expect(weights.blocks.count == 17)
        #expect(weights.blocks[0].expand == nil)
        #expect(weights.blocks[0].depthwise.kernel.shape == [3, 3, 32, 1])
        #expect(weights.blocks[0].project.kernel.shape == [1, 1, 32, 16])
        #expect(weights.blocks[1].expand?.kernel.shape == [1, 1, 16, 96])
        #expect(weights.blocks[16].project.kernel.shape == [1, 1, 960, 320])
        #expect(weights.head.kernel.shape == [1, 1, 320, 1280])
        #expect(weights.head.bias.count == 1280)
        #expect(weights.classifier?.kernel.shape == [1280, 1000])
        #expect(weights.classifier?.bias.count == 1000)
    }

    /// Dequantised int8 weights (and float ones) equal numpy's (q - zero_point) * scale of LiteRT's
    /// own tensors, moved to Keras layout the same way.
    @Test func dequantisedWeightsMatchLiteRT() throws {
        let weights = try TFLiteTestSupport.realWeights.get()
        let script = #"""
            import json, sys
            import numpy as np
            from ai_edge_litert.interpreter import Interpreter
            it = Interpreter(sys.argv[1]); it.allocate_tensors()
            details = {d["index"]: d for d in it.get_tensor_details()}
            def keras(index, kind):
                d = details[index]; q = it.get_tensor(index)
                if q.dtype == np.int8:
                    p = d["quantization_parameters"]; axis = p["quantized_dimension"]
                    shape = [1] * q.ndim; shape[axis] = -1
                    scale = p["scales"].astype(np.float32).reshape(shape)
                    zero = p["zero_points"].astype(np.float32).reshape(shape)
                    q = (q.astype(np.float32) - zero) * scale
                w = {"conv": lambda: q.transpose(1, 2, 3, 0), "depthwise": lambda: q.reshape(q.shape[1:] + (1,)),
                     "dense": lambda: q.T}[kind]()
                flat = np.ascontiguousarray(w).reshape(-1)
                picks = np.unique(np.concatenate([np.arange(0, flat.size, max(1, flat.size // 500)), [flat.size - 1]]))
                return {"type": str(it.get_tensor(index).dtype), "shape": list(w.shape),
                        "indices": picks.tolist(), "values": flat[picks].tolist(), "sum": float(flat.astype(np.float64).sum())}
            out = {"stem": keras(2, "conv"), "block1Expand": keras(106, "conv"), "block2Depthwise": keras(73, "depthwise"),
                   "head": keras(74, "conv"), "classifier": keras(107, "dense")}
            print(json.dumps(out))
            """#
        let output = try TFLiteTestSupport.python(script, arguments: [TFLiteTestSupport.realModel.path])
        let expected = try JSONDecoder().decode([String: LiteRTWeight].self, from: output)
        let found: [String: WeightTensor?] = [
            "stem": weights.stem.kernel, "block1Expand": weights.blocks[1].expand?.kernel,
            "block2Depthwise": weights.blocks[2].depthwise.kernel, "head": weights.head.kernel,
            "classifier": weights.classifier?.kernel,
        ]
        #expect(expected["block1Expand"]?.type == "int8", "the test must cover an int8 tensor")
        #expect(expected["stem"]?.type == "float32", "and a float32 one")
        for (name, reference) in expected {
            let tensor = try #require(found[name] ?? nil, "\(name) missing")
            #expect(tensor.shape == reference.shape, "\(name)")
            for (index, value) in zip(reference.indices, reference.values) {
                // Same float32 arithmetic on both sides: exact equality.
                #expect(tensor.values[index] == Float(value), "\(name)[\(index)]")
            }
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - reference.sum) <= 1e-6 * Double(tensor.values.count), "\(name) sum \(sum) vs \(reference.sum)")
        }
    }

    struct LiteRTWeight: Decodable {
        let type: String
        let shape: [Int]
        let indices: [Int]
        let values: [Double]
        let sum: Double
    }

    /// A float32 conversion of a random-BatchNorm alpha-0.35 Keras model: the file's folded weights
    /// equal Keras's weights folded in numpy (see Resources/tflite_make_float_fixture.py) within 1e-5.
    @Test func float32ConversionMatchesKerasFoldedInNumpy() throws {
        let model = try Data(contentsOf: try TFLiteTestSupport.fixture("tflite_mobilenet_v2_035_float32.tflite"))
        let reference = try JSONDecoder().decode(
            FoldedReference.self,
            from: Data(contentsOf: try TFLiteTestSupport.fixture("tflite_mobilenet_v2_035_float32.json")))
        let weights = try TFLiteWeightLoader.load(bytes: [UInt8](model), name: "fixture")
        #expect(weights.alpha == 0.35)
        #expect(weights.blocks.count == 17)
        compare(weights.stem, reference.stem, "Conv1")
        for (index, (block, expected)) in zip(weights.blocks, reference.blocks).enumerated() {
            #expect((block.expand == nil) == (expected.expand == nil), "block \(index) expand")
            if let expand = block.expand, let expected = expected.expand { compare(expand, expected, "block_\(index)_expand") }
            compare(block.depthwise, expected.depthwise, "block_\(index)_depthwise")
            compare(block.project, expected.project, "block_\(index)_project")
        }
        compare(weights.head, reference.head, "Conv_1")
        let classifier = try #require(weights.classifier)
        compare(FoldedConvolution(kernel: classifier.kernel, bias: classifier.bias), reference.classifier, "predictions")
    }

    private func compare(_ found: FoldedConvolution, _ expected: FoldedReference.Layer, _ layer: String) {
        compare(found.kernel.values, found.kernel.shape, expected.kernel, "\(layer) kernel")
        compare(found.bias, [found.bias.count], expected.bias, "\(layer) bias")
    }

    private func compare(_ values: [Float], _ shape: [Int], _ expected: FoldedReference.Stats, _ what: String) {
        #expect(shape == expected.shape, "\(what) shape")
        guard shape == expected.shape else { return }
        for sample in expected.samples {
            let index = Int(sample[0])
            #expect(abs(Double(values[index]) - sample[1]) <= 1e-5, "\(what)[\(index)]: \(values[index]) vs \(sample[1])")
        }
        let sum = values.reduce(0.0) { $0 + Double($1) }
        let squares = values.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(sum - expected.sum) <= 1e-5 * Double(values.count), "\(what) sum \(sum) vs \(expected.sum)")
        #expect(abs(squares - expected.sumOfSquares) <= 1e-5 * expected.sumOfSquares, "\(what) sum of squares")
    }

    struct FoldedReference: Decodable {
        struct Stats: Decodable {
            let shape: [Int]
            let sum: Double
            let sumOfSquares: Double
            let samples: [[Double]]
        }
        struct Layer: Decodable {
            let kernel: Stats
            let bias: Stats
        }
        struct Block: Decodable {
            let expand: Layer?
            let depthwise: Layer
            let project: Layer
        }
        let alpha: Double
        let stem: Layer
        let blocks: [Block]
        let head: Layer
        let classifier: Layer
    }
}
