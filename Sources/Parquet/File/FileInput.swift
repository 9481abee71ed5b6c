import Foundation

/// A file opened for reading with `pread` (so one reader can serve concurrent row-group reads), or bytes
/// already in memory.
final class FileInput: Sendable {
    let path: String
    private let fd: Int32
    private let memory: [UInt8]?
    /// The file size in bytes.
    let size: Int64

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ParquetError.io(path: path, operation: "open", errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            Foundation.close(fd)
            throw ParquetError.io(path: path, operation: "stat", errno: e)
        }
        self.fd = fd
        self.size = Int64(info.st_size)
        self.memory = nil
    }

    init(bytes: [UInt8], name: String) {
        self.path = name
        self.fd = -1
        self.size = Int64(bytes.count)
        self.memory = bytes
    }

    deinit {
        if fd >= 0 { Foundation.close(fd) }
    }

    /// Reads `count` bytes at `offset`; the range is checked against the file size first.
    func read(offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ParquetError.malformed("range \(offset)+\(count) outside the \(size)-byte file", offset: Int(clamping: offset))
        }
        if let memory { return Array(memory[Int(offset)..<(Int(offset) + count)]) }
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError.io(path: path, operation: "read", errno: errno)
                }
                guard n > 0 else { throw ParquetError.malformed("file shrank while reading", offset: Int(offset) + done) }
                done += n
            }
            initialized = count
        }
    }
}
