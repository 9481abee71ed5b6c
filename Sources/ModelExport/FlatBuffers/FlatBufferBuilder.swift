// A writer for the FlatBuffers binary format (https://flatbuffers.dev/internals/), limited to what a
// TFLite file needs: tables with vtables, scalars, strings, and vectors of scalars, bytes or tables.
//
// The buffer is built back to front, as the format intends: a table is written after everything it
// points at, so it sits before them in the file and every unsigned offset points forward. Positions
// are counted from the end of the buffer (`FlatOffset`), which does not move as the front grows.

/// A written object (table, string or vector), as its distance from the end of the buffer.
struct FlatOffset: Sendable, Equatable {
    let fromEnd: Int
}

/// One field of a table about to be written: its id (declaration order in the schema) and value.
struct FlatField: Sendable {
    enum Value: Sendable {
        /// Little-endian bytes of a scalar, whose size is also its alignment.
        case scalar([UInt8])
        /// An unsigned 32-bit offset to an object already written.
        case offset(FlatOffset)
    }

    let id: Int
    let value: Value

    static func int8(_ id: Int, _ value: Int8) -> FlatField { scalar(id, value) }
    static func uint8(_ id: Int, _ value: UInt8) -> FlatField { scalar(id, value) }
    static func int32(_ id: Int, _ value: Int32) -> FlatField { scalar(id, value) }
    static func uint32(_ id: Int, _ value: UInt32) -> FlatField { scalar(id, value) }
    static func bool(_ id: Int, _ value: Bool) -> FlatField { scalar(id, UInt8(value ? 1 : 0)) }
    static func float(_ id: Int, _ value: Float) -> FlatField { scalar(id, value.bitPattern) }
    static func offset(_ id: Int, _ target: FlatOffset) -> FlatField { FlatField(id: id, value: .offset(target)) }

    private static func scalar<T: FixedWidthInteger>(_ id: Int, _ value: T) -> FlatField {
        FlatField(id: id, value: .scalar(FlatBufferBuilder.littleEndianBytes(of: value)))
    }
}

/// Builds one FlatBuffers file, back to front; `finish` returns its bytes.
struct FlatBufferBuilder {
    /// FlatBuffers offsets are 32-bit: no buffer may reach 2 GiB.
    static let maximumSize = Int(Int32.max)

    /// The bytes written so far are `storage[head...]`; the front is free space to grow into.
    private var storage: [UInt8]
    private var head: Int
    /// The largest alignment any value needed: the finished buffer's size is a multiple of it, so
    /// alignment counted from the end is alignment counted from the start.
    private var minimumAlignment = 1

    init(initialCapacity: Int = 1024) {
        storage = [UInt8](repeating: 0, count: max(initialCapacity, 16))
        head = storage.count
    }

    /// Bytes written so far.
    var size: Int { storage.count - head }

    // MARK: Objects

    /// A string: length, UTF-8 bytes, then a terminating zero the length does not count.
    mutating func string(_ text: String) throws(ModelExportError) -> FlatOffset {
        let utf8 = Array(text.utf8)
        try align(size: utf8.count + 1, to: 4)
        try prepend([0])
        try prepend(utf8)
        return try prependLength(utf8.count)
    }

    /// A vector of bytes whose first byte is `alignment`-aligned in the file (TFLite asks 16 for buffers).
    mutating func bytes(_ values: [UInt8], alignment: Int = 1) throws(ModelExportError) -> FlatOffset {
        try align(size: values.count, to: 4)
        try align(size: values.count, to: alignment)
        try prepend(values)
        return try prependLength(values.count)
    }

    /// A vector of little-endian integers.
    mutating func vector<T: FixedWidthInteger>(_ values: [T]) throws(ModelExportError) -> FlatOffset {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values { bytes += Self.littleEndianBytes(of: value) }
        try align(size: bytes.count, to: max(4, MemoryLayout<T>.size))
        try prepend(bytes)
        return try prependLength(values.count)
    }

    /// A vector of offsets to objects already written (tables, strings); each is relative to its own slot.
    mutating func vector(_ targets: [FlatOffset]) throws(ModelExportError) -> FlatOffset {
        try align(size: 4 * targets.count, to: 4)
        for target in targets.reversed() { try prependOffset(to: target) }
        return try prependLength(targets.count)
    }

