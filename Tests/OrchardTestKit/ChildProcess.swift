import LinearAlgebra
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes for tests: spawned with posix_spawn, stdin written and stdout/stderr read concurrently
/// through poll(2) (so a child that writes more than a pipe holds to either never blocks), reaped with
/// waitpid (Foundation's `Process.waitUntilExit` on Linux can hang once a daemonised grandchild outlives
/// the child).
public enum ChildProcess {
    /// What a finished child left: its exit status and everything it printed.
    public struct Completed: Sendable {
        /// The exit code, or 128 + the signal number when a signal ended it (as a shell reports it).
        public var status: Int32
        /// Standard output, whole.
        public var stdout: Data
        /// Standard error, whole.
        public var stderr: Data
        /// The command line, for messages.
        public var command: [String]

        /// Standard output as UTF-8 text.
        public var output: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as UTF-8 text.
        public var errors: String { String(decoding: stderr, as: UTF8.self) }

        /// This result, or a `Failure` naming the command and its stderr when the status is not 0.
        @discardableResult
        public func check() throws -> Completed {
            guard status == 0 else {
                throw Failure("\(command.prefix(4).joined(separator: " ")) exited with \(status): \(String(errors.suffix(4000)))")
            }
            return self
        }
    }

    /// Why a child could not be run, or that it failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) to completion and returns what it printed.
    /// `environment` entries are added to (or, with a nil value, removed from) this process's environment.
    /// A child still running after `timeout` is killed with SIGKILL (its status is then 137).
    public static func run(
        _ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
        input: Data = Data(), timeout: Duration = .seconds(600)
    ) throws -> Completed {
        let running = try Running(executable, arguments, environment: environment)
        return try running.communicate(input: input, timeout: timeout)
    }

    /// Runs `python3 -c script arguments…` and returns its standard output, throwing with its stderr when it fails.
    public static func python(
        _ script: String, _ arguments: [String] = [], environment: [String: String?] = [:], input: Data = Data()
    ) throws -> String {
        try run("python3", ["-c", script] + arguments, environment: environment, input: input).check().output
    }

    /// Runs a program whose own children may outlive it (a script that starts a daemon): its output goes
    /// to /dev/null, so no pipe stays open as long as the daemon lives. Returns its exit status.
    public static func runDetached(_ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:]) throws -> Int32 {
        try Running(executable, arguments, environment: environment, streams: .discarded).wait()
    }

    /// Runs a program with its stdout written to `file` (a browser's helpers may hold pipes open after
    /// it exits); kills it after `timeout`. Returns its exit status.
    public static func run(
        _ executable: String, _ arguments: [String], stdoutTo file: String, timeout: Duration = .seconds(120)
    ) throws -> Int32 {
        try Running(executable, arguments, streams: .stdoutToFile(file)).wait(timeout: timeout)
    }

    /// Held from creating a child's pipes to spawning it (Glibc's pipe2 is not visible to Swift).
    static let spawning = NSLock()

    /// A child that exits before reading all its input must fail the write, not kill the test runner.
    static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The environment of this process with `changes` applied, as `KEY=VALUE` strings.
    static func environmentStrings(_ changes: [String: String?]) -> [String] {
        var environment = ProcessInfo.processInfo.environment
        // Children run this process's OpenBLAS kernels, so an `orchard` the test starts computes the same bits as
        // the library in the test (orchard would otherwise restart on better ones, `BLASCore`); a test may override.
        if environment[BLASCore.variable] == nil { environment[BLASCore.variable] = BLASCore.current }
        for (key, value) in changes { environment[key] = value }
        return environment.map { "\($0.key)=\($0.value)" }
    }
}
