import Foundation

/// Holds the current credentials of one provider and refreshes them ahead of expiry, one refresh at a time.
///
/// Concurrent callers during a refresh wait for the same fetch instead of each asking the metadata
/// service; a failed refresh falls back on the old credentials while they are still valid.
actor CredentialsCache {
    let provider: any CredentialsProvider
    /// Refresh this long before expiry, as SDKs do, so a request never leaves with dying credentials.
    let refreshMargin: TimeInterval
    private var current: AWSCredentials?
    private var refreshing: Task<AWSCredentials, any Error>?

    init(provider: any CredentialsProvider, refreshMargin: TimeInterval = 300) {
        self.provider = provider
        self.refreshMargin = refreshMargin
    }

    func credentials() async throws -> AWSCredentials {
        if let current, !current.expires(within: refreshMargin) { return current }
        if let refreshing { return try await refreshing.value }
        let provider = self.provider
        let task = Task { try await provider.credentials() }
        refreshing = task
        defer { refreshing = nil }
        do {
            let fresh = try await task.value
            current = fresh
            return fresh
        } catch {
            if let current, !current.expires(within: 0) { return current }
            throw error
        }
    }
}
