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
