/// Everything that can go wrong talking to a Spark Connect server, with what and where.
public enum SparkConnectError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection string is not a valid `sc://host:port/;key=value` URL (the reason never quotes a token).
    case invalidURL(reason: String)
    /// The server could not be reached (after retrying), e.g. nothing listens on `endpoint`.
    case unavailable(endpoint: String, reason: String)
    /// Spark raised an exception running the request (analysis, parse, execution errors).
    case server(SparkException)
    /// An RPC failed for a reason other than a Spark exception (gRPC status code name and message).
    case rpcFailed(rpc: String, code: String, message: String)
    /// The server answered with something the protocol does not allow at that point.
    case unexpectedResponse(rpc: String, reason: String)
    /// An artifact upload was rejected or failed its CRC check on the server.
    case artifactRejected(name: String, reason: String)
    /// A local file to upload could not be read.
    case unreadableFile(path: String, reason: String)
    /// An Arrow IPC stream from the server is malformed at byte `offset` of its `arrow_batch`.
    case malformedArrow(offset: Int, reason: String)
    /// A result column has a type this client does not decode (e.g. `Timestamp`, `Decimal`).
    case unsupportedType(column: String, type: String)
    /// The session was stopped; create a new one.
    case sessionStopped
    /// A caller-supplied argument is not acceptable (empty path, bad config key, …).
    case invalidArgument(String)

    /// A one-line message naming what failed and where.
    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Spark Connect URL: \(reason)"
        case .unavailable(let endpoint, let reason): "Spark Connect server at \(endpoint) is unavailable: \(reason)"
        case .server(let exception): exception.description
        case .rpcFailed(let rpc, let code, let message): "Spark Connect \(rpc) failed (\(code)): \(message)"
        case .unexpectedResponse(let rpc, let reason): "unexpected Spark Connect \(rpc) response: \(reason)"
        case .artifactRejected(let name, let reason): "artifact \(name) was not added: \(reason)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .malformedArrow(let offset, let reason): "malformed Arrow result at byte \(offset): \(reason)"
        case .unsupportedType(let column, let type): "column \(column) has unsupported type \(type)"
        case .sessionStopped: "the Spark session was stopped"
        case .invalidArgument(let message): message
        }
    }
}

/// An exception Spark raised on the server, as the Spark Connect error details describe it.
public struct SparkException: Sendable, Hashable, CustomStringConvertible {
    /// The JVM exception class, e.g. `org.apache.spark.sql.AnalysisException`.
    public var exceptionClass: String
    /// Spark's error class, e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`, when the server sent one.
    public var errorClass: String?
    /// The SQLSTATE, e.g. `42703`, when the server sent one.
    public var sqlState: String?
    /// The full message (fetched untruncated when the server kept the error).
    public var message: String
    /// The error class's message parameters.
    public var messageParameters: [String: String]

    /// Creates an exception description.
    public init(
        exceptionClass: String, errorClass: String? = nil, sqlState: String? = nil, message: String,
        messageParameters: [String: String] = [:]
    ) {
        self.exceptionClass = exceptionClass
        self.errorClass = errorClass
        self.sqlState = sqlState
        self.message = message
        self.messageParameters = messageParameters
    }

    /// The exception's simple class name, e.g. `AnalysisException`.
    public var simpleClassName: String {
        exceptionClass.split(separator: ".").last.map(String.init) ?? exceptionClass
    }

    /// `AnalysisException: [ERROR_CLASS] message…`, as PySpark prints it.
    public var description: String { "\(simpleClassName): \(message)" }
}
