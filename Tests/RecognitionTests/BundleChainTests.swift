import Foundation
import LinearAlgebra
import OrchardTestKit
import Recognition
import Testing

/// A bundle as the whole chain after the network: PCA inside it, the chain folded for export, the
/// embedded backbone, and the checks that stop a classifier from meeting the wrong network.
@Suite struct BundleChainTests {
    /// A classifier trained on the PCA projection of synthetic blobs, with its PCA in the bundle.
    static func bundleWithPCA() throws -> (ClassifierBundle, LabeledFeatures) {
        let data = RecognitionTestSupport.blobs(rows: 90, dimension: 8, classes: 3)
        var sums = try CovarianceAccumulator(dimension: 8)
        for r in 0..<data.count { try sums.add(data.features(at: r)) }
        let pca = try PCAModel.fit(sums, components: .count(4))
        var projected = LabeledFeatures()
        for r in 0..<data.count {
            try projected.add(label: data.labels[r], features: try pca.transform(data.features(at: r)), error: nil, source: "row \(r)")
        }
        let (classifier, metrics) = try SoftmaxClassifier.train(projected)
        return (try ClassifierBundle(classifier: classifier, pca: pca, metrics: metrics, sources: ["blobs"]), data)
    }

    @Test func probabilitiesGoThroughThePCAFirst() throws {
        let (bundle, data) = try Self.bundleWithPCA()
        #expect(bundle.featureCount == 8 && bundle.classifier.dimension == 4)
        for r in 0..<5 {
            let direct = bundle.classifier.predictProbabilities(try bundle.pca!.transform(data.features(at: r)))
            #expect(try bundle.probabilities(for: data.features(at: r)) == direct)
        }
        #expect(throws: RecognitionError.dimensionMismatch(expected: 8, actual: 4, source: "the image's features")) {
            try bundle.probabilities(for: [1, 2, 3, 4])
        }
    }

    /// What `orchard export` puts in the phone's model: one matrix and bias that give the same softmax.
    @Test func theFoldedAffineHeadGivesTheChainsProbabilities() throws {
        let (bundle, data) = try Self.bundleWithPCA()
        let (weights, bias) = bundle.affineHead()
        let k = bundle.labels.count, d = bundle.featureCount
        #expect(weights.count == d * k && bias.count == k)
        for r in 0..<data.count {
            let x = data.features(at: r).map(Double.init)
            let logits = (0..<k).map { c in bias[c] + (0..<d).reduce(0) { $0 + x[$1] * weights[$1 * k + c] } }
            let top = logits.max()!
            let e = logits.map { exp($0 - top) }
            let folded = e.map { $0 / e.reduce(0, +) }
            let chain = try bundle.probabilities(for: data.features(at: r))
            // The chain rounds the projection to float32 (as datasets store it); the fold does not.
            for (a, b) in zip(folded, chain) { #expect(abs(a - b) <= 1e-6, "row \(r): \(a) vs \(b)") }
        }
    }

    @Test func aPCAThatDoesNotFitTheClassifierIsRefused() throws {
        let (bundle, _) = try Self.bundleWithPCA()
        var sums = try CovarianceAccumulator(dimension: 8)
        for i in 0..<20 { try sums.add((0..<8).map { Float(sin(Double(i * 8 + $0))) }) }
        let wrong = try PCAModel.fit(sums, components: .count(3))
        #expect(throws: RecognitionError.self) {
            try ClassifierBundle(classifier: bundle.classifier, pca: wrong, metrics: bundle.metrics, sources: [])
        }
    }

    @Test func pcaBackboneAndEmbeddedBytesSurviveTheFile() throws {
        var (bundle, _) = try Self.bundleWithPCA()
        bundle.backbone = BackboneIdentity(name: "net.tflite", sha256: String(repeating: "ab", count: 32), featureCount: 8)
        bundle.embeddedBackbone = Array("TFL3 pretend weights".utf8)
        let read = try ClassifierBundle(serialized: bundle.serialized(), path: "b.orchard")
        #expect(read == bundle)
        #expect(read.embeddedBackbone == bundle.embeddedBackbone)
    }

    /// Files of format 1 (no backbone section) are still read.
    @Test func aFormatOneFileIsStillRead() throws {
        let (bundle, _) = try Self.bundleWithPCA()
        let current = try bundle.serialized()
        let payloadLength = (0..<8).reduce(0) { $0 | Int(current[12 + $1]) << (8 * $1) }
        var old = Array(current[..<(20 + payloadLength)])
        old[8] = 1
        let crc = old.withUnsafeBytes { CRC32.checksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { old += $0 }
        #expect(try ClassifierBundle(serialized: old, path: "v1.orchard") == bundle)
    }

    @Test func aBackboneOtherThanTheOneTrainedOnIsNamedAndRefused() throws {
        var (bundle, _) = try Self.bundleWithPCA()
        bundle.backbone = BackboneIdentity(name: "mobilenet_v2.tflite", sha256: String(repeating: "0", count: 64), featureCount: 8)
        let other = RecognitionTestSupport.packageRoot + "/Tests/MobileNetTests/Resources/mobilenet_v2_0.35_224.h5"
        let error = try #require(throws: RecognitionError.self) {
            try BackboneFile.weights(for: bundle, path: other, bundlePath: "fruit.orchard")
        }
        let message = String(describing: error)
        #expect(message.contains("mobilenet_v2_0.35_224.h5") && message.contains("not the backbone") && message.contains("mobilenet_v2.tflite"), "\(message)")
        let missing = try #require(throws: RecognitionError.self) {
            try BackboneFile.weights(for: bundle, path: nil, bundlePath: "fruit.orchard")
        }
        #expect(String(describing: missing).contains("no embedded backbone"))
    }

    @Test func withoutAnEmbeddedBackboneTheCandidateWithTheRecordedSHA256IsUsed() throws {
        let resources = RecognitionTestSupport.packageRoot + "/Tests/MobileNetTests/Resources/"
        let right = resources + "mobilenet_v2_0.35_224_no_top.h5", wrong = resources + "mobilenet_v2_0.35_224.h5"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: right)))
        let data = RecognitionTestSupport.blobs(rows: 40, dimension: 1280, classes: 2)
        let (classifier, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(maxIterations: 5))
        let bundle = try ClassifierBundle(
            classifier: classifier, backbone: BackboneIdentity(name: "no_top.h5", sha256: BackboneFile.sha256(bytes), featureCount: 1280),
            metrics: metrics, sources: [])
        // A missing file and another network come first: skipped, not taken for it.
        let weights = try BackboneFile.weights(for: bundle, path: nil, candidates: ["/nonexistent/x.h5", wrong, right], bundlePath: "fruit.orchard")
        #expect(weights.alpha == 0.35)
        let missing = try #require(throws: RecognitionError.self) {
            try BackboneFile.weights(for: bundle, path: nil, candidates: [wrong], bundlePath: "fruit.orchard")
        }
        #expect(String(describing: missing).contains("no embedded backbone") && String(describing: missing).contains(wrong))
    }

    @Test func theEmbeddedBackboneIsUsedAndCheckedToo() throws {
        let file = RecognitionTestSupport.packageRoot + "/Tests/MobileNetTests/Resources/mobilenet_v2_0.35_224_no_top.h5"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let data = RecognitionTestSupport.blobs(rows: 40, dimension: 1280, classes: 2)
        let (classifier, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(maxIterations: 5))
        var bundle = try ClassifierBundle(
            classifier: classifier, backbone: BackboneIdentity(name: "no_top.h5", sha256: BackboneFile.sha256(bytes), featureCount: 1280),
            metrics: metrics, sources: [], embeddedBackbone: bytes)
        let weights = try BackboneFile.weights(for: bundle, path: nil, bundlePath: "fruit.orchard")
        #expect(weights.alpha == 0.35)
        bundle.embeddedBackbone![100] ^= 1
        #expect(throws: RecognitionError.self) { try BackboneFile.weights(for: bundle, path: nil, bundlePath: "fruit.orchard") }
    }
}
