// A bounds-checked reader for the FlatBuffers wire format that Arrow IPC metadata uses
// (https://flatbuffers.dev/internals/). Every offset comes from the server, so every read is
// checked against the buffer before it is trusted; nothing here can read out of bounds.

/// A little-endian byte buffer holding one FlatBuffers message.
struct FlatBuffer {
    let bytes: [UInt8]
    /// Where `bytes` started in the enclosing stream, so errors can name absolute offsets.
    let streamOffset: Int

    func fail(_ position: Int, _ reason: String) -> SparkConnectError {
        .malformedArrow(offset: streamOffset + position, reason: reason)
    }

    func checkRange(_ position: Int, _ count: Int, _ what: String) throws {
        guard position >= 0, count >= 0, position <= bytes.count, count <= bytes.count - position else {
            throw fail(position, "\(what) (\(count) bytes) runs past the \(bytes.count)-byte metadata")
        }
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int, _ what: String) throws -> T {
        try checkRange(position, MemoryLayout<T>.size, what)
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }

    /// Follows a `uoffset_t` stored at `position` (offsets are relative to where they are stored).
    func follow(_ position: Int, _ what: String) throws -> Int {
        let relative = try load(UInt32.self, at: position, what)
        let target = position + Int(relative)
        try checkRange(target, 0, what)
        return target
    }

    /// The root table the buffer's first word points at.
    func root() throws -> FlatTable {
        try FlatTable(buffer: self, position: try follow(0, "root offset"))
    }
}

/// One FlatBuffers table: a vtable of field offsets plus the inline field data.
struct FlatTable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int
    private let inlineSize: Int

    init(buffer: FlatBuffer, position: Int) throws {
        self.buffer = buffer
        self.position = position
        let back = try buffer.load(Int32.self, at: position, "table vtable offset")
        vtable = position - Int(back)
        vtableSize = Int(try buffer.load(UInt16.self, at: vtable, "vtable size"))
        inlineSize = Int(try buffer.load(UInt16.self, at: vtable + 2, "table size"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw buffer.fail(vtable, "vtable size \(vtableSize) is not a valid vtable size")
        }
        try buffer.checkRange(vtable, vtableSize, "vtable")
        try buffer.checkRange(position, inlineSize, "table")
    }

    /// The absolute position of field `index`, or nil when the field is absent (default value).
    func fieldPosition(_ index: Int, size: Int) throws -> Int? {
        let slot = 4 + 2 * index
        guard slot + 2 <= vtableSize else { return nil }
        let relative = Int(try buffer.load(UInt16.self, at: vtable + slot, "vtable slot"))
        guard relative != 0 else { return nil }
        guard relative + size <= inlineSize else {
            throw buffer.fail(position + relative, "field \(index) lies outside its \(inlineSize)-byte table")
        }
        return position + relative
    }

    func integer<T: FixedWidthInteger>(_ index: Int, default value: T) throws -> T {
        guard let at = try fieldPosition(index, size: MemoryLayout<T>.size) else { return value }
        return try buffer.load(T.self, at: at, "field \(index)")
    }

    func bool(_ index: Int, default value: Bool) throws -> Bool {
        try integer(index, default: UInt8(value ? 1 : 0)) != 0
    }

    func table(_ index: Int) throws -> FlatTable? {
        guard let at = try fieldPosition(index, size: 4) else { return nil }
        return try FlatTable(buffer: buffer, position: try buffer.follow(at, "table field \(index)"))
    }

    func vector(_ index: Int, elementSize: Int) throws -> FlatVector? {
        guard let at = try fieldPosition(index, size: 4) else { return nil }
        let start = try buffer.follow(at, "vector field \(index)")
        let count = Int(try buffer.load(UInt32.self, at: start, "vector length"))
        let (total, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw buffer.fail(start, "vector of \(count) elements is too long") }
        try buffer.checkRange(start + 4, total, "vector of \(count) elements")
        return FlatVector(buffer: buffer, elements: start + 4, count: count, elementSize: elementSize)
    }

    func string(_ index: Int) throws -> String? {
        guard let vector = try vector(index, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[vector.elements..<vector.elements + vector.count], as: UTF8.self)
    }
}

/// A FlatBuffers vector of tables (4-byte offsets) or of fixed-size structs.
struct FlatVector {
    let buffer: FlatBuffer
    let elements: Int
    let count: Int
    let elementSize: Int

    /// Element `index` of a vector of tables.
    func table(_ index: Int) throws -> FlatTable {
        try FlatTable(buffer: buffer, position: try buffer.follow(elements + index * 4, "vector element \(index)"))
    }

    /// A field of struct element `index`, at `byteOffset` within the struct.
    func structField<T: FixedWidthInteger>(_ index: Int, byteOffset: Int, as type: T.Type) throws -> T {
        try buffer.load(T.self, at: elements + index * elementSize + byteOffset, "struct element \(index)")
    }
}
