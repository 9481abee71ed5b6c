import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// Where a child's standard streams go.
    public enum Streams: Sendable {
        /// Pipes to this process: stdin written and stdout/stderr read by `communicate` or `readLine`.
        case pipes
        /// /dev/null, for children whose own children may outlive them holding the streams open.
        case discarded
        /// stdout into this file (created or truncated), stdin and stderr /dev/null.
        case stdoutToFile(String)
    }

    /// A started child. Either `communicate` (pipes) or `wait` reaps it; `kill` signals it.
    public final class Running: @unchecked Sendable {
        // Mutated only by the thread that owns the value (tests use one child from one task).
        /// The child's process id.
        public let pid: pid_t
        private let command: [String]
        private var stdin: Int32 = -1, stdout: Int32 = -1, stderr: Int32 = -1
        private var status: Int32?
        private var pendingOutput = Data()

        /// Starts `executable arguments…` with its streams as `streams` says.
        public init(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], streams: Streams = .pipes) throws {
            command = [executable] + arguments
            ChildProcess.spawning.lock()
            defer { ChildProcess.spawning.unlock() }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            var parentEnds: [Int32] = []
            switch streams {
            case .pipes:
                for descriptor: Int32 in [0, 1, 2] {
                    var ends: [Int32] = [0, 0]
                    guard pipe(&ends) == 0 else { throw Failure("pipe failed: errno \(errno)") }
                    // Close-on-exec, so no other child keeps a pipe open (dup2 clears it in ours); set under
                    // `spawning`, so no child of another thread starts between pipe and fcntl.
                    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                    let (childEnd, parentEnd) = descriptor == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
                    posix_spawn_file_actions_adddup2(&actions, childEnd, descriptor)
                    parentEnds.append(parentEnd)
                    parentEnds.append(-childEnd - 1)  // child ends are closed in the parent after spawning
                }
            case .discarded, .stdoutToFile:
                for descriptor: Int32 in [0, 1, 2] {
                    if descriptor == 1, case .stdoutToFile(let path) = streams {
                        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    } else {
                        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
                    }
                }
            }
            // The child gets a default signal mask and dispositions: the test runner's threads block
            // signals such as SIGTERM, and a child would inherit that.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t(), all = sigset_t()
            sigemptyset(&empty)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let argv = command.map { strdup($0) } + [nil]
            let envp = ChildProcess.environmentStrings(environment).map { strdup($0) } + [nil]
            defer { (argv + envp).forEach { free($0) } }
            var pid = pid_t()
            let spawned = executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
            for end in parentEnds where end < 0 { close(-end - 1) }
            guard spawned == 0 else {
                for end in parentEnds where end >= 0 { close(end) }
                throw Failure("cannot start \(executable): \(String(cString: strerror(spawned)))")
            }
            self.pid = pid
            if case .pipes = streams {
                let kept = parentEnds.filter { $0 >= 0 }
                (stdin, stdout, stderr) = (kept[0], kept[1], kept[2])
            }
        }

        deinit {
            for descriptor in [stdin, stdout, stderr] where descriptor >= 0 { close(descriptor) }
            if status == nil {
                Glibc.kill(pid, SIGKILL)
                _ = try? wait()
            }
        }

        /// Whether the child has ended, without waiting (reaping it if so, so `kill` stays safe).
        public func hasExited() throws -> Bool {
            if status != nil { return true }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            guard reaped >= 0 else { throw Failure("waitpid failed: errno \(errno)") }
            guard reaped == pid else { return false }
            status = Self.exitCode(raw)
            return true
        }

        /// A waitpid status as a shell reports it: the exit code, or 128 + the signal that ended the child.
        private static func exitCode(_ raw: Int32) -> Int32 {
            raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        }

        /// Sends `signal` to the child, unless it has been reaped: its pid may then be another process's.
        public func kill(_ signal: Int32 = SIGKILL) {
            if status == nil { Glibc.kill(pid, signal) }
        }

        /// Waits for the child to end (killing it with SIGKILL once `timeout` passes); returns its exit
        /// code, or 128 + the signal that ended it.
        @discardableResult
        public func wait(timeout: Duration? = nil) throws -> Int32 {
            if let status { return status }
            let done = Mutex(false)
            if let timeout {
                let pid = pid
                let (seconds, attoseconds) = timeout.components
                DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) * 1e-18) {
                    done.withLock { if !$0 { Glibc.kill(pid, SIGKILL) } }
                }
            }
            defer { done.withLock { $0 = true } }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 {
                guard errno == EINTR else { throw Failure("waitpid failed: errno \(errno)") }
            }
            let code = Self.exitCode(raw)
            status = code
            return code
        }

        /// Reads standard output up to the next newline (without it), or nil at its end. Standard error
        /// is drained meanwhile so the child never blocks on it.
        public func readLine(timeout: Duration = .seconds(120)) throws -> String? {
            let deadline = ContinuousClock.now + timeout
            while true {
                if let newline = pendingOutput.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pendingOutput[pendingOutput.startIndex ..< newline]
                    pendingOutput.removeSubrange(pendingOutput.startIndex ... newline)
                    return String(decoding: line, as: UTF8.self)
                }
                guard stdout >= 0 else {
                    defer { pendingOutput = Data() }
                    return pendingOutput.isEmpty ? nil : String(decoding: pendingOutput, as: UTF8.self)
                }
                var errors = Data()
                try pump(input: Data(), output: &pendingOutput, errors: &errors, deadline: deadline, untilOutput: true)
            }
        }

        /// Writes `input` to stdin (then closes it), reads stdout and stderr to their ends, and reaps the
        /// child; after `timeout` the child is killed.
        public func communicate(input: Data = Data(), timeout: Duration = .seconds(600)) throws -> Completed {
            var output = pendingOutput, errors = Data()
            pendingOutput = Data()
            let deadline = ContinuousClock.now + timeout
            try pump(input: input, output: &output, errors: &errors, deadline: deadline, untilOutput: false)
            return Completed(status: try wait(), stdout: output, stderr: errors, command: command)
        }

        /// Moves bytes between the pipes with poll(2) until both outputs end (or, with `untilOutput`,
        /// until some stdout arrives).
        private func pump(input: Data, output: inout Data, errors: inout Data, deadline: ContinuousClock.Instant, untilOutput: Bool) throws {
            _ = ChildProcess.ignoreBrokenPipes
            var written = 0
            if input.isEmpty, stdin >= 0 { close(stdin); stdin = -1 }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while stdout >= 0 || stderr >= 0 {
                let left = deadline - ContinuousClock.now
                guard left > .zero else {
                    kill()
                    throw Failure("\(command.prefix(3).joined(separator: " ")) still running after its deadline; killed")
                }
                var polled = [stdin, stdout, stderr].enumerated().filter { $0.element >= 0 }.map {
                    pollfd(fd: $0.element, events: Int16($0.offset == 0 ? POLLOUT : POLLIN), revents: 0)
                }
                let milliseconds = Int32(clamping: left.components.seconds * 1000 + 1)
                let ready = poll(&polled, nfds_t(polled.count), milliseconds)
                if ready < 0 {
                    guard errno == EINTR else { throw Failure("poll failed: errno \(errno)") }
                    continue
                }
                var gotOutput = false
                for entry in polled where entry.revents != 0 {
                    if entry.fd == stdin {
                        // As for the outputs below: a descriptor closed behind our back is forgotten, never closed.
                        guard entry.revents & Int16(POLLNVAL) == 0 else { stdin = -1; continue }
                        let count = input.withUnsafeBytes { write(stdin, $0.baseAddress! + written, $0.count - written) }
                        if count < 0, errno == EINTR || errno == EAGAIN { continue }
                        if count < 0, errno == EBADF { stdin = -1; continue }
                        if count > 0 { written += count }
                        if count < 0 || written == input.count { close(stdin); stdin = -1 }
                    } else {
                        // POLLNVAL or EBADF: something else closed our descriptor, and its number may already
                        // be another file's, which reading or closing here would disturb.
                        let invalid = entry.revents & Int16(POLLNVAL) != 0
                        let count = invalid ? -1 : read(entry.fd, &buffer, buffer.count)
                        if invalid || (count < 0 && errno == EBADF) {
                            if entry.fd == stdout { stdout = -1 } else { stderr = -1 }
                            throw Failure("\(command.prefix(3).joined(separator: " ")): a pipe was closed behind this process's back")
                        }
                        if count < 0, errno == EINTR || errno == EAGAIN { continue }
                        if count <= 0 {
                            close(entry.fd)
                            if entry.fd == stdout { stdout = -1 } else { stderr = -1 }
                        } else if entry.fd == stdout {
                            output.append(contentsOf: buffer[0 ..< count])
                            gotOutput = true
                        } else {
                            errors.append(contentsOf: buffer[0 ..< count])
                        }
                    }
                }
                if untilOutput, gotOutput { return }
            }
        }
    }
}
