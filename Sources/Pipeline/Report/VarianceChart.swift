/// The explained-variance chart: a bar per component and the cumulative curve, with the 95 % line.
struct VarianceChart {
    let ratios: [Double]

    static let width = 1000.0
    static let height = 330.0
    /// Above this many components bars would be thinner than a pixel: only the curve is drawn.
    static let maxBars = 400

    /// Where the cumulative ratio first exceeds 95 % (1-based), if it does.
    var componentsFor95: Int? {
        var total = 0.0
        for (i, r) in ratios.enumerated() {
            total += r
            if total > 0.95 { return i + 1 }
        }
        return nil
    }

    func svg() -> String {
        let left = 64.0, right = 24.0, top = 20.0, bottom = 52.0
        let count = ratios.count
        let x = PlotScale(domain: 0...Double(max(count, 1)), range: left...(Self.width - right))
        let y = PlotScale(domain: 0...1, range: top...(Self.height - bottom), flipped: true)
        var s = """
            <svg class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="Explained variance per principal component" xmlns="http://www.w3.org/2000/svg">
            """
        // Grid and y axis in percent.
        for t in y.ticks(5) {
            let py = HTMLText.coordinate(y(t))
            s += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(Self.width - right)\" y1=\"\(py)\" y2=\"\(py)\"/>"
            s += "<text class=\"tick\" x=\"\(left - 8)\" y=\"\(py)\" text-anchor=\"end\" dy=\"0.32em\">\(Int((t * 100).rounded()))\u{202F}%</text>"
        }
        // Component numbers are whole and start at 1; a tick sits under its bar's centre.
        for t in x.ticks(10) where t >= 1 && t == t.rounded() {
            let px = HTMLText.coordinate(x(t - 0.5))
            s += "<text class=\"tick\" x=\"\(px)\" y=\"\(Self.height - bottom + 18)\" text-anchor=\"middle\">\(Int(t))</text>"
        }
        s += "<text class=\"axis-title\" x=\"\((left + Self.width - right) / 2)\" y=\"\(Self.height - 10)\" text-anchor=\"middle\">principal component</text>"
        s += "<text class=\"axis-title\" transform=\"translate(16 \((top + Self.height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">explained variance</text>"

        // Individual ratios as bars.
        if count <= Self.maxBars {
            let band = (Self.width - left - right) / Double(max(count, 1))
            let barWidth = max(band * 0.8, 0.8)
            s += "<g class=\"bars\">"
            for (i, r) in ratios.enumerated() {
                let top = y(r)
                s += "<rect x=\"\(HTMLText.coordinate(x(Double(i)) + (band - barWidth) / 2))\" y=\"\(HTMLText.coordinate(top))\""
                s += " width=\"\(HTMLText.coordinate(barWidth))\" height=\"\(HTMLText.coordinate(y(0) - top))\">"
                s += "<title>PC\(i + 1): \(HTMLText.percent(r, decimals: 2))</title></rect>"
            }
            s += "</g>"
        }

        // The 95 % threshold and the cumulative curve.
        let y95 = HTMLText.coordinate(y(0.95))
        s += "<line class=\"threshold\" x1=\"\(left)\" x2=\"\(Self.width - right)\" y1=\"\(y95)\" y2=\"\(y95)\"/>"
        // Label at the left end, above the line: the cumulative curve starts low there.
        s += "<text class=\"threshold-label\" x=\"\(left + 8)\" y=\"\(y95)\" dy=\"-0.45em\">95\u{202F}%</text>"
        var running = 0.0
        var points: [String] = []
        for (i, r) in ratios.enumerated() {
            running += r
            points.append("\(HTMLText.coordinate(x(Double(i) + 0.5))),\(HTMLText.coordinate(y(running)))")
        }
        s += "<polyline class=\"cumulative\" points=\"\(points.joined(separator: " "))\"/>"
        if count <= 60 {
            running = 0
            for (i, r) in ratios.enumerated() {
                running += r
                s += "<circle class=\"cumulative-point\" cx=\"\(HTMLText.coordinate(x(Double(i) + 0.5)))\" cy=\"\(HTMLText.coordinate(y(running)))\" r=\"3\">"
                s += "<title>PC1–PC\(i + 1): \(HTMLText.percent(running, decimals: 2))</title></circle>"
            }
        }
        if let k = componentsFor95 {
            let px = HTMLText.coordinate(x(Double(k) - 0.5))
            s += "<line class=\"marker\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(y95)\" y2=\"\(HTMLText.coordinate(y(0)))\"/>"
            let anchor = Double(k) > Double(count) * 0.8 ? "end" : "start"
            s += "<text class=\"marker-label\" x=\"\(px)\" dx=\"\(anchor == "end" ? -6 : 6)\" y=\"\(HTMLText.coordinate(y(0.5)))\" text-anchor=\"\(anchor)\">"
            s += "95\u{202F}% at \(k) component\(k == 1 ? "" : "s")</text>"
        }
        // Legend.
        // Legend in the lower right, the emptiest corner once the curve has risen.
        s += "<g class=\"legend\" transform=\"translate(\(Self.width - right - 250) \(HTMLText.coordinate(y(0.2))))\">"
        s += "<rect class=\"legend-bar\" x=\"0\" y=\"0\" width=\"14\" height=\"10\"/><text x=\"20\" y=\"9\">per component</text>"
        s += "<line class=\"cumulative\" x1=\"130\" x2=\"148\" y1=\"5\" y2=\"5\"/><text x=\"154\" y=\"9\">cumulative</text>"
        s += "</g></svg>"
        return s
    }
}
