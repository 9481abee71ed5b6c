/// The 2-D PCA scatter: one dot per sampled image, coloured by class, with a legend.
struct ScatterChart {
    let points: [RunReportData.ScatterPoint]
    /// Explained-variance ratios of PC1 and PC2 for the axis titles, when known.
    let axisRatios: [Double]

    static let width = 1000.0
    static let height = 560.0

    /// Classes by decreasing number of points (ties by name), each with its colour.
    var classes: [(label: String, count: Int, colour: String)] {
        var counts: [String: Int] = [:]
        for p in points { counts[p.label, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.enumerated().map { i, entry in
            (entry.key, entry.value, i < ReportPalette.colours.count ? ReportPalette.colours[i] : ReportPalette.other)
        }
    }

    /// At most `limit` points, taken evenly from the whole sample so no class is cut off.
    static func thinned(_ points: [RunReportData.ScatterPoint], limit: Int) -> [RunReportData.ScatterPoint] {
        guard points.count > limit else { return points }
        return (0..<limit).map { points[$0 * points.count / limit] }
    }

    func svg() -> String {
        let left = 64.0, top = 16.0, bottom = 50.0, legendWidth = 250.0
        let plotRight = Self.width - legendWidth - 16
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        let x = PlotScale(domain: PlotScale.paddedDomain(finite.map { Double($0.x) }), range: left...plotRight)
        let y = PlotScale(
            domain: PlotScale.paddedDomain(finite.map { Double($0.y) }), range: top...(Self.height - bottom), flipped: true)
        let classes = self.classes
        let colour = Dictionary(uniqueKeysWithValues: classes.map { ($0.label, $0.colour) })

        var s = """
            <svg class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="Images on the first two principal components, coloured by class" xmlns="http://www.w3.org/2000/svg">
            """
        s += "<rect class=\"plot-area\" x=\"\(left)\" y=\"\(top)\" width=\"\(plotRight - left)\" height=\"\(Self.height - bottom - top)\"/>"
        for t in x.ticks(8) {
            let px = HTMLText.coordinate(x(t))
            s += "<line class=\"grid\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(top)\" y2=\"\(Self.height - bottom)\"/>"
            s += "<text class=\"tick\" x=\"\(px)\" y=\"\(Self.height - bottom + 18)\" text-anchor=\"middle\">\(PlotScale.label(t))</text>"
        }
        for t in y.ticks(6) {
            let py = HTMLText.coordinate(y(t))
            s += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(plotRight)\" y1=\"\(py)\" y2=\"\(py)\"/>"
            s += "<text class=\"tick\" x=\"\(left - 8)\" y=\"\(py)\" text-anchor=\"end\" dy=\"0.32em\">\(PlotScale.label(t))</text>"
        }
        s += "<text class=\"axis-title\" x=\"\((left + plotRight) / 2)\" y=\"\(Self.height - 10)\" text-anchor=\"middle\">\(axisTitle(0))</text>"
        s += "<text class=\"axis-title\" transform=\"translate(16 \((top + Self.height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">\(axisTitle(1))</text>"

        // Dots in a fixed shuffled order, so no class is painted wholly over another.
        s += "<g class=\"dots\">"
        for index in Self.drawingOrder(finite.count) {
            let p = finite[index]
            s += "<circle cx=\"\(HTMLText.coordinate(x(Double(p.x))))\" cy=\"\(HTMLText.coordinate(y(Double(p.y))))\" r=\"2.6\""
            s += " fill=\"\(colour[p.label] ?? ReportPalette.other)\"/>"
        }
        s += "</g>"

        // Legend: palette classes by size, then one "other" row.
        let lx = plotRight + 24
        s += "<g class=\"legend\" transform=\"translate(\(HTMLText.coordinate(lx)) \(top + 4))\">"
        s += "<text class=\"legend-title\" x=\"0\" y=\"10\">class (points)</text>"
        let named = classes.prefix(ReportPalette.colours.count)
        for (row, entry) in named.enumerated() {
            let ly = 32 + Double(row) * 22
            s += "<circle cx=\"6\" cy=\"\(ly - 4)\" r=\"6\" fill=\"\(entry.colour)\"/>"
            s += "<text x=\"20\" y=\"\(ly)\">\(HTMLText.escape(HTMLText.truncate(entry.label, 24)))"
            s += " <tspan class=\"muted\">(\(HTMLText.integer(entry.count)))</tspan><title>\(HTMLText.escape(entry.label))</title></text>"
        }
        if classes.count > named.count {
            let rest = classes.dropFirst(named.count)
            let ly = 32 + Double(named.count) * 22
            s += "<circle cx=\"6\" cy=\"\(ly - 4)\" r=\"6\" fill=\"\(ReportPalette.other)\"/>"
            s += "<text x=\"20\" y=\"\(ly)\">\(rest.count) other classes <tspan class=\"muted\">(\(HTMLText.integer(rest.reduce(0) { $0 + $1.count })))</tspan></text>"
        }
        s += "</g></svg>"
        return s
    }

    private func axisTitle(_ component: Int) -> String {
        let name = "PC\(component + 1)"
        guard component < axisRatios.count else { return name }
        return "\(name) (\(HTMLText.percent(axisRatios[component])) of variance)"
    }

    /// A deterministic permutation of 0..<count (SplitMix64-driven Fisher–Yates).
    static func drawingOrder(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        var state: UInt64 = 0x5EED
        for i in stride(from: count - 1, to: 0, by: -1) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            order.swapAt(i, Int(z % UInt64(i + 1)))
        }
        return order
    }
}
