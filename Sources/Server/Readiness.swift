import Logging
import ServiceLifecycle
import Synchronization

/// Whether `/readyz` says yes: from the moment the server listens until shutdown begins.
final class Readiness: Service, Sendable {
    enum Phase: String, Sendable { case starting, ok, stopping }
    private let phase = Mutex(Phase.starting)
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// The phase now.
    var current: Phase { phase.withLock { $0 } }

    /// The server is listening.
    func listening() { phase.withLock { if $0 == .starting { $0 = .ok } } }

    /// Runs until graceful shutdown begins, then says "stopping" while the server drains. Listed after
    /// the server in the service group, so it hears of the shutdown first.
    func run() async throws {
        try? await gracefulShutdown()
        phase.withLock { $0 = .stopping }
        logger.info("stopping: no new connections; finishing the requests in flight")
    }
}
