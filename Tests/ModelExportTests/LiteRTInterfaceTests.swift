import Foundation
import MobileNet
import Testing

@testable import ModelExport

/// What an app sees when it opens the file with LiteRT: tensor shapes and types, the signature, and the
/// labels and operator codes as LiteRT's own generated schema reader decodes them.
@Suite struct LiteRTInterfaceTests {
    static let script = #"""
        import json, sys, warnings
        warnings.simplefilter("ignore")
        from ai_edge_litert.interpreter import Interpreter
        from ai_edge_litert import schema_py_generated as schema
        path = sys.argv[1]
        it = Interpreter(model_path=path, num_threads=1)
        it.allocate_tensors()
        def describe(d):
            return {"name": d["name"], "shape": d["shape"].tolist(), "dtype": d["dtype"].__name__}
        model = schema.Model.GetRootAs(open(path, "rb").read(), 0)
        metadata = {}
        for i in range(model.MetadataLength()):
            entry = model.Metadata(i)
            metadata[entry.Name().decode()] = model.Buffers(entry.Buffer()).DataAsNumpy().tobytes().decode("utf-8")
        codes = [[model.OperatorCodes(i).DeprecatedBuiltinCode(), model.OperatorCodes(i).BuiltinCode(),
                  model.OperatorCodes(i).Version()] for i in range(model.OperatorCodesLength())]
        # LiteRT opens every file through FlatBuffers' Verifier; show it is on by breaking the root's vtable offset.
        broken = bytearray(open(path, "rb").read())
        root = int.from_bytes(broken[0:4], "little")
        broken[root:root + 4] = (-len(broken)).to_bytes(4, "little", signed=True)
        try:
            Interpreter(model_content=bytes(broken)); verified = False
        except ValueError as error:
            verified = "not a valid Flatbuffer" in str(error)
        print(json.dumps({"inputs": [describe(d) for d in it.get_input_details()],
                          "outputs": [describe(d) for d in it.get_output_details()],
                          "signatures": it.get_signature_list(), "metadata": metadata, "codes": codes,
                          "version": model.Version(), "description": model.Description().decode(), "verified": verified}))
        """#

    struct Report: Decodable {
        struct Tensor: Decodable, Equatable {
            let name: String
            let shape: [Int]
            let dtype: String
        }
        struct Signature: Decodable, Equatable {
            let inputs: [String]
            let outputs: [String]
        }
        let inputs: [Tensor]
        let outputs: [Tensor]
        let signatures: [String: Signature]
        let metadata: [String: String]
        let codes: [[Int]]
        let version: Int
        let description: String
        /// LiteRT refused a copy with a broken vtable offset: it verifies files, so opening ours is a verifier pass.
        let verified: Bool
    }

    @Test func liteRTSeesTheInterfaceTheAppExpects() throws {
        let labels = ExportTestSupport.fruitClasses
        let head = try ExportTestSupport.randomHead(labels: labels, scale: 0.05, seed: 1)
        let bytes = try TFLiteExport.model(backbone: try ExportTestSupport.realWeights.get(), head: head)
        let folder = try ExportTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fruit.tflite")
        try Data(bytes).write(to: path)
        let report = try JSONDecoder().decode(Report.self, from: try ExportTestSupport.python(Self.script, [path.path]))

        #expect(report.inputs == [.init(name: "input", shape: [1, 224, 224, 3], dtype: "float32")])
        #expect(report.outputs == [.init(name: "probabilities", shape: [1, labels.count], dtype: "float32")])
        #expect(report.signatures == ["serving_default": .init(inputs: ["input"], outputs: ["probabilities"])])
        #expect(report.metadata == [LabelsMetadata.name: labels.map { $0 + "\n" }.joined()])
        #expect(report.verified, "LiteRT accepted a corrupt copy: opening the export proves nothing about its structure")
        #expect(report.version == 3)
        #expect(report.description.contains("[-1, 1]"))
        for code in report.codes {
            #expect(code[0] == code[1] && code[2] == 1, "OperatorCode (deprecated, builtin, version) \(code)")
        }
    }
}
