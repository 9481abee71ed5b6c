import Foundation

/// Where and how the client talks to S3: region, endpoint, addressing, concurrency, retries, part sizes.
public struct S3Configuration: Sendable {
    /// How the bucket goes into the URL.
    public enum Addressing: Sendable, Equatable {
        /// `https://endpoint/bucket/key` — what local servers (moto, MinIO) expect.
        case path
        /// `https://bucket.endpoint/key` — AWS's preferred form.
        case virtualHosted
        /// Virtual-hosted on AWS for DNS-compatible buckets, path-style for custom endpoints and other names.
        case auto

        /// The style named as the AWS CLI names it (`s3.addressing_style`): path, virtual or auto.
        public init?(styleName: String) {
            switch styleName {
            case "path": self = .path
            case "virtual": self = .virtualHosted
            case "auto": self = .auto
            default: return nil
            }
        }

        /// The AWS CLI's name of this style.
        public var styleName: String {
            switch self {
            case .path: "path"
            case .virtualHosted: "virtual"
            case .auto: "auto"
            }
        }
    }

    /// The signing region (`us-east-1`, …).
    public var region: String
    /// A custom endpoint (`http://127.0.0.1:9000`); nil means AWS's `https://s3.<region>.amazonaws.com`.
    public var endpoint: URL?
    /// Path-style or virtual-hosted URLs.
    public var addressing: Addressing
    /// Requests in flight at once across the whole client.
    public var maxConcurrency: Int
    /// Retry attempts and backoff.
    public var retry: RetryPolicy
    /// Files larger than this are uploaded in parts.
    public var multipartThreshold: Int
    /// The size of each part (5 MiB at least, as S3 requires; raised for files over 10,000 parts).
    public var partSize: Int
    /// Parts uploaded at once; each holds `partSize` bytes of memory.
    public var multipartConcurrency: Int
    /// Time allowed for one attempt of one request, body included.
    public var requestTimeout: Duration
    /// Time allowed to open a connection.
    public var connectTimeout: Duration
    /// A listing that reaches this many keys is refused rather than filling memory.
    public var maxListedKeys: Int

    /// A configuration; sizes are clamped to S3's limits.
    public init(
        region: String = "us-east-1", endpoint: URL? = nil, addressing: Addressing = .auto, maxConcurrency: Int = 32,
        retry: RetryPolicy = .standard, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20,
        multipartConcurrency: Int = 4, requestTimeout: Duration = .seconds(120), connectTimeout: Duration = .seconds(10),
        maxListedKeys: Int = 10_000_000
    ) {
        self.region = region
        self.endpoint = endpoint
        self.addressing = addressing
        self.maxConcurrency = min(max(maxConcurrency, 1), 1024)
        self.retry = retry
        self.partSize = min(max(partSize, 5 << 20), 5 << 30)
        self.multipartThreshold = min(max(multipartThreshold, self.partSize), 5 << 30)
        self.multipartConcurrency = min(max(multipartConcurrency, 1), 64)
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.maxListedKeys = max(maxListedKeys, 1)
    }

    /// Region and endpoint as the SDKs find them: `endpointOverride` (the `--s3-endpoint` flag), then
    /// `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`; region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`.
    public static func fromEnvironment(endpointOverride: String? = nil) throws -> S3Configuration {
        try fromEnvironment(ProcessInfo.processInfo.environment, endpointOverride: endpointOverride)
    }

    /// As `fromEnvironment(endpointOverride:)`, reading the given variables instead of the process's.
    public static func fromEnvironment(
        _ environment: [String: String], endpointOverride: String? = nil
    ) throws -> S3Configuration {
        let profile = try AWSProfile.load(environment: environment)
        let region = environment["AWS_REGION"].nonEmpty ?? environment["AWS_DEFAULT_REGION"].nonEmpty
            ?? profile?["region"] ?? "us-east-1"
        let endpointText = endpointOverride.nonEmpty ?? environment["AWS_ENDPOINT_URL_S3"].nonEmpty
            ?? environment["AWS_ENDPOINT_URL"].nonEmpty ?? profile?["s3.endpoint_url"] ?? profile?["endpoint_url"]
        var configuration = S3Configuration(region: region)
        if let endpointText {
            configuration.endpoint = try parseEndpoint(endpointText)
        }
        if let style = profile?["s3.addressing_style"].flatMap(Addressing.init(styleName:)) {
            configuration.addressing = style
        }
        if let attempts = environment["AWS_MAX_ATTEMPTS"].nonEmpty.flatMap(Int.init) {
            configuration.retry.maxAttempts = min(max(attempts, 1), 20)
        }
        return configuration
    }

    /// Refuses virtual-hosted addressing with an endpoint given by IP address or as `localhost`: the
    /// bucket would become part of the host name (`fruits.127.0.0.1`), which no resolver finds.
    public func checkAddressing() throws {
        guard addressing == .virtualHosted, let host = endpoint?.host else { return }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var address = in_addr()
        guard bare.contains(":") || inet_pton(AF_INET, bare, &address) == 1 || bare.lowercased() == "localhost" else { return }
        throw S3Error.configuration(
            "virtual-hosted addressing puts the bucket in the host name, and the endpoint's host \(host) cannot carry one: "
                + "use path-style addressing (--s3-addressing-style path, or s3.addressing_style = path in the profile)")
    }

    /// An `http(s)://host[:port]` URL; a path, query or user info is refused.
    public static func parseEndpoint(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw S3Error.configuration("endpoint '\(redacted(text))' is not an http(s)://host[:port] URL")
        }
        guard url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil else {
            throw S3Error.configuration("endpoint '\(redacted(text))' must not have a path, query or user")
        }
        return url
    }

    /// `text` with its user info (`user:password@`) masked: an endpoint is echoed in errors, a password never.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text.contains("@") ? "***" : text }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***" + String(text[at...])
    }
}
