import Foundation
import NIOCore

/// EC2 instance-profile credentials over IMDSv2 (what EMR nodes use): PUT a session token, then GET the
/// role name and the role's credentials with that token.
///
/// Endpoint `AWS_EC2_METADATA_SERVICE_ENDPOINT` (default http://169.254.169.254); off when
/// `AWS_EC2_METADATA_DISABLED=true`. Timeouts are short, as SDKs use: off EC2 nothing answers.
public struct InstanceMetadataCredentials: CredentialsProvider {
    static let tokenTTLSeconds = 21_600
    let endpoint: String
    let timeoutSeconds: Int64

    /// From the environment, or nil when IMDS is disabled.
    public init?(environment: [String: String]) {
        guard environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" else { return nil }
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].nonEmpty ?? "http://169.254.169.254"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        timeoutSeconds = Int64(environment["AWS_METADATA_SERVICE_TIMEOUT"] ?? "").map { min(max($0, 1), 30) } ?? 1
    }

    public func credentials() async throws -> AWSCredentials {
        let source = "EC2 instance metadata"
        let timeout = TimeAmount.seconds(timeoutSeconds)
        let tokenReply = try await CredentialsFetch.send(
            .PUT, endpoint + "/latest/api/token",
            headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))],
            timeout: timeout, source: source)
        guard tokenReply.status == 200 else {
            throw S3Error.credentials(source: source, reason: "token request answered HTTP \(tokenReply.status)")
        }
        let token = String(decoding: tokenReply.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let header = [("X-aws-ec2-metadata-token", token)]
        let base = endpoint + "/latest/meta-data/iam/security-credentials/"
        let roleReply = try await CredentialsFetch.send(.GET, base, headers: header, timeout: timeout, source: source)
        guard roleReply.status == 200 else {
            throw S3Error.credentials(source: source, reason: "role request answered HTTP \(roleReply.status)")
        }
        let role = String(decoding: roleReply.body, as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        guard !role.isEmpty, !role.contains("/") else {
            throw S3Error.credentials(source: source, reason: "no instance profile role")
        }
        let reply = try await CredentialsFetch.send(
            .GET, base + URIEncoding.encode(role), headers: header, timeout: timeout, source: source)
        guard reply.status == 200 else {
            throw S3Error.credentials(source: source, reason: "credentials request answered HTTP \(reply.status)")
        }
        return try CredentialsFetch.decodeJSON(reply.body, source: source)
    }
}
