import Foundation

/// Escaping and number formatting for the report; all user text goes through `escape`.
enum HTMLText {
    /// `text` safe inside HTML/SVG element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab/newline are invalid in HTML; show a replacement mark.
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` cut to `limit` characters with an ellipsis (for labels in charts; the full text goes in a tooltip).
    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A whole number with thin-space thousands separators (locale-independent): 12 345.
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += "\u{2009}" }
            grouped.append(ch)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// `value` with `decimals` digits after the point (C locale, so always a dot).
    static func decimal(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        return String(format: "%.\(decimals)f", value)
    }

    /// A coordinate for SVG: one decimal, no exponent.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value.isFinite ? value : 0)
    }

    /// A percentage of `part` in `whole` ("12.5 %"), or "–" when the whole is zero.
    static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        guard fraction.isFinite else { return "–" }
        return decimal(fraction * 100, decimals) + "\u{202F}%"
    }

    /// A duration as people read it: "850 ms", "42.3 s", "12 min 05 s", "2 h 03 min".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 1 { return decimal(seconds * 1000, 0) + "\u{202F}ms" }
        if seconds < 60 { return decimal(seconds, 1) + "\u{202F}s" }
        let total = Int(seconds.rounded())
        if total < 3600 { return "\(total / 60)\u{202F}min \(String(format: "%02d", total % 60))\u{202F}s" }
        return "\(total / 3600)\u{202F}h \(String(format: "%02d", total / 60 % 60))\u{202F}min"
    }

    /// A UTC timestamp, "2026-11-25 14:03:07 UTC".
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
