/// One value of any supported type: the slow, general path (row dumps, tests, odd columns).
public enum ParquetValue: Sendable, Equatable, CustomStringConvertible {
    /// A null row or element.
    case null
    /// BOOLEAN.
    case boolean(Bool)
    /// INT32.
    case int32(Int32)
    /// INT64.
    case int64(Int64)
    /// FLOAT.
    case float(Float)
    /// DOUBLE.
    case double(Double)
    /// UTF-8 string.
    case string(String)
    /// Binary.
    case binary([UInt8])
    /// Timestamp, microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// A list of element values.
    case list([ParquetValue])

    /// Text as `orchard parquet head` prints it.
    public var description: String {
        switch self {
        case .null: "null"
        case .boolean(let v): "\(v)"
        case .int32(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .float(let v): "\(v)"
        case .double(let v): "\(v)"
        case .string(let v): v
        case .binary(let v): "0x" + v.prefix(32).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            + (v.count > 32 ? "…(\(v.count) bytes)" : "")
        case .timestamp(let v): ParquetTextDump.iso8601(micros: v)
        case .list(let v): "[" + v.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
