import Foundation

/// An exclusive lease on a local file: flock(2), which the kernel releases when the process dies, so a
/// killed run never leaves a stale lock. The holder's description is written into the file for the loser.
final class LocalLease: StoreLease, @unchecked Sendable {
    // The descriptor is set once in init and closed once in release (guarded by the lock).
    private let lock = NSLock()
    private var descriptor: Int32

    init(path: String, holder: String) throws {
        // A local until the lock is ours: once every stored property is set, a throwing init runs
        // deinit, which would close the descriptor a second time (by then perhaps another file's).
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError.io(path, reason: "cannot open lock: \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            guard busy else { throw StorageError.io(path, reason: "cannot lock: \(reason)") }
            let current = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw StorageError.leaseHeld(path, holder: current.isEmpty ? "a process that has not said who it is yet" : current)
        }
        self.descriptor = descriptor
        ftruncate(descriptor, 0)
        let text = Array((holder + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    var isHeld: Bool { lock.withLock { descriptor >= 0 } }

    func release() async {
        lock.withLock {
            guard descriptor >= 0 else { return }
            close(descriptor)  // closing the last descriptor drops the flock
            descriptor = -1
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
}
