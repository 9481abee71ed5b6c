import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SparkConnectProtos

/// A session on a Spark Connect server: owns the gRPC connection and the server-side session id,
/// and runs every RPC. Mirrors PySpark's `SparkSession` (`sql`, `read`, `conf`, `addArtifacts`, `stop`).
public actor SparkSession {
    /// The connection string this session was made from (prints without the token).
    public nonisolated let url: SparkConnectURL
    /// The client-chosen session id (a lowercase UUID) that names the session on the server.
    public nonisolated let sessionID: String
    /// How unary RPCs and broken result streams are retried.
    public nonisolated let retryPolicy: RetryPolicy

    nonisolated let userContext: UserContext
    nonisolated let clientType: String
    nonisolated let metadata: Metadata
    nonisolated let callOptions: CallOptions
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private var connection: Task<Void, Never>?
    /// The server's own id for this session; the server rejects requests that observed another
    /// one, which catches a restarted server instead of silently losing session state.
    private(set) var serverSideSessionID: String?
    private(set) var isStopped = false
    /// The server's Spark release, asked once by `connect`; the requests this session builds follow it.
    public private(set) var serverVersion: SparkVersion?
    /// Test hook: make the next result stream look broken after this many responses.
    var breakNextStreamAfter: Int?
    /// How many times a result stream was resumed with ReattachExecute (for tests and diagnostics).
    var reattachments = 0

    /// The largest response message accepted: Spark's default `maxInboundMessageSize` (128 MiB).
    static let maxResponseMessageBytes = 128 << 20

    /// Connects to `url`, checks the server answers (`AnalyzePlan` spark version) and returns the session.
    public static func connect(_ url: SparkConnectURL, retryPolicy: RetryPolicy = .default) async throws -> SparkSession {
        let session = try SparkSession(url: url, retryPolicy: retryPolicy)
        do {
            try await session.learnServerVersion()
        } catch {
            await session.shutDownConnection()
            throw error
        }
        return session
    }

    /// Parses `url` (`sc://host:port/;…`) and connects.
    public static func connect(url: String, retryPolicy: RetryPolicy = .default) async throws -> SparkSession {
        try await connect(try SparkConnectURL(url), retryPolicy: retryPolicy)
    }

    private init(url: SparkConnectURL, retryPolicy: RetryPolicy) throws {
        self.url = url
        self.retryPolicy = retryPolicy
        sessionID = url.sessionID ?? UUID().uuidString.lowercased()
        var context = UserContext()
        let environment = ProcessInfo.processInfo.environment
        context.userID = url.userID ?? environment["SPARK_USER"] ?? environment["USER"] ?? "orchard"
        context.userName = context.userID
        userContext = context
        clientType = url.userAgent ?? "orchard-swift spark-connect"
        var metadata = Metadata()
        if let token = url.token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        for (key, value) in url.metadata { metadata.addString(value, forKey: key.lowercased()) }
        self.metadata = metadata
        var options = CallOptions.defaults
        options.waitForReady = false  // fail fast with UNAVAILABLE; `retryPolicy` decides how long to wait
        options.maxResponseMessageBytes = Self.maxResponseMessageBytes
        // grpc-swift-nio-transport 2.x bounds the inbound messages of a call by this value (default 4 MiB),
        // and Spark's arrow batches can be larger.
        options.maxRequestMessageBytes = Self.maxResponseMessageBytes
        callOptions = options
        do {
            let transport = try HTTP2ClientTransport.Posix(
                target: .dns(host: url.host, port: url.port),
                transportSecurity: url.useSSL ? .tls : .plaintext)
            client = GRPCClient(transport: transport)
        } catch {
            throw SparkConnectError.unavailable(endpoint: url.endpoint, reason: "\(error)")
        }
        let client = self.client
        connection = Task { try? await client.runConnections() }
    }

    deinit {
        // A session dropped without stop() still closes its connection (the server-side session
        // then expires on its own after spark.connect.session.manager.defaultSessionTimeout).
        client.beginGracefulShutdown()
    }

    /// The server's Spark version, e.g. `4.3.0`.
    public func version() async throws -> String {
        var request = analyzeRequest()
        request.sparkVersion = AnalyzePlanRequest.SparkVersion()
        return try await analyze(request, rpc: "AnalyzePlan(spark_version)").sparkVersion.version
    }

    private func learnServerVersion() async throws {
        serverVersion = SparkVersion(try await version())
    }

    /// Whether to use what Spark 4's protocol added; a version that does not parse is taken for the
    /// protocol this client is generated from (4.x).
    var speaksSpark4Protocol: Bool { serverVersion?.speaksSpark4Protocol ?? true }

    /// Runs `query` as PySpark's `spark.sql` does: commands (DDL, `SET`, `INSERT`) run now, queries
    /// come back as a lazy `DataFrame`.
    public func sql(_ query: String) async throws -> DataFrame {
        var command = Command()
        // Spark 4 reads the query from `input` and deprecates `sql`; 3.5 has only `sql`.
        if speaksSpark4Protocol { command.sqlCommand.input.sql.query = query } else { command.sqlCommand.sql = query }
        var plan = Plan()
        plan.command = command
        let result = try await execute(plan, progress: nil)
        if let relation = result.sqlCommandRelation { return DataFrame(session: self, relation: relation) }
        var relation = Relation()
        relation.sql.query = query
        return DataFrame(session: self, relation: relation)
    }

    /// Reads data sources (`binaryFile`, `parquet`, …) into DataFrames, like `spark.read`.
    public nonisolated var read: DataFrameReader { DataFrameReader(session: self) }

    /// The session's runtime configuration, like `spark.conf`.
    public nonisolated var conf: RuntimeConfig { RuntimeConfig(session: self) }

    /// Releases the server-side session and closes the connection; later calls fail with `sessionStopped`.
    /// Spark 3.5 has no ReleaseSession: there the connection is only closed, as PySpark 3.5 does.
    public func stop() async {
        guard !isStopped else { return }
        guard speaksSpark4Protocol else { return await shutDownConnection() }
        var request = ReleaseSessionRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        _ = try? await service.releaseSession(request, metadata: metadata, options: callOptions)
        isStopped = true
        await shutDownConnection()
    }

    private func shutDownConnection() async {
        isStopped = true
        client.beginGracefulShutdown()
        await connection?.value
        connection = nil
    }

    // MARK: - Plumbing shared by the other files

    var service: SparkConnectService.Client<HTTP2ClientTransport.Posix> {
        SparkConnectService.Client(wrapping: client)
    }

    /// Runs one RPC with retries and translates its failure into `SparkConnectError`.
    func call<Result>(_ rpc: String, _ body: () async throws -> Result) async throws -> Result {
        guard !isStopped else { throw SparkConnectError.sessionStopped }
        do {
            return try await retryPolicy.run(body)
        } catch {
            throw await translate(error, rpc: rpc)
        }
    }

    /// Test hook: the next result stream behaves as if the network dropped it after `count`
    /// responses, so tests can exercise ReattachExecute against a real server.
    func breakStream(afterResponses count: Int) {
        breakNextStreamAfter = count
    }

    /// Records the server-side session id a response carried.
    func observe(serverSideSessionID id: String) {
        if !id.isEmpty { serverSideSessionID = id }
    }

    func analyzeRequest() -> AnalyzePlanRequest {
        var request = AnalyzePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        if let serverSideSessionID { request.clientObservedServerSideSessionID = serverSideSessionID }
        return request
    }

    func analyze(_ request: AnalyzePlanRequest, rpc: String) async throws -> AnalyzePlanResponse {
        let response = try await call(rpc) {
            try await service.analyzePlan(request, metadata: metadata, options: callOptions)
        }
        observe(serverSideSessionID: response.serverSideSessionID)
        return response
    }

    /// Turns any error from an RPC into `SparkConnectError`, fetching the server's full error
    /// details (untruncated message) when it kept them under an error id.
    func translate(_ error: any Error, rpc: String) async -> SparkConnectError {
        if let error = error as? SparkConnectError { return error }
        // Errors thrown by our own request producers come back wrapped in an RPCError.
        if let cause = (error as? RPCError)?.cause as? SparkConnectError { return cause }
        guard let rpcError = error as? RPCError else {
            return .unavailable(endpoint: url.endpoint, reason: "\(error)")
        }
        var details: FetchErrorDetailsResponse?
        // FetchErrorDetails is a Spark 4 RPC (PySpark 3.5 never calls it).
        if !isStopped, speaksSpark4Protocol, let errorID = SparkConnectError.serverErrorID(in: rpcError) {
            var request = FetchErrorDetailsRequest()
            request.sessionID = sessionID
            request.userContext = userContext
            request.clientType = clientType
            request.errorID = errorID
            details = try? await service.fetchErrorDetails(request, metadata: metadata, options: callOptions)
        }
        return SparkConnectError(rpcError, rpc: rpc, endpoint: url.endpoint, details: details)
    }
}
