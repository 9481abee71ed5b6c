/// parquet.thrift `Statistics`: per column chunk (or page) min, max and null count, values PLAIN-encoded.
struct Statistics: Sendable, Equatable {
    /// 1: max (deprecated signed-order field, read for old files).
    var max: [UInt8]?
    /// 2: min (deprecated signed-order field).
    var min: [UInt8]?
    /// 3: null_count.
    var nullCount: Int64?
    /// 4: distinct_count.
    var distinctCount: Int64?
    /// 5: max_value (type-defined order).
    var maxValue: [UInt8]?
    /// 6: min_value (type-defined order).
    var minValue: [UInt8]?

    init(min: [UInt8]? = nil, max: [UInt8]? = nil, nullCount: Int64? = nil) {
        self.minValue = min
        self.maxValue = max
        self.nullCount = nullCount
    }

    init(from r: inout ThriftCompactReader) throws {
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .binary): max = try r.readBinary()
            case (2, .binary): min = try r.readBinary()
            case (3, .i64): nullCount = try r.readI64()
            case (4, .i64): distinctCount = try r.readI64()
            case (5, .binary): maxValue = try r.readBinary()
            case (6, .binary): minValue = try r.readBinary()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
    }

    /// Writes the fields (the caller opened the struct).
    func writeFields(to w: inout ThriftCompactWriter) {
        do {
            if let max { w.field(1, binary: max) }
            if let min { w.field(2, binary: min) }
            if let nullCount { w.field(3, i64: nullCount) }
            if let distinctCount { w.field(4, i64: distinctCount) }
            if let maxValue { w.field(5, binary: maxValue) }
            if let minValue { w.field(6, binary: minValue) }
        }
    }
}
