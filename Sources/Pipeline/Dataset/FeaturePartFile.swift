import Parquet

/// One part of a features dataset as a Parquet file, with the columns `DatasetColumns` declares.
///
/// The schema is what Spark writes for the same columns (strings as UTF-8 byte arrays, lists in the
/// standard 3-level layout), so Spark, pyarrow and DuckDB read parts as their own.
enum FeaturePartFile {
    /// The largest part file read back (parts hold ~1,000 rows of 1,280 floats, about 5 MB).
    static let maxPartBytes = 1 << 30

    /// Writes `rows` to the local file at `path` (replacing it) with `columns`, and `metadata` in the footer.
    static func write(_ rows: [FeatureRow], to path: String, columns: DatasetColumns, metadata: [String: String]) throws {
        let schema = columns.parquetSchema
        let writer = try ParquetFileWriter(
            path: path, schema: schema, options: ParquetWriterOptions(compression: .zstd, rowGroupRows: 10_000),
            metadata: metadata)
        var batch = ParquetRowBatch(schema: schema)
        for row in rows {
            for (index, column) in columns.columns.enumerated() {
                switch column {
                case .path: batch.append(string: row.path, to: index)
                case .label: batch.append(string: row.label, to: index)
                case .features: appendList(row.features, to: index, in: &batch)
                case .pca: appendList(row.pca, to: index, in: &batch)
                case .prediction: appendString(row.prediction, to: index, in: &batch)
                case .probability:
                    if let probability = row.probability { batch.append(double: probability, to: index) } else { batch.appendNull(to: index) }
                case .error: appendString(row.error, to: index, in: &batch)
                }
            }
        }
        try writer.write(batch)
        _ = try writer.close()
    }

    /// Every row of the part file at `path`. Optional columns are read when the file has them; a file
    /// without `label` or `error` (written by another tool) reads them as empty/null.
    static func read(path: String) throws -> [FeatureRow] {
        let reader = try ParquetFileReader(path: path)
        let names = Set(reader.readableColumns)
        guard names.contains("path"), names.contains("features") else {
            throw PipelineError.invalidDataset(path, reason: "a features part needs `path` and `features` columns; this file has \(reader.readableColumns)")
        }
        let optional = [DatasetColumns.Column.label, .pca, .prediction, .probability, .error].map(\.rawValue).filter(names.contains)
        var rows: [FeatureRow] = []
        rows.reserveCapacity(reader.rowCount)
        for index in 0 ..< reader.rowGroupCount {
            let group = try reader.readRowGroup(index, columns: ["path", "features"] + optional)
            func has(_ column: DatasetColumns.Column) -> Bool { names.contains(column.rawValue) }
            let paths = try group.strings("path")
            let features = try group.floatLists("features")
            let labels = has(.label) ? try group.strings("label") : []
            let pcas = has(.pca) ? try group.floatLists("pca") : []
            let predictions = has(.prediction) ? try group.strings("prediction") : []
            let probabilities = has(.probability) ? try group.doubles("probability") : []
            let errors = has(.error) ? try group.strings("error") : []
            for row in 0 ..< group.rowCount {
                rows.append(FeatureRow(
                    path: paths[row] ?? "", label: labels.isEmpty ? "" : labels[row] ?? "",
                    features: features[row], pca: pcas.isEmpty ? nil : pcas[row],
                    prediction: predictions.isEmpty ? nil : predictions[row],
                    probability: probabilities.isEmpty ? nil : probabilities[row],
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

    private static func appendString(_ value: String?, to column: Int, in batch: inout ParquetRowBatch) {
        if let value { batch.append(string: value, to: column) } else { batch.appendNull(to: column) }
    }

    private static func appendList(_ values: [Float]?, to column: Int, in batch: inout ParquetRowBatch) {
        if let values { batch.appendFloatList(values, to: column) } else { batch.appendNull(to: column) }
    }
}
