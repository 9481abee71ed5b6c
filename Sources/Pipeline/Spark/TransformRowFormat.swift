import Foundation

/// The text rows Spark SQL's script transformation (`SELECT TRANSFORM … USING`) exchanges with a program
/// when Hive is absent: fields separated by `\u{1}`, rows by `\n`, NULL written `\N`, no escaping at all.
///
/// Because nothing is escaped, every text field is sanitised: a `\n`, `\r` or `\u{1}` inside would break
/// the framing, so each such byte becomes a space (they only ever occur in error messages).
/// Rows carry thousands of numbers, so everything here works on UTF-8 bytes, not Characters.
public enum TransformRowFormat {
    /// The field separator, both ways.
    public static let separator: UInt8 = 0x01
    /// How NULL is written.
    public static let null = "\\N"

    /// Splits one input line into fields; `\N` becomes nil.
    public static func fields(of line: Substring) -> [Substring?] {
        line.utf8.split(separator: separator, omittingEmptySubsequences: false).map { bytes in
            bytes.elementsEqual(null.utf8) ? nil : line[bytes.startIndex ..< bytes.endIndex]
        }
    }

    /// Joins fields into one output line (without the newline).
    public static func line(_ fields: [String?]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(fields.count) { $0 + ($1?.utf8.count ?? 2) })
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(separator) }
            guard let field else {
                bytes.append(contentsOf: null.utf8)
                continue
            }
            // A text that reads `\N` would come back as NULL: it is written empty instead.
            guard !field.utf8.elementsEqual(null.utf8) else { continue }
            for byte in field.utf8 {
                bytes.append(byte == 0x0A || byte == 0x0D || byte == separator ? 0x20 : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A float array as Spark parses `ARRAY<FLOAT>` output: `[1.5,2.0,-0.03]`, shortest round-trip digits.
    public static func array(_ values: [Float]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(values.count * 12 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: value.description.utf8)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A float array as compact text: base64 of its little-endian float32 bytes (staged rows; far
    /// cheaper for both sides than decimal text).
    public static func base64(_ values: [Float]) -> String {
        var bytes = [UInt8](repeating: 0, count: values.count * 4)
        for (index, value) in values.enumerated() {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.replaceSubrange(index * 4 ..< index * 4 + 4, with: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// Parses a field written by `base64(_:)`, or nil when it is not one.
    public static func parseBase64(_ field: Substring, maxCount: Int = 1 << 16) -> [Float]? {
        guard field.utf8.count <= (maxCount * 4 + 2) / 3 * 4, let data = Data(base64Encoded: String(field)),
              data.count % 4 == 0 else { return nil }
        return data.withUnsafeBytes { raw in
            (0 ..< data.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}
