/// parquet.thrift `ColumnMetaData`: where a column chunk's pages live and how they are encoded.
struct ColumnMetaData: Sendable, Equatable {
    /// 1: type.
    var type: PhysicalType
    /// 2: encodings.
    var encodings: [Encoding]
    /// 3: path_in_schema.
    var pathInSchema: [String]
    /// 4: codec.
    var codec: CompressionCodec
    /// 5: num_values (levels, including nulls).
    var numValues: Int64
    /// 6: total_uncompressed_size, 7: total_compressed_size (pages and their headers).
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    /// 9: data_page_offset.
    var dataPageOffset: Int64
    /// 11: dictionary_page_offset.
    var dictionaryPageOffset: Int64?
    /// 12: statistics.
    var statistics: Statistics?

    init(type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec,
         numValues: Int64, totalUncompressedSize: Int64, totalCompressedSize: Int64, dataPageOffset: Int64,
         dictionaryPageOffset: Int64?, statistics: Statistics?) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.dataPageOffset = dataPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
    }

    init(from r: inout ThriftCompactReader) throws {
        var type: PhysicalType?, encodings: [Encoding]?, path: [String]?, codec: CompressionCodec?
        var numValues: Int64?, unc: Int64?, comp: Int64?, dataOffset: Int64?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): type = try r.readEnum(PhysicalType.self)
            case (2, .list): encodings = try r.readList { try $0.readEnum(Encoding.self) }
            case (3, .list): path = try r.readList { try $0.readString() }
            case (4, .i32): codec = try r.readEnum(CompressionCodec.self)
            case (5, .i64): numValues = try r.readI64()
            case (6, .i64): unc = try r.readI64()
            case (7, .i64): comp = try r.readI64()
            case (9, .i64): dataOffset = try r.readI64()
            case (11, .i64): dictionaryPageOffset = try r.readI64()
            case (12, .structure): statistics = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let type, let encodings, let path, let codec, let numValues, let unc, let comp, let dataOffset else {
            throw r.fail("ColumnMetaData misses a required field")
        }
        self.type = type
        self.encodings = encodings
        self.pathInSchema = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = unc
        self.totalCompressedSize = comp
        self.dataPageOffset = dataOffset
    }

    /// Writes the fields (the caller opened the struct).
    func writeFields(to w: inout ThriftCompactWriter) {
        do {
            w.field(1, i32: type.rawValue)
            w.field(2, list: encodings, of: .i32) { w, e in w.writeI64(Int64(e.rawValue)) }
            w.field(3, list: pathInSchema, of: .binary) { w, s in w.writeString(s) }
            w.field(4, i32: codec.rawValue)
            w.field(5, i64: numValues)
            w.field(6, i64: totalUncompressedSize)
            w.field(7, i64: totalCompressedSize)
            w.field(9, i64: dataPageOffset)
            if let dictionaryPageOffset { w.field(11, i64: dictionaryPageOffset) }
            if let statistics { w.field(12) { w in statistics.writeFields(to: &w) } }
        }
    }
}

/// parquet.thrift `ColumnChunk`.
struct ColumnChunk: Sendable, Equatable {
    /// 1: file_path (chunks in other files are not supported).
    var filePath: String?
    /// 2: file_offset.
    var fileOffset: Int64
    /// 3: meta_data.
    var metaData: ColumnMetaData?

    init(fileOffset: Int64, metaData: ColumnMetaData) {
        self.fileOffset = fileOffset
        self.metaData = metaData
    }

    init(from r: inout ThriftCompactReader) throws {
        var offset: Int64 = 0
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .binary): filePath = try r.readString()
            case (2, .i64): offset = try r.readI64()
            case (3, .structure): metaData = try ColumnMetaData(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        fileOffset = offset
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            if let filePath { w.field(1, string: filePath) }
            w.field(2, i64: fileOffset)
            if let metaData {
                w.field(3) { w in metaData.writeFields(to: &w) }
            }
        }
    }
}
