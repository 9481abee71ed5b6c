import Testing

@testable import S3

/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` over plain HTTP goes only where the ECS/EKS agents live, judged on
/// the URL's parsed host, as AWS SDKs judge it.
@Suite struct ContainerCredentialsHostTests {
    @Test(arguments: [
        "http://127.0.0.1/creds", "http://127.0.0.1:51679/creds", "http://127.255.1.9/", "http://localhost:8080/x",
        "http://LOCALHOST/x", "http://[::1]:8080/x", "http://169.254.170.2/v2/credentials/abc",
        "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
        "http://[fd00:ec2:0::23]/v1/credentials", "https://example.com/creds", "https://127.0.0.1.evil.com/",
    ])
    func allowed(_ url: String) throws {
        try ContainerCredentials.checkURL(url)
    }

    @Test(arguments: [
        "http://127.0.0.1.evil.com/", "http://127.example/", "http://user@169.254.170.2.evil/",
        "http://169.254.170.2@evil.com/", "http://169.254.170.20/", "http://169.254.169.254/latest/", "http://10.0.0.1/",
        "http://localhost.evil.com/", "http://[::2]/", "http://[fd00:ec2::24]/", "http://128.0.0.1/", "http://example.com/",
    ])
    func refused(_ url: String) {
        #expect(throws: S3Error.self) { try ContainerCredentials.checkURL(url) }
        do {
            try ContainerCredentials.checkURL(url)
        } catch let S3Error.credentials(source, reason) {
            #expect(source == "container")
            #expect(reason.contains("is not allowed"), "\(url): \(reason)")
        } catch {
            Issue.record("\(url): \(error)")
        }
    }

    @Test func otherSchemesAreRefused() {
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/", "not a url"] {
            #expect(throws: S3Error.self, "\(url)") { try ContainerCredentials.checkURL(url) }
        }
    }

    @Test func theProviderRefusesBeforeAnyRequest() async throws {
        let provider = try #require(ContainerCredentials(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1.evil.com/"]))
        await #expect(throws: S3Error.credentials(source: "container", reason: "plain HTTP to 127.0.0.1.evil.com is not allowed")) {
            _ = try await provider.credentials()
        }
    }
}
