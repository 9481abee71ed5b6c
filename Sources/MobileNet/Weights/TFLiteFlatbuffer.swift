// A bounds-checked reader for the FlatBuffers binary format (https://flatbuffers.dev/internals/),
// limited to what a TFLite file needs: tables with vtables, scalars, strings, and vectors of scalars
// or tables. Every offset and length is checked against the file before it is followed, so a
// truncated or corrupt file becomes an error naming the field and the offset, never a crash.

/// The bytes of one FlatBuffers file and checked loads from them.
struct FlatBuffer: Sendable {
    let bytes: [UInt8]

    /// FlatBuffers offsets are 32-bit; anything larger is not a flatbuffer this reader can follow.
    static let maximumSize = Int(Int32.max)

    init(bytes: [UInt8]) throws(TFLiteError) {
        guard bytes.count >= 8 else {
            throw .truncated("file is \(bytes.count) bytes, too short for a FlatBuffers header")
        }
        guard bytes.count <= Self.maximumSize else {
            throw .malformed("file is \(bytes.count) bytes, over the 2 GiB FlatBuffers limit")
        }
        self.bytes = bytes
    }

    /// The 4-character file identifier at bytes 4..<8 (`TFL3` for TFLite).
    var fileIdentifier: String {
        String(decoding: bytes[4..<8], as: UTF8.self)
    }

    /// A little-endian integer at `offset`, after checking it lies inside the file.
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int, _ what: @autoclosure () -> String) throws(TFLiteError) -> T {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= bytes.count - size else {
            throw .truncated("\(what()): \(size)-byte value at offset \(offset) lies outside the \(bytes.count)-byte file")
        }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// Follows the unsigned 32-bit offset stored at `position` (offsets are relative to where they are stored).
    func followOffset(at position: Int, _ what: @autoclosure () -> String) throws(TFLiteError) -> Int {
        let relative = Int(try load(UInt32.self, at: position, what()))
        let target = position + relative
        guard target < bytes.count else {
            throw .truncated("\(what()): offset at \(position) points to \(target), past the end of the \(bytes.count)-byte file")
        }
        return target
    }

    /// The root table, whose offset is the file's first four bytes.
    func root(_ name: String) throws(TFLiteError) -> FlatTable {
        try FlatTable(buffer: self, position: try followOffset(at: 0, name), path: name)
    }
}

/// A vector's first element and element count, checked to fit inside the file.
struct FlatVector: Sendable {
    let start: Int
    let count: Int
}

/// One table: its position and its vtable, already checked to lie inside the file.
struct FlatTable: Sendable {
    let buffer: FlatBuffer
    let position: Int
    /// Where the table sits in the file's structure, e.g. `Model.subgraphs[0].tensors[3]`, for errors.
    let path: String
    private let vtable: Int
    private let vtableSize: Int

    init(buffer: FlatBuffer, position: Int, path: String) throws(TFLiteError) {
        let relative = Int(try buffer.load(Int32.self, at: position, "\(path) vtable offset"))
        let vtable = position - relative
        let vtableSize = Int(try buffer.load(UInt16.self, at: vtable, "\(path) vtable"))
        guard vtableSize >= 4, vtableSize % 2 == 0, vtable + vtableSize <= buffer.bytes.count else {
            throw .malformed("\(path): vtable at offset \(vtable) of \(vtableSize) bytes is not valid")
        }
        self.buffer = buffer
        self.position = position
        self.path = path
        self.vtable = vtable
        self.vtableSize = vtableSize
    }

    /// The file position of field `id` (its declaration order in the schema), or nil when absent.
    func fieldPosition(_ id: Int) throws(TFLiteError) -> Int? {
        let entry = 4 + 2 * id
        guard entry + 2 <= vtableSize else { return nil }  // older writers omit trailing fields
        let offset = Int(try buffer.load(UInt16.self, at: vtable + entry, "\(path) vtable entry \(id)"))
        return offset == 0 ? nil : position + offset
    }

    /// A scalar field, or the schema's default when the field is absent.
    func scalar<T: FixedWidthInteger>(_ id: Int, _ name: String, default value: T) throws(TFLiteError) -> T {
        guard let at = try fieldPosition(id) else { return value }
        return try buffer.load(T.self, at: at, "\(path).\(name)")
    }

    /// A sub-table field, or nil when absent.
    func table(_ id: Int, _ name: String) throws(TFLiteError) -> FlatTable? {
        guard let at = try fieldPosition(id) else { return nil }
        return try FlatTable(buffer: buffer, position: try buffer.followOffset(at: at, "\(path).\(name)"), path: "\(path).\(name)")
    }

    /// A vector field of `elementSize`-byte elements, or nil when absent; the whole vector is checked to fit.
    func vector(_ id: Int, _ name: String, elementSize: Int) throws(TFLiteError) -> FlatVector? {
        guard let at = try fieldPosition(id) else { return nil }
        let what = "\(path).\(name)"
        let lengthPosition = try buffer.followOffset(at: at, what)
        let count = Int(try buffer.load(UInt32.self, at: lengthPosition, what))
        let start = lengthPosition + 4
        // Divide rather than multiply so a hostile count cannot overflow.
        guard count <= (buffer.bytes.count - start) / elementSize else {
            throw .truncated("\(what): \(count) elements of \(elementSize) bytes at offset \(start) run past the end of the \(buffer.bytes.count)-byte file")
        }
        return FlatVector(start: start, count: count)
    }

    /// A vector of tables, each checked as it is opened.
    func tables(_ id: Int, _ name: String) throws(TFLiteError) -> [FlatTable] {
        guard let vector = try vector(id, name, elementSize: 4) else { return [] }
        var result: [FlatTable] = []
        result.reserveCapacity(vector.count)
        for index in 0..<vector.count {
            let what = "\(path).\(name)[\(index)]"
            let position = try buffer.followOffset(at: vector.start + 4 * index, what)
            result.append(try FlatTable(buffer: buffer, position: position, path: what))
        }
        return result
    }

    /// A vector of little-endian integers, empty when absent.
    func integers<T: FixedWidthInteger>(_ id: Int, _ name: String, as _: T.Type) throws(TFLiteError) -> [T] {
        guard let vector = try vector(id, name, elementSize: MemoryLayout<T>.size) else { return [] }
        return buffer.bytes.withUnsafeBytes { raw in
            (0..<vector.count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: vector.start + $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    /// A vector of little-endian 32-bit floats, empty when absent.
    func floats(_ id: Int, _ name: String) throws(TFLiteError) -> [Float] {
        try integers(id, name, as: UInt32.self).map { Float(bitPattern: $0) }
    }

    /// A string field (UTF-8, length-prefixed), or nil when absent.
    func string(_ id: Int, _ name: String) throws(TFLiteError) -> String? {
        guard let vector = try vector(id, name, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[vector.start..<(vector.start + vector.count)], as: UTF8.self)
    }
}
