/// The text rows Spark SQL's script transformation (`SELECT TRANSFORM … USING`) exchanges with a program
/// when Hive is absent: fields separated by `\u{1}`, rows by `\n`, NULL written `\N`, no escaping at all.
///
/// Because nothing is escaped, every text field is sanitised: a `\n`, `\r` or `\u{1}` inside would break
/// the framing, so they become spaces (they only ever occur in error messages).
public enum TransformRowFormat {
    /// The field separator, both ways.
    public static let separator: Character = "\u{1}"
    /// How NULL is written.
    public static let null = "\\N"

    /// Splits one input line into fields; `\N` becomes nil.
    public static func fields(of line: Substring) -> [Substring?] {
        line.split(separator: separator, omittingEmptySubsequences: false).map { $0 == null ? nil : $0 }
    }

    /// Joins fields into one output line (without the newline).
    public static func line(_ fields: [String?]) -> String {
        fields.map { field in
            guard let field else { return null }
            return field == null ? "" : sanitised(field)
        }.joined(separator: String(separator))
    }

    /// A float array as Spark parses `ARRAY<FLOAT>` output: `[1.5,2.0,-0.03]`, shortest round-trip digits.
    public static func array(_ values: [Float]) -> String {
        var text = "["
        text.reserveCapacity(values.count * 11 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += value.description
        }
        return text + "]"
    }

    /// Parses an array field as Spark writes `ARRAY<FLOAT>` input (JSON), or nil when it is not one.
    public static func parseArray(_ field: Substring, maxCount: Int = 1 << 16) -> [Float]? {
        guard field.first == "[", field.last == "]" else { return nil }
        let body = field.dropFirst().dropLast()
        if body.isEmpty { return [] }
        var values: [Float] = []
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard values.count < maxCount, let value = Float(item.trimmingSpaces) else { return nil }
            values.append(value)
        }
        return values
    }

    private static func sanitised(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == separator || $0 == "\r\n" }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == separator || $0 == "\r\n" ? " " : $0 })
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
