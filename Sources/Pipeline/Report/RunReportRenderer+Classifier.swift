extension RunReportRenderer {
    /// Pairs listed as most confused.
    static let maxConfusedPairs = 10

    /// How well the classifier's predictions match the folder labels: accuracy, per-class recall, the
    /// confusion matrix and the pairs it mixes up most. Omitted when no classifier ran.
    static func classifierSection(_ data: RunReportData) -> String {
        guard let confusion = data.confusion else { return "" }
        let total = confusion.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        let correct = confusion.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }
        var s = "<section><h2>Classifier</h2><p class=\"note\">"
        s += "\(HTMLText.escape(data.classifier ?? "A classifier")) named \(HTMLText.integer(correct)) of "
        s += "\(HTMLText.integer(total)) images as their folder does: \(HTMLText.percent(Double(correct) / Double(max(total, 1)), decimals: 2)) accuracy.</p>"

        // Recall per class as bars: the share of each class's images predicted as that class, in per mille
        // so the chart's integer counts keep three digits.
        var recall: [String: Int] = [:]
        for (label, predicted) in confusion {
            let count = predicted.values.reduce(0, +)
            recall[label] = count == 0 ? 0 : Int((1000 * Double(predicted[label] ?? 0) / Double(count)).rounded())
        }
        s += "<h3>Recall per class (‰ of its images predicted as it)</h3>"
        s += LabelBarChart(counts: recall, ariaLabel: "Recall per class, per mille").svg()

        s += "<h3>Confusion matrix (rows: folder label, columns: prediction)</h3>" + ConfusionHeatMap(counts: confusion).svg()

        let pairs = confusion.flatMap { truth, predicted in
            predicted.filter { $0.key != truth && $0.value > 0 }.map { (truth: truth, guess: $0.key, count: $0.value) }
        }.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.truth, $0.guess) < ($1.truth, $1.guess) }
        s += "<h3>Most confused</h3>"
        if pairs.isEmpty {
            s += "<p class=\"ok\">No image was given another class.</p>"
        } else {
            s += "<table><thead><tr><th>Folder label</th><th>Predicted as</th><th>Images</th></tr></thead><tbody>"
            for pair in pairs.prefix(maxConfusedPairs) {
                s += "<tr><td>\(HTMLText.escape(pair.truth))</td><td>\(HTMLText.escape(pair.guess))</td><td>\(HTMLText.integer(pair.count))</td></tr>"
            }
            s += "</tbody></table>"
        }
        return s + "</section>"
    }
}
