import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An S3 client: SigV4-signed requests over AsyncHTTPClient, retried with backoff, bounded in concurrency.
///
/// Operations live in extensions by concern (`S3Client+Objects`, `+List`, `+Multipart`, `+Delete`,
/// `+Presign`). Call `shutdown()` once done: it closes the connection pool.
public final class S3Client: Sendable {
    /// Error bodies are small XML documents; a larger one is cut, not buffered.
    static let maxErrorBodyBytes = 64 * 1024

    /// The settings the client was made with.
    public let configuration: S3Configuration
    let credentials: any CredentialsProvider
    let http: HTTPClient
    let limiter: ConcurrencyLimiter
    let addressing: Addressing
    let signer: SigV4Signer
    let logger: Logger

    /// A client for `configuration`, signing with credentials from `credentials`.
    public init(
        configuration: S3Configuration, credentials: any CredentialsProvider = DefaultCredentialChain(),
        logger: Logger = Logger(label: "orchard.s3")
    ) {
        self.configuration = configuration
        self.credentials = credentials
        self.logger = logger
        var httpConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: configuration.connectTimeout.timeAmount),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConcurrency))
        httpConfiguration.decompression = .disabled
        // Fail a refused connection at once: the retry policy, not the pool, decides when to try again.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        limiter = ConcurrencyLimiter(limit: configuration.maxConcurrency)
        addressing = Addressing(configuration: configuration)
        signer = SigV4Signer(region: configuration.region, service: "s3", pathRule: .asSent)
    }

    /// Closes the connection pool; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    // A client dropped without `shutdown()` (an error unwinding past its owner) still closes its pool, in the
    // background, instead of tripping AsyncHTTPClient's debug trap; after `shutdown()` this is a no-op.
    deinit { http.shutdown { _ in } }

    /// Sends `request` (retrying as the policy allows) and hands a 2xx response to `handle`, which must
    /// consume the body. Errors come out as `S3Error`.
    func perform<T: Sendable>(
        _ request: S3Request, handle: @escaping @Sendable (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await limiter.withPermit { try await self.send(request, handle: handle) }
            } catch {
                let (failure, retryable) = classify(error, request: request, attempts: attempt)
                guard retryable, attempt < configuration.retry.maxAttempts, !Task.isCancelled else { throw failure }
                let delay = configuration.retry.delay(beforeRetry: attempt)
                logger.debug(
                    "retrying",
                    metadata: [
                        "operation": "\(request.operation)", "attempt": "\(attempt)", "error": "\(failure)",
                        "delay": "\(delay)",
                    ])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// One attempt: sign with current credentials, send, turn an error status into `S3Error.service`.
    private func send<T: Sendable>(
        _ request: S3Request, handle: @Sendable (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let credentials = try await self.credentials.credentials()
        let (host, path) = addressing.locate(bucket: request.bucket, key: request.key)
        var signable = SignableRequest(
            method: request.method.rawValue, path: path, query: request.query,
            headers: [("host", host)] + request.headers)
        signer.signHeaders(
            &signable, credentials: credentials, date: Date(), payloadHash: request.payloadHash,
            addContentHashHeader: true)
        let query = signable.encodedQuery
        var outgoing = HTTPClientRequest(url: "\(addressing.scheme)://\(host)\(path)\(query.isEmpty ? "" : "?" + query)")
        outgoing.method = request.method
        for (name, value) in signable.headers { outgoing.headers.add(name: name, value: value) }
        switch request.body {
        case .none:
            if request.method == .PUT || request.method == .POST { outgoing.headers.add(name: "content-length", value: "0") }
        case .buffer(let buffer): outgoing.body = .bytes(buffer)
        case .bytes(let bytes): outgoing.body = .bytes(bytes)
        }
        let timeout = configuration.requestTimeout.timeAmount
        let response = try await http.execute(outgoing, timeout: timeout, logger: nil)
        logger.trace(
            "response",
            metadata: [
                "operation": "\(request.operation)", "status": "\(response.status.code)",
                "bucket": "\(request.bucket ?? "")", "key": "\(request.key ?? "")",
            ])
        guard (200..<300).contains(response.status.code) else {
            throw await serviceError(response, request: request)
        }
        return try await handle(response)
    }

    /// Reads the `<Error>` document (bounded) of a failed response.
    private func serviceError(_ response: HTTPClientResponse, request: S3Request) async -> S3Error {
        let status = Int(response.status.code)
        let body = (try? await response.body.collect(upTo: Self.maxErrorBodyBytes)).map { Array($0.readableBytesView) }
        return Self.serviceError(
            status: status, body: body, requestIDHeader: response.headers.first(name: "x-amz-request-id"),
            operation: request.operation, bucket: request.bucket, key: request.key)
    }

    /// The `S3Error.service` an error status and its `<Error>` body (empty, malformed or absent) describe.
    public static func serviceError(
        status: Int, body: [UInt8]?, requestIDHeader: String?, operation: String, bucket: String?, key: String?
    ) -> S3Error {
        let document = body.flatMap { $0.isEmpty ? nil : try? XMLNode.parse($0, what: operation) }
        let requestID = document?.text("RequestId") ?? requestIDHeader
        // HEAD answers carry no body, so the status alone names the error.
        let code = document?.text("Code") ?? (status == 404 ? "NotFound" : nil)
        return .service(
            status: status, code: code, message: document?.text("Message"), requestID: requestID,
            bucket: bucket, key: key)
    }

    /// A socket error as the system names it ("Connection refused"); NIO's own text reads "connection reset
    /// (error set): Connection refused) (errno: 111)" for a refused connection.
    static func describe(_ error: any Error) -> String {
        guard let io = error as? IOError else { return "\(error)" }
        return String(cString: strerror(io.errnoCode))
    }

    /// Where the requests went, when that is not AWS itself (the likelier thing to be wrong).
    private var endpointNote: String {
        configuration.endpoint.map { " (endpoint \(S3Configuration.redacted($0.absoluteString)))" } ?? ""
    }

    /// The `S3Error` to report and whether another attempt may succeed.
    private func classify(_ error: any Error, request: S3Request, attempts: Int) -> (S3Error, Bool) {
        switch error {
        case let failure as S3Error:
            if case .service(let status, let code, _, _, _, _) = failure {
                return (failure, RetryPolicy.isRetryable(status: status, code: code))
            }
            if case .transport = failure { return (failure, true) }
            return (failure, false)
        case is CancellationError:
            return (.transport(operation: request.operation, bucket: request.bucket, key: request.key,
                reason: "cancelled"), false)
        case let failure as HTTPClientError:
            let fatal: [HTTPClientError] = [.cancelled, .alreadyShutdown, .invalidURL, .emptyHost, .emptyScheme]
            let reason = "\(failure) after \(attempts) attempt(s)"
            return (.transport(operation: request.operation, bucket: request.bucket, key: request.key, reason: reason),
                !fatal.contains(failure))
        default:
            // Connection refused/reset and channel errors: transient by nature, retried within the bound.
            let reason = "\(Self.describe(error))\(endpointNote) after \(attempts) attempt(s)"
            return (.transport(operation: request.operation, bucket: request.bucket, key: request.key, reason: reason),
                true)
        }
    }
}

extension Duration {
    /// The same span as NIO's `TimeAmount`.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
