import Foundation

/// A linear map from data values to SVG pixels, with "nice" tick values for its axis.
struct PlotScale {
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// When true, domain's lower end maps to range's upper end (y axes grow upwards).
    var flipped = false

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
        let u = flipped ? 1 - t : t
        return range.lowerBound + u * (range.upperBound - range.lowerBound)
    }

    /// About `count` round tick values (1, 2 or 5 × 10ⁿ apart) inside the domain.
    func ticks(_ count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return [domain.lowerBound] }
        let step = Self.niceStep(span / Double(count))
        // Ticks are whole multiples of the step, rounded to its decimals so 3 × 0.2 reads 0.6.
        let decimals = pow(10, max(0, -floor(log10(step))))
        let first = Int((domain.lowerBound / step).rounded(.up))
        let last = Int((domain.upperBound / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { (Double($0) * step * decimals).rounded() / decimals }
    }

    static func niceStep(_ rough: Double) -> Double {
        let power = pow(10, floor(log10(rough)))
        let fraction = rough / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// A domain around `values` padded by `margin` of its span on each side (a unit span if flat).
    static func paddedDomain(_ values: [Double], margin: Double = 0.05) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max(), low.isFinite, high.isFinite else { return 0...1 }
        let span = high - low
        if span == 0 { return (low - 1)...(high + 1) }
        return (low - margin * span)...(high + margin * span)
    }

    /// A tick label without trailing zeros ("0.5", "20", "-1.25").
    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        var text = String(format: "%.4g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
