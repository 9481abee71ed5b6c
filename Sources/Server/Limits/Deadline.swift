import Synchronization

/// Runs `work` in a task of its own and returns what it returns, or throws `expired()` once `timeout`
/// has passed — without waiting for work that cannot stop early (a network mid-image) to end.
func withDeadline<T: Sendable>(
    _ timeout: Duration, expired: @escaping @Sendable () -> any Error, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.pending.withLock { $0 = continuation }
        let worker = Task {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            race.timer.withLock { $0?.cancel() }
            race.finish(with: result)
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            worker.cancel()
            race.finish(with: .failure(expired()))
        }
        race.timer.withLock { $0 = timer }
        // Work that finished before the timer was stored could not cancel it.
        if race.pending.withLock({ $0 == nil }) { timer.cancel() }
    }
}

/// The continuation the first of work and timer resumes, and the timer to cancel when work wins.
private final class DeadlineRace<T: Sendable>: Sendable {
    let pending = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let timer = Mutex<Task<Void, Never>?>(nil)

    /// Resumes the caller unless the other side already did.
    func finish(with result: Result<T, any Error>) {
        pending.withLock { $0.take() }?.resume(with: result)
    }
}
