import GRPCCore
import GRPCProtobuf

/// How RPCs are retried when the server is briefly unreachable: exponential backoff on
/// `UNAVAILABLE`, on `INVALID_CURSOR.DISCONNECTED` and on any error carrying `google.rpc.RetryInfo`,
/// like PySpark's `DefaultPolicy` but with a shorter total wait suited to a command-line tool.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// Wait before the first retry.
    public var initialBackoff: Duration
    /// Factor applied to the wait after each retry.
    public var multiplier: Double
    /// Longest single wait.
    public var maxBackoff: Duration

    /// Creates a policy.
    public init(maxRetries: Int, initialBackoff: Duration, multiplier: Double, maxBackoff: Duration) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
    }

    /// 8 retries from 100 ms growing ×3 up to 10 s: about 40 s in all, enough for a server restart.
    public static let `default` = RetryPolicy(
        maxRetries: 8, initialBackoff: .milliseconds(100), multiplier: 3, maxBackoff: .seconds(10))

    /// No retries at all.
    public static let none = RetryPolicy(
        maxRetries: 0, initialBackoff: .zero, multiplier: 1, maxBackoff: .zero)

    /// Whether `error` is worth another attempt.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? RPCError else { return false }
        if error.code == .unavailable { return true }
        // Another RPC of the same operation pre-empted this one; reattaching resumes it.
        if error.code == .internalError, error.message.contains("INVALID_CURSOR.DISCONNECTED") { return true }
        return retryDelay(of: error) != nil
    }

    /// The server's `RetryInfo.retry_delay`, if it sent one.
    static func retryDelay(of error: RPCError) -> Duration? {
        guard let status = try? error.unpackGoogleRPCStatus() else { return nil }
        return status.details.lazy.compactMap(\.retryInfo).first?.delay
    }

    /// The wait before retry number `attempt` (0-based), honouring a server-sent delay.
    func backoff(attempt: Int, after error: any Error) -> Duration {
        var wait = initialBackoff
        for _ in 0..<min(attempt, 64) where wait < maxBackoff { wait = wait * multiplier }
        wait = min(wait, maxBackoff)
        if let error = error as? RPCError, let serverDelay = Self.retryDelay(of: error) {
            wait = max(wait, min(serverDelay, .seconds(600)))
        }
        return wait
    }

    /// Runs `body`, retrying retryable errors; cancellation stops retrying at once.
    func run<Result>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch {
                guard attempt < maxRetries, Self.isRetryable(error), !Task.isCancelled else { throw error }
                try await Task.sleep(for: backoff(attempt: attempt, after: error))
                attempt += 1
            }
        }
    }
}