    /// A table: the fields, then its vtable in front of it.
    ///
    /// Layout: vtable `[vtable size, table size, field position…]` (uint16, position 0 = absent), then
    /// the table, whose first four bytes are the signed distance back to the vtable.
    mutating func table(_ fields: [FlatField]) throws(ModelExportError) -> FlatOffset {
        let ids = fields.map(\.id)
        precondition(Set(ids).count == ids.count && ids.allSatisfy { $0 >= 0 && $0 < 256 }, "table fields \(ids)")
        let end = size
        var positions: [Int: Int] = [:]  // field id → distance from the buffer end
        // Widest first, so narrow fields fill the gaps instead of padding them.
        for field in fields.sorted(by: { $0.width > $1.width }) {
            switch field.value {
            case .scalar(let bytes):
                try align(size: bytes.count, to: bytes.count)
                try prepend(bytes)
            case .offset(let target):
                try prependOffset(to: target)
            }
            positions[field.id] = size
        }
        try align(size: 4, to: 4)
        try prepend([0, 0, 0, 0])  // placeholder for the distance to the vtable
        let table = size
        // vtable entries are 16-bit: a table's inline part must stay under 64 KiB (its vectors need not).
        guard table - end <= Int(UInt16.max) else { throw .tooLarge(what: "a table", bytes: table - end, limit: Int(UInt16.max)) }
        let fieldCount = (ids.max() ?? -1) + 1
        var vtable = [UInt16(4 + 2 * fieldCount), UInt16(table - end)]
        vtable += (0..<fieldCount).map { id in positions[id].map { UInt16(table - $0) } ?? 0 }
        try align(size: 2 * vtable.count, to: 2)
        try prepend(vtable.flatMap { Self.littleEndianBytes(of: $0) })
        // The table stores `table - vtable` as seen from the start, which is vtable's distance minus the table's.
        patch(Int32(size - table), at: table)
        return FlatOffset(fromEnd: table)
    }

    /// Writes the root offset and the 4-character file identifier in front, and returns the file.
    mutating func finish(root: FlatOffset, identifier: String) throws(ModelExportError) -> [UInt8] {
        let identifierBytes = Array(identifier.utf8)
        precondition(identifierBytes.count == 4, "a file identifier has 4 bytes")
        try align(size: 8, to: max(minimumAlignment, 4))
        try prepend(identifierBytes)
        try prependOffset(to: root)
        return Array(storage[head...])
    }

    // MARK: Bytes

    /// Pads so that after writing `size` more bytes, the distance from the end is a multiple of `alignment`.
    private mutating func align(size upcoming: Int, to alignment: Int) throws(ModelExportError) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment \(alignment) is not a power of two")
        minimumAlignment = max(minimumAlignment, alignment)
        let padding = (alignment - (size + upcoming) % alignment) % alignment
        if padding > 0 { try prepend([UInt8](repeating: 0, count: padding)) }
    }

    private mutating func prepend(_ bytes: [UInt8]) throws(ModelExportError) {
        guard bytes.count <= Self.maximumSize - size else { throw .tooLarge(what: "the file", bytes: size + bytes.count, limit: Self.maximumSize) }
        guard !bytes.isEmpty else { return }
        if bytes.count > head { grow(toFit: bytes.count) }
        head -= bytes.count
        storage.replaceSubrange(head..<(head + bytes.count), with: bytes)
    }

    /// Moves the written bytes to the end of a larger array (at least double), keeping distances from the end.
    private mutating func grow(toFit count: Int) {
        let used = size
        let capacity = max(storage.count * 2, used + count + 16)
        var larger = [UInt8](repeating: 0, count: capacity)
        larger.replaceSubrange((capacity - used)..<capacity, with: storage[head...])
        storage = larger
        head = capacity - used
    }

    /// An unsigned offset from the slot being written to `target`, which lies after it in the file.
    private mutating func prependOffset(to target: FlatOffset) throws(ModelExportError) {
        try align(size: 4, to: 4)
        let slot = size + 4
        precondition(target.fromEnd <= size, "offset to an object not yet written")
        try prepend(Self.littleEndianBytes(of: UInt32(slot - target.fromEnd)))
    }

    /// The element count in front of a vector or string (it fits: `prepend` kept the whole file under 2 GiB).
    private mutating func prependLength(_ count: Int) throws(ModelExportError) -> FlatOffset {
        try align(size: 4, to: 4)
        try prepend(Self.littleEndianBytes(of: UInt32(count)))
        return FlatOffset(fromEnd: size)
    }

    /// Overwrites the four bytes that start `fromEnd` bytes before the end.
    private mutating func patch(_ value: Int32, at fromEnd: Int) {
        let start = storage.count - fromEnd
        storage.replaceSubrange(start..<(start + 4), with: Self.littleEndianBytes(of: value))
    }

    static func littleEndianBytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

extension FlatField {
    /// Bytes the field occupies in the table.
    fileprivate var width: Int {
        switch value {
        case .scalar(let bytes): bytes.count
        case .offset: 4
        }
    }
}
