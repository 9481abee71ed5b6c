/// One result row: values in schema order, addressable by position or column name.
public struct Row: Sendable, Hashable, CustomStringConvertible {
    /// The schema shared by every row of the result.
    public let fields: [SparkField]
    /// The values, one per field.
    public let values: [SparkValue]

    /// Creates a row; `values` must line up with `fields`.
    public init(fields: [SparkField], values: [SparkValue]) {
        self.fields = fields
        self.values = values
    }

    /// The value at column `index`, or `.null` when out of range.
    public subscript(index: Int) -> SparkValue {
        values.indices.contains(index) ? values[index] : .null
    }

    /// The value of the first column named `name`, or nil when there is no such column.
    public subscript(name: String) -> SparkValue? {
        fields.firstIndex { $0.name == name }.map { self[$0] }
    }

    /// The row as `[name: value, …]`.
    public var description: String {
        let cells = zip(fields, values).map { "\($0.name): \($1)" }
        return "[\(cells.joined(separator: ", "))]"
    }
}
