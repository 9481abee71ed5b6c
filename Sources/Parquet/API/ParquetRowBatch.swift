/// Rows being built for a writer, one `ParquetColumn` per field. Appends address a column by index;
/// a type mismatch is remembered and thrown by `ParquetFileWriter.write(_:)` so call sites stay terse.
public struct ParquetRowBatch: Sendable {
    /// The schema the rows follow.
    public let schema: ParquetSchema
    /// One column per field.
    public private(set) var columns: [ParquetColumn]
    /// The first append that did not fit the schema, if any.
    public private(set) var firstError: ParquetError?

    /// An empty batch for `schema`.
    public init(schema: ParquetSchema) {
        self.schema = schema
        self.columns = schema.fields.map { ParquetColumn(field: $0) }
    }

    /// Number of complete rows (the shortest column).
    public var rowCount: Int { columns.map(\.rowCount).min() ?? 0 }

    /// Removes all rows, keeping capacity.
    public mutating func removeAll() {
        for i in columns.indices { columns[i].removeAll() }
        firstError = nil
    }

    /// Appends rows `rows` of `other` to column `column` (the writer's row-group gathering).
    mutating func appendRows(column: Int, of other: ParquetColumn, _ rows: Range<Int>) {
        columns[column].appendRows(of: other, rows)
    }

    /// Checks every column holds the same number of rows and no append failed.
    func validated() throws -> Int {
        if let firstError { throw firstError }
        let counts = Set(columns.map(\.rowCount))
        guard counts.count <= 1 else {
            throw ParquetError.schemaMismatch("columns hold different row counts: "
                + columns.map { "\($0.field.name)=\($0.rowCount)" }.joined(separator: ", "))
        }
        return counts.first ?? 0
    }

    private mutating func record(_ column: Int, _ body: (inout ParquetColumn) throws -> Void) {
        guard columns.indices.contains(column) else {
            if firstError == nil { firstError = .schemaMismatch("no column \(column) in a \(columns.count)-column schema") }
            return
        }
        do { try body(&columns[column]) } catch {
            if firstError == nil { firstError = error as? ParquetError ?? .schemaMismatch("\(error)") }
        }
    }

    /// Appends a string to column `column`.
    public mutating func append(string value: String, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends binary bytes to column `column`.
    public mutating func append(binary value: [UInt8], to column: Int) { record(column) { try $0.append(bytes: value) } }
    /// Appends a boolean to column `column`.
    public mutating func append(boolean value: Bool, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends an int32 to column `column`.
    public mutating func append(int32 value: Int32, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends an int64 to column `column`.
    public mutating func append(int64 value: Int64, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends a timestamp (µs since 1970, UTC) to column `column`.
    public mutating func append(timestampMicros value: Int64, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends a float to column `column`.
    public mutating func append(float value: Float, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends a double to column `column`.
    public mutating func append(double value: Double, to column: Int) { record(column) { try $0.append(value) } }
    /// Appends a null to column `column` (which must be optional).
    public mutating func appendNull(to column: Int) { record(column) { try $0.appendNull() } }
    /// Appends any value to column `column` (general path).
    public mutating func append(_ value: ParquetValue, to column: Int) { record(column) { try $0.append(value) } }

    /// Appends a list<float> row from contiguous memory.
    public mutating func appendFloatList(_ values: UnsafeBufferPointer<Float>, to column: Int) {
        record(column) { try $0.append(floatList: values) }
    }
    /// Appends a list<float> row.
    public mutating func appendFloatList(_ values: [Float], to column: Int) { record(column) { try $0.append(floatList: values) } }
    /// Appends a list<double> row.
    public mutating func appendDoubleList(_ values: [Double], to column: Int) { record(column) { try $0.append(doubleList: values) } }
    /// Appends a list<int32> row.
    public mutating func appendInt32List(_ values: [Int32], to column: Int) { record(column) { try $0.append(int32List: values) } }
    /// Appends a list<int64> row.
    public mutating func appendInt64List(_ values: [Int64], to column: Int) { record(column) { try $0.append(int64List: values) } }
    /// Appends a list<string> row.
    public mutating func appendStringList(_ values: [String], to column: Int) { record(column) { try $0.append(stringList: values) } }
}
