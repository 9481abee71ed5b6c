/// The classifier's confusion matrix as a heat map: rows are true labels, columns predicted ones; each
/// cell's shade is its share of the row, so small and large classes read alike.
struct ConfusionHeatMap {
    /// Images per true label, then per predicted label.
    let counts: [String: [String: Int]]
    /// Classes drawn; beyond it the matrix would be unreadable, and the pairs list says more.
    var maxClasses = 60

    static let cell = 22.0

    func svg() -> String {
        let labels = Array(Set(counts.keys).union(counts.values.flatMap(\.keys)).sorted().prefix(maxClasses))
        let labelWidth = 200.0, top = 150.0
        let size = Double(labels.count) * Self.cell
        let width = labelWidth + size + 10, height = top + size + 10
        var s = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            aria-label="Confusion matrix: true labels by row, predicted labels by column" xmlns="http://www.w3.org/2000/svg">
            """
        for (column, label) in labels.enumerated() {
            let x = labelWidth + (Double(column) + 0.7) * Self.cell
            s += "<text class=\"bar-label\" transform=\"translate(\(HTMLText.coordinate(x)),\(top - 6)) rotate(-60)\">"
            s += "\(HTMLText.escape(HTMLText.truncate(label, 22)))</text>"
        }
        for (row, truth) in labels.enumerated() {
            let y = top + Double(row) * Self.cell
            let predicted = counts[truth] ?? [:]
            let total = max(predicted.values.reduce(0, +), 1)
            s += "<text class=\"bar-label\" x=\"\(labelWidth - 8)\" y=\"\(HTMLText.coordinate(y + 15))\" text-anchor=\"end\">"
            s += "\(HTMLText.escape(HTMLText.truncate(truth, 28)))</text>"
            for (column, guess) in labels.enumerated() {
                let count = predicted[guess] ?? 0
                let share = Double(count) / Double(total)
                let colour = row == column ? ReportPalette.accent : "#c53030"
                let opacity = count == 0 ? 0.04 : 0.15 + 0.85 * share
                s += "<rect x=\"\(HTMLText.coordinate(labelWidth + Double(column) * Self.cell))\" y=\"\(HTMLText.coordinate(y))\" "
                s += "width=\"\(Self.cell - 1)\" height=\"\(Self.cell - 1)\" fill=\"\(count == 0 ? "#718096" : colour)\" "
                s += "fill-opacity=\"\(HTMLText.decimal(opacity, 3))\"><title>\(HTMLText.escape(truth)) → "
                s += "\(HTMLText.escape(guess)): \(HTMLText.integer(count)) (\(HTMLText.percent(share)))</title></rect>"
            }
        }
        return s + "</svg>"
    }
}
