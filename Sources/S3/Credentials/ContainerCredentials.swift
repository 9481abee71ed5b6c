import Foundation

/// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token of `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`.
public struct ContainerCredentials: CredentialsProvider {
    let url: String
    let token: String?
    let tokenFile: String?

    /// From the environment, or nil when neither URI variable is set.
    public init?(environment: [String: String]) {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].nonEmpty {
            url = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"].nonEmpty {
            url = full
        } else {
            return nil
        }
        token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].nonEmpty
        tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].nonEmpty
    }

    public func credentials() async throws -> AWSCredentials {
        let source = "container"
        guard let parsed = URL(string: url), let host = parsed.host else {
            throw S3Error.credentials(source: source, reason: "invalid container credentials URI")
        }
        // Plain HTTP carries the token in clear, so SDKs allow it only to the agent's own addresses.
        if parsed.scheme == "http", !Self.isAllowedPlainHost(host) {
            throw S3Error.credentials(source: source, reason: "plain HTTP to \(host) is not allowed")
        }
        var headers: [(String, String)] = []
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile), data.count < 16 * 1024 else {
                throw S3Error.credentials(source: source, reason: "cannot read token file \(tokenFile)")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append(("Authorization", value))
        } else if let token {
            headers.append(("Authorization", token))
        }
        let reply = try await CredentialsFetch.send(.GET, url, headers: headers, timeout: .seconds(5), source: source)
        guard reply.status == 200 else {
            throw S3Error.credentials(source: source, reason: "agent answered HTTP \(reply.status)")
        }
        return try CredentialsFetch.decodeJSON(reply.body, source: source)
    }

    static func isAllowedPlainHost(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
            || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23"
    }
}
