/// A horizontal bar chart of counts by name (images per class, failures per reason), largest first.
struct LabelBarChart {
    let counts: [String: Int]
    /// Rows drawn; the rest are summed in a final note.
    var maxRows = 40
    var colour = ReportPalette.accent
    var ariaLabel: String

    static let width = 1000.0
    static let rowHeight = 24.0

    func svg() -> String {
        let rows = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let shown = Array(rows.prefix(maxRows))
        let hidden = rows.dropFirst(maxRows)
        let labelWidth = 260.0, right = 90.0, top = 8.0
        let height = top + Double(shown.count + (hidden.isEmpty ? 0 : 1)) * Self.rowHeight + 8
        let largest = Double(shown.first?.value ?? 1)
        let x = PlotScale(domain: 0...max(largest, 1), range: labelWidth...(Self.width - right))
        var s = """
            <svg class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(height))" role="img" \
            aria-label="\(HTMLText.escape(ariaLabel))" xmlns="http://www.w3.org/2000/svg">
            """
        for (row, entry) in shown.enumerated() {
            let y = top + Double(row) * Self.rowHeight
            let w = max(x(Double(entry.value)) - labelWidth, entry.value > 0 ? 1 : 0)
            s += "<g class=\"bar-row\"><title>\(HTMLText.escape(entry.key)): \(entry.value)</title>"
            s += "<text class=\"bar-label\" x=\"\(labelWidth - 10)\" y=\"\(y + 16)\" text-anchor=\"end\">"
            s += "\(HTMLText.escape(HTMLText.truncate(entry.key, 34)))</text>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(HTMLText.coordinate(w))\" height=\"\(Self.rowHeight - 8)\" rx=\"2\" fill=\"\(colour)\"/>"
            s += "<text class=\"bar-value\" x=\"\(HTMLText.coordinate(labelWidth + w + 6))\" y=\"\(y + 16)\">\(HTMLText.integer(entry.value))</text></g>"
        }
        if !hidden.isEmpty {
            let y = top + Double(shown.count) * Self.rowHeight
            s += "<text class=\"muted\" x=\"\(labelWidth)\" y=\"\(y + 16)\">… and \(hidden.count) more"
            s += " (\(HTMLText.integer(hidden.reduce(0) { $0 + $1.value })) in total)</text>"
        }
        s += "</svg>"
        return s
    }
}
