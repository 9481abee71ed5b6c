/// The schema as stored in a file's footer: the element tree, the fields Orchard can read, and their leaves.
struct FileSchema: Sendable {
    /// A node of the element tree.
    struct Node: Sendable {
        var element: SchemaElement
        var children: [Node]
    }

    /// One top-level field: readable (with its descriptor) or not (with the reason).
    struct TopLevel: Sendable {
        var name: String
        var leafIndices: Range<Int>
        var descriptor: Result<ColumnDescriptor, ParquetError>
    }

    let root: Node
    let topLevel: [TopLevel]
    let leafCount: Int

    init(_ elements: [SchemaElement]) throws {
        guard let first = elements.first else { throw ParquetError.malformed("empty schema", offset: nil) }
        var next = 1
        root = Node(element: first, children: try Self.children(of: first, elements, &next, depth: 0))
        guard next == elements.count else {
            throw ParquetError.malformed("schema has \(elements.count - next) elements outside the tree", offset: nil)
        }
        var leaves = 0
        var top: [TopLevel] = []
        for node in root.children {
            let count = Self.leafCount(node)
            top.append(TopLevel(name: node.element.name, leafIndices: leaves..<(leaves + count),
                                descriptor: Result { try Self.descriptor(for: node) }.mapError {
                                    $0 as? ParquetError ?? .unsupported("\($0)")
                                }))
            leaves += count
        }
        topLevel = top
        leafCount = leaves
    }

    private static func children(of element: SchemaElement, _ elements: [SchemaElement], _ next: inout Int,
                                 depth: Int) throws -> [Node] {
        guard let n = element.numChildren, n > 0 else {
            if element.type == nil && next > 1 { throw ParquetError.malformed("group '\(element.name)' has no children", offset: nil) }
            return []
        }
        guard depth < 32 else { throw ParquetError.unsupported("schema nested deeper than 32 levels") }
        guard Int(n) <= elements.count - next else {
            throw ParquetError.malformed("'\(element.name)' claims \(n) children, only \(elements.count - next) elements left", offset: nil)
        }
        var out: [Node] = []
        for _ in 0..<n {
            guard next < elements.count else { throw ParquetError.malformed("schema tree truncated", offset: nil) }
            let child = elements[next]
            next += 1
            out.append(Node(element: child, children: try children(of: child, elements, &next, depth: depth + 1)))
        }
        return out
    }

    private static func leafCount(_ node: Node) -> Int {
        node.children.isEmpty ? 1 : node.children.reduce(0) { $0 + leafCount($1) }
    }

    private static func isList(_ e: SchemaElement) -> Bool {
        e.convertedType == .list || e.logicalType == .list
    }

    /// Maps a top-level node to a field: a primitive, a LIST of a primitive (3-level or legacy 2-level), or a
    /// bare repeated primitive. Structs and maps are reported as unsupported.
    private static func descriptor(for node: Node) throws -> ColumnDescriptor {
        let e = node.element
        let name = e.name
        if node.children.isEmpty {
            let repeated = e.repetitionType == .repeated
            let optional = e.repetitionType == .optional
            let (type, scale) = try valueType(of: e)
            let field = ParquetField(name: name, type: type, isOptional: optional, isList: repeated, elementIsOptional: false)
            let def = repeated || optional ? 1 : 0
            return ColumnDescriptor(field: field, path: [name], physicalType: e.type ?? .int32, typeLength: Int(e.typeLength ?? 0),
                                    maxDefinitionLevel: def, maxRepetitionLevel: repeated ? 1 : 0,
                                    presentLevel: repeated ? 0 : def, timestampScale: scale)
        }
        guard isList(e), e.repetitionType != .repeated, node.children.count == 1,
              node.children[0].element.repetitionType == .repeated else {
            throw ParquetError.unsupported("column '\(name)' is a struct or map")
        }
        let optional = e.repetitionType == .optional
        let repeatedNode = node.children[0]
        let leaf: SchemaElement
        var path = [name, repeatedNode.element.name]
        var def = (optional ? 1 : 0) + 1
        if repeatedNode.children.isEmpty {
            leaf = repeatedNode.element  // legacy 2-level list: the repeated field is the element
        } else {
            guard repeatedNode.children.count == 1, repeatedNode.children[0].children.isEmpty,
                  repeatedNode.children[0].element.repetitionType != .repeated else {
                throw ParquetError.unsupported("column '\(name)' is a list of structs or of lists")
            }
            leaf = repeatedNode.children[0].element
            path.append(leaf.name)
            if leaf.repetitionType == .optional { def += 1 }
        }
        let (type, scale) = try valueType(of: leaf)
        let elementOptional = repeatedNode.children.isEmpty ? false : leaf.repetitionType == .optional
        let field = ParquetField(name: name, type: type, isOptional: optional, isList: true, elementIsOptional: elementOptional)
        return ColumnDescriptor(field: field, path: path, physicalType: leaf.type ?? .int32, typeLength: Int(leaf.typeLength ?? 0),
                                maxDefinitionLevel: def, maxRepetitionLevel: 1, presentLevel: optional ? 1 : 0,
                                timestampScale: scale)
    }

    /// The value type of a leaf, and how to scale stored timestamps to microseconds
    /// (1000 = millis → multiply, -1000 = nanos → divide).
    private static func valueType(of e: SchemaElement) throws -> (ParquetValueType, Int64) {
        guard let physical = e.type else { throw ParquetError.malformed("leaf '\(e.name)' has no type", offset: nil) }
        switch physical {
        case .boolean: return (.boolean, 1)
        case .int32: return (.int32, 1)
        case .int64:
            if case .timestamp(_, let unit) = e.logicalType {
                return (.timestamp, unit == 1 ? 1000 : unit == 3 ? -1000 : 1)
            }
            if e.convertedType == .timestampMicros { return (.timestamp, 1) }
            if e.convertedType == .timestampMillis { return (.timestamp, 1000) }
            return (.int64, 1)
        case .int96: return (.timestamp, 1)
        case .float: return (.float, 1)
        case .double: return (.double, 1)
        case .byteArray:
            let text = e.logicalType == .string || e.convertedType == .utf8 || e.convertedType == .enumeration
                || e.convertedType == .json
            return (text ? .string : .binary, 1)
        case .fixedLenByteArray:
            guard let length = e.typeLength, length > 0 else {
                throw ParquetError.malformed("FIXED_LEN_BYTE_ARRAY '\(e.name)' without a length", offset: nil)
            }
            return (.binary, 1)
        default: throw ParquetError.unsupported("physical type \(physical.name) of '\(e.name)'")
        }
    }
}
