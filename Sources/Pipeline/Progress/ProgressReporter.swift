import Foundation

/// Shows how far a long run is: a redrawn bar on a terminal, plain periodic lines otherwise (logs, CI).
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let title: String
    private let isTerminal: Bool
    private let interval: Double
    private let start = Date()
    private let output: (String) -> Void
    private var done = 0
    private var failed = 0
    private var lastDraw = Date.distantPast
    private var baseline = 0

    /// A reporter for `total` items; `output` defaults to standard error.
    public init(
        title: String, total: Int, isTerminal: Bool = isatty(2) == 1, interval: Double? = nil,
        output: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.title = title
        self.total = total
        self.isTerminal = isTerminal
        self.interval = interval ?? (isTerminal ? 0.2 : 10)
        self.output = output
    }

    /// Counts items found already done (a resumed run) without counting them in the rate.
    public func skip(_ count: Int) {
        lock.withLock {
            done += count
            baseline += count
        }
    }

    /// Counts finished items, `failures` of which failed, and redraws when due.
    public func advance(by count: Int, failures: Int = 0) {
        lock.withLock {
            done += count
            failed += failures
            let now = Date()
            if now.timeIntervalSince(lastDraw) >= interval || done == total {
                lastDraw = now
                output(line(now: now) + (isTerminal ? "" : "\n"))
            }
        }
    }

    /// Ends the bar's line on a terminal.
    public func finish() {
        lock.withLock {
            if isTerminal { output(line(now: Date()) + "\n") }
        }
    }

    private func line(now: Date) -> String {
        let seconds = max(now.timeIntervalSince(start), 1e-3)
        let rate = Double(done - baseline) / seconds
        let share = total == 0 ? 1 : Double(done) / Double(total)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let stats = "\(done)/\(total) \(Self.format(rate)) img/s ETA \(Self.duration(eta))"
            + (failed > 0 ? " \(failed) failed" : "")
        guard isTerminal else { return "\(title): \(stats) (\(Int(share * 100))%)" }
        let width = 30
        let filled = Int(share * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\r\u{1B}[2K\(title) \(bar) \(Int(share * 100))% \(stats)"
    }

    static func format(_ rate: Double) -> String {
        rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)
    }

    /// `1h02m`, `3m05s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h" + String(format: "%02dm", (s % 3600) / 60) }
        if s >= 60 { return "\(s / 60)m" + String(format: "%02ds", s % 60) }
        return "\(s)s"
    }
}
