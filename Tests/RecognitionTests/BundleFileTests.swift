import Foundation
import OrchardTestKit
import Recognition
import Testing

/// The bundle file: exact round trip, and clear errors for what is not a usable bundle.
@Suite struct BundleFileTests {
    static func bundle() throws -> ClassifierBundle {
        let data = RecognitionTestSupport.blobs(rows: 60, dimension: 6, classes: 3)
        let (classifier, metrics) = try SoftmaxClassifier.train(data)
        return try ClassifierBundle(classifier: classifier, metrics: metrics, sources: ["synthetic"])
    }

    @Test func roundTripIsExact() throws {
        let original = try Self.bundle()
        let read = try ClassifierBundle(serialized: original.serialized(), path: "b.orchard")
        #expect(read == original)
        #expect(read.classifier.weights.map(\.bitPattern) == original.classifier.weights.map(\.bitPattern))
    }

    @Test(arguments: [0, 5, 12, 19, 20, 100, -1])
    func aTruncatedFileSaysSo(keep: Int) throws {
        let bytes = try Self.bundle().serialized()
        let cut = Array(bytes.prefix(keep < 0 ? bytes.count - 1 : keep))
        let error = try #require(throws: RecognitionError.self) { try ClassifierBundle(serialized: cut, path: "cut.orchard") }
        let text = String(describing: error)
        #expect(text.contains("cut.orchard"))
        // Fewer bytes than the magic cannot be told from another file; past it, the message says truncated.
        #expect(text.contains(keep >= 8 || keep < 0 ? "truncated" : "magic"), "\(text)")
    }

    @Test func anotherMagicIsNotABundle() throws {
        var bytes = try Self.bundle().serialized()
        bytes.replaceSubrange(0..<8, with: Array("ORCHPCA1".utf8))
        let error = try #require(throws: RecognitionError.self) { try ClassifierBundle(serialized: bytes, path: "pca.orchpca") }
        #expect(String(describing: error).contains("no ORCHCLSF magic"))
    }

    @Test func aNewerVersionIsNamed() throws {
        var bytes = try Self.bundle().serialized()
        bytes[8] = 3
        #expect(throws: RecognitionError.newerBundleVersion(path: "new.orchard", version: 3, supported: 2)) {
            try ClassifierBundle(serialized: bytes, path: "new.orchard")
        }
        let message = String(describing: RecognitionError.newerBundleVersion(path: "new.orchard", version: 3, supported: 2))
        #expect(message.contains("format version 3") && message.contains("newer"))
    }

    @Test func aFlippedPayloadByteFailsTheChecksum() throws {
        var bytes = try Self.bundle().serialized()
        bytes[40] ^= 0x01
        let error = try #require(throws: RecognitionError.self) { try ClassifierBundle(serialized: bytes, path: "x.orchard") }
        #expect(String(describing: error).contains("checksum mismatch"))
    }

    @Test func theBinaryReportsATruncatedBundle() throws {
        let folder = try RecognitionTestSupport.temporaryFolder("truncated")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = try Self.bundle().serialized()
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: folder + "/half.orchard"))
        let result = try RecognitionTestSupport.orchard(["evaluate", folder + "/half.orchard", folder])
        #expect(result.status != 0)
        #expect(result.errors.contains("half.orchard is not a usable classifier bundle: truncated"), "\(result.errors)")
    }
}
