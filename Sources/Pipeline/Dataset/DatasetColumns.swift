import Parquet

/// The columns of a features dataset, in order — declared once. Part files (their Parquet schema and
/// rows), the Spark job's SQL (column types and select lists) and the Spark worker's output rows all
/// follow it, so a new column is one change here that both engines pick up.
public struct DatasetColumns: Sendable, Equatable {
    /// One column: its name is the raw value.
    public enum Column: String, Sendable, CaseIterable {
        /// The image's location.
        case path
        /// The image's folder name.
        case label
        /// MobileNetV2's pooled features, list<float>.
        case features
        /// The PCA projection, list<float>.
        case pca
        /// The classifier's most probable label.
        case prediction
        /// Its probability, double.
        case probability
        /// Why the image failed; null on success.
        case error
    }

    /// The columns, in file order.
    public let columns: [Column]

    /// The columns of a dataset with or without a PCA projection and a classifier's prediction.
    public init(pca: Bool, classifier: Bool) {
        columns = [.path, .label, .features] + (pca ? [.pca] : []) + (classifier ? [.prediction, .probability] : []) + [.error]
    }

    /// The Parquet schema, as Spark writes the same columns (strings as UTF-8, lists in 3 levels).
    var parquetSchema: ParquetSchema { ParquetSchema(columns.map(\.parquetField)) }

    /// The column list with Spark SQL types, for a script transformation's `AS (…)`.
    var sparkDefinition: String { columns.map { "\($0.rawValue) \($0.sparkType)" }.joined(separator: ", ") }

    /// The column names, for a `SELECT`.
    var sparkSelectList: String { columns.map(\.rawValue).joined(separator: ", ") }
}

extension DatasetColumns.Column {
    var parquetField: ParquetField {
        switch self {
        case .path, .label, .prediction, .error: .string(rawValue, optional: true)
        case .features, .pca: .list(rawValue, of: .float, optional: true)
        case .probability: .double(rawValue, optional: true)
        }
    }

    var sparkType: String {
        switch self {
        case .path, .label, .prediction, .error: "STRING"
        case .features, .pca: "ARRAY<FLOAT>"
        case .probability: "DOUBLE"
        }
    }
}
