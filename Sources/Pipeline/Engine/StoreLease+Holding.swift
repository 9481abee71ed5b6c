import Storage

extension StoreLease {
    /// Runs `body`, then releases the lease, whether `body` returned or threw.
    func holding<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
