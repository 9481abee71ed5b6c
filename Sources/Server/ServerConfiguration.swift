/// How `orchard serve` listens and what it accepts; every size from outside is bounded here.
public struct ServerConfiguration: Sendable {
    /// The address to bind (`127.0.0.1`: this machine only; `0.0.0.0`: the LAN).
    public var host: String = "127.0.0.1"
    /// The TCP port.
    public var port: Int = 8080
    /// The largest request body taken, in bytes (413 beyond).
    public var maxBodyBytes: Int = 10 << 20
    /// Classify requests waiting for a network beyond the running ones (503 beyond).
    public var maxWaiting: Int = 64
    /// How long a classify request may take from arrival to answer (503 beyond).
    public var requestTimeout: Duration = .seconds(30)
    /// Seconds a client is told to wait after a 503.
    public var retryAfterSeconds: Int = 1
    /// When set, `/v1/*` requests must carry it as `Authorization: Bearer <key>` or `X-API-Key`.
    public var apiKey: String?
    /// Web origins allowed to call the API from a browser (CORS); empty: none.
    public var corsOrigins: [String] = []
    /// PEM certificate chain and private key for HTTPS; nil: plain HTTP (e.g. behind a TLS proxy).
    public var tls: (certificate: String, key: String)?
    /// Connections idle this long (no bytes read) are closed: slow clients cannot hold them forever.
    public var idleTimeout: Duration = .seconds(30)

    /// The defaults above.
    public init() {}
}
