/// A file's columns, in order.
public struct ParquetSchema: Sendable, Equatable, CustomStringConvertible {
    /// The top-level fields.
    public var fields: [ParquetField]

    /// A schema of `fields`.
    public init(_ fields: [ParquetField]) {
        self.fields = fields
    }

    /// The index of the field named `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// One field per line.
    public var description: String {
        fields.map(\.description).joined(separator: "\n")
    }
}
