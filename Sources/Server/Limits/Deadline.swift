import Synchronization

/// Runs `work` in a task of its own and returns what it returns, or throws `expired()` once `timeout`
/// has passed, or `ClientDeparture.Gone` once `client` leaves — without waiting for work that cannot
/// stop early (a network mid-image) to end. Work still waiting for a network is cancelled, so it leaves the line.
func withDeadline<T: Sendable>(
    _ timeout: Duration, expired: @escaping @Sendable () -> any Error, client: ClientDeparture? = nil,
    _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    defer { client?.forget(race.watch.withLock { $0 }) }
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
            // Answer first: the cancelled work ends with its own CancellationError, which must not win.
            race.finish(with: .failure(expired()))
            worker.cancel()
        }
        race.timer.withLock { $0 = timer }
        // Work that finished before the timer was stored could not cancel it.
        if race.pending.withLock({ $0 == nil }) { timer.cancel() }
        if let client {
            let key = client.observe {
                race.finish(with: .failure(ClientDeparture.Gone()))
                race.timer.withLock { $0?.cancel() }
                worker.cancel()
            }
            race.watch.withLock { $0 = key }
        }
    }
}

/// The continuation the first of work, timer and departure resumes, the timer to cancel when another
/// wins, and the departure observer to forget afterwards.
private final class DeadlineRace<T: Sendable>: Sendable {
    let pending = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let timer = Mutex<Task<Void, Never>?>(nil)
    let watch = Mutex<Int?>(nil)

    /// Resumes the caller unless another side already did.
    func finish(with result: Result<T, any Error>) {
        pending.withLock { $0.take() }?.resume(with: result)
    }
}
