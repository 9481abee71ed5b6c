import Foundation

/// A file opened for writing with plain POSIX calls and a write-behind buffer; tracks the byte position.
final class FileOutput {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 20
    private(set) var position: Int64 = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ParquetError.io(path: path, operation: "open", errno: errno) }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if fd >= 0 { Foundation.close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        position += Int64(bytes.count)
        if buffer.count + bytes.count <= bufferLimit {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= bufferLimit { try writeAll(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError.io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Flushes and closes; the file is complete on disk (the caller renames it into place).
    func close() throws {
        try flush()
        let status = Foundation.close(fd)
        fd = -1
        guard status == 0 else { throw ParquetError.io(path: path, operation: "close", errno: errno) }
    }
}
