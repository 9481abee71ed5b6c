/// parquet.thrift `DataPageHeader` (data page v1).
struct DataPageHeader: Sendable, Equatable {
    var numValues: Int32
    var encoding: Encoding
    var definitionLevelEncoding: Encoding
    var repetitionLevelEncoding: Encoding
    var statistics: Statistics?
}

/// parquet.thrift `DictionaryPageHeader`.
struct DictionaryPageHeader: Sendable, Equatable {
    var numValues: Int32
    var encoding: Encoding
    var isSorted: Bool?
}

/// parquet.thrift `DataPageHeaderV2`: levels stored uncompressed ahead of the (maybe compressed) values.
struct DataPageHeaderV2: Sendable, Equatable {
    var numValues: Int32
    var numNulls: Int32
    var numRows: Int32
    var encoding: Encoding
    var definitionLevelsByteLength: Int32
    var repetitionLevelsByteLength: Int32
    var isCompressed: Bool = true
    var statistics: Statistics?
}

/// parquet.thrift `PageHeader`.
struct PageHeader: Sendable, Equatable {
    /// 1: type.
    var type: PageType
    /// 2: uncompressed_page_size (bytes after the header, uncompressed).
    var uncompressedPageSize: Int32
    /// 3: compressed_page_size (bytes after the header, as stored).
    var compressedPageSize: Int32
    /// 4: crc.
    var crc: Int32?
    /// 5: data_page_header.
    var dataPageHeader: DataPageHeader?
    /// 7: dictionary_page_header.
    var dictionaryPageHeader: DictionaryPageHeader?
    /// 8: data_page_header_v2.
    var dataPageHeaderV2: DataPageHeaderV2?

    init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
    }

    init(from r: inout ThriftCompactReader) throws {
        var type: PageType?, uncompressed: Int32?, compressed: Int32?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): type = try r.readEnum(PageType.self)
            case (2, .i32): uncompressed = try r.readI32()
            case (3, .i32): compressed = try r.readI32()
            case (4, .i32): crc = try r.readI32()
            case (5, .structure): dataPageHeader = try Self.readDataPageHeader(&r)
            case (7, .structure): dictionaryPageHeader = try Self.readDictionaryPageHeader(&r)
            case (8, .structure): dataPageHeaderV2 = try Self.readDataPageHeaderV2(&r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let type, let uncompressed, let compressed else { throw r.fail("PageHeader misses a required field") }
        guard uncompressed >= 0, compressed >= 0 else { throw r.fail("negative page size") }
        self.type = type
        self.uncompressedPageSize = uncompressed
        self.compressedPageSize = compressed
    }

    private static func readDataPageHeader(_ r: inout ThriftCompactReader) throws -> DataPageHeader {
        var n: Int32?, enc: Encoding?, defEnc: Encoding?, repEnc: Encoding?, stats: Statistics?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): n = try r.readI32()
            case (2, .i32): enc = try r.readEnum(Encoding.self)
            case (3, .i32): defEnc = try r.readEnum(Encoding.self)
            case (4, .i32): repEnc = try r.readEnum(Encoding.self)
            case (5, .structure): stats = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let n, let enc, let defEnc, let repEnc, n >= 0 else { throw r.fail("bad DataPageHeader") }
        return DataPageHeader(numValues: n, encoding: enc, definitionLevelEncoding: defEnc,
                              repetitionLevelEncoding: repEnc, statistics: stats)
    }

    private static func readDictionaryPageHeader(_ r: inout ThriftCompactReader) throws -> DictionaryPageHeader {
        var n: Int32?, enc: Encoding?, sorted: Bool?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): n = try r.readI32()
            case (2, .i32): enc = try r.readEnum(Encoding.self)
            case (3, .boolTrue), (3, .boolFalse): sorted = try r.readBool()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let n, let enc, n >= 0 else { throw r.fail("bad DictionaryPageHeader") }
        return DictionaryPageHeader(numValues: n, encoding: enc, isSorted: sorted)
    }

    private static func readDataPageHeaderV2(_ r: inout ThriftCompactReader) throws -> DataPageHeaderV2 {
        var n: Int32?, nulls: Int32?, rows: Int32?, enc: Encoding?, defLen: Int32?, repLen: Int32?
        var compressed = true
        var stats: Statistics?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): n = try r.readI32()
            case (2, .i32): nulls = try r.readI32()
            case (3, .i32): rows = try r.readI32()
            case (4, .i32): enc = try r.readEnum(Encoding.self)
            case (5, .i32): defLen = try r.readI32()
            case (6, .i32): repLen = try r.readI32()
            case (7, .boolTrue), (7, .boolFalse): compressed = try r.readBool()
            case (8, .structure): stats = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let n, let nulls, let rows, let enc, let defLen, let repLen,
              n >= 0, nulls >= 0, rows >= 0, defLen >= 0, repLen >= 0 else { throw r.fail("bad DataPageHeaderV2") }
        return DataPageHeaderV2(numValues: n, numNulls: nulls, numRows: rows, encoding: enc,
                                definitionLevelsByteLength: defLen, repetitionLevelsByteLength: repLen,
                                isCompressed: compressed, statistics: stats)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, i32: type.rawValue)
            w.field(2, i32: uncompressedPageSize)
            w.field(3, i32: compressedPageSize)
            if let crc { w.field(4, i32: crc) }
            if let d = dataPageHeader {
                w.field(5) { w in
                    w.field(1, i32: d.numValues)
                    w.field(2, i32: d.encoding.rawValue)
                    w.field(3, i32: d.definitionLevelEncoding.rawValue)
                    w.field(4, i32: d.repetitionLevelEncoding.rawValue)
                    if let s = d.statistics { w.field(5) { w in s.writeFields(to: &w) } }
                }
            }
            if let d = dictionaryPageHeader {
                w.field(7) { w in
                    w.field(1, i32: d.numValues)
                    w.field(2, i32: d.encoding.rawValue)
                    if let sorted = d.isSorted { w.field(3, bool: sorted) }
                }
            }
        }
    }
}
