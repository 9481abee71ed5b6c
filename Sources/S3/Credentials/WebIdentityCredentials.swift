import Foundation

/// STS `AssumeRoleWithWebIdentity` with the token in `AWS_WEB_IDENTITY_TOKEN_FILE` and the role in
/// `AWS_ROLE_ARN` (EKS service accounts, GitHub OIDC). The call itself is unsigned; the token authenticates.
///
/// The STS endpoint is `AWS_ENDPOINT_URL_STS` (then `AWS_ENDPOINT_URL`) when set, else the regional one.
public struct WebIdentityCredentials: CredentialsProvider {
    /// A token file past this size is refused (OIDC tokens are a few KiB).
    static let maxTokenBytes = 64 * 1024

    let roleARN: String
    let tokenFile: String
    let sessionName: String
    let endpoint: String

    /// From explicit parts; `endpoint` is the STS URL (e.g. a local fake in tests).
    public init(roleARN: String, tokenFile: String, sessionName: String? = nil, endpoint: String) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName ?? "orchard-\(Int(Date().timeIntervalSince1970))"
        self.endpoint = endpoint
    }

    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, or nil when not configured.
    public init?(environment: [String: String]) {
        self.init(environment: environment, profile: nil)
    }

    /// As above, falling back on a profile's `web_identity_token_file`, `role_arn` and `region`.
    init?(environment: [String: String], profile: AWSProfile?) {
        let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"].nonEmpty ?? profile?["web_identity_token_file"]
        let role = environment["AWS_ROLE_ARN"].nonEmpty ?? profile?["role_arn"]
        guard let tokenFile, let role else { return nil }
        let region = environment["AWS_REGION"].nonEmpty ?? environment["AWS_DEFAULT_REGION"].nonEmpty
            ?? profile?["region"]
        let endpoint = environment["AWS_ENDPOINT_URL_STS"].nonEmpty ?? environment["AWS_ENDPOINT_URL"].nonEmpty
            ?? region.map { "https://sts.\($0).amazonaws.com" } ?? "https://sts.amazonaws.com"
        self.init(
            roleARN: role, tokenFile: tokenFile,
            sessionName: environment["AWS_ROLE_SESSION_NAME"].nonEmpty ?? profile?["role_session_name"],
            endpoint: endpoint)
    }

    public func credentials() async throws -> AWSCredentials {
        let source = "web identity"
        guard let handle = FileHandle(forReadingAtPath: tokenFile) else {
            throw S3Error.credentials(source: source, reason: "cannot read token file \(tokenFile)")
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: Self.maxTokenBytes + 1) ?? Data()
        guard data.count <= Self.maxTokenBytes else {
            throw S3Error.credentials(source: source, reason: "token file \(tokenFile) is too large")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ].map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }.joined(separator: "&")
        let reply = try await CredentialsFetch.send(
            .POST, endpoint, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(form.utf8), timeout: .seconds(10), source: source)
        let document = try XMLNode.parse(reply.body, what: "STS response")
        guard reply.status == 200 else {
            let code = document.find("Code")?.text ?? "HTTP \(reply.status)"
            throw S3Error.credentials(source: source, reason: "STS refused AssumeRoleWithWebIdentity: \(code)")
        }
        guard let found = document.find("Credentials"), let id = found.text("AccessKeyId"),
            let secret = found.text("SecretAccessKey")
        else {
            throw S3Error.credentials(source: source, reason: "STS response has no Credentials")
        }
        return AWSCredentials(
            accessKeyID: id, secretAccessKey: secret, sessionToken: found.text("SessionToken"),
            expiration: try found.text("Expiration").map { try CredentialsFetch.parseDate($0, source: source) })
    }
}
