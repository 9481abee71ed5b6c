import Foundation

/// Renders a file's schema and first rows as text (for `orchard parquet schema|head`).
public enum ParquetTextDump {
    /// The schema text: parquet's message notation, then the columns as Orchard types them, then metadata keys.
    public static func schema(of reader: ParquetFileReader) -> String {
        reader.schemaDescription
    }

    /// The first `count` rows, one `name: value` block per row; long lists are shortened after `maxListItems`.
    public static func head(_ reader: ParquetFileReader, count: Int = 10, maxListItems: Int = 8) throws -> String {
        var lines: [String] = []
        var row = 0
        var group = 0
        let names = reader.readableColumns
        while row < count, group < reader.rowGroupCount {
            let g = try reader.readRowGroup(group, columns: names)
            group += 1
            for r in 0..<g.rowCount where row < count {
                lines.append("-- row \(row)")
                for column in g.columns {
                    lines.append("\(column.field.name): \(render(column.value(row: r), maxListItems: maxListItems))")
                }
                row += 1
            }
        }
        if lines.isEmpty { lines.append("(no rows)") }
        return lines.joined(separator: "\n")
    }

    static func render(_ value: ParquetValue, maxListItems: Int) -> String {
        guard case .list(let items) = value, items.count > maxListItems else { return value.description }
        return "[" + items.prefix(maxListItems).map(\.description).joined(separator: ", ")
            + ", … (\(items.count) items)]"
    }

    /// ISO 8601 text for microseconds since the epoch (UTC), microsecond precision.
    static func iso8601(micros: Int64) -> String {
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000)
        let (whole, fraction) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1_000_000)
            : (seconds.quotient, seconds.remainder)
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction))
    }
}
