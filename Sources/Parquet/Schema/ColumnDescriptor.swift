/// How one leaf column sits in the file: its path, physical type and the meaning of its levels.
struct ColumnDescriptor: Sendable, Equatable {
    var field: ParquetField
    var path: [String]
    var physicalType: PhysicalType
    var typeLength: Int
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    /// Lists: the definition level at which the list exists but is empty (lower = null list).
    /// Primitives: the level at which the value is present (= max).
    var presentLevel: Int
    /// How stored values map to `field.type` (e.g. timestamps in millis are scaled to micros).
    var timestampScale: Int64 = 1

    /// The descriptor of a field as Orchard writes it.
    init(writing field: ParquetField) {
        self.field = field
        physicalType = field.type.physicalType
        typeLength = 0
        if field.isList {
            path = [field.name, "list", "element"]
            presentLevel = field.isOptional ? 1 : 0
            maxDefinitionLevel = presentLevel + 1 + (field.elementIsOptional ? 1 : 0)
            maxRepetitionLevel = 1
        } else {
            path = [field.name]
            maxDefinitionLevel = field.isOptional ? 1 : 0
            presentLevel = maxDefinitionLevel
            maxRepetitionLevel = 0
        }
    }

    init(field: ParquetField, path: [String], physicalType: PhysicalType, typeLength: Int, maxDefinitionLevel: Int,
         maxRepetitionLevel: Int, presentLevel: Int, timestampScale: Int64) {
        self.field = field
        self.path = path
        self.physicalType = physicalType
        self.typeLength = typeLength
        self.maxDefinitionLevel = maxDefinitionLevel
        self.maxRepetitionLevel = maxRepetitionLevel
        self.presentLevel = presentLevel
        self.timestampScale = timestampScale
    }

    /// The schema elements for this field (depth-first), in the standard 3-level LIST layout for lists.
    func schemaElements() -> [SchemaElement] {
        let leafRepetition: FieldRepetitionType = field.isList
            ? (field.elementIsOptional ? .optional : .required)
            : (field.isOptional ? .optional : .required)
        var leaf = SchemaElement(name: path.last ?? field.name, type: physicalType, repetition: leafRepetition)
        switch field.type {
        case .string:
            leaf.convertedType = .utf8
            leaf.logicalType = .string
        case .timestamp:
            leaf.convertedType = .timestampMicros
            leaf.logicalType = .timestamp(isAdjustedToUTC: true, unit: 2)
        default: break
        }
        guard field.isList else { return [leaf] }
        return [
            SchemaElement(name: field.name, repetition: field.isOptional ? .optional : .required, numChildren: 1,
                          convertedType: .list, logicalType: .list),
            SchemaElement(name: "list", repetition: .repeated, numChildren: 1),
            leaf,
        ]
    }
}
