import Foundation

/// A Spark Connect connection string, `sc://host[:port]/;key=value;…`, parsed as PySpark and the
/// Scala client parse it (https://github.com/apache/spark/blob/master/connector/connect/docs/client-connection-string.md).
/// The token never appears in `description`, `debugDescription` or `dump`.
public struct SparkConnectURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The port Spark Connect listens on unless told otherwise.
    public static let defaultPort = 15002

    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port.
    public var port: Int
    /// Bearer token sent as `authorization: Bearer …` on every call (`token=`).
    public var token: String?
    /// Whether to use TLS (`use_ssl=true`). As the connection-string rules say, a token switches it on,
    /// so the token never crosses a network in the clear; `use_ssl=false` with a token is taken for a
    /// loopback host only (a local server started with `spark.connect.authenticate.token`).
    public var useSSL: Bool
    /// The user the session runs as (`user_id=`); defaults to `$SPARK_USER` or `$USER`.
    public var userID: String?
    /// Client description sent with every request (`user_agent=`).
    public var userAgent: String?
    /// A session to join (`session_id=`, a UUID); a fresh one is made when absent.
    public var sessionID: String?
    /// Any other parameters, sent as gRPC metadata on every call as PySpark does.
    public var metadata: [String: String]

    /// Creates a URL from its parts.
    public init(
        host: String, port: Int = SparkConnectURL.defaultPort, token: String? = nil, useSSL: Bool = false,
        userID: String? = nil, userAgent: String? = nil, sessionID: String? = nil, metadata: [String: String] = [:]
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.useSSL = useSSL
        self.userID = userID
        self.userAgent = userAgent
        self.sessionID = sessionID
        self.metadata = metadata
    }

    /// Parses `sc://host[:port][/][;key=value]…`; values are percent-decoded.
    public init(_ string: String) throws {
        guard string.hasPrefix("sc://") else {
            throw SparkConnectError.invalidURL(reason: "the URL must start with sc:// (e.g. sc://localhost:15002)")
        }
        var rest = Substring(string.dropFirst(5))
        let parameterText = rest.firstIndex(of: ";").map { index -> Substring in
            defer { rest = rest[..<index] }
            return rest[rest.index(after: index)...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else {
            throw SparkConnectError.invalidURL(reason: "only host and port may precede the parameters (sc://host:port/;key=value)")
        }
        (host, port) = try Self.parseAuthority(rest)
        token = nil
        useSSL = false
        metadata = [:]
        var explicitSSL: Bool?
        for parameter in (parameterText ?? "").split(separator: ";", omittingEmptySubsequences: true) {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0])
            guard pair.count == 2, !key.isEmpty else {
                throw SparkConnectError.invalidURL(reason: "parameter '\(key)' must be written key=value")
            }
            guard let value = String(pair[1]).removingPercentEncoding else {
                // Name the key only: the value may be a secret.
                throw SparkConnectError.invalidURL(reason: "the value of parameter \(key) is not valid percent-encoding")
            }
            switch key {
            case "token": token = value
            case "use_ssl": explicitSSL = value.lowercased() == "true"
            case "user_id": userID = value
            case "user_agent": userAgent = value
            case "session_id":
                guard UUID(uuidString: value) != nil else {
                    throw SparkConnectError.invalidURL(reason: "session_id must be a UUID, got '\(value)'")
                }
                sessionID = value.lowercased()
            case "grpc_keepalive_enabled", "grpc_keepalive_time_ms", "grpc_keepalive_timeout_ms",
                "grpc_keepalive_without_calls":
                break  // Channel tuning for PySpark's gRPC core; grpc-swift keeps its own defaults.
            default: metadata[key] = value
            }
        }
        useSSL = explicitSSL ?? (token != nil)
        if token != nil, !useSSL, !Self.isLoopback(host) {
            throw SparkConnectError.invalidURL(
                reason: "a token is sent over TLS only: drop use_ssl=false (it is accepted with a loopback host, e.g. 127.0.0.1, only)")
        }
    }

    /// Whether `host` names this machine, where plaintext never leaves it.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    private static func parseAuthority(_ authority: Substring) throws -> (String, Int) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {  // [IPv6]:port
            guard let close = authority.firstIndex(of: "]") else {
                throw SparkConnectError.invalidURL(reason: "unterminated IPv6 address '\(authority)'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw SparkConnectError.invalidURL(reason: "unexpected '\(after)' after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw SparkConnectError.invalidURL(reason: "the host is missing") }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw SparkConnectError.invalidURL(reason: "port '\(portText)' is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    /// `host:port`, with IPv6 hosts in brackets.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The connection string with the token replaced by `***`.
    public var description: String {
        var parameters: [String] = []
        if token != nil { parameters.append("token=***") }
        if useSSL { parameters.append("use_ssl=true") } else if token != nil { parameters.append("use_ssl=false") }
        if let userID { parameters.append("user_id=\(userID)") }
        if let userAgent { parameters.append("user_agent=\(userAgent)") }
        if let sessionID { parameters.append("session_id=\(sessionID)") }
        parameters += metadata.keys.sorted().map { "\($0)=\(metadata[$0] ?? "")" }
        return "sc://\(endpoint)" + (parameters.isEmpty ? "" : "/;" + parameters.joined(separator: ";"))
    }

    /// Same as `description`: the token stays hidden in debug output too.
    public var debugDescription: String { description }

    /// Hides the token from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["url": description], displayStyle: .struct)
    }
}
