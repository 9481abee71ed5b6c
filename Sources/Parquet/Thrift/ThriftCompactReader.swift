// Thrift compact protocol decoder (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
// Every length read from the input is checked against the bytes that remain before it is used.

/// Compact-protocol wire types.
enum ThriftType: UInt8 {
    case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
    case binary = 8, list = 9, set = 10, map = 11, structure = 12
}

/// Reads compact-protocol values from a byte buffer, bounds-checked.
struct ThriftCompactReader {
    let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0
    private var pendingBool: Bool?
    /// Nesting bound: a hostile file cannot recurse us off the stack.
    private static let maxDepth = 64

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { end - position }

    func fail(_ what: String) -> ParquetError { .malformed("thrift: \(what)", offset: position) }

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw fail("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw fail("varint too long") }
        }
    }

    mutating func readI64() throws -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func readI32() throws -> Int32 {
        let v = try readI64()
        guard let r = Int32(exactly: v) else { throw fail("i32 out of range") }
        return r
    }

    mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw fail("unexpected end of data in double") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func readBinary() throws -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw fail("binary length \(length) exceeds the \(remaining) bytes left") }
        let n = Int(length)
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    /// Reads a bool field's value (carried in the field header) or a bool list element (one byte).
    mutating func readBool() throws -> Bool {
        if let b = pendingBool { pendingBool = nil; return b }
        return try readByte() == 1
    }

    mutating func structBegin() throws {
        guard lastFieldIds.count < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    mutating func structEnd() {
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    /// The next field's id and type, or nil at the struct's stop byte.
    mutating func nextField() throws -> (id: Int16, type: ThriftType)? {
        let header = try readByte()
        if header == 0 { return nil }
        guard let type = ThriftType(rawValue: header & 0x0f) else { throw fail("unknown field type \(header & 0x0f)") }
        let delta = Int16(header >> 4)
        if delta != 0 {
            lastFieldId &+= delta
        } else {
            let v = try readI64()
            guard let id = Int16(exactly: v) else { throw fail("field id out of range") }
            lastFieldId = id
        }
        if type == .boolTrue { pendingBool = true } else if type == .boolFalse { pendingBool = false }
        return (lastFieldId, type)
    }

    /// A list header: element type and count, the count bounded by the bytes left (each element takes ≥ 1 byte).
    mutating func listBegin() throws -> (type: ThriftType, count: Int) {
        let header = try readByte()
        guard let type = ThriftType(rawValue: header & 0x0f) else { throw fail("unknown list element type") }
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        guard count <= UInt64(remaining) else { throw fail("list of \(count) elements in \(remaining) bytes") }
        return (type, Int(count))
    }

    /// Reads a list whose elements are decoded by `element`.
    mutating func readList<T>(_ element: (inout ThriftCompactReader) throws -> T) throws -> [T] {
        let (_, count) = try listBegin()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    /// Skips a value of `type`, including nested containers.
    mutating func skip(_ type: ThriftType, depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        switch type {
        case .stop: throw fail("unexpected stop")
        case .boolTrue, .boolFalse: if pendingBool != nil { pendingBool = nil } else { _ = try readByte() }
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: _ = try readDouble()
        case .binary: _ = try readBinaryLengthAndSkip()
        case .list, .set:
            let (elementType, count) = try listBegin()
            for _ in 0..<count { try skip(elementType == .boolTrue ? .byte : elementType, depth: depth + 1) }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw fail("map of \(count) entries in \(remaining) bytes") }
            if count > 0 {
                let types = try readByte()
                guard let k = ThriftType(rawValue: types >> 4), let v = ThriftType(rawValue: types & 0x0f) else {
                    throw fail("unknown map types")
                }
                for _ in 0..<count {
                    try skip(k == .boolTrue || k == .boolFalse ? .byte : k, depth: depth + 1)
                    try skip(v == .boolTrue || v == .boolFalse ? .byte : v, depth: depth + 1)
                }
            }
        case .structure:
            try structBegin()
            while let field = try nextField() { try skip(field.type, depth: depth + 1) }
            structEnd()
        }
    }

    private mutating func readBinaryLengthAndSkip() throws {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw fail("binary length \(length) exceeds the \(remaining) bytes left") }
        position += Int(length)
    }
}
