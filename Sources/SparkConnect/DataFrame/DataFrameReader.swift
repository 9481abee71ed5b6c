import SparkConnectProtos

/// Builds a DataFrame over a data source (`binaryFile`, `parquet`, `text`, …), like `spark.read`.
/// A value: each call returns a new reader.
public struct DataFrameReader: Sendable {
    /// The session the DataFrames belong to.
    public let session: SparkSession
    private var source: String?
    private var options: [String: String] = [:]
    private var ddlSchema: String?

    init(session: SparkSession) {
        self.session = session
    }

    /// The data source, e.g. `binaryFile` or `parquet`.
    public func format(_ source: String) -> DataFrameReader {
        var reader = self
        reader.source = source
        return reader
    }

    /// A data source option, e.g. `recursiveFileLookup` = `true`, `pathGlobFilter` = `*.jpg`.
    public func option(_ key: String, _ value: String) -> DataFrameReader {
        var reader = self
        reader.options[key] = value
        return reader
    }

    /// A user-specified schema in DDL form (`path string, length bigint`).
    public func schema(_ ddl: String) -> DataFrameReader {
        var reader = self
        reader.ddlSchema = ddl
        return reader
    }

    /// A DataFrame over `paths`; nothing is read until an action runs.
    public func load(_ paths: [String]) -> DataFrame {
        var dataSource = Spark_Connect_Read.DataSource()
        if let source { dataSource.format = source }
        if let ddlSchema { dataSource.schema = ddlSchema }
        dataSource.options = options
        dataSource.paths = paths
        var relation = Relation()
        relation.read.dataSource = dataSource
        return DataFrame(session: session, relation: relation)
    }

    /// A DataFrame over one path.
    public func load(_ path: String) -> DataFrame { load([path]) }

    /// A DataFrame over Parquet files.
    public func parquet(_ paths: String...) -> DataFrame { format("parquet").load(paths) }

    /// A DataFrame over a table or view by name.
    public func table(_ name: String) -> DataFrame {
        var relation = Relation()
        relation.read.namedTable.unparsedIdentifier = name
        relation.read.namedTable.options = options
        return DataFrame(session: session, relation: relation)
    }
}
