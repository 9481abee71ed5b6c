import Foundation
import Recognition
import Testing

/// Scores worked out by hand for a small case.
@Suite struct EvaluationTests {
    // Classes a, b, c; six rows. Predicted (argmax): a, a, b, b, c, a. Second choice for the last row: c.
    static let truth = ["a", "a", "b", "b", "c", "c"]
    static let probabilities: [[Double]] = [
        [0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.1, 0.1, 0.8], [0.5, 0.1, 0.4],
    ]

    @Test func scoresMatchTheHandCount() throws {
        let e = Evaluation(trueLabels: Self.truth, probabilities: Self.probabilities, classLabels: ["a", "b", "c"])
        #expect(e.confusion == [[2, 0, 0], [0, 2, 0], [1, 0, 1]])
        #expect(e.accuracy == 5.0 / 6)
        #expect(e.top5Accuracy == 1)
        let c = e.perClass[2]
        #expect(c.precision == 1 && c.recall == 0.5 && abs(c.f1 - 2.0 / 3) < 1e-15 && c.support == 2)
        let a = e.perClass[0]
        #expect(abs(a.precision - 2.0 / 3) < 1e-15 && a.recall == 1 && a.support == 2)
    }

    @Test func anUnseenTrueLabelGetsARowAndCountsAsWrong() throws {
        let e = Evaluation(trueLabels: ["a", "z"], probabilities: [[0.9, 0.1], [0.9, 0.1]], classLabels: ["a", "b"])
        #expect(e.labels == ["a", "b", "z"])
        #expect(e.confusion == [[1, 0, 0], [0, 0, 0], [1, 0, 0]])
        #expect(e.accuracy == 0.5)
        #expect(e.top5Accuracy == 0.5)
    }

    @Test func jsonHoldsTheAdvertisedFields() throws {
        let e = Evaluation(trueLabels: Self.truth, probabilities: Self.probabilities, classLabels: ["a", "b", "c"])
        let object = try #require(try JSONSerialization.jsonObject(with: e.json()) as? [String: Any])
        #expect(object["accuracy"] as? Double == 5.0 / 6)
        #expect(object["top5_accuracy"] as? Double == 1)
        let perClass = try #require(object["per_class"] as? [String: [String: Any]])
        #expect(perClass["c"]?["recall"] as? Double == 0.5)
        #expect(perClass["c"]?["support"] as? Int == 2)
        let confusion = try #require(object["confusion"] as? [String: Any])
        #expect(confusion["labels"] as? [String] == ["a", "b", "c"])
        #expect(confusion["matrix"] as? [[Int]] == [[2, 0, 0], [0, 2, 0], [1, 0, 1]])
    }
}
