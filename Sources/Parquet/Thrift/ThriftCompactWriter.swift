/// Writes compact-protocol values into a growing byte buffer.
struct ThriftCompactWriter {
    var bytes: [UInt8] = []
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0

    init() { bytes.reserveCapacity(256) }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeI64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) { writeBinary(Array(value.utf8)) }

    private mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = id &- lastFieldId
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeI64(Int64(id))
        }
        lastFieldId = id
    }

    mutating func field(_ id: Int16, i32 value: Int32) { fieldHeader(id, .i32); writeI64(Int64(value)) }
    mutating func field(_ id: Int16, i16 value: Int16) { fieldHeader(id, .i16); writeI64(Int64(value)) }
    mutating func field(_ id: Int16, i64 value: Int64) { fieldHeader(id, .i64); writeI64(value) }
    mutating func field(_ id: Int16, byte value: UInt8) { fieldHeader(id, .byte); bytes.append(value) }
    mutating func field(_ id: Int16, bool value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }
    mutating func field(_ id: Int16, binary value: [UInt8]) { fieldHeader(id, .binary); writeBinary(value) }
    mutating func field(_ id: Int16, string value: String) { fieldHeader(id, .binary); writeString(value) }

    /// Writes a struct field whose body `body` fills in.
    mutating func field(_ id: Int16, structure body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        writeStruct(body)
    }

    /// Writes a list field: header, then each element through `element`.
    mutating func field<T>(_ id: Int16, list values: [T], of type: ThriftType,
                           _ element: (inout ThriftCompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(type, count: values.count)
        for v in values { element(&self, v) }
    }

    mutating func listHeader(_ type: ThriftType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xf0 | type.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// Writes a whole struct (fields then stop byte), keeping field-id deltas local to it.
    mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
        body(&self)
        bytes.append(0)
        lastFieldId = lastFieldIds.popLast() ?? 0
    }
}
