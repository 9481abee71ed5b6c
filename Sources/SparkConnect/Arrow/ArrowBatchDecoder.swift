// Turns one Arrow `RecordBatch` body into Spark values, following the columnar layout
// (https://arrow.apache.org/docs/format/Columnar.html#buffer-listing-for-each-layout): columns and
// their children are visited in pre-order, each taking one field node and its type's buffers
// (null: none; boolean/fixed width: validity + data; utf8/binary: validity + int32 offsets +
// data; list: validity + int32 offsets, then the child). Every buffer, offset and count is
// checked against the body before use.

/// Decodes record batch bodies for the types `ArrowMessage` accepts.
enum ArrowBatchDecoder {
    /// Most rows one batch may declare (Spark sends at most 10,000 by default).
    static let maxRows = 1 << 22
    /// Most slots one column node may declare (a list column's child holds rows × elements);
    /// bounds the memory buffer-less null columns could otherwise claim.
    static let maxSlots = 1 << 25

    static func decode(_ header: ArrowRecordBatchHeader, fields: [SparkField], body: ArrowBody) throws -> RecordBatch {
        guard header.length <= maxRows else {
            throw SparkConnectError.malformedArrow(offset: body.start, reason: "batch declares \(header.length) rows")
        }
        var cursor = Cursor(header: header, body: body)
        let columns = try fields.map { field in
            let node = try cursor.node(for: field.name)
            guard node.length == header.length else {
                throw cursor.fail("column \(field.name) has \(node.length) rows, the batch \(header.length)")
            }
            return try decodeColumn(field.type, node: node, name: field.name, cursor: &cursor)
        }
        return RecordBatch(fields: fields, columns: columns, rowCount: header.length)
    }

    private static func decodeColumn(
        _ type: SparkDataType, node: ArrowRecordBatchHeader.Node, name: String, cursor: inout Cursor
    ) throws -> [SparkValue] {
        let count = node.length
        switch type {
        case .null:
            return Array(repeating: .null, count: count)
        case .boolean:
            let valid = try cursor.validity(node, name)
            let data = try cursor.buffer(name, minimumBytes: (count + 7) / 8)
            return (0..<count).map { valid($0) ? .boolean(cursor.bit(data, $0)) : .null }
        case .byte: return try fixedWidth(Int8.self, node, name, &cursor, SparkValue.byte)
        case .short: return try fixedWidth(Int16.self, node, name, &cursor, SparkValue.short)
        case .integer: return try fixedWidth(Int32.self, node, name, &cursor, SparkValue.integer)
        case .long: return try fixedWidth(Int64.self, node, name, &cursor, SparkValue.long)
        case .float:
            return try fixedWidth(UInt32.self, node, name, &cursor) { .float(Float(bitPattern: $0)) }
        case .double:
            return try fixedWidth(UInt64.self, node, name, &cursor) { .double(Double(bitPattern: $0)) }
        case .string, .binary:
            let valid = try cursor.validity(node, name)
            let offsets = try cursor.offsets(node, name)
            let data = try cursor.buffer(name, minimumBytes: offsets.last ?? 0)
            let isString = type == .string
            return (0..<count).map { row in
                guard valid(row) else { return .null }
                let bytes = cursor.body.bytes[data.lowerBound + offsets[row]..<data.lowerBound + offsets[row + 1]]
                return isString ? .string(String(decoding: bytes, as: UTF8.self)) : .binary(Array(bytes))
            }
        case .array(let element, _):
            let valid = try cursor.validity(node, name)
            let offsets = try cursor.offsets(node, name)
            let childName = "\(name).element"
            let child = try cursor.node(for: childName)
            guard child.length >= offsets.last ?? 0 else {
                throw cursor.fail("list \(name) points past its \(child.length) elements")
            }
            let values = try decodeColumn(element, node: child, name: childName, cursor: &cursor)
            return (0..<count).map { row in
                valid(row) ? .array(Array(values[offsets[row]..<offsets[row + 1]])) : .null
            }
        case .unsupported(let typeName):
            throw SparkConnectError.unsupportedType(column: name, type: typeName)
        }
    }

