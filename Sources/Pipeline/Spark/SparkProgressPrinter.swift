import Foundation
import SparkConnect

/// Turns Spark's execution progress into a line every few seconds: tasks done of tasks seen.
final class SparkProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let step: String
    private let output: @Sendable (String) -> Void
    private let start = Date()
    private var last = Date.distantPast

    init(step: String, output: @escaping @Sendable (String) -> Void) {
        self.step = step
        self.output = output
    }

    func show(_ progress: ExecutionProgress) {
        lock.withLock {
            let now = Date()
            let finished = progress.totalTasks > 0 && progress.completedTasks == progress.totalTasks
            guard now.timeIntervalSince(last) >= 3 || finished else { return }
            last = now
            let seconds = Int(now.timeIntervalSince(start))
            output("spark \(step): \(progress.completedTasks)/\(progress.totalTasks) tasks, \(progress.inflightTasks) running, \(seconds)s")
        }
    }
}
