import Foundation
import Synchronization

/// A thread of its own for one network, running the jobs handed to it one at a time for as long as it lives.
///
/// Between two images it waits a little before it sleeps: the next image usually comes within microseconds,
/// so the thread stays on its core, with the network's activations in that core's cache. On Dispatch's pool
/// each image went to whichever worker was free, often on the other core, and `featurize --threads 1` took
/// 1.22× the time it takes this way (bench/inference-results.md, "The network's own thread").
final class NetworkThread: @unchecked Sendable {
    /// How long a thread waits awake for its next job before it sleeps, in nanoseconds.
    static let spinNanoseconds: UInt64 = 200_000

    private let condition = NSCondition()
    private var job: (@Sendable () -> Void)?
    private var stopping = false
    /// Whether a job waits, read without the lock by the waiting-awake loop.
    private let pending = Atomic<Bool>(false)

    /// Starts the thread, named `name` (as `top -H` and debuggers show it; Linux keeps 15 bytes of it).
    init(name: String) {
        let thread = Thread { [self] in
            // A new Linux thread inherits its creator's name, and Foundation does not rename it.
            try? String(name.utf8.prefix(15))?.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            loop()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Runs `job` on the thread; the caller hands over a new job only once the last one has finished.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        precondition(self.job == nil, "a network thread runs one job at a time")
        self.job = job
        pending.store(true, ordering: .releasing)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has no job.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            while !pending.load(ordering: .acquiring), DispatchTime.now().uptimeNanoseconds < deadline {}
            condition.lock()
            while job == nil, !stopping { condition.wait() }
            guard let work = job else {
                condition.unlock()
                return
            }
            job = nil
            pending.store(false, ordering: .relaxed)
            condition.unlock()
            work()
        }
    }
}