    /// Decodes a validity + data column of little-endian `T`s.
    private static func fixedWidth<T: FixedWidthInteger>(
        _: T.Type, _ node: ArrowRecordBatchHeader.Node, _ name: String, _ cursor: inout Cursor,
        _ wrap: (T) -> SparkValue
    ) throws -> [SparkValue] {
        let valid = try cursor.validity(node, name)
        let data = try cursor.buffer(name, minimumBytes: node.length * MemoryLayout<T>.size)
        return cursor.body.bytes.withUnsafeBytes { raw in
            (0..<node.length).map { row in
                guard valid(row) else { return .null }
                let at = data.lowerBound + row * MemoryLayout<T>.size
                return wrap(T(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self)))
            }
        }
    }

    /// Walks the batch's field nodes and buffers in order.
    struct Cursor {
        let header: ArrowRecordBatchHeader
        let body: ArrowBody
        private var nextNode = 0
        private var nextBuffer = 0

        init(header: ArrowRecordBatchHeader, body: ArrowBody) {
            self.header = header
            self.body = body
        }

        func fail(_ reason: String) -> SparkConnectError {
            .malformedArrow(offset: body.start, reason: reason)
        }

        mutating func node(for column: String) throws -> ArrowRecordBatchHeader.Node {
            guard nextNode < header.nodes.count else { throw fail("no field node left for column \(column)") }
            let node = header.nodes[nextNode]
            nextNode += 1
            guard node.length <= ArrowBatchDecoder.maxSlots, node.nullCount <= node.length else {
                throw fail("column \(column) declares \(node.length) slots with \(node.nullCount) nulls")
            }
            return node
        }

        /// The next buffer as an absolute byte range, at least `minimumBytes` long and inside the body.
        mutating func buffer(_ column: String, minimumBytes: Int) throws -> Range<Int> {
            guard nextBuffer < header.buffers.count else { throw fail("no buffer left for column \(column)") }
            let buffer = header.buffers[nextBuffer]
            nextBuffer += 1
            guard buffer.offset <= body.length, buffer.length <= body.length - buffer.offset else {
                throw fail("buffer of column \(column) (\(buffer.length) bytes at \(buffer.offset)) lies outside the \(body.length)-byte body")
            }
            guard buffer.length >= minimumBytes else {
                throw fail("buffer of column \(column) holds \(buffer.length) bytes, needs \(minimumBytes)")
            }
            return body.start + buffer.offset..<body.start + buffer.offset + buffer.length
        }

        /// The validity bitmap as a predicate; a column without nulls may send an empty bitmap.
        mutating func validity(_ node: ArrowRecordBatchHeader.Node, _ column: String) throws -> (Int) -> Bool {
            if node.nullCount == 0 {
                _ = try buffer(column, minimumBytes: 0)
                return { _ in true }
            }
            let bitmap = try buffer(column, minimumBytes: (node.length + 7) / 8)
            let bytes = body.bytes
            return { row in bytes[bitmap.lowerBound + row / 8] & (1 << UInt8(row % 8)) != 0 }
        }

        /// `length + 1` int32 offsets, checked to start at zero or more and never decrease.
        mutating func offsets(_ node: ArrowRecordBatchHeader.Node, _ column: String) throws -> [Int] {
            // An empty column may send no offsets at all.
            let range = try buffer(column, minimumBytes: node.length == 0 ? 0 : (node.length + 1) * 4)
            guard node.length > 0 else { return [0] }
            let offsets: [Int] = body.bytes.withUnsafeBytes { raw in
                (0...node.length).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: range.lowerBound + $0 * 4, as: Int32.self))) }
            }
            var previous = 0
            for offset in offsets {
                guard offset >= previous else { throw fail("offsets of column \(column) decrease or are negative") }
                previous = offset
            }
            return offsets
        }

        func bit(_ range: Range<Int>, _ index: Int) -> Bool {
            body.bytes[range.lowerBound + index / 8] & (1 << UInt8(index % 8)) != 0
        }
    }
}
