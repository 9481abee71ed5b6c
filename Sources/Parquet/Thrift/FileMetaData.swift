/// parquet.thrift `KeyValue`: one entry of the footer's key-value metadata.
struct KeyValue: Sendable, Equatable {
    var key: String
    var value: String?
}

/// parquet.thrift `RowGroup`.
struct RowGroup: Sendable, Equatable {
    /// 1: columns.
    var columns: [ColumnChunk]
    /// 2: total_byte_size (uncompressed).
    var totalByteSize: Int64
    /// 3: num_rows.
    var numRows: Int64
    /// 5: file_offset.
    var fileOffset: Int64?
    /// 6: total_compressed_size.
    var totalCompressedSize: Int64?
    /// 7: ordinal.
    var ordinal: Int16?

    init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    init(from r: inout ThriftCompactReader) throws {
        var columns: [ColumnChunk]?, total: Int64?, rows: Int64?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .list): columns = try r.readList { try ColumnChunk(from: &$0) }
            case (2, .i64): total = try r.readI64()
            case (3, .i64): rows = try r.readI64()
            case (5, .i64): fileOffset = try r.readI64()
            case (6, .i64): totalCompressedSize = try r.readI64()
            case (7, .i16): ordinal = Int16(truncatingIfNeeded: try r.readI64())
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let columns, let total, let rows, rows >= 0 else { throw r.fail("RowGroup misses a required field") }
        self.columns = columns
        self.totalByteSize = total
        self.numRows = rows
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, list: columns, of: .structure) { w, c in c.write(to: &w) }
            w.field(2, i64: totalByteSize)
            w.field(3, i64: numRows)
            if let fileOffset { w.field(5, i64: fileOffset) }
            if let totalCompressedSize { w.field(6, i64: totalCompressedSize) }
            if let ordinal { w.field(7, i16: ordinal) }
        }
    }
}

/// parquet.thrift `FileMetaData`: the footer.
struct FileMetaData: Sendable, Equatable {
    /// 1: version.
    var version: Int32
    /// 2: schema (depth-first, root first).
    var schema: [SchemaElement]
    /// 3: num_rows.
    var numRows: Int64
    /// 4: row_groups.
    var rowGroups: [RowGroup]
    /// 5: key_value_metadata.
    var keyValueMetadata: [KeyValue]?
    /// 6: created_by.
    var createdBy: String?
    /// 7: column_orders (one TYPE_ORDER per leaf: min_value/max_value use the type's natural order).
    var columnOrderCount: Int?

    init(version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
         keyValueMetadata: [KeyValue]?, createdBy: String?, columnOrderCount: Int?) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrderCount = columnOrderCount
    }

    init(from r: inout ThriftCompactReader) throws {
        var version: Int32?, schema: [SchemaElement]?, rows: Int64?, groups: [RowGroup]?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): version = try r.readI32()
            case (2, .list): schema = try r.readList { try SchemaElement(from: &$0) }
            case (3, .i64): rows = try r.readI64()
            case (4, .list): groups = try r.readList { try RowGroup(from: &$0) }
            case (5, .list): keyValueMetadata = try r.readList { try Self.readKeyValue(&$0) }
            case (6, .binary): createdBy = try r.readString()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let version, let schema, let rows, let groups else { throw r.fail("FileMetaData misses a required field") }
        self.version = version
        self.schema = schema
        self.numRows = rows
        self.rowGroups = groups
    }

    private static func readKeyValue(_ r: inout ThriftCompactReader) throws -> KeyValue {
        var key: String?, value: String?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .binary): key = try r.readString()
            case (2, .binary): value = try r.readString()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let key else { throw r.fail("KeyValue without a key") }
        return KeyValue(key: key, value: value)
    }

    func serialized() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.writeStruct { w in
            w.field(1, i32: version)
            w.field(2, list: schema, of: .structure) { w, e in e.write(to: &w) }
            w.field(3, i64: numRows)
            w.field(4, list: rowGroups, of: .structure) { w, g in g.write(to: &w) }
            if let kv = keyValueMetadata {
                w.field(5, list: kv, of: .structure) { w, e in
                    w.writeStruct { w in
                        w.field(1, string: e.key)
                        if let v = e.value { w.field(2, string: v) }
                    }
                }
            }
            if let createdBy { w.field(6, string: createdBy) }
            if let n = columnOrderCount {
                // ColumnOrder is a union whose member 1 is the empty TypeDefinedOrder struct.
                w.field(7, list: Array(repeating: 0, count: n), of: .structure) { w, _ in
                    w.writeStruct { w in w.field(1) { _ in } }
                }
            }
        }
        return w.bytes
    }
}
