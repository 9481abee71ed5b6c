import SparkConnectProtos

/// A query as a value: an unresolved Spark plan plus the session that runs it. Transformations
/// return new DataFrames without contacting the server; actions (`collect`, `count`, `schema`,
/// writes) run RPCs. Mirrors PySpark's `DataFrame`.
public struct DataFrame: Sendable {
    /// The session that runs this DataFrame's actions.
    public let session: SparkSession
    let relation: Relation

    init(session: SparkSession, relation: Relation) {
        self.session = session
        self.relation = relation
    }

    /// Runs the query and returns every row. `progress` receives stage/task counts while it runs.
    public func collect(progress: ProgressHandler? = nil) async throws -> [Row] {
        try await collectBatches(progress: progress).flatMap(\.rows)
    }

    /// Runs the query and returns its Arrow record batches as decoded columns.
    public func collectBatches(progress: ProgressHandler? = nil) async throws -> [RecordBatch] {
        var plan = Plan()
        plan.root = relation
        return try await session.execute(plan, progress: progress).batches
    }

    /// The number of rows (`SELECT count(1)` over this query).
    public func count() async throws -> Int {
        var aggregate = Spark_Connect_Aggregate()
        aggregate.input = relation
        aggregate.groupType = .groupby
        var count = Expression()
        count.expressionString.expression = "count(1)"
        aggregate.aggregateExpressions = [count]
        var counted = Relation()
        counted.aggregate = aggregate
        let rows = try await DataFrame(session: session, relation: counted).collect()
        guard rows.count == 1, let value = rows[0][0].int64 else {
            throw SparkConnectError.unexpectedResponse(rpc: "ExecutePlan(count)", reason: "expected one integer, got \(rows)")
        }
        return Int(value)
    }

    /// The result's columns, resolved by the server without running the query.
    public func schema() async throws -> [SparkField] {
        var request = await session.analyzeRequest()
        request.schema.plan.root = relation
        let type = try await session.analyze(request, rpc: "AnalyzePlan(schema)").schema.schema
        guard case .struct(let row) = type.kind else {
            throw SparkConnectError.unexpectedResponse(rpc: "AnalyzePlan(schema)", reason: "schema is not a struct")
        }
        return row.fields.map { SparkField(name: $0.name, type: SparkDataType($0.dataType), nullable: $0.nullable) }
    }

    /// At most `n` rows of this query.
    public func limit(_ n: Int) -> DataFrame {
        var limit = Spark_Connect_Limit()
        limit.input = relation
        limit.limit = Int32(clamping: n)
        var limited = Relation()
        limited.limit = limit
        return DataFrame(session: session, relation: limited)
    }

    /// This query spread over `partitions` partitions with a shuffle (each partition is one task,
    /// e.g. one `TRANSFORM` worker process).
    public func repartition(_ partitions: Int) -> DataFrame {
        var repartition = Spark_Connect_Repartition()
        repartition.input = relation
        repartition.numPartitions = Int32(clamping: max(1, partitions))
        repartition.shuffle = true
        var spread = Relation()
        spread.repartition = repartition
        return DataFrame(session: session, relation: spread)
    }

    /// Registers this query as a session-scoped temporary view, so SQL can use it by `name`.
    public func createOrReplaceTempView(_ name: String) async throws {
        var command = Command()
        command.createDataframeView.input = relation
        command.createDataframeView.name = name
        command.createDataframeView.isGlobal = false
        command.createDataframeView.replace = true
        var plan = Plan()
        plan.command = command
        _ = try await session.execute(plan, progress: nil)
    }

    /// Writes this query's result to storage, like `df.write`.
    public var write: DataFrameWriter { DataFrameWriter(dataFrame: self) }
}

extension SparkDataType {
    /// Maps a Spark Connect `DataType` to the client's type, naming the ones results cannot decode.
    init(_ type: DataType) {
        switch type.kind {
        case .null: self = .null
        case .boolean: self = .boolean
        case .byte: self = .byte
        case .short: self = .short
        case .integer: self = .integer
        case .long: self = .long
        case .float: self = .float
        case .double: self = .double
        case .string, .char, .varChar: self = .string
        case .binary: self = .binary
        case .array(let array):
            self = .array(element: SparkDataType(array.elementType), containsNull: array.containsNull)
        case .decimal(let decimal): self = .unsupported("decimal(\(decimal.precision),\(decimal.scale))")
        case .date: self = .unsupported("date")
        case .timestamp: self = .unsupported("timestamp")
        case .timestampNtz: self = .unsupported("timestamp_ntz")
        case .struct: self = .unsupported("struct")
        case .map: self = .unsupported("map")
        case .variant: self = .unsupported("variant")
        default: self = .unsupported("unknown")
        }
    }
}
