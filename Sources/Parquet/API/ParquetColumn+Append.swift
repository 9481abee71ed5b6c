extension ParquetColumn {
    private func mismatch(_ what: String) -> ParquetError {
        .schemaMismatch("column '\(field.name)' (\(field)) cannot take \(what)")
    }

    private func expect(_ type: ParquetValueType, list: Bool, _ what: String) throws {
        let ok = field.type == type || (type == .int64 && field.type == .timestamp) || (type == .binary && field.type == .string)
        guard ok, field.isList == list else { throw mismatch(what) }
    }

    private mutating func rowAppended(valid: Bool) {
        if !valid && rowValidity == nil { rowValidity = Array(repeating: true, count: rowCount) }
        rowValidity?.append(valid)
        rowCount += 1
    }

    private mutating func listAppended(elements: Int, valid: Bool = true) {
        elementValidity?.append(contentsOf: repeatElement(true, count: elements))
        listOffsets.append(listOffsets[listOffsets.count - 1] + elements)
        rowAppended(valid: valid)
    }

    /// Appends a BOOLEAN row.
    public mutating func append(_ value: Bool) throws {
        try expect(.boolean, list: false, "a boolean"); booleans.append(value); rowAppended(valid: true)
    }
    /// Appends an INT32 row.
    public mutating func append(_ value: Int32) throws {
        try expect(.int32, list: false, "an int32"); int32s.append(value); rowAppended(valid: true)
    }
    /// Appends an INT64 (or TIMESTAMP, in µs) row.
    public mutating func append(_ value: Int64) throws {
        try expect(.int64, list: false, "an int64"); int64s.append(value); rowAppended(valid: true)
    }
    /// Appends a FLOAT row.
    public mutating func append(_ value: Float) throws {
        try expect(.float, list: false, "a float"); floats.append(value); rowAppended(valid: true)
    }
    /// Appends a DOUBLE row.
    public mutating func append(_ value: Double) throws {
        try expect(.double, list: false, "a double"); doubles.append(value); rowAppended(valid: true)
    }
    /// Appends a STRING row.
    public mutating func append(_ value: String) throws {
        try expect(.string, list: false, "a string")
        bytes.append(contentsOf: value.utf8)
        byteOffsets.append(bytes.count)
        rowAppended(valid: true)
    }
    /// Appends a BINARY (or STRING, if valid UTF-8) row.
    public mutating func append(bytes value: some Sequence<UInt8>) throws {
        try expect(.binary, list: false, "binary")
        bytes.append(contentsOf: value)
        byteOffsets.append(bytes.count)
        rowAppended(valid: true)
    }

    /// Appends a null row (a null list for list columns).
    public mutating func appendNull() throws {
        guard field.isOptional else { throw mismatch("a null (the column is required)") }
        if field.isList {
            listAppended(elements: 0, valid: false)
            return
        }
        appendPlaceholderSlot()
        rowAppended(valid: false)
    }

    /// Slots already stored, including elements of a list row still being appended.
    private var storedSlots: Int {
        switch field.type {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64, .timestamp: int64s.count
        case .float: floats.count
        case .double: doubles.count
        case .string, .binary: byteOffsets.count - 1
        }
    }

    private mutating func appendPlaceholderSlot() {
        switch field.type {
        case .boolean: booleans.append(false)
        case .int32: int32s.append(0)
        case .int64, .timestamp: int64s.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .string, .binary: byteOffsets.append(bytes.count)
        }
    }

    /// Appends a list<float> row from contiguous memory (one copy, no per-value work).
    public mutating func append(floatList values: UnsafeBufferPointer<Float>) throws {
        try expect(.float, list: true, "a float list"); floats.append(contentsOf: values); listAppended(elements: values.count)
    }
    /// Appends a list<float> row.
    public mutating func append(floatList values: [Float]) throws {
        try expect(.float, list: true, "a float list"); floats.append(contentsOf: values); listAppended(elements: values.count)
    }
    /// Appends a list<double> row.
    public mutating func append(doubleList values: [Double]) throws {
        try expect(.double, list: true, "a double list"); doubles.append(contentsOf: values); listAppended(elements: values.count)
    }
    /// Appends a list<int32> row.
    public mutating func append(int32List values: [Int32]) throws {
        try expect(.int32, list: true, "an int32 list"); int32s.append(contentsOf: values); listAppended(elements: values.count)
    }
    /// Appends a list<int64> (or list<timestamp>) row.
    public mutating func append(int64List values: [Int64]) throws {
        try expect(.int64, list: true, "an int64 list"); int64s.append(contentsOf: values); listAppended(elements: values.count)
    }
    /// Appends a list<string> row.
    public mutating func append(stringList values: [String]) throws {
        try expect(.string, list: true, "a string list")
        for s in values {
            bytes.append(contentsOf: s.utf8)
            byteOffsets.append(bytes.count)
        }
        listAppended(elements: values.count)
    }

    /// Appends any value (`.null`, a scalar, or `.list` whose elements may be `.null`): the general, slower path.
    public mutating func append(_ value: ParquetValue) throws {
        switch value {
        case .null: try appendNull()
        case .list(let elements):
            guard field.isList else { throw mismatch("a list") }
            for element in elements { try appendElement(element) }
            listOffsets.append(listOffsets[listOffsets.count - 1] + elements.count)
            rowAppended(valid: true)
        default:
            guard !field.isList else { throw mismatch("a scalar") }
            try appendScalar(value)
            rowAppended(valid: true)
        }
    }

    private mutating func appendElement(_ value: ParquetValue) throws {
        if value == .null {
            guard field.elementIsOptional else { throw mismatch("a null element") }
            if elementValidity == nil { elementValidity = Array(repeating: true, count: storedSlots) }
            appendPlaceholderSlot()
            elementValidity?.append(false)
            return
        }
        try appendScalar(value)
        elementValidity?.append(true)
    }

    private mutating func appendScalar(_ value: ParquetValue) throws {
        switch (value, field.type) {
        case (.boolean(let v), .boolean): booleans.append(v)
        case (.int32(let v), .int32): int32s.append(v)
        case (.int64(let v), .int64), (.timestamp(let v), .timestamp), (.int64(let v), .timestamp): int64s.append(v)
        case (.float(let v), .float): floats.append(v)
        case (.double(let v), .double): doubles.append(v)
        case (.string(let v), .string), (.string(let v), .binary):
            bytes.append(contentsOf: v.utf8)
            byteOffsets.append(bytes.count)
        case (.binary(let v), .binary), (.binary(let v), .string):
            bytes.append(contentsOf: v)
            byteOffsets.append(bytes.count)
        default: throw mismatch("\(value)")
        }
    }
}
