/// One top-level column: a primitive or a LIST of primitives (standard 3-level layout), required or optional.
public struct ParquetField: Sendable, Equatable, CustomStringConvertible {
    /// Column name.
    public var name: String
    /// The value type (of the elements, for a list).
    public var type: ParquetValueType
    /// Whether a row may be null (the whole list, for a list).
    public var isOptional: Bool
    /// Whether the column is a LIST of `type`.
    public var isList: Bool
    /// Whether list elements may be null (the standard layout's `optional element`).
    public var elementIsOptional: Bool

    /// A field with every property spelled out.
    public init(name: String, type: ParquetValueType, isOptional: Bool = false, isList: Bool = false,
                elementIsOptional: Bool = true) {
        self.name = name
        self.type = type
        self.isOptional = isOptional
        self.isList = isList
        self.elementIsOptional = isList ? elementIsOptional : false
    }

    /// A BOOLEAN column.
    public static func boolean(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .boolean, isOptional: optional) }
    /// An INT32 column.
    public static func int32(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .int32, isOptional: optional) }
    /// An INT64 column.
    public static func int64(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .int64, isOptional: optional) }
    /// A FLOAT column.
    public static func float(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .float, isOptional: optional) }
    /// A DOUBLE column.
    public static func double(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .double, isOptional: optional) }
    /// A UTF-8 string column.
    public static func string(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .string, isOptional: optional) }
    /// A binary column.
    public static func binary(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .binary, isOptional: optional) }
    /// A TIMESTAMP column (INT64 microseconds since 1970, UTC).
    public static func timestamp(_ name: String, optional: Bool = false) -> Self { .init(name: name, type: .timestamp, isOptional: optional) }
    /// A LIST column whose elements are `type` (elements optional, as Spark and pyarrow write them).
    public static func list(_ name: String, of type: ParquetValueType, optional: Bool = false) -> Self {
        .init(name: name, type: type, isOptional: optional, isList: true, elementIsOptional: true)
    }

    /// Compact text such as `features: list<float>?` (`?` marks a nullable column).
    public var description: String {
        let base = isList ? "list<\(type)\(elementIsOptional ? "" : " not null")>" : type.description
        return "\(name): \(base)\(isOptional ? "?" : "")"
    }
}
