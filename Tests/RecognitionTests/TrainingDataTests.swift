import Recognition
import Testing

/// What training refuses, and which rows it leaves out.
@Suite struct TrainingDataTests {
    @Test func failedRowsAreSkippedAndCounted() throws {
        var data = LabeledFeatures()
        try data.add(label: "a", features: [1, 2], error: nil, source: "1.jpg")
        try data.add(label: "a", features: nil, error: "corrupt JPEG", source: "2.jpg")
        try data.add(label: "b", features: [3, 4], error: nil, source: "3.jpg")
        try data.add(label: "b", features: nil, error: nil, source: "4.jpg")
        #expect(data.count == 2)
        #expect(data.skipped == 2)
        #expect(data.labels == ["a", "b"])
    }

    @Test func rowsWithoutFeaturesCannotBeTrainedOn() throws {
        var data = LabeledFeatures()
        try data.add(label: "a", features: nil, error: nil, source: "1.jpg")
        #expect(throws: RecognitionError.noUsableRows(skipped: 1)) { try SoftmaxClassifier.train(data) }
    }

    @Test func oneClassIsRefused() throws {
        var data = LabeledFeatures()
        try data.add(label: "a", features: [1, 2], error: nil, source: "1.jpg")
        try data.add(label: "a", features: [2, 2], error: nil, source: "2.jpg")
        #expect(throws: RecognitionError.tooFewClasses(["a"])) { try SoftmaxClassifier.train(data) }
    }

    @Test func aRowOfAnotherWidthIsNamed() throws {
        var data = LabeledFeatures()
        try data.add(label: "a", features: [1, 2], error: nil, source: "1.jpg")
        #expect(throws: RecognitionError.dimensionMismatch(expected: 2, actual: 3, source: "2.jpg")) {
            try data.add(label: "a", features: [1, 2, 3], error: nil, source: "2.jpg")
        }
        #expect(throws: RecognitionError.nonFiniteFeature(source: "3.jpg", column: 1)) {
            try data.add(label: "a", features: [1, .nan], error: nil, source: "3.jpg")
        }
    }
}
