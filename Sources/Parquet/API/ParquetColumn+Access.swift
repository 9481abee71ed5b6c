extension ParquetColumn {
    private func check(_ types: [ParquetValueType], list: Bool) throws {
        guard types.contains(field.type), field.isList == list else {
            throw ParquetError.schemaMismatch("column '\(field.name)' is \(field), not \(list ? "list<" : "")\(types[0])\(list ? ">" : "")")
        }
    }

    private func rows<T>(_ slots: [T]) -> [T?] {
        guard let validity = rowValidity else { return slots.map { $0 } }
        return zip(slots, validity).map { $1 ? $0 : nil }
    }

    /// The row values of a BOOLEAN column.
    public func booleanValues() throws -> [Bool?] { try check([.boolean], list: false); return rows(booleans) }
    /// The row values of an INT32 column.
    public func int32Values() throws -> [Int32?] { try check([.int32], list: false); return rows(int32s) }
    /// The row values of an INT64 or TIMESTAMP column.
    public func int64Values() throws -> [Int64?] { try check([.int64, .timestamp], list: false); return rows(int64s) }
    /// The row values of a FLOAT column.
    public func floatValues() throws -> [Float?] { try check([.float], list: false); return rows(floats) }
    /// The row values of a DOUBLE column.
    public func doubleValues() throws -> [Double?] { try check([.double], list: false); return rows(doubles) }

    /// Slot `i`'s bytes.
    public func bytes(slot i: Int) -> ArraySlice<UInt8> { bytes[byteOffsets[i]..<byteOffsets[i + 1]] }

    /// The row values of a STRING column (invalid UTF-8 is repaired with U+FFFD).
    public func stringValues() throws -> [String?] {
        try check([.string, .binary], list: false)
        return (0..<rowCount).map { isValid(row: $0) ? String(decoding: bytes(slot: $0), as: UTF8.self) : nil }
    }

    /// The row values of a BINARY column.
    public func binaryValues() throws -> [[UInt8]?] {
        try check([.binary, .string], list: false)
        return (0..<rowCount).map { isValid(row: $0) ? Array(bytes(slot: $0)) : nil }
    }

    private func lists<T>(_ slots: [T]) -> [[T]?] {
        (0..<rowCount).map { isValid(row: $0) ? Array(slots[listOffsets[$0]..<listOffsets[$0 + 1]]) : nil }
    }

    private func checkNoNullElements() throws {
        if let e = elementValidity, e.contains(false) {
            throw ParquetError.schemaMismatch("column '\(field.name)' has null elements: use values(row:)")
        }
    }

    /// The rows of a list<float> column (null elements are not allowed here: use `value(row:)`).
    public func floatLists() throws -> [[Float]?] { try check([.float], list: true); try checkNoNullElements(); return lists(floats) }
    /// The rows of a list<double> column.
    public func doubleLists() throws -> [[Double]?] { try check([.double], list: true); try checkNoNullElements(); return lists(doubles) }
    /// The rows of a list<int32> column.
    public func int32Lists() throws -> [[Int32]?] { try check([.int32], list: true); try checkNoNullElements(); return lists(int32s) }
    /// The rows of a list<int64> or list<timestamp> column.
    public func int64Lists() throws -> [[Int64]?] { try check([.int64, .timestamp], list: true); try checkNoNullElements(); return lists(int64s) }
    /// The rows of a list<string> column.
    public func stringLists() throws -> [[String]?] {
        try check([.string, .binary], list: true)
        try checkNoNullElements()
        return (0..<rowCount).map { r in
            isValid(row: r) ? (listOffsets[r]..<listOffsets[r + 1]).map { String(decoding: bytes(slot: $0), as: UTF8.self) } : nil
        }
    }

    /// Row `row` as a general value (lists with their null elements).
    public func value(row: Int) -> ParquetValue {
        guard isValid(row: row) else { return .null }
        guard field.isList else { return slotValue(row) }
        return .list((listOffsets[row]..<listOffsets[row + 1]).map { (elementValidity?[$0] ?? true) ? slotValue($0) : .null })
    }

    private func slotValue(_ i: Int) -> ParquetValue {
        switch field.type {
        case .boolean: .boolean(booleans[i])
        case .int32: .int32(int32s[i])
        case .int64: .int64(int64s[i])
        case .timestamp: .timestamp(int64s[i])
        case .float: .float(floats[i])
        case .double: .double(doubles[i])
        case .string: .string(String(decoding: bytes(slot: i), as: UTF8.self))
        case .binary: .binary(Array(bytes(slot: i)))
        }
    }
}
