/// One cell of a result: a Spark value of one of the supported types, or null.
public enum SparkValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A `BooleanType` value.
    case boolean(Bool)
    /// A `ByteType` value.
    case byte(Int8)
    /// A `ShortType` value.
    case short(Int16)
    /// An `IntegerType` value.
    case integer(Int32)
    /// A `LongType` value.
    case long(Int64)
    /// A `FloatType` value.
    case float(Float)
    /// A `DoubleType` value.
    case double(Double)
    /// A `StringType` value.
    case string(String)
    /// A `BinaryType` value.
    case binary([UInt8])
    /// An `ArrayType` value; elements may be `.null`.
    case array([SparkValue])

    /// Whether the value is SQL `NULL`.
    public var isNull: Bool { self == .null }

    /// The value as a string, when it is a `StringType` value.
    public var string: String? { if case .string(let v) = self { v } else { nil } }

    /// The value as bytes, when it is a `BinaryType` value.
    public var binary: [UInt8]? { if case .binary(let v) = self { v } else { nil } }

    /// The value as a boolean, when it is a `BooleanType` value.
    public var boolean: Bool? { if case .boolean(let v) = self { v } else { nil } }

    /// The value widened to `Int64`, when it is any integer type.
    public var int64: Int64? {
        switch self {
        case .byte(let v): Int64(v)
        case .short(let v): Int64(v)
        case .integer(let v): Int64(v)
        case .long(let v): v
        default: nil
        }
    }

    /// The value widened to `Double`, when it is any numeric type.
    public var double: Double? {
        switch self {
        case .float(let v): Double(v)
        case .double(let v): v
        default: int64.map(Double.init)
        }
    }

    /// The elements, when it is an `ArrayType` value.
    public var array: [SparkValue]? { if case .array(let v) = self { v } else { nil } }

    /// A numeric array as `Float`s (a feature vector); nil when it is not an array or holds a null
    /// or non-numeric element.
    public var floatArray: [Float]? {
        guard case .array(let elements) = self else { return nil }
        var floats: [Float] = []
        floats.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .float(let value): floats.append(value)
            case .double(let value): floats.append(Float(value))
            default: return nil
            }
        }
        return floats
    }
}
