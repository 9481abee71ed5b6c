import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A local file opened for positional reads, so parts can be read concurrently from one descriptor.
final class LocalFile: Sendable {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw S3Error.file(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw S3Error.file(path: path, reason: reason)
        }
        guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
            close(descriptor)
            throw S3Error.file(path: path, reason: "not a regular file")
        }
        self.path = path
        self.size = Int64(info.st_size)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Exactly `count` bytes from `offset`, read straight into one buffer; a short file is an error.
    func read(offset: Int64, count: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var done = 0
        while done < count {
            var got = 0
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { target in
                got = pread(descriptor, target.baseAddress, count - done, off_t(offset) + off_t(done))
                return max(got, 0)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                let reason = got < 0 ? String(cString: strerror(errno)) : "file shrank while being uploaded"
                throw S3Error.file(path: path, reason: reason)
            }
            done += got
        }
        return buffer
    }
}
