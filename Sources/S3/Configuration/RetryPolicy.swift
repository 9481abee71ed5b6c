/// How failed requests are retried: bounded attempts, exponential backoff with full jitter.
///
/// Delay before retry n (1-based) is uniform in [0, min(maxDelay, baseDelay · 2ⁿ⁻¹)] — AWS's "full jitter",
/// which spreads a throttled fleet out instead of having it retry in lock step.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 disables retries).
    public var maxAttempts: Int
    /// The cap of the first retry's delay.
    public var baseDelay: Duration
    /// The largest delay.
    public var maxDelay: Duration

    /// A policy; `maxAttempts` is clamped to 1...20.
    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = min(max(maxAttempts, 1), 20)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The SDKs' standard mode, with one more attempt since parallel transfers meet throttling more often.
    public static let standard = RetryPolicy()

    /// The jittered delay before retry `retry` (1 for the first retry).
    func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let cap = min(maxDelay, baseDelay * (1 << exponent))
        return cap * random
    }

    /// HTTP statuses that mean "try again": throttling and server-side faults.
    static func isRetryable(status: Int, code: String?) -> Bool {
        if [500, 502, 503, 504, 429].contains(status) { return true }
        guard let code else { return false }
        return ["SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError",
            "RequestTimeTooSkewed", "ServiceUnavailable", "TooManyRequestsException"].contains(code)
    }
}
