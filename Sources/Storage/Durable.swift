import Foundation

/// fsync(2) around renames: without it a crash after `rename` can leave the new name pointing at a
/// zero-length or partly written file (ext4 and XFS order metadata and data separately).
enum Durable {
    /// Writes `bytes` to a new file at `path` and syncs it to disk.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError.io(path, reason: "cannot create file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw StorageError.io(path, reason: "cannot write: \(String(cString: strerror(errno)))") }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw StorageError.io(path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// Syncs an existing file's content to disk.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.io(path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StorageError.io(path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// Syncs the folder holding `path`, which makes a rename into it durable.
    static func syncFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try sync(folder.isEmpty ? "." : folder)
    }
}
