import Foundation

/// AWS Signature Version 4: canonical request → string to sign → HMAC chain → signature.
///
/// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// S3 differs from other services in one place: its path is signed as sent (encoded once, never normalised),
/// which `PathRule.asSent` selects; `.normalizedAndEncoded` is the rule of the generic test suite.
struct SigV4Signer: Sendable {
    /// How the canonical URI is derived from the path on the wire.
    enum PathRule: Sendable {
        /// S3: the already-encoded path, untouched.
        case asSent
        /// Other services: dot segments and empty segments removed, then percent-encoded (again).
        case normalizedAndEncoded
    }

    /// Every intermediate of one signature, kept so tests can compare each step with published vectors.
    struct Signature: Sendable {
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var signedHeaders: String
        var credentialScope: String
    }

    static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash S3 accepts for presigned URLs, whose body is unknown at signing time.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    var region: String
    var service: String
    var pathRule: PathRule

    init(region: String, service: String = "s3", pathRule: PathRule = .asSent) {
        self.region = region
        self.service = service
        self.pathRule = pathRule
    }

    /// Adds `x-amz-date` (and the session token, and `x-amz-content-sha256` if asked) then `Authorization`.
    @discardableResult
    func signHeaders(
        _ request: inout SignableRequest, credentials: AWSCredentials, date: Date, payloadHash: String,
        addContentHashHeader: Bool
    ) -> Signature {
        let stamp = AmzDate(date)
        request.headers.removeAll { ["authorization", "x-amz-date"].contains($0.name.lowercased()) }
        request.headers.append(("x-amz-date", stamp.dateTime))
        if let token = credentials.sessionToken {
            request.headers.removeAll { $0.name.lowercased() == "x-amz-security-token" }
            request.headers.append(("x-amz-security-token", token))
        }
        if addContentHashHeader, request.header("x-amz-content-sha256") == nil {
            request.headers.append(("x-amz-content-sha256", payloadHash))
        }
        let result = signature(of: request, credentials: credentials, stamp: stamp, payloadHash: payloadHash)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(result.credentialScope), "
            + "SignedHeaders=\(result.signedHeaders), Signature=\(result.signature)"
        request.headers.append(("Authorization", authorization))
        return result
    }

    /// Adds the `X-Amz-*` query parameters of a presigned URL valid for `expires` seconds; signs `host` only
    /// (plus any other headers already in the request, which the URL's user must then send too).
    @discardableResult
    func presign(
        _ request: inout SignableRequest, credentials: AWSCredentials, date: Date, expires: Int,
        payloadHash: String = SigV4Signer.unsignedPayload
    ) -> Signature {
        let stamp = AmzDate(date)
        let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
        let signedHeaders = canonicalHeaders(request.headers).names
        request.query.append(("X-Amz-Algorithm", Self.algorithm))
        request.query.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        request.query.append(("X-Amz-Date", stamp.dateTime))
        request.query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken {
            request.query.append(("X-Amz-Security-Token", token))
        }
        request.query.append(("X-Amz-SignedHeaders", signedHeaders))
        let result = signature(of: request, credentials: credentials, stamp: stamp, payloadHash: payloadHash)
        request.query.append(("X-Amz-Signature", result.signature))
        return result
    }

    /// The canonical request, string to sign and signature of `request` as it stands.
    func signature(
        of request: SignableRequest, credentials: AWSCredentials, stamp: AmzDate, payloadHash: String
    ) -> Signature {
        let headers = canonicalHeaders(request.headers)
        let canonical = [
            request.method.uppercased(),
            canonicalURI(request.path),
            canonicalQuery(request.query),
            headers.block,
            headers.names,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, stamp.dateTime, scope, Hashing.sha256Hex(canonical)]
            .joined(separator: "\n")
        let key = signingKey(secret: credentials.secretAccessKey, date: stamp.date)
        let signature = Hashing.hex(Hashing.hmac(key, stringToSign))
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature,
            signedHeaders: headers.names, credentialScope: scope)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(secret: String, date: String) -> [UInt8] {
        let kDate = Hashing.hmac(Array(("AWS4" + secret).utf8), date)
        let kRegion = Hashing.hmac(kDate, region)
        let kService = Hashing.hmac(kRegion, service)
        return Hashing.hmac(kService, "aws4_request")
    }

    func canonicalURI(_ path: String) -> String {
        let path = path.isEmpty ? "/" : path
        switch pathRule {
        case .asSent:
            return path
        case .normalizedAndEncoded:
            return URIEncoding.encode(Self.removeDotSegments(path), keepSlash: true)
        }
    }

    /// Encoded `name=value` pairs sorted by name then value (byte order of the encoded forms).
    func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map {
            (URIEncoding.encode($0.name), URIEncoding.encode($0.value))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// Lower-case names, trimmed values with inner runs of spaces collapsed, repeats joined by commas.
    func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, names: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let lowered = name.lowercased()
            guard lowered != "authorization", lowered != "user-agent" else { continue }
            merged[lowered, default: []].append(Self.trimmed(value))
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    private static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    /// RFC 3986 §5.2.4 dot-segment removal, also dropping empty segments; a trailing slash is kept.
    static func removeDotSegments(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                _ = segments.popLast()
                continue
            }
            segments.append(segment)
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        let trailing = path.hasSuffix("/") && !segments.isEmpty && last != "." && last != ".."
        return "/" + segments.joined(separator: "/") + (trailing ? "/" : "")
    }
}
