// Reads the Arrow IPC streaming format (https://arrow.apache.org/docs/format/Columnar.html#ipc-streaming-format):
// a sequence of encapsulated messages — 0xFFFFFFFF continuation marker, int32 metadata length,
// FlatBuffers `Message`, then the message body — ended by a zero length. Spark Connect sends one
// such stream per `arrow_batch` response: a schema message, a record batch, the end marker.

/// Decodes one Arrow IPC stream into record batches; every length is checked before it is used.
public struct ArrowStreamReader {
    /// Largest metadata block accepted; real schema/batch headers are a few KiB.
    static let maxMetadataLength = 16 << 20

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Decodes the whole stream. A stream holding only a schema yields one empty batch, so callers
    /// still learn the columns of an empty result.
    public static func decode(_ bytes: [UInt8]) throws -> [RecordBatch] {
        var reader = ArrowStreamReader(bytes)
        return try reader.readAll()
    }

    private mutating func readAll() throws -> [RecordBatch] {
        var schema: [SparkField]?
        var batches: [RecordBatch] = []
        while let (message, body) = try nextMessage() {
            switch message {
            case .schema(let fields):
                guard schema == nil else {
                    throw SparkConnectError.malformedArrow(offset: body.start, reason: "second schema message")
                }
                schema = fields
            case .recordBatch(let header):
                guard let fields = schema else {
                    throw SparkConnectError.malformedArrow(offset: body.start, reason: "record batch before the schema")
                }
                batches.append(try ArrowBatchDecoder.decode(header, fields: fields, body: body))
            }
        }
        guard let fields = schema else { throw SparkConnectError.malformedArrow(offset: 0, reason: "stream has no schema") }
        return batches.isEmpty ? [RecordBatch(fields: fields, columns: fields.map { _ in [] }, rowCount: 0)] : batches
    }

    /// Reads the next message header and steps over its body; nil at the end marker or the end
    /// of the bytes.
    private mutating func nextMessage() throws -> (ArrowMessage, ArrowBody)? {
        guard position < bytes.count else { return nil }
        var length = try readInt32()
        if length == -1 {  // 0xFFFFFFFF continuation marker (format ≥ 0.15); older streams omit it
            length = try readInt32()
        }
        if length == 0 { return nil }
        guard length > 0, Int(length) <= Self.maxMetadataLength, Int(length) <= bytes.count - position else {
            throw SparkConnectError.malformedArrow(
                offset: position - 4, reason: "metadata length \(length) exceeds the \(bytes.count - position) bytes left")
        }
        let metadataStart = position
        let metadata = FlatBuffer(bytes: Array(bytes[position..<position + Int(length)]), streamOffset: metadataStart)
        position += Int(length)
        let (message, bodyLength) = try ArrowMessage.parse(metadata)
        guard bodyLength <= bytes.count - position else {
            throw SparkConnectError.malformedArrow(
                offset: metadataStart, reason: "body length \(bodyLength) exceeds the \(bytes.count - position) bytes left")
        }
        let body = ArrowBody(bytes: bytes, start: position, length: bodyLength)
        position += bodyLength
        return (message, body)
    }

    private mutating func readInt32() throws -> Int32 {
        guard bytes.count - position >= 4 else {
            throw SparkConnectError.malformedArrow(offset: position, reason: "stream ends inside a message length")
        }
        let value = bytes.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: Int32.self)) }
        position += 4
        return value
    }
}

/// The body of one record batch message: the bytes its buffers point into.
struct ArrowBody {
    let bytes: [UInt8]
    let start: Int
    let length: Int
}
