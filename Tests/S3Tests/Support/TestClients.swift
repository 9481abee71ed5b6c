import Foundation

@testable import S3

/// Clients and buckets for tests against the local moto server.
enum TestClients {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIAORCHARDTEST", secretAccessKey: "orchard/test+SECRET=key", sessionToken: "orchard-session-TOKEN")

    /// Path-style configuration for `endpoint`, with quick retries so fault tests finish fast.
    static func configuration(_ endpoint: URL, attempts: Int = 6) -> S3Configuration {
        S3Configuration(
            region: "us-east-1", endpoint: endpoint, addressing: .path, maxConcurrency: 16,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(200)),
            multipartThreshold: 5 << 20, partSize: 5 << 20, requestTimeout: .seconds(60))
    }

    static func moto(attempts: Int = 6, credentials provider: (any CredentialsProvider)? = nil) async throws -> S3Client {
        S3Client(
            configuration: configuration(try await MotoServer.shared.endpoint(), attempts: attempts),
            credentials: provider ?? StaticCredentials(credentials))
    }

    /// A fresh bucket name, so tests running in parallel never share state.
    static func bucketName() -> String {
        "orchard-" + UUID().uuidString.lowercased().prefix(18)
    }

    /// Deterministic pseudo-random bytes (xorshift), so uploads are not trivially compressible or repetitive.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        var out = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            var word = state
            for _ in 0..<8 where index < count {
                out[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return out
    }
}
