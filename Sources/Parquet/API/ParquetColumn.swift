/// One column's values for a run of rows, laid out like Arrow: one slot per row (per element for lists),
/// typed flat arrays, validity only when nulls exist. Null slots hold a placeholder (0, false, empty bytes).
public struct ParquetColumn: Sendable {
    /// The column's field.
    public let field: ParquetField
    /// Number of rows.
    public internal(set) var rowCount = 0
    /// Per-row validity; nil when no row is null.
    public internal(set) var rowValidity: [Bool]?
    /// Lists: row r's elements are slots `listOffsets[r]..<listOffsets[r+1]` (a null list is empty).
    public internal(set) var listOffsets: [Int] = [0]
    /// Lists: per-element validity; nil when no element is null.
    public internal(set) var elementValidity: [Bool]?
    /// BOOLEAN slots.
    public internal(set) var booleans: [Bool] = []
    /// INT32 slots.
    public internal(set) var int32s: [Int32] = []
    /// INT64 and TIMESTAMP slots (timestamps in microseconds since 1970, UTC).
    public internal(set) var int64s: [Int64] = []
    /// FLOAT slots.
    public internal(set) var floats: [Float] = []
    /// DOUBLE slots.
    public internal(set) var doubles: [Double] = []
    /// STRING and BINARY payload: slot i is `bytes[byteOffsets[i]..<byteOffsets[i+1]]`.
    public internal(set) var bytes: [UInt8] = []
    /// STRING and BINARY offsets into `bytes`, one more than the slots.
    public internal(set) var byteOffsets: [Int] = [0]

    /// An empty column for `field`.
    public init(field: ParquetField) {
        self.field = field
    }

    /// Number of value slots: rows, or list elements for a list column.
    public var slotCount: Int { field.isList ? listOffsets[listOffsets.count - 1] : rowCount }

    /// Whether row `row` is non-null.
    public func isValid(row: Int) -> Bool { rowValidity?[row] ?? true }

    /// Removes all rows, keeping the allocated capacity (for reusing a batch).
    public mutating func removeAll() {
        rowCount = 0
        rowValidity = nil
        elementValidity = nil
        listOffsets.removeAll(keepingCapacity: true)
        listOffsets.append(0)
        booleans.removeAll(keepingCapacity: true)
        int32s.removeAll(keepingCapacity: true)
        int64s.removeAll(keepingCapacity: true)
        floats.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        byteOffsets.removeAll(keepingCapacity: true)
        byteOffsets.append(0)
    }

    /// Estimated in-memory size of the values, for row-group sizing.
    var byteSize: Int {
        booleans.count + 4 * int32s.count + 8 * int64s.count + 4 * floats.count + 8 * doubles.count
            + bytes.count + 8 * byteOffsets.count + 8 * listOffsets.count
    }
}
