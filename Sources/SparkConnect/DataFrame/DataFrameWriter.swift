import SparkConnectProtos

/// What a write does when the destination already exists (Spark's `SaveMode`).
public enum SaveMode: String, Sendable, CaseIterable {
    /// Add to the existing data.
    case append
    /// Replace the existing data.
    case overwrite
    /// Fail if data exists (Spark's default).
    case errorIfExists
    /// Do nothing if data exists.
    case ignore
}

/// Writes a DataFrame to storage with Spark's writers (WriteOperation), like `df.write`. A value:
/// each call returns a new writer; `save`/`parquet` run the write on the executors.
public struct DataFrameWriter: Sendable {
    private let dataFrame: DataFrame
    private var source: String?
    private var saveMode: SaveMode?
    private var options: [String: String] = [:]
    private var partitionColumns: [String] = []

    init(dataFrame: DataFrame) {
        self.dataFrame = dataFrame
    }

    /// The output format, e.g. `parquet`.
    public func format(_ source: String) -> DataFrameWriter {
        var writer = self
        writer.source = source
        return writer
    }

    /// What to do when the destination exists.
    public func mode(_ mode: SaveMode) -> DataFrameWriter {
        var writer = self
        writer.saveMode = mode
        return writer
    }

    /// A writer option, e.g. `compression` = `zstd`.
    public func option(_ key: String, _ value: String) -> DataFrameWriter {
        var writer = self
        writer.options[key] = value
        return writer
    }

    /// Columns to partition the output directory by (`key=value/` subfolders).
    public func partitionBy(_ columns: String...) -> DataFrameWriter {
        var writer = self
        writer.partitionColumns = columns
        return writer
    }

    /// Writes to `path` (a directory of part files, plus `_SUCCESS`). `progress` receives
    /// stage/task counts while the job runs.
    public func save(_ path: String, progress: ProgressHandler? = nil) async throws {
        var write = Spark_Connect_WriteOperation()
        write.input = dataFrame.relation
        if let source { write.source = source }
        write.path = path
        write.mode = switch saveMode {
        case .append: .append
        case .overwrite: .overwrite
        case .errorIfExists: .errorIfExists
        case .ignore: .ignore
        case nil: .unspecified
        }
        write.options = options
        write.partitioningColumns = partitionColumns
        var command = Command()
        command.writeOperation = write
        var plan = Plan()
        plan.command = command
        _ = try await dataFrame.session.execute(plan, progress: progress)
    }

    /// Writes Parquet files to `path`.
    public func parquet(_ path: String, progress: ProgressHandler? = nil) async throws {
        try await format("parquet").save(path, progress: progress)
    }
}
