extension ParquetColumn {
    /// Slot range covering `rows`.
    func slots(for rows: Range<Int>) -> Range<Int> {
        field.isList ? listOffsets[rows.lowerBound]..<listOffsets[rows.upperBound] : rows
    }

    /// Appends rows `rows` of `other` (same field) — how a writer gathers batches into a row group.
    mutating func appendRows(of other: ParquetColumn, _ rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        if let v = other.rowValidity {
            if rowValidity == nil { rowValidity = Array(repeating: true, count: rowCount) }
            rowValidity?.append(contentsOf: v[rows])
        } else {
            rowValidity?.append(contentsOf: repeatElement(true, count: rows.count))
        }
        let s = other.slots(for: rows)
        if field.isList {
            if let e = other.elementValidity {
                if elementValidity == nil { elementValidity = Array(repeating: true, count: slotCount) }
                elementValidity?.append(contentsOf: e[s])
            } else {
                elementValidity?.append(contentsOf: repeatElement(true, count: s.count))
            }
            let shift = listOffsets[listOffsets.count - 1] - other.listOffsets[rows.lowerBound]
            listOffsets.append(contentsOf: other.listOffsets[(rows.lowerBound + 1)...rows.upperBound].lazy.map { $0 + shift })
        }
        switch field.type {
        case .boolean: booleans.append(contentsOf: other.booleans[s])
        case .int32: int32s.append(contentsOf: other.int32s[s])
        case .int64, .timestamp: int64s.append(contentsOf: other.int64s[s])
        case .float: floats.append(contentsOf: other.floats[s])
        case .double: doubles.append(contentsOf: other.doubles[s])
        case .string, .binary:
            let shift = bytes.count - other.byteOffsets[s.lowerBound]
            bytes.append(contentsOf: other.bytes[other.byteOffsets[s.lowerBound]..<other.byteOffsets[s.upperBound]])
            byteOffsets.append(contentsOf: other.byteOffsets[(s.lowerBound + 1)...s.upperBound].lazy.map { $0 + shift })
        }
        rowCount += rows.count
    }
}
