extension FileSchema {
    /// The schema in parquet's message notation, as parquet-mr and pyarrow print it.
    var messageDescription: String {
        var lines = ["message \(root.element.name) {"]
        for child in root.children { Self.describe(child, indent: "  ", into: &lines) }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func describe(_ node: Node, indent: String, into lines: inout [String]) {
        let e = node.element
        let repetition = switch e.repetitionType {
        case .some(.optional): "optional"
        case .some(.repeated): "repeated"
        default: "required"
        }
        let annotation = Self.annotation(e).map { " (\($0))" } ?? ""
        if node.children.isEmpty {
            var type = (e.type?.name ?? "?").lowercased()
            if e.type == .byteArray { type = "binary" }
            if e.type == .fixedLenByteArray { type = "fixed_len_byte_array(\(e.typeLength ?? 0))" }
            lines.append("\(indent)\(repetition) \(type) \(e.name)\(annotation);")
        } else {
            lines.append("\(indent)\(repetition) group \(e.name)\(annotation) {")
            for child in node.children { describe(child, indent: indent + "  ", into: &lines) }
            lines.append("\(indent)}")
        }
    }

    private static func annotation(_ e: SchemaElement) -> String? {
        switch e.logicalType {
        case .some(.string): return "STRING"
        case .some(.list): return "LIST"
        case .some(.date): return "DATE"
        case .some(.timestamp(let utc, let unit)):
            let units = [1: "MILLIS", 2: "MICROS", 3: "NANOS"]
            return "TIMESTAMP(\(units[Int(unit)] ?? "?"),\(utc))"
        case .some(.integer(let width, let signed)): return "INTEGER(\(width),\(signed))"
        default: break
        }
        switch e.convertedType {
        case .some(.utf8): return "UTF8"
        case .some(.list): return "LIST"
        case .some(.map): return "MAP"
        case .some(.date): return "DATE"
        case .some(.decimal): return "DECIMAL(\(e.precision ?? 0),\(e.scale ?? 0))"
        case .some(.timestampMicros): return "TIMESTAMP_MICROS"
        case .some(.timestampMillis): return "TIMESTAMP_MILLIS"
        case .some(let c): return "CONVERTED(\(c.rawValue))"
        case .none: return nil
        }
    }
}
