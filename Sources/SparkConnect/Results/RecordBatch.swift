/// One Arrow record batch of a result, decoded column by column.
public struct RecordBatch: Sendable, Hashable {
    /// The batch's schema.
    public let fields: [SparkField]
    /// The columns, one per field, each holding `rowCount` values.
    public let columns: [[SparkValue]]
    /// The number of rows.
    public let rowCount: Int

    /// Creates a batch; every column must hold `rowCount` values.
    public init(fields: [SparkField], columns: [[SparkValue]], rowCount: Int) {
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The batch transposed into rows.
    public var rows: [Row] {
        (0..<rowCount).map { row in Row(fields: fields, values: columns.map { $0[row] }) }
    }
}
