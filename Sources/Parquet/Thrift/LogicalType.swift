/// parquet.thrift `LogicalType` union — the members Orchard writes or interprets; others are kept as `other`.
enum LogicalType: Sendable, Equatable {
    /// 1: STRING.
    case string
    /// 3: LIST.
    case list
    /// 6: DATE.
    case date
    /// 8: TIMESTAMP(isAdjustedToUTC, unit) with unit 1 = MILLIS, 2 = MICROS, 3 = NANOS (the TimeUnit union's ids).
    case timestamp(isAdjustedToUTC: Bool, unit: Int16)
    /// 10: INTEGER(bitWidth, isSigned).
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Any other member, by field id.
    case other(Int16)

    init(from r: inout ThriftCompactReader) throws {
        var result = LogicalType.other(0)
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .structure): try r.skip(f.type); result = .string
            case (3, .structure): try r.skip(f.type); result = .list
            case (6, .structure): try r.skip(f.type); result = .date
            case (8, .structure):
                var utc = false
                var unit: Int16 = 0
                try r.structBegin()
                while let g = try r.nextField() {
                    switch (g.id, g.type) {
                    case (1, .boolTrue), (1, .boolFalse): utc = try r.readBool()
                    case (2, .structure):
                        try r.structBegin()
                        while let u = try r.nextField() { unit = u.id; try r.skip(u.type) }
                        r.structEnd()
                    default: try r.skip(g.type)
                    }
                }
                r.structEnd()
                result = .timestamp(isAdjustedToUTC: utc, unit: unit)
            case (10, .structure):
                var width: Int8 = 0
                var signed = true
                try r.structBegin()
                while let g = try r.nextField() {
                    switch (g.id, g.type) {
                    case (1, .byte): width = Int8(bitPattern: try r.readByte())
                    case (2, .boolTrue), (2, .boolFalse): signed = try r.readBool()
                    default: try r.skip(g.type)
                    }
                }
                r.structEnd()
                result = .integer(bitWidth: width, isSigned: signed)
            default: try r.skip(f.type); result = .other(f.id)
            }
        }
        r.structEnd()
        self = result
    }

    /// Writes the union's fields (the caller opened the struct).
    func writeBody(to w: inout ThriftCompactWriter) {
            switch self {
            case .string: w.field(1) { _ in }
            case .list: w.field(3) { _ in }
            case .date: w.field(6) { _ in }
            case .timestamp(let utc, let unit):
                w.field(8) { w in
                    w.field(1, bool: utc)
                    w.field(2) { w in w.field(unit) { _ in } }
                }
            case .integer(let width, let signed):
                w.field(10) { w in
                    w.field(1, byte: UInt8(bitPattern: width))
                    w.field(2, bool: signed)
                }
            case .other: break
            }
    }
}
