import Parquet

/// One part of a features dataset as a Parquet file: `path`, `label`, `features`, [`pca`,] `error`.
///
/// The schema is what Spark writes for the same columns (strings as UTF-8 byte arrays, lists in the
/// standard 3-level layout), so Spark, pyarrow and DuckDB read parts as their own.
enum FeaturePartFile {
    /// The largest part file read back (parts hold ~1,000 rows of 1,280 floats, about 5 MB).
    static let maxPartBytes = 1 << 30

    /// The columns of a part, with or without `pca`.
    static func schema(withPCA: Bool) -> ParquetSchema {
        var fields: [ParquetField] = [
            .string("path", optional: true), .string("label", optional: true),
            .list("features", of: .float, optional: true),
        ]
        if withPCA { fields.append(.list("pca", of: .float, optional: true)) }
        fields.append(.string("error", optional: true))
        return ParquetSchema(fields)
    }

    /// Writes `rows` to the local file at `path` (replacing it), with `metadata` in the footer.
    static func write(_ rows: [FeatureRow], to path: String, metadata: [String: String], withPCA: Bool) throws {
        let schema = schema(withPCA: withPCA)
        let writer = try ParquetFileWriter(
            path: path, schema: schema, options: ParquetWriterOptions(compression: .zstd, rowGroupRows: 10_000),
            metadata: metadata)
        var batch = ParquetRowBatch(schema: schema)
        let errorColumn = withPCA ? 4 : 3
        for row in rows {
            batch.append(string: row.path, to: 0)
            batch.append(string: row.label, to: 1)
            appendList(row.features, to: 2, in: &batch)
            if withPCA { appendList(row.pca, to: 3, in: &batch) }
            if let error = row.error { batch.append(string: error, to: errorColumn) } else { batch.appendNull(to: errorColumn) }
        }
        try writer.write(batch)
        _ = try writer.close()
    }

    /// Every row of the part file at `path`. A `pca` column is read when the file has one; a file
    /// without `label` or `error` (written by another tool) reads them as empty/null.
    static func read(path: String) throws -> [FeatureRow] {
        let reader = try ParquetFileReader(path: path)
        let names = Set(reader.readableColumns)
        guard names.contains("path"), names.contains("features") else {
            throw PipelineError.invalidDataset(path, reason: "a features part needs `path` and `features` columns; this file has \(reader.readableColumns)")
        }
        var rows: [FeatureRow] = []
        rows.reserveCapacity(reader.rowCount)
        for index in 0 ..< reader.rowGroupCount {
            let group = try reader.readRowGroup(index, columns: ["path", "features"] + ["label", "pca", "error"].filter(names.contains))
            let paths = try group.strings("path")
            let features = try group.floatLists("features")
            let labels = names.contains("label") ? try group.strings("label") : []
            let pcas = names.contains("pca") ? try group.floatLists("pca") : []
            let errors = names.contains("error") ? try group.strings("error") : []
            for row in 0 ..< group.rowCount {
                rows.append(FeatureRow(
                    path: paths[row] ?? "", label: labels.isEmpty ? "" : labels[row] ?? "",
                    features: features[row], pca: pcas.isEmpty ? nil : pcas[row],
                    error: errors.isEmpty ? nil : errors[row]))
            }
        }
        return rows
    }

    /// The `error` column only: nil for each image that succeeded.
    static func readErrors(path: String) throws -> [String?] {
        let reader = try ParquetFileReader(path: path)
        var errors: [String?] = []
        for index in 0 ..< reader.rowGroupCount {
            errors += try reader.readRowGroup(index, columns: ["error"]).strings("error")
        }
        return errors
    }

    private static func appendList(_ values: [Float]?, to column: Int, in batch: inout ParquetRowBatch) {
        if let values { batch.appendFloatList(values, to: column) } else { batch.appendNull(to: column) }
    }
}
