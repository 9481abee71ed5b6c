import Foundation

/// Turns bucket and key into scheme, host and path: path-style or virtual-hosted, AWS or custom endpoint.
struct Addressing: Sendable {
    let scheme: String
    /// Host with a non-default port, as signed in the `host` header.
    let endpointHost: String
    let style: S3Configuration.Addressing
    let isCustomEndpoint: Bool

    init(configuration: S3Configuration) {
        if let endpoint = configuration.endpoint {
            scheme = endpoint.scheme?.lowercased() ?? "https"
            let host = endpoint.host ?? "localhost"
            let defaultPort = scheme == "https" ? 443 : 80
            let port = endpoint.port.flatMap { $0 == defaultPort ? nil : $0 }
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            endpointHost = port.map { "\(bracketed):\($0)" } ?? bracketed
            isCustomEndpoint = true
        } else {
            scheme = "https"
            endpointHost = "s3.\(configuration.region).amazonaws.com"
            isCustomEndpoint = false
        }
        style = configuration.addressing
    }

    /// Host header and encoded path for `bucket`/`key` (either may be nil for service- or bucket-level calls).
    func locate(bucket: String?, key: String?) -> (host: String, path: String) {
        let encodedKey = key.map { URIEncoding.encode($0, keepSlash: true) }
        guard let bucket else { return (endpointHost, "/") }
        if usesVirtualHost(bucket) {
            return ("\(bucket).\(endpointHost)", "/" + (encodedKey ?? ""))
        }
        let bucketPath = "/" + URIEncoding.encode(bucket)
        return (endpointHost, encodedKey.map { bucketPath + "/" + $0 } ?? bucketPath)
    }

    func usesVirtualHost(_ bucket: String) -> Bool {
        switch style {
        case .path: return false
        case .virtualHosted: return true
        // Buckets with dots break TLS wildcard certificates; custom endpoints rarely resolve bucket subdomains.
        case .auto: return !isCustomEndpoint && Self.isDNSCompatible(bucket) && !bucket.contains(".")
        }
    }

    /// 3–63 characters of lower-case letters, digits, dots and hyphens, starting and ending alphanumerically.
    static func isDNSCompatible(_ bucket: String) -> Bool {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
            && !bucket.contains("..")
    }
}
