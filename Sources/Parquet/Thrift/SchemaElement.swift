/// parquet.thrift `SchemaElement`: one node of the depth-first flattened schema tree.
struct SchemaElement: Sendable, Equatable {
    /// 1: type (leaves only).
    var type: PhysicalType?
    /// 2: type_length (FIXED_LEN_BYTE_ARRAY).
    var typeLength: Int32?
    /// 3: repetition_type (absent on the root).
    var repetitionType: FieldRepetitionType?
    /// 4: name.
    var name: String
    /// 5: num_children (groups only).
    var numChildren: Int32?
    /// 6: converted_type.
    var convertedType: ConvertedType?
    /// 7: scale, 8: precision (decimals).
    var scale: Int32?
    var precision: Int32?
    /// 9: field_id.
    var fieldId: Int32?
    /// 10: logicalType.
    var logicalType: LogicalType?

    init(name: String, type: PhysicalType? = nil, repetition: FieldRepetitionType? = nil, numChildren: Int32? = nil,
         convertedType: ConvertedType? = nil, logicalType: LogicalType? = nil) {
        self.name = name
        self.type = type
        self.repetitionType = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.logicalType = logicalType
    }

    init(from r: inout ThriftCompactReader) throws {
        var name: String?
        try r.structBegin()
        while let f = try r.nextField() {
            switch (f.id, f.type) {
            case (1, .i32): type = try r.readEnum(PhysicalType.self)
            case (2, .i32): typeLength = try r.readI32()
            case (3, .i32): repetitionType = try r.readEnum(FieldRepetitionType.self)
            case (4, .binary): name = try r.readString()
            case (5, .i32): numChildren = try r.readI32()
            case (6, .i32): convertedType = try r.readEnum(ConvertedType.self)
            case (7, .i32): scale = try r.readI32()
            case (8, .i32): precision = try r.readI32()
            case (9, .i32): fieldId = try r.readI32()
            case (10, .structure): logicalType = try LogicalType(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let name else { throw r.fail("SchemaElement without a name") }
        self.name = name
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            if let type { w.field(1, i32: type.rawValue) }
            if let typeLength { w.field(2, i32: typeLength) }
            if let repetitionType { w.field(3, i32: repetitionType.rawValue) }
            w.field(4, string: name)
            if let numChildren { w.field(5, i32: numChildren) }
            if let convertedType { w.field(6, i32: convertedType.rawValue) }
            if let scale { w.field(7, i32: scale) }
            if let precision { w.field(8, i32: precision) }
            if let fieldId { w.field(9, i32: fieldId) }
            if let logicalType { w.field(10) { w in logicalType.writeBody(to: &w) } }
        }
    }
}
