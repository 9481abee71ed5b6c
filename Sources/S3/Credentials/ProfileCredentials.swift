import Foundation

/// Static keys from the selected profile of the shared credentials/config files.
///
/// A profile holding `role_arn` with `web_identity_token_file` is handed to `WebIdentityCredentials`
/// by the default chain; `source_profile`, `credential_process` and SSO profiles are reported as unsupported.
public struct ProfileCredentials: CredentialsProvider {
    private let environment: [String: String]

    /// Reads the files and profile that `environment` selects.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        guard let profile = try AWSProfile.load(environment: environment) else {
            throw S3Error.credentials(source: "profile", reason: "no such profile in the shared files")
        }
        return try Self.keys(in: profile)
    }

    static func keys(in profile: AWSProfile) throws -> AWSCredentials {
        guard let id = profile["aws_access_key_id"], !id.isEmpty,
            let secret = profile["aws_secret_access_key"], !secret.isEmpty
        else {
            let unsupported = ["source_profile", "credential_process", "sso_session", "sso_start_url"]
                .filter { profile[$0] != nil }
            let reason = unsupported.isEmpty
                ? "profile '\(profile.name)' has no aws_access_key_id/aws_secret_access_key"
                : "profile '\(profile.name)' uses \(unsupported.joined(separator: ", ")), which is not supported"
            throw S3Error.credentials(source: "profile", reason: reason)
        }
        let token = profile["aws_session_token"].nonEmpty
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }
}
