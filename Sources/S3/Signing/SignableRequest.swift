/// A request as the SigV4 signer sees it: method, path as sent, decoded query and headers.
struct SignableRequest: Sendable {
    /// The HTTP method, upper case.
    var method: String
    /// The path exactly as it goes on the wire (already percent-encoded for S3).
    var path: String
    /// Query parameters, decoded; the signer encodes them.
    var query: [(name: String, value: String)]
    /// Headers to sign and send; `host` must be among them.
    var headers: [(name: String, value: String)]

    init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// The query string as sent, encoded the same way as it is signed.
    var encodedQuery: String {
        query.map { URIEncoding.encode($0.name) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The value of header `name` (case-insensitive), if present.
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
