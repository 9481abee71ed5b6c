import Foundation
import Testing

@testable import S3

@Suite struct ConfigurationTests {
    @Test func regionAndEndpointFromEnvironmentVariables() throws {
        let configuration = try S3Configuration.fromEnvironment(
            ["AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
             "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000", "HOME": "/nonexistent"])
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.endpoint?.absoluteString == "http://127.0.0.1:9000")
        let fallback = try S3Configuration.fromEnvironment(["AWS_DEFAULT_REGION": "ap-south-1", "HOME": "/nonexistent"])
        #expect(fallback.region == "ap-south-1")
        #expect(fallback.endpoint == nil)
    }

    @Test func endpointOverrideWinsOverEnvironment() throws {
        let configuration = try S3Configuration.fromEnvironment(
            ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000", "HOME": "/nonexistent"],
            endpointOverride: "http://localhost:4566")
        #expect(configuration.endpoint?.absoluteString == "http://localhost:4566")
        #expect(throws: S3Error.self) {
            try S3Configuration.fromEnvironment(["HOME": "/nonexistent"], endpointOverride: "ftp://host")
        }
        #expect(throws: S3Error.self) {
            try S3Configuration.fromEnvironment(["HOME": "/nonexistent"], endpointOverride: "http://user:pw@host")
        }
    }

    /// `bucket.127.0.0.1` resolves nowhere: virtual-hosted addressing with an IP or localhost endpoint is a
    /// clear configuration error rather than a DNS failure on the first request.
    @Test func virtualHostedAddressingNeedsAnEndpointThatCanCarryTheBucket() throws {
        for endpoint in ["http://127.0.0.1:9000", "http://[::1]:9000", "http://localhost:4566"] {
            var configuration = S3Configuration(endpoint: try S3Configuration.parseEndpoint(endpoint), addressing: .virtualHosted)
            let error = try #require(throws: S3Error.self, "\(endpoint)") { try configuration.checkAddressing() }
            #expect("\(error)".contains("--s3-addressing-style path"), "\(error)")
            configuration.addressing = .path
            try configuration.checkAddressing()
        }
        for endpoint in ["http://minio.internal:9000", "https://s3.eu-west-3.amazonaws.com"] {
            try S3Configuration(endpoint: try S3Configuration.parseEndpoint(endpoint), addressing: .virtualHosted).checkAddressing()
        }
        try S3Configuration(addressing: .virtualHosted).checkAddressing()
    }

    @Test func regionAndEndpointFromProfile() throws {
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config")
        try """
            [default]
            region = us-west-2

            [profile emr]
            region = eu-central-1   # where the cluster runs
            s3 =
              addressing_style = path
              endpoint_url = http://127.0.0.1:9100
            """.write(to: config, atomically: true, encoding: .utf8)
        let base = ["HOME": folder.path, "AWS_CONFIG_FILE": config.path]
        #expect(try S3Configuration.fromEnvironment(base).region == "us-west-2")
        let emr = try S3Configuration.fromEnvironment(base.merging(["AWS_PROFILE": "emr"]) { $1 })
        #expect(emr.region == "eu-central-1")
        #expect(emr.addressing == .path)
        #expect(emr.endpoint?.absoluteString == "http://127.0.0.1:9100")
    }

    @Test func anEndpointRefusedForItsUserInfoIsEchoedWithoutThePassword() {
        for text in ["http://user:pw-secret@127.0.0.1:5999", "http://user:pw-secret@127.0.0.1:5999/path", "ftp://u:pw-secret@h"] {
            do {
                _ = try S3Configuration.parseEndpoint(text)
                Issue.record("\(text) was taken")
            } catch {
                #expect(!"\(error)".contains("pw-secret") && "\(error)".contains("***@"), "\(error)")
            }
        }
        #expect(S3Configuration.redacted("http://127.0.0.1:9000/a@b") == "http://127.0.0.1:9000/a@b")
    }

    @Test func aRefusedConnectionIsNamedAsTheSystemNamesItWithItsEndpoint() async throws {
        // A port just bound and closed: nothing listens there.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(socket, $0, length); _ = getsockname(socket, $0, &length) } }
        close(socket)
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"))
        let client = S3Client(configuration: TestClients.configuration(endpoint, attempts: 2), credentials: StaticCredentials(TestClients.credentials))
        do {
            _ = try await client.listObjects(bucket: "b", prefix: "in/")
            Issue.record("a closed port answered")
        } catch {
            #expect("\(error)".contains("Connection refused (endpoint \(endpoint.absoluteString)) after 2 attempt(s)"), "\(error)")
        }
        try await client.shutdown()
    }

    @Test func sizesAreClampedToS3Limits() {
        let configuration = S3Configuration(maxConcurrency: 0, partSize: 1, multipartConcurrency: 0)
        #expect(configuration.partSize == 5 << 20)
        #expect(configuration.maxConcurrency == 1)
        #expect(configuration.multipartConcurrency == 1)
        #expect(configuration.multipartThreshold >= configuration.partSize)
    }

    @Test func retryDelaysUseFullJitterUnderAnExponentialCap() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 3, random: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 10, random: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 3, random: 0) == .zero)
        #expect(RetryPolicy.isRetryable(status: 503, code: "SlowDown"))
        #expect(RetryPolicy.isRetryable(status: 500, code: nil))
        #expect(!RetryPolicy.isRetryable(status: 404, code: "NoSuchKey"))
        #expect(!RetryPolicy.isRetryable(status: 403, code: "AccessDenied"))
    }

    @Test func largeFilesGetLargerPartsToStayUnder10000() async throws {
        let client = S3Client(configuration: S3Configuration(partSize: 8 << 20), credentials: StaticCredentials(
            AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")))
        #expect(client.partSize(for: 20 << 20) == 8 << 20)
        let huge: Int64 = 200 << 30
        #expect(client.partSize(for: huge) * 10_000 >= huge)
        try await client.shutdown()
    }
}
