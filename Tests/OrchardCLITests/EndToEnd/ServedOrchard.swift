import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OrchardTestKit

/// A real `orchard serve` on a free loopback port, for the end-to-end server tests; its log (stdout)
/// goes to a file the tests read. Stopped with SIGKILL when the test drops it, unless stopped first.
final class ServedOrchard: @unchecked Sendable {
    let port: Int
    let log: String
    let process: ChildProcess.Running
    let scheme: String
    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Starts the server on `bundle` (backbone: the real model) with `extra` flags and waits until `/readyz` says ok.
    /// With `tls`, the server speaks HTTPS and readiness is awaited through curl (which trusts `tls`'s certificate).
    init(bundle: String, _ extra: [String] = [], tls: (certificate: String, key: String)? = nil) async throws {
        port = try FreePort.pick()
        scheme = tls == nil ? "http" : "https"
        let folder = try EndToEnd.temporaryFolder("serve")
        log = folder + "/serve.log"
        process = try ChildProcess.Running(
            EndToEnd.orchardBinary,
            ["serve", "--model", bundle, "--backbone", EndToEnd.realModel, "--port", String(port)] + extra
                + (tls.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key] } ?? []),
            streams: .stdoutToFile(log))
        let deadline = ContinuousClock.now + .seconds(120)
        func ready() async -> Bool {
            guard let tls else { return (try? await request("GET", "/readyz"))?.status == 200 }
            let curl = try? ChildProcess.run(
                "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", tls.certificate, base + "/readyz"], timeout: .seconds(10))
            return curl?.output == "200"
        }
        while await !ready() {
            if try process.hasExited() { throw ChildProcess.Failure("orchard serve exited: \(logText)") }
            guard ContinuousClock.now < deadline else { throw ChildProcess.Failure("orchard serve not ready in 120 s: \(logText)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    deinit { process.kill(SIGKILL) }

    /// The server's log so far.
    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// One response: status, headers (lowercased names), body.
    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ChildProcess.Failure("not a JSON object: \(text.prefix(300))")
            }
            return object
        }
    }

    /// Sends `method path` with `body` and `headers`.
    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 300)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// A multipart/form-data body with one file part named `field`.
    static func multipart(_ bytes: Data, field: String = "photo", type: String = "image/jpeg") -> (body: Data, contentType: String) {
        multipart([(field, bytes)], type: type)
    }

    /// A multipart form of `parts` (field name, bytes), each sent as a file of `type`.
    static func multipart(_ parts: [(field: String, bytes: Data)], type: String = "image/jpeg") -> (body: Data, contentType: String) {
        let boundary = "orchard-test-\(UUID().uuidString)"
        var body = Data()
        for part in parts {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; filename=\"photo.jpg\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
            body += part.bytes
            body += Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 300
        return URLSession(configuration: configuration)
    }()
}

/// Requests sent over raw loopback sockets so that they reach the server together, whatever the speed of
/// the sender: every request is written but its last byte first, then every last byte in one tight loop.
/// For tests that need many requests queued at one moment (the drain on SIGTERM).
final class RequestBurst: @unchecked Sendable {
    private let sockets: [Int32]

    /// Opens one connection per body and sends `POST path` with it (`Connection: close`).
    init(port: Int, path: String, contentType: String, bodies: [Data]) throws {
        var opened: [Int32] = []
        var messages: [[UInt8]] = []
        do {
            for body in bodies {
                opened.append(try LoopbackHTTP.connect(port: port))
                let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: \(contentType)\r\n"
                    + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                messages.append(Array(head.utf8) + Array(body))
            }
            for (socket, message) in zip(opened, messages) { try LoopbackHTTP.write(socket, message.dropLast()) }
            for (socket, message) in zip(opened, messages) { try LoopbackHTTP.write(socket, message.suffix(1)) }
        } catch {
            opened.forEach { close($0) }
            throw error
        }
        sockets = opened
    }

    deinit { sockets.forEach { close($0) } }

    /// Each request's HTTP status, in the order sent, once every response has been read to its end.
    func statuses() async -> [Int] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.sockets.map { LoopbackHTTP.status(of: LoopbackHTTP.readToEnd($0)) })
            }
        }
    }
}

/// HTTP/1.1 over a plain loopback socket, off the shared URLSession: for tests that must not wait behind
/// other tests' requests in its queue.
enum LoopbackHTTP {
    /// The body of `GET path`, read on its own connection, off the cooperative threads.
    static func get(port: Int, _ path: String) async throws -> String {
        String(decoding: try await exchange(port: port, "GET", path).body, as: UTF8.self)
    }

    /// `method path` without a body on its own connection: the status, the header fields (lowercased names)
    /// and every byte after the head — to see what URLSession would hide, such as a body sent with a HEAD answer.
    static func exchange(port: Int, _ method: String, _ path: String) async throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let socket = try connect(port: port)
                    defer { close(socket) }
                    try write(socket, ArraySlice("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))
                    let response = readToEnd(socket)
                    let end = response.firstRange(of: [13, 10, 13, 10]) ?? response.endIndex..<response.endIndex
                    var headers: [String: String] = [:]
                    for line in String(decoding: response[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n").dropFirst() {
                        guard let colon = line.firstIndex(of: ":") else { continue }
                        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    }
                    return (status(of: response), headers, Array(response[end.upperBound...]))
                })
            }
        }
    }

    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ChildProcess.Failure("socket failed: errno \(errno)") }
        var address = FreePort.loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw ChildProcess.Failure("connect failed: errno \(errno)")
        }
        return socket
    }

    static func write(_ socket: Int32, _ bytes: ArraySlice<UInt8>) throws {
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(socket, $0.baseAddress! + sent, bytes.count - sent) }
            guard written > 0 else { throw ChildProcess.Failure("write failed: errno \(errno)") }
            sent += written
        }
    }

    /// Everything the server sends until it closes the connection.
    static func readToEnd(_ socket: Int32) -> [UInt8] {
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(socket, &chunk, chunk.count)
            guard count > 0 else { return response }
            response += chunk[..<count]
        }
    }

    /// The status of a response ("HTTP/1.1 200 OK" → 200), 0 if it has none.
    static func status(of response: [UInt8]) -> Int {
        let fields = String(decoding: response.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        return fields.count >= 2 ? Int(fields[1]) ?? 0 : 0
    }
}
