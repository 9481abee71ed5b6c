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
        try Self.checkURL(url)
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

    /// Refuses a URI that is not http(s), or plain HTTP to a host the agent cannot be on.
    static func checkURL(_ url: String) throws {
        guard let parsed = URL(string: url), let host = parsed.host, let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw S3Error.credentials(source: "container", reason: "invalid container credentials URI")
        }
        // Plain HTTP carries the token in clear, so SDKs allow it only to the agent's own addresses.
        if scheme == "http", !isAllowedPlainHost(host) {
            throw S3Error.credentials(source: "container", reason: "plain HTTP to \(host) is not allowed")
        }
    }

    /// Whether plain HTTP may go to `host` (a URL's parsed host, never the raw string): what AWS SDKs
    /// allow — loopback (127.0.0.0/8, ::1, localhost), the ECS agent 169.254.170.2 and the EKS Pod
    /// Identity agent 169.254.170.23 / fd00:ec2::23. Addresses are parsed, so "127.0.0.1.evil.com" is a
    /// name, not a loopback address.
    static func isAllowedPlainHost(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            let octets = withUnsafeBytes(of: v4.s_addr) { Array($0) }  // network byte order
            return octets[0] == 127 || octets == [169, 254, 170, 2] || octets == [169, 254, 170, 23]
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
            let eksAgent: [UInt8] = [0xfd, 0, 0x0e, 0xc2] + Array(repeating: 0, count: 11) + [0x23]
            return bytes == loopback || bytes == eksAgent
        }
        return false
    }
}
