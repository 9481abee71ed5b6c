import Foundation

/// Runs python3 peers: one-shot scripts (stdin → stdout) and servers that print their port and keep running.
enum PythonProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 script args…` to completion with `input` on stdin; returns stdout.
    static func run(_ script: String, _ arguments: [String] = [], input: Data = Data()) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return output
    }

    /// A running server script that printed its port as its first line.
    final class Server: @unchecked Sendable {
        let process: Process
        let port: Int

        /// Starts `python3 script args…` and waits for the port line.
        init(_ script: String, _ arguments: [String]) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script] + arguments
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while true {
                let byte = stdout.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte == Data("\n".utf8) { break }
                line.append(byte)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else {
                process.terminate()
                throw Failure(description: "\(script) printed no port")
            }
            self.port = port
        }

        func stop() {
            // SIGKILL: the test runner's threads block SIGTERM, and children inherit that mask.
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        deinit { stop() }
    }
}
