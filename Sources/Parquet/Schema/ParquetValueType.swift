/// The value types Orchard reads and writes, each mapped to a parquet physical type and annotation.
public enum ParquetValueType: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// BOOLEAN.
    case boolean
    /// INT32.
    case int32
    /// INT64.
    case int64
    /// FLOAT (IEEE 754 single).
    case float
    /// DOUBLE (IEEE 754 double).
    case double
    /// BYTE_ARRAY annotated STRING (UTF-8).
    case string
    /// BYTE_ARRAY without annotation (or FIXED_LEN_BYTE_ARRAY on read).
    case binary
    /// INT64 annotated TIMESTAMP(isAdjustedToUTC = true, MICROS); INT96 and millisecond timestamps read as this.
    case timestamp

    /// The type's name, e.g. `float`.
    public var description: String { rawValue }

    var physicalType: PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64, .timestamp: .int64
        case .float: .float
        case .double: .double
        case .string, .binary: .byteArray
        }
    }
}
