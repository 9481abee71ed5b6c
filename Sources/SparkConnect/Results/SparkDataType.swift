/// A Spark SQL data type as the client sees it in schemas and Arrow results.
public indirect enum SparkDataType: Sendable, Hashable, CustomStringConvertible {
    /// `NullType`: the type of an untyped `NULL` literal.
    case null
    /// `BooleanType`.
    case boolean
    /// `ByteType` (8-bit signed integer).
    case byte
    /// `ShortType` (16-bit signed integer).
    case short
    /// `IntegerType` (32-bit signed integer).
    case integer
    /// `LongType` (64-bit signed integer).
    case long
    /// `FloatType` (32-bit IEEE float).
    case float
    /// `DoubleType` (64-bit IEEE float).
    case double
    /// `StringType` (UTF-8 text).
    case string
    /// `BinaryType` (bytes).
    case binary
    /// `ArrayType`: a list of `element` values, which may be null when `containsNull`.
    case array(element: SparkDataType, containsNull: Bool)
    /// A type schemas may report but Arrow results cannot be decoded into yet (its Spark name, e.g. `timestamp`).
    case unsupported(String)

    /// The type as Spark SQL spells it (`int`, `array<float>`), usable in DDL and `CAST`.
    public var description: String {
        switch self {
        case .null: "void"
        case .boolean: "boolean"
        case .byte: "tinyint"
        case .short: "smallint"
        case .integer: "int"
        case .long: "bigint"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .array(let element, _): "array<\(element)>"
        case .unsupported(let name): name
        }
    }
}

/// One named column of a schema.
public struct SparkField: Sendable, Hashable, CustomStringConvertible {
    /// The column name.
    public var name: String
    /// The column's data type.
    public var type: SparkDataType
    /// Whether the column may hold nulls.
    public var nullable: Bool

    /// Creates a field.
    public init(name: String, type: SparkDataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// `name type` as in Spark DDL.
    public var description: String { "\(name) \(type)\(nullable ? "" : " not null")" }
}
