// The enums of parquet.thrift. Each is an open struct over its i32 so that values added by newer writers
// still parse (they fail later, with a clear message, only if a page actually needs them).

/// parquet.thrift `Type` (named `PhysicalType` here because `Type` is taken in Swift).
struct PhysicalType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let boolean = Self(rawValue: 0), int32 = Self(rawValue: 1), int64 = Self(rawValue: 2)
    static let int96 = Self(rawValue: 3), float = Self(rawValue: 4), double = Self(rawValue: 5)
    static let byteArray = Self(rawValue: 6), fixedLenByteArray = Self(rawValue: 7)

    var name: String {
        ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
            .indices.contains(Int(rawValue))
            ? ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"][Int(rawValue)]
            : "TYPE(\(rawValue))"
    }
}

/// parquet.thrift `ConvertedType` (the legacy annotations; only those we write or interpret).
struct ConvertedType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let utf8 = Self(rawValue: 0), map = Self(rawValue: 1), mapKeyValue = Self(rawValue: 2)
    static let list = Self(rawValue: 3), enumeration = Self(rawValue: 4), decimal = Self(rawValue: 5)
    static let date = Self(rawValue: 6), timestampMillis = Self(rawValue: 9), timestampMicros = Self(rawValue: 10)
    static let json = Self(rawValue: 19)
}

/// parquet.thrift `FieldRepetitionType`.
struct FieldRepetitionType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let required = Self(rawValue: 0), optional = Self(rawValue: 1), repeated = Self(rawValue: 2)
}

/// parquet.thrift `Encoding`.
struct Encoding: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let plain = Self(rawValue: 0), plainDictionary = Self(rawValue: 2), rle = Self(rawValue: 3)
    static let bitPacked = Self(rawValue: 4), deltaBinaryPacked = Self(rawValue: 5)
    static let deltaLengthByteArray = Self(rawValue: 6), deltaByteArray = Self(rawValue: 7)
    static let rleDictionary = Self(rawValue: 8), byteStreamSplit = Self(rawValue: 9)

    var name: String {
        let names = [0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
                     6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"]
        return names[Int(rawValue)] ?? "ENCODING(\(rawValue))"
    }
}

/// parquet.thrift `CompressionCodec`.
struct CompressionCodec: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let uncompressed = Self(rawValue: 0), snappy = Self(rawValue: 1), gzip = Self(rawValue: 2)
    static let lzo = Self(rawValue: 3), brotli = Self(rawValue: 4), lz4 = Self(rawValue: 5)
    static let zstd = Self(rawValue: 6), lz4Raw = Self(rawValue: 7)

    var name: String {
        let names = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "CODEC(\(rawValue))"
    }
}

/// parquet.thrift `PageType`.
struct PageType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    static let dataPage = Self(rawValue: 0), indexPage = Self(rawValue: 1)
    static let dictionaryPage = Self(rawValue: 2), dataPageV2 = Self(rawValue: 3)
}

extension ThriftCompactReader {
    /// Reads an i32 enum value into one of the open enum structs.
    mutating func readEnum<E: RawRepresentable>(_: E.Type) throws -> E where E.RawValue == Int32 {
        guard let e = E(rawValue: try readI32()) else { throw fail("bad enum") }
        return e
    }
}
