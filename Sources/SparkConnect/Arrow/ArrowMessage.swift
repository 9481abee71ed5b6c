// Arrow IPC message metadata (format/Message.fbs, format/Schema.fbs), read from FlatBuffers.
// Field indexes below are the declaration order in those .fbs files; a union takes two slots
// (its type tag, then its value).

/// The header of one encapsulated Arrow IPC message.
enum ArrowMessage {
    /// A `Schema` message: the stream's columns.
    case schema([SparkField])
    /// A `RecordBatch` message: buffer locations within the body that follows it.
    case recordBatch(ArrowRecordBatchHeader)

    /// `MessageHeader` union tags.
    private enum HeaderType: UInt8 { case schema = 1, dictionaryBatch = 2, recordBatch = 3 }

    /// Parses a `Message` table into its header and body length. Nested `Field` children are
    /// limited to `maxDepth` levels.
    static func parse(_ buffer: FlatBuffer, maxDepth: Int = 16) throws -> (ArrowMessage, bodyLength: Int) {
        let message = try buffer.root()
        let headerType = try message.integer(1, default: UInt8(0))
        let bodyLength = try message.integer(3, default: Int64(0))
        guard bodyLength >= 0, let body = Int(exactly: bodyLength) else {
            throw buffer.fail(message.position, "negative body length \(bodyLength)")
        }
        guard let header = try message.table(2) else {
            throw buffer.fail(message.position, "message has no header")
        }
        switch HeaderType(rawValue: headerType) {
        case .schema:
            guard let fields = try header.vector(1, elementSize: 4) else { return (.schema([]), body) }
            return (.schema(try (0..<fields.count).map { try parseField(fields.table($0), depth: maxDepth) }), body)
        case .recordBatch:
            return (.recordBatch(try ArrowRecordBatchHeader(header)), body)
        case .dictionaryBatch:
            throw buffer.fail(header.position, "dictionary-encoded columns are not supported")
        case nil:
            throw buffer.fail(message.position, "unsupported message header type \(headerType)")
        }
    }

    /// `Type` union tags this reader decodes (Schema.fbs).
    private enum TypeTag: UInt8 {
        case null = 1, int = 2, floatingPoint = 3, binary = 4, utf8 = 5, bool = 6, list = 12
    }

    /// Names of the other `Type` union tags, for error messages.
    private static let otherTypeNames: [UInt8: String] = [
        7: "Decimal", 8: "Date", 9: "Time", 10: "Timestamp", 11: "Interval", 13: "Struct", 14: "Union",
        15: "FixedSizeBinary", 16: "FixedSizeList", 17: "Map", 18: "Duration", 19: "LargeBinary",
        20: "LargeUtf8", 21: "LargeList", 22: "RunEndEncoded", 23: "BinaryView", 24: "Utf8View",
    ]

    /// Parses a `Field` table into a Spark field, rejecting types the decoder cannot read.
    private static func parseField(_ field: FlatTable, depth: Int) throws -> SparkField {
        let name = try field.string(0) ?? ""
        let nullable = try field.bool(1, default: false)
        let tag = try field.integer(2, default: UInt8(0))
        guard depth > 0 else { throw field.buffer.fail(field.position, "column \(name) nests too deeply") }
        if try field.table(4) != nil {
            throw SparkConnectError.unsupportedType(column: name, type: "dictionary-encoded")
        }
        let type: SparkDataType
        switch TypeTag(rawValue: tag) {
        case .null: type = .null
        case .bool: type = .boolean
        case .utf8: type = .string
        case .binary: type = .binary
        case .int:
            guard let details = try field.table(3) else { throw field.buffer.fail(field.position, "Int without details") }
            let bits = try details.integer(0, default: Int32(0))
            let signed = try details.bool(1, default: false)
            switch (bits, signed) {
            case (8, true): type = .byte
            case (16, true): type = .short
            case (32, true): type = .integer
            case (64, true): type = .long
            default: throw SparkConnectError.unsupportedType(column: name, type: "\(signed ? "" : "u")int\(bits)")
            }
        case .floatingPoint:
            guard let details = try field.table(3) else { throw field.buffer.fail(field.position, "Float without details") }
            switch try details.integer(0, default: Int16(0)) {
            case 1: type = .float
            case 2: type = .double
            case let precision: throw SparkConnectError.unsupportedType(column: name, type: "float precision \(precision)")
            }
        case .list:
            guard let children = try field.vector(5, elementSize: 4), children.count == 1 else {
                throw field.buffer.fail(field.position, "list column \(name) must have exactly one child")
            }
            let element = try parseField(children.table(0), depth: depth - 1)
            type = .array(element: element.type, containsNull: element.nullable)
        case nil:
            throw SparkConnectError.unsupportedType(column: name, type: otherTypeNames[tag] ?? "Arrow type \(tag)")
        }
        return SparkField(name: name, type: type, nullable: nullable)
    }
}

/// A `RecordBatch` header: row count, one node per column (pre-order), buffer locations in the body.
struct ArrowRecordBatchHeader {
    /// A `FieldNode`: the slot count and null count of one (possibly nested) column.
    struct Node { var length: Int; var nullCount: Int }
    /// A `Buffer`: a byte range relative to the start of the message body.
    struct Buffer { var offset: Int; var length: Int }

    var length: Int
    var nodes: [Node]
    var buffers: [Buffer]

    init(_ table: FlatTable) throws {
        let buffer = table.buffer
        func count(_ value: Int64, _ what: String) throws -> Int {
            guard value >= 0, let count = Int(exactly: value) else {
                throw buffer.fail(table.position, "negative \(what) \(value)")
            }
            return count
        }
        length = try count(try table.integer(0, default: Int64(0)), "row count")
        // FieldNode and Buffer are both structs of two int64s (16 bytes each).
        func pairs(_ index: Int, _ first: String, _ second: String) throws -> [(Int, Int)] {
            guard let vector = try table.vector(index, elementSize: 16) else { return [] }
            return try (0..<vector.count).map { element in
                (try count(try vector.structField(element, byteOffset: 0, as: Int64.self), first),
                 try count(try vector.structField(element, byteOffset: 8, as: Int64.self), second))
            }
        }
        nodes = try pairs(1, "node length", "null count").map { Node(length: $0.0, nullCount: $0.1) }
        buffers = try pairs(2, "buffer offset", "buffer length").map { Buffer(offset: $0.0, length: $0.1) }
        if try table.table(3) != nil {
            throw buffer.fail(
                table.position,
                "compressed record batches are not supported (unset spark.sql.execution.arrow.compression.codec)")
        }
    }
}
