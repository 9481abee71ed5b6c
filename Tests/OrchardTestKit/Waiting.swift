import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waiting for something a test cannot be called back for, always with a deadline and never blocking a
/// thread of the cooperative pool.
public enum Waiting {
    /// Why a wait ended without its event.
    public struct TimedOut: Error, CustomStringConvertible {
        public let description: String
    }

    /// Re-checks `condition` whenever `folder` changes (inotify: an entry created, renamed in or
    /// removed), until it holds or `timeout` passes, then runs `then` at once. The folder may not exist
    /// yet: its nearest existing ancestor is watched until it appears.
    ///
    /// The watch runs on a thread of its own, and so does `then` (e.g. killing a child at that point):
    /// on a machine the other suites keep busy, a task could wait for a pool thread while the child ran on
    /// past the point.
    public static func untilFolderChanges(
        _ folder: String, satisfy what: String, timeout: Duration = .seconds(120),
        then: @escaping @Sendable () -> Void = {}, _ condition: @escaping @Sendable () -> Bool
    ) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            Thread {
                continuation.resume(with: Result {
                    try watch(folder, satisfy: what, timeout: timeout, condition)
                    then()
                })
            }.start()
        }
    }

    private static func watch(
        _ folder: String, satisfy what: String, timeout: Duration, _ condition: () -> Bool
    ) throws {
        let deadline = ContinuousClock.now + timeout
        let watch = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard watch >= 0 else { throw TimedOut(description: "inotify_init1 failed: errno \(errno)") }
        defer { close(watch) }
        var watched = Set<String>()
        while !condition() {
            // Watch the folder and every existing ancestor below the first missing one, so its creation counts.
            var path = URL(fileURLWithPath: folder).standardized.path
            while true {
                if !watched.contains(path), FileManager.default.fileExists(atPath: path) {
                    let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE)
                    if inotify_add_watch(watch, path, mask) >= 0 { watched.insert(path) }
                    break
                }
                if watched.contains(path) || path == "/" { break }
                path = (path as NSString).deletingLastPathComponent
            }
            if condition() { return }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw TimedOut(description: "timed out waiting for \(what) in \(folder)") }
            var entry = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
            // A short cap also covers events that happen between adding a watch and polling it.
            _ = poll(&entry, 1, Int32(min(left.components.seconds * 1000 + 1, 200)))
            var drain = [UInt8](repeating: 0, count: 4096)
            while read(watch, &drain, drain.count) > 0 {}
        }
    }

    /// Re-checks `condition` every `interval` (sleeping the task, not a thread) until it holds or
    /// `timeout` passes: for events nothing announces, such as a process appearing.
    public static func until(
        _ what: String, timeout: Duration = .seconds(120), interval: Duration = .milliseconds(20),
        _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: interval)
        }
    }
}

/// Loopback ports for servers a test starts.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it).
    public static func pick() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ChildProcess.Failure("socket failed: errno \(errno)") }
        defer { close(socket) }
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw ChildProcess.Failure("bind failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The socket address of `port` on 127.0.0.1.
    public static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
