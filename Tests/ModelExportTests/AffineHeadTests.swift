import MobileNet
import Testing

@testable import ModelExport

/// Heads and arguments that cannot make a sound file are refused, each with an error that says why.
@Suite struct AffineHeadTests {
    static func head(_ labels: [String], features: Int = 4, weights: Int? = nil, bias: Int? = nil) throws(ModelExportError) -> AffineHead {
        try AffineHead(labels: labels, weights: [Float](repeating: 0.5, count: weights ?? features * labels.count),
                       bias: [Float](repeating: 0, count: bias ?? labels.count), featureCount: features)
    }

    @Test func aSoundHeadIsKept() throws {
        let head = try Self.head(["apple", "pear"])
        #expect(head.labels == ["apple", "pear"] && head.weights.count == 8 && head.bias.count == 2 && head.featureCount == 4)
    }

    @Test func labelsMustBeUsable() {
        #expect(throws: ModelExportError.noLabels) { try Self.head([]) }
        #expect(throws: ModelExportError.emptyLabel(index: 1)) { try Self.head(["apple", ""]) }
        #expect(throws: ModelExportError.duplicateLabel(index: 2, label: "apple")) { try Self.head(["apple", "pear", "apple"]) }
        for bad in ["apple\npear", "apple\r", "tab\there", "nul\u{0}", "line\u{2028}separator", "next\u{85}line"] {
            #expect(throws: ModelExportError.labelHasControlCharacter(index: 1, label: bad)) { try Self.head(["ok", bad]) }
        }
        let long = String(repeating: "é", count: 513)  // 1026 bytes of UTF-8
        #expect(throws: ModelExportError.labelTooLong(index: 0, bytes: 1026, limit: 1024)) { try Self.head([long]) }
        let many = (0...AffineHead.maximumLabels).map { "class \($0)" }
        #expect(throws: ModelExportError.tooManyLabels(count: many.count, limit: AffineHead.maximumLabels)) {
            try Self.head(many, features: 1)
        }
    }

    @Test func sizesMustAgree() {
        #expect(throws: ModelExportError.weightCount(expected: 8, found: 7, featureCount: 4, labels: 2)) {
            try Self.head(["a", "b"], weights: 7)
        }
        #expect(throws: ModelExportError.biasCount(expected: 2, found: 3)) { try Self.head(["a", "b"], bias: 3) }
        #expect(throws: ModelExportError.invalidFeatureCount(0)) { try Self.head(["a"], features: 0) }
    }

    @Test func valuesMustBeFinite() {
        #expect(throws: ModelExportError.nonFiniteValue(what: "weights", index: 2)) {
            try AffineHead(labels: ["a"], weights: [0, 1, .nan], bias: [0], featureCount: 3)
        }
        #expect(throws: ModelExportError.nonFiniteValue(what: "bias", index: 0)) {
            try AffineHead(labels: ["a"], weights: [0, 1, 2], bias: [.infinity], featureCount: 3)
        }
    }

    @Test func exportChecksTheBackboneAndInputSize() throws {
        let backbone = try RandomBackbone.weights(alpha: 0.35, seed: 1)
        let head = try ExportTestSupport.randomHead(labels: ["a", "b"], scale: 0.1, seed: 2)
        #expect(throws: ModelExportError.invalidInputSize(16, supported: 32...2048)) {
            try TFLiteExport.model(backbone: backbone, head: head, inputSize: 16)
        }
        let narrow = try ExportTestSupport.randomHead(labels: ["a", "b"], featureCount: 1024, scale: 0.1, seed: 2)
        #expect(throws: ModelExportError.featureCountMismatch(head: 1024, backbone: 1280)) {
            try TFLiteExport.model(backbone: backbone, head: narrow)
        }
        var broken = backbone
        let channels = broken.blocks[3].depthwise.bias.count
        broken.blocks[3].depthwise.bias.removeLast()
        let wrongShape = ModelError.wrongShape(layer: "block_3_depthwise bias", expected: [channels], found: [channels - 1])
        #expect(throws: ModelExportError.invalidBackbone(wrongShape)) {
            try TFLiteExport.model(backbone: broken, head: head)
        }
    }

    @Test func errorsReadAsSentences() {
        #expect(ModelExportError.labelHasControlCharacter(index: 3, label: "a\nb").description
            == #"label 3 ("a\nb") holds a line break or control character; labels are stored one per line"#)
        #expect(ModelExportError.weightCount(expected: 2560, found: 2559, featureCount: 1280, labels: 2).description
            == "the head has 2559 weights, expected 2560 (1280 features × 2 labels)")
    }
}
