/// Counts the bytes one column chunk's decoding will allocate, charged from sizes and counts the file
/// claims *before* the allocation happens, and throws once they pass the budget.
struct DecodeBudget {
    /// The column's dotted path, for messages.
    let column: String
    let limit: Int64
    private(set) var used: Int64 = 0

    init(column: String, limit: Int64) {
        self.column = column
        self.limit = limit
    }

    /// Adds `bytes` for `what` (e.g. "page 3 values"); throws `overBudget` when the total passes the limit.
    mutating func charge(_ bytes: Int64, for what: String) throws {
        let (sum, overflow) = used.addingReportingOverflow(max(bytes, 0))
        guard !overflow, sum <= limit else {
            throw ParquetError.overBudget("column '\(column)' \(what)", bytes: overflow ? .max : sum, budget: limit)
        }
        used = sum
    }

    /// Upper bound of what decoding one level (a value or a null, with its levels, validity and list
    /// offset) allocates, not counting byte-array contents.
    static func bytesPerLevel(_ descriptor: ColumnDescriptor) -> Int64 {
        let value: Int64 = switch descriptor.physicalType {
        case .boolean: 1
        case .int32, .float: 4
        case .int64, .double, .int96: 8
        case .fixedLenByteArray: 8 + Int64(max(descriptor.typeLength, 0))
        default: 8  // byte arrays: one offset each; their bytes are charged separately
        }
        let levels: Int64 = (descriptor.maxRepetitionLevel > 0 ? 1 : 0) + (descriptor.maxDefinitionLevel > 0 ? 1 : 0)
        let listOffset: Int64 = descriptor.field.isList ? 8 : 0
        return value + levels + 1 + listOffset  // + 1: validity
    }

    /// What the footer says a chunk decodes to: its pages' uncompressed bytes plus every level (at least
    /// one per row) at `bytesPerLevel`; saturates instead of overflowing.
    static func footerClaim(_ meta: ColumnMetaData, rows: Int64, _ descriptor: ColumnDescriptor) -> Int64 {
        let levels = max(meta.numValues, rows, 0)
        let (perLevels, o1) = levels.multipliedReportingOverflow(by: bytesPerLevel(descriptor))
        let (total, o2) = perLevels.addingReportingOverflow(max(meta.totalUncompressedSize, 0))
        return o1 || o2 ? .max : total
    }
}
