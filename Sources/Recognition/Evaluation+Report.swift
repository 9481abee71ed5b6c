import Foundation

extension Evaluation {
    /// The evaluation as one JSON object: `accuracy`, `top5_accuracy`, `rows`, `per_class`
    /// (label → precision, recall, f1, support) and `confusion` (`labels`, `matrix` with rows = true labels).
    public func json() throws -> Data {
        var perClassObject: [String: Any] = [:]
        for s in perClass {
            perClassObject[s.label] = ["precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support]
        }
        let object: [String: Any] = [
            "accuracy": accuracy, "top5_accuracy": top5Accuracy, "rows": rowCount, "correct": correct,
            "per_class": perClassObject, "confusion": ["labels": labels, "matrix": confusion],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The evaluation as text: the accuracies, a per-class table and the confusion matrix (columns are
    /// numbered; the numbers refer to the rows' labels).
    public var text: String {
        func percent(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
        func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
        let width = max(5, labels.map(\.count).max() ?? 0)
        var lines = [
            "accuracy        \(percent(accuracy))  (\(correct) of \(rowCount))",
            "top-5 accuracy  \(percent(top5Accuracy))",
            "",
            "\(pad("class", width))  precision  recall     f1  support",
        ]
        for s in perClass {
            lines.append(
                "\(pad(s.label, width))  \(padLeft(String(format: "%.3f", s.precision), 9))  \(padLeft(String(format: "%.3f", s.recall), 6))  "
                    + "\(padLeft(String(format: "%.3f", s.f1), 5))  \(padLeft(String(s.support), 7))")
        }
        lines += ["", "confusion matrix (rows: true label, columns: predicted, numbered as the rows)"]
        let cell = max(3, String(confusion.flatMap { $0 }.max() ?? 0).count) + 1
        lines.append(pad("", width + 5) + labels.indices.map { padLeft(String($0 + 1), cell) }.joined())
        for (t, row) in confusion.enumerated() {
            lines.append(padLeft(String(t + 1), 3) + "  " + pad(labels[t], width) + row.map { padLeft(String($0), cell) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
