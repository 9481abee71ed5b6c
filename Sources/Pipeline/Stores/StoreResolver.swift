import Foundation
import S3
import Storage

/// Picks the object store for a location: the file system for paths, one shared S3 client for s3://.
public final class StoreResolver: @unchecked Sendable {
    private let lock = NSLock()
    /// The S3 endpoint given instead of the environment's, if any.
    public let s3Endpoint: String?
    /// The S3 addressing style given instead of the profile's, if any.
    public let s3Addressing: S3Configuration.Addressing?
    private let environment: [String: String]
    private var s3Client: S3Client?
    private let local = LocalStore()

    /// A resolver; `s3Endpoint` and `s3Addressing` override the S3 endpoint and addressing style
    /// (S3-compatible stores, tests). S3's region, endpoint and credentials are found in `environment` as
    /// the AWS SDKs find them (the process's own by default).
    public init(
        s3Endpoint: String? = nil, s3Addressing: S3Configuration.Addressing? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.s3Endpoint = s3Endpoint
        self.s3Addressing = s3Addressing
        self.environment = environment
    }

    /// The store that holds `location`.
    public func store(for location: StorageLocation) throws -> any ObjectStore {
        switch location {
        case .local:
            return local
        case .s3:
            return S3Store(client: try s3())
        case .hdfs(let uri):
            throw StorageError.unsupported(
                uri, reason: "hdfs:// is read by Spark only: use it as the input of a job on the Spark engine, with a local or s3:// output")
        }
    }

    /// Closes network clients; call once when done.
    public func shutdown() async throws {
        let client = lock.withLock { () -> S3Client? in
            defer { s3Client = nil }
            return s3Client
        }
        try await client?.shutdown()
    }

    private func s3() throws -> S3Client {
        try lock.withLock {
            if let client = s3Client { return client }
            var configuration = try S3Configuration.fromEnvironment(environment, endpointOverride: s3Endpoint)
            if let s3Addressing { configuration.addressing = s3Addressing }
            try configuration.checkAddressing()
            let client = S3Client(
                configuration: configuration,
                credentials: DefaultCredentialChain(environment: environment))
            s3Client = client
            return client
        }
    }
}
