import Foundation

/// The AWS SDKs' credential order: environment → shared profile → web identity → ECS container → EC2 IMDSv2.
///
/// The first configured source is chosen on first use and kept; its temporary credentials are cached and
/// refreshed ahead of expiry.
public final class DefaultCredentialChain: CredentialsProvider {
    private let environment: [String: String]
    private let state: ChainState

    /// Resolves from `environment` (the process's own by default), lazily on first use.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        state = ChainState()
    }

    public func credentials() async throws -> AWSCredentials {
        let cache = try await state.cache { try Self.select(environment: self.environment) }
        return try await cache.credentials()
    }

    /// The provider for the first configured source; IMDS is the fallback, as on EC2 nothing else is set.
    static func select(environment: [String: String]) throws -> any CredentialsProvider {
        let env = EnvironmentCredentials(environment: environment)
        if env.isConfigured { return env }
        let profile = try AWSProfile.load(environment: environment)
        if let profile, profile["aws_access_key_id"] != nil { return ProfileCredentials(environment: environment) }
        if let web = WebIdentityCredentials(environment: environment, profile: profile) { return web }
        if let profile, profile["source_profile"] != nil || profile["credential_process"] != nil {
            // Surface the profile's own error rather than silently trying the metadata services.
            return ProfileCredentials(environment: environment)
        }
        if let container = ContainerCredentials(environment: environment) { return container }
        if let metadata = InstanceMetadataCredentials(environment: environment) { return metadata }
        throw S3Error.credentials(
            source: "default chain",
            reason: "no credentials in the environment, shared files, web identity or container, and IMDS is disabled")
    }
}

/// The chain's chosen source, picked once.
private actor ChainState {
    private var chosen: CredentialsCache?

    func cache(_ select: @Sendable () throws -> any CredentialsProvider) throws -> CredentialsCache {
        if let chosen { return chosen }
        let cache = CredentialsCache(provider: try select())
        chosen = cache
        return cache
    }
}
