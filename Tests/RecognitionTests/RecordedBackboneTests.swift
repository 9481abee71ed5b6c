import Recognition
import Testing

/// Which network a bundle records, from what the datasets' job records say.
@Suite struct RecordedBackboneTests {
    static let a = String(repeating: "ab", count: 32), b = String(repeating: "cd", count: 32)

    @Test func datasetsThatAgreeNameTheirNetwork() throws {
        let records = [
            RecordedBackbone(dataset: "train", model: "/models/net.tflite", sha256: Self.a.uppercased()),
            RecordedBackbone(dataset: "more", model: "/elsewhere/net-copy.tflite", sha256: Self.a),
        ]
        let agreed = try #require(try RecordedBackbone.agreed(records))
        #expect(agreed.identity(featureCount: 1280) == BackboneIdentity(name: "net.tflite", sha256: Self.a, featureCount: 1280))
        #expect(RecordedBackbone.unrecorded(records).isEmpty)
    }

    @Test func twoNetworksAreRefused() throws {
        let records = [
            RecordedBackbone(dataset: "train", model: "/models/a.h5", sha256: Self.a),
            RecordedBackbone(dataset: "spark-out", model: nil, sha256: nil),
            RecordedBackbone(dataset: "other", model: "/models/b.tflite", sha256: Self.b),
        ]
        let error = try #require(throws: RecognitionError.self) { try RecordedBackbone.agreed(records) }
        let text = String(describing: error)
        #expect(text.contains("cannot be mixed") && text.contains("train (a.h5") && text.contains("other (b.tflite"), "\(text)")
    }

    @Test func datasetsWithoutARecordAreListed() throws {
        let none = [RecordedBackbone(dataset: "spark-out", model: nil, sha256: nil)]
        #expect(try RecordedBackbone.agreed(none) == nil)
        let some = none + [RecordedBackbone(dataset: "train", model: "/m/net.tflite", sha256: Self.a)]
        #expect(try RecordedBackbone.agreed(some)?.dataset == "train")
        #expect(RecordedBackbone.unrecorded(some) == ["spark-out"])
    }
}
