import Foundation
import Testing

@testable import S3

@Suite struct CredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN"

    @Test func environmentComesFirst() async throws {
        let chain = DefaultCredentialChain(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true",
        ])
        let credentials = try await chain.credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: Self.secret, sessionToken: Self.token))
    }

    @Test func profileFromSharedCredentialsFile() async throws {
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("credentials")
        try """
            # shared credentials
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret

            [ingest]
            aws_access_key_id=AKIAINGEST
            aws_secret_access_key = ingest#secret   ; comment
            aws_session_token = ingest-token
            """.write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "HOME": folder.path, "AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "ingest",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let credentials = try await DefaultCredentialChain(environment: environment).credentials()
        #expect(credentials.accessKeyID == "AKIAINGEST")
        #expect(credentials.secretAccessKey == "ingest#secret")
        #expect(credentials.sessionToken == "ingest-token")
        let byDefault = try await DefaultCredentialChain(environment: ["HOME": folder.path,
            "AWS_SHARED_CREDENTIALS_FILE": file.path]).credentials()
        #expect(byDefault.accessKeyID == "AKIADEFAULT")
    }

    @Test func profileFromHomeFolder() async throws {
        let home = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try "[profile lab]\naws_access_key_id = AKIALAB\naws_secret_access_key = lab-secret\n"
            .write(to: home.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        let credentials = try await DefaultCredentialChain(environment: ["HOME": home.path, "AWS_PROFILE": "lab"])
            .credentials()
        #expect(credentials.accessKeyID == "AKIALAB")
        // A mistyped profile is named, not taken for "try instance metadata".
        do {
            _ = try await DefaultCredentialChain(environment: ["HOME": home.path, "AWS_PROFILE": "lba"]).credentials()
            Issue.record("a missing profile gave credentials")
        } catch {
            #expect("\(error)".contains("the profile 'lba' that AWS_PROFILE names is in neither"), "\(error)")
        }
    }

    @Test func instanceMetadataV2RequiresTheSessionToken() async throws {
        let server = try FakeCredentialsServer()
        defer { server.stop() }
        let chain = DefaultCredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(server.port)", "AWS_METADATA_SERVICE_TIMEOUT": FakeCredentialsServer.timeout,
        ])
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyID == server.accessKey)
        #expect(credentials.secretAccessKey == server.secretKey)
        #expect(credentials.sessionToken == server.sessionToken)
        #expect(credentials.expiration != nil)
        let stats = try await server.stats()
        #expect(stats["imds"] == 1)
        // The fake answers 401 to any GET without a token from PUT /latest/api/token; none were needed.
        #expect(stats["unauthorized"] == 0)
    }

    @Test func containerCredentialsSendTheAuthorizationToken() async throws {
        let server = try FakeCredentialsServer()
        defer { server.stop() }
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = folder.appendingPathComponent("token")
        try "ecs-auth-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let chain = DefaultCredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(server.port)/ecs/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
        ])
        #expect(try await chain.credentials().accessKeyID == server.accessKey)
        let wrong = DefaultCredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(server.port)/ecs/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong",
        ])
        await #expect(throws: S3Error.self) { try await wrong.credentials() }
        #expect(try await server.stats()["ecs"] == 1)
    }

    @Test func webIdentityAssumesTheRoleThroughSTS() async throws {
        let server = try FakeCredentialsServer()
        defer { server.stop() }
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = folder.appendingPathComponent("jwt")
        try "web-identity-jwt".write(to: tokenFile, atomically: true, encoding: .utf8)
        let chain = DefaultCredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/orchard", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(server.port)/",
        ])
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyID == server.accessKey)
        #expect(credentials.sessionToken == server.sessionToken)
        #expect(try await server.stats()["sts"] == 1)
    }

    @Test func temporaryCredentialsAreRefreshedAheadOfExpiry() async throws {
        // Documents expire 60 s after they are served: inside the 300 s margin, so every call refreshes,
        // while a long-lived document is fetched once.
        let shortLived = try FakeCredentialsServer(ttl: 60)
        defer { shortLived.stop() }
        let environment = ["HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(shortLived.port)", "AWS_METADATA_SERVICE_TIMEOUT": FakeCredentialsServer.timeout]
        let chain = DefaultCredentialChain(environment: environment)
        for _ in 0..<3 { _ = try await chain.credentials() }
        #expect(try await shortLived.stats()["imds"] == 3)

        let longLived = try FakeCredentialsServer(ttl: 3600)
        defer { longLived.stop() }
        let cached = DefaultCredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(longLived.port)", "AWS_METADATA_SERVICE_TIMEOUT": FakeCredentialsServer.timeout,
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await cached.credentials() } }
            try await group.waitForAll()
        }
        #expect(try await longLived.stats()["imds"] == 1)
    }

    @Test func secretsNeverAppearInDescriptions() {
        let credentials = AWSCredentials(accessKeyID: "AKIAVISIBLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        for text in [credentials.description, String(reflecting: credentials), "\(credentials)",
            { var out = ""; dump(credentials, to: &out); return out }()]
        {
            #expect(text.contains("AKIAVISIBLE"))
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
        }
    }

    @Test func clientsAndProvidersDoNotPrintSecrets() async throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAVISIBLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token]
        let chain = DefaultCredentialChain(environment: environment)
        _ = try await chain.credentials()
        let client = S3Client(configuration: S3Configuration(), credentials: chain)
        let providers: [any CredentialsProvider] = [
            chain, EnvironmentCredentials(environment: environment), ProfileCredentials(environment: environment),
            StaticCredentials(AWSCredentials(accessKeyID: "AKIAVISIBLE", secretAccessKey: Self.secret, sessionToken: Self.token)),
        ]
        var texts = providers.flatMap { provider -> [String] in
            var dumped = ""
            dump(provider, to: &dumped)
            return ["\(provider)", String(reflecting: provider), dumped]
        }
        // What a client holds besides its connection pool: the provider (with the cache inside) and settings.
        var dumpedClient = ""
        dump(client.credentials, to: &dumpedClient)
        dump(client.configuration, to: &dumpedClient)
        texts += [dumpedClient, "\(client)"]
        for text in texts {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
        }
        try await client.shutdown()
    }

    @Test func noSourceIsAClearError() async {
        let chain = DefaultCredentialChain(environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        await #expect(throws: S3Error.self) { try await chain.credentials() }
    }
}

/// Tests/S3Tests/Resources/fake_credentials_server.py: IMDSv2, ECS and STS fakes on a loopback port.
final class FakeCredentialsServer: Sendable {
    let accessKey = "ASIAFAKE\(UInt32.random(in: 1000...9999))"
    let secretKey = "fake/secret+\(UInt32.random(in: 1000...9999))"
    let sessionToken = "fake-session-token-\(UInt32.random(in: 1000...9999))"
    private let server: PythonProcess.Server

    var port: Int { server.port }
    /// For `AWS_METADATA_SERVICE_TIMEOUT`: a loaded 2-core test run can keep a local answer waiting past
    /// the real default of 1 s.
    static let timeout = "10"

    init(ttl: Int = 3600) throws {
        server = try PythonProcess.Server(
            TestResources.path("fake_credentials_server.py"),
            ["--access-key", accessKey, "--secret-key", secretKey, "--session-token", sessionToken, "--ttl", String(ttl)])
    }

    func stats() async throws -> [String: Int] {
        let reply = try await CredentialsFetch.send(.GET, "http://127.0.0.1:\(port)/stats", timeout: .seconds(5), source: "test")
        return try JSONDecoder().decode([String: Int].self, from: Data(reply.body))
    }

    func stop() { server.stop() }
}
