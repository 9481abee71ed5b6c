import Foundation
import OrchardTestKit
import Testing

/// "Secrets never appear in logs or errors": S3 runs against moto with distinctive credentials, which
/// must show up in neither stdout nor stderr, on success and on failure.
@Suite struct EndToEndSecretsTests {
    static let secret = "e2eSecret/Do+Not+Print/9f3c1a7b44d2"
    static let sessionToken = "e2eSessionToken//Do+Not+Print+Either/5be81c0a=="

    /// The credentials, and every form they could be printed in (raw, percent-encoded, a long prefix).
    static var forbidden: [String] {
        [secret, sessionToken].flatMap { value in
            [value, value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value, String(value.prefix(20))]
        }
    }

    static func environment(endpointAttempts: Int? = nil) -> [String: String?] {
        var environment = Moto.dummyCredentials
        environment["AWS_ACCESS_KEY_ID"] = "AKIAE2EORCHARD000001"
        environment["AWS_SECRET_ACCESS_KEY"] = secret
        environment["AWS_SESSION_TOKEN"] = sessionToken
        if let endpointAttempts { environment["AWS_MAX_ATTEMPTS"] = String(endpointAttempts) }
        return environment
    }

    /// Fails the test if `run` printed a credential anywhere.
    static func expectNoSecrets(_ run: ChildProcess.Completed, _ what: String) {
        for text in forbidden {
            #expect(!run.output.contains(text), "\(what): stdout shows a credential (\(text.prefix(12))…)")
            #expect(!run.errors.contains(text), "\(what): stderr shows a credential (\(text.prefix(12))…)")
        }
    }

    @Test func s3RunsNeverPrintTheSecretKeyOrSessionToken() async throws {
        let endpoint = try await Moto.endpoint()
        let bucket = "secrets-e2e"
        var uploads: [String: String] = [:]
        for name in ["Banana 1", "Lemon 1"] {
            let folder = EndToEnd.samples + "/Test/" + name
            for file in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".jpg") }).sorted().prefix(2) {
                uploads["in/\(name)/\(file)"] = folder + "/" + file
            }
        }
        try Moto.upload(uploads, bucket: bucket, endpoint: endpoint)
        let environment = Self.environment()
        func featurize(_ input: String, _ out: String, endpoint: String = endpoint, environment: [String: String?] = environment) throws
            -> ChildProcess.Completed
        {
            try EndToEnd.orchard(
                ["featurize", input, "--out", out, "--s3-endpoint", endpoint, "--model", EndToEnd.realModel, "--threads", "1", "--pca", "2"],
                environment: environment)
        }

        // Success: the dataset lands in the bucket.
        let success = try featurize("s3://\(bucket)/in", "s3://\(bucket)/out")
        #expect(success.status == 0, "\(success.errors)")
        Self.expectNoSecrets(success, "successful featurize")
        let written = try Moto.keys(bucket: bucket, prefix: "out/", endpoint: endpoint)
        #expect(written.contains("out/_SUCCESS") && written.contains("out/_orchard/job.json"), "\(written)")

        // The same credentials through the other S3 commands.
        let listed = try EndToEnd.orchard(["ls", "s3://\(bucket)/out", "--s3-endpoint", endpoint], environment: environment)
        #expect(listed.status == 0)
        Self.expectNoSecrets(listed, "ls")
        let folder = try EndToEnd.temporaryFolder("secrets")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try EndToEnd.orchard(
            ["report", "s3://\(bucket)/out", "--html", folder + "/r.html", "--s3-endpoint", endpoint], environment: environment)
        #expect(report.status == 0, "\(report.errors)")
        Self.expectNoSecrets(report, "report")

        // Failures: an output bucket that does not exist, an input bucket that does not exist, an
        // endpoint nobody answers on (few attempts, to stay quick). Each must fail and say why.
        let noOutput = try featurize("s3://\(bucket)/in", "s3://no-such-bucket-e2e/out")
        #expect(noOutput.status != 0)
        #expect(noOutput.errors.contains("no-such-bucket-e2e"), "\(noOutput.errors)")
        Self.expectNoSecrets(noOutput, "featurize into a missing bucket")

        let noInput = try featurize("s3://no-such-bucket-e2e/in", "s3://\(bucket)/out2")
        #expect(noInput.status != 0)
        #expect(noInput.errors.contains("no-such-bucket-e2e"), "\(noInput.errors)")
        Self.expectNoSecrets(noInput, "featurize from a missing bucket")

        let dead = "http://127.0.0.1:\(try FreePort.pick())"
        let unreachable = try featurize(
            "s3://\(bucket)/in", "s3://\(bucket)/out3", endpoint: dead, environment: Self.environment(endpointAttempts: 2))
        #expect(unreachable.status != 0)
        #expect(!unreachable.errors.isEmpty)
        Self.expectNoSecrets(unreachable, "featurize against a dead endpoint")
    }
}
