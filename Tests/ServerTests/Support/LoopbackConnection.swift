import Foundation
import OrchardTestKit

/// One HTTP/1.1 connection to a server on 127.0.0.1 over a plain socket, so a test decides when it
/// closes (a client giving up) — which URLSession does not let a test do.
final class LoopbackConnection: @unchecked Sendable {
    private var socket: Int32

    /// Connects to `port`.
    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ChildProcess.Failure("socket failed: errno \(errno)") }
        var address = FreePort.loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw ChildProcess.Failure("connect failed: errno \(errno)")
        }
    }

    deinit { close() }

    /// Sends `method path` with `body` (`Connection: close`, so the answer ends with the connection).
    func send(_ method: String, _ path: String, body: [UInt8] = [], contentType: String = "image/jpeg") throws {
        let head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(socket, $0.baseAddress! + sent, bytes.count - sent) }
            guard written > 0 else { throw ChildProcess.Failure("write failed: errno \(errno)") }
            sent += written
        }
    }

    /// Everything the server sends until it closes the connection, read off the cooperative threads.
    func response() async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [socket] in
                var response: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(socket, &chunk, chunk.count)
                    guard count > 0 else { break }
                    response += chunk[..<count]
                }
                continuation.resume(returning: String(decoding: response, as: UTF8.self))
            }
        }
    }

    /// Closes the connection, as a client that gives up does.
    func close() {
        guard socket >= 0 else { return }
        Glibc.close(socket)
        socket = -1
    }
}
