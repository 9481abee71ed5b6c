import Foundation

/// The text rows Spark SQL's script transformation (`SELECT TRANSFORM … USING`) exchanges with a program:
/// fields separated by `\u{1}`, rows by `\n`, NULL written `\N`, no escaping at all.
///
/// Every TRANSFORM names this framing in its `ROW FORMAT DELIMITED` clauses (`sqlClause`): without them a
/// server with the Hive catalog (EMR's default) would use Hive's serde, tab-separated with its own escaping.
/// Because Spark escapes nothing, text that can hold any character (paths, labels, errors) travels as hex
/// of its UTF-8 bytes — Spark's `hex` going in, `unhex` coming out — so every byte round-trips; numbers,
/// base64 and ids, which never hold a separator, travel as they are. Rows carry thousands of numbers, so
/// everything here works on UTF-8 bytes, not Characters.
public enum TransformRowFormat {
    /// The field separator, both ways.
    public static let separator: UInt8 = 0x01
    /// How NULL is written.
    public static let null = "\\N"
    /// The `ROW FORMAT` clause for both sides of a TRANSFORM: this framing, with or without Hive.
    static let sqlClause = "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\u0001' LINES TERMINATED BY '\\n' NULL DEFINED AS '\\\\N'"

    /// Splits one input line into fields; `\N` becomes nil.
    public static func fields(of line: Substring) -> [Substring?] {
        line.utf8.split(separator: separator, omittingEmptySubsequences: false).map { bytes in
            bytes.elementsEqual(null.utf8) ? nil : line[bytes.startIndex ..< bytes.endIndex]
        }
    }

    /// The text a hex field holds (Spark's `hex` of a string, or `TransformField.text`); nil when the
    /// field is NULL or not hex of UTF-8.
    public static func text(_ field: Substring?) -> String? {
        guard let field, field.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.utf8.count / 2)
        var high: UInt8?
        for byte in field.utf8 {
            guard let nibble = hexValue(byte) else { return nil }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Text as hex of its UTF-8 bytes, as Spark's `hex` writes it.
    public static func hex(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendHex(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendHex(_ text: String, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + text.utf8.count * 2)
        for byte in text.utf8 {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Fields as one output line (without the newline).
    public static func line(_ fields: [TransformField]) -> String {
        var bytes: [UInt8] = []
        append(fields, to: &bytes)
        bytes.removeLast()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends fields as one output row, newline included.
    public static func append(_ fields: [TransformField], to bytes: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(separator) }
            switch field {
            case .text(nil), .token(nil), .floats(nil), .base64Floats(nil):
                bytes.append(contentsOf: null.utf8)
            case .text(let text?):
                appendHex(text, to: &bytes)
            case .token(let token?):
                bytes.append(contentsOf: token.utf8)
            case .floats(let values?):
                // `[1.5,2.0,-0.03]`, shortest round-trip digits, as Spark parses `ARRAY<FLOAT>` output.
                bytes.append(UInt8(ascii: "["))
                for (index, value) in values.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes.append(contentsOf: value.description.utf8)
                }
                bytes.append(UInt8(ascii: "]"))
            case .base64Floats(let values?):
                bytes.append(contentsOf: base64(values).utf8)
            }
        }
        bytes.append(0x0A)
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

/// One field of a row.
public enum TransformField: Sendable {
    /// Any text, as hex of its UTF-8 bytes (read back with `TransformRowFormat.text` or SQL `unhex`); nil is NULL.
    case text(String?)
    /// A number, base64 or id, which holds no separator, newline or `\N`: as it is; nil is NULL.
    case token(String?)
    /// Floats as Spark parses `ARRAY<FLOAT>`; nil is NULL.
    case floats([Float]?)
    /// Floats as base64 of their little-endian float32 bytes (staged rows); nil is NULL.
    case base64Floats([Float]?)
}

/// Collects output rows as bytes and hands them on in blocks: a write per row would wake Spark's
/// reader thread for every image.
public struct TransformRowWriter {
    private var buffer: [UInt8] = []
    private let blockBytes: Int
    private let sink: ([UInt8]) -> Void

    /// A writer passing blocks of about `blockBytes` to `sink`.
    public init(blockBytes: Int = 1 << 20, sink: @escaping ([UInt8]) -> Void) {
        self.blockBytes = blockBytes
        self.sink = sink
    }

    /// Adds one row.
    public mutating func write(_ fields: [TransformField]) {
        TransformRowFormat.append(fields, to: &buffer)
        if buffer.count >= blockBytes { flush() }
    }

    /// Hands on every row written so far.
    public mutating func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension DatasetColumns {
    /// A final row's fields in column order, as `orchard worker` writes them and Spark reads them back
    /// with `sparkDefinition`.
    func transformFields(of row: FeatureRow) -> [TransformField] {
        columns.map { column in
            switch column {
            case .path: .text(row.path)
            case .label: .text(row.label)
            case .features: .floats(row.features)
            case .pca: .floats(row.pca)
            case .prediction: .text(row.prediction)
            // Swift's shortest round-trip form, which Spark casts to the same double.
            case .probability: .token(row.probability.map { "\($0)" })
            case .error: .text(row.error)
            }
        }
    }
}

extension DatasetColumns.Column {
    /// Whether the column travels as hex text (see `TransformRowFormat`).
    var travelsAsHex: Bool {
        switch self {
        case .path, .label, .prediction, .error: true
        case .features, .pca, .probability: false
        }
    }
}

extension DatasetColumns {
    /// The select list that turns a TRANSFORM's output (`sparkDefinition`) into the dataset's columns:
    /// hex text decoded back to strings.
    var sparkDecodingSelectList: String {
        columns.map { $0.travelsAsHex ? "CAST(unhex(\($0.rawValue)) AS STRING) AS \($0.rawValue)" : $0.rawValue }
            .joined(separator: ", ")
    }
}
