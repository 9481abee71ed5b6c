import Foundation

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`, the first source SDKs try.
public struct EnvironmentCredentials: CredentialsProvider {
    private let environment: [String: String]

    /// Reads `environment` (the process's own by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// True when the variables are set, so the chain picks this source.
    public var isConfigured: Bool {
        environment["AWS_ACCESS_KEY_ID"].isSet && environment["AWS_SECRET_ACCESS_KEY"].isSet
    }

    public func credentials() async throws -> AWSCredentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw S3Error.credentials(source: "environment", reason: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }
}

extension Optional where Wrapped == String {
    /// Set and non-empty, the way SDKs treat an environment variable as present.
    var isSet: Bool {
        guard let self else { return false }
        return !self.isEmpty
    }
}
