/// A source of AWS credentials: the environment, a profile, a metadata service, or a fixed pair.
public protocol CredentialsProvider: Sendable {
    /// Current credentials; providers of temporary credentials refresh them before they expire.
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials, for tests and for callers that already hold a key pair.
public struct StaticCredentials: CredentialsProvider {
    private let value: AWSCredentials

    /// Always answers `credentials`.
    public init(_ credentials: AWSCredentials) {
        value = credentials
    }

    public func credentials() async throws -> AWSCredentials { value }
}
