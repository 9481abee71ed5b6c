import Foundation
import OrchardTestKit

/// Runs python3 peers: one-shot scripts (stdin → stdout) and servers that print their port and keep running.
enum PythonProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 script args…` to completion with `input` on stdin; returns stdout.
    static func run(_ script: String, _ arguments: [String] = [], input: Data = Data()) throws -> Data {
        let result = try ChildProcess.run("python3", [script] + arguments, input: input)
        guard result.status == 0 else { throw Failure(description: "\(script) failed: \(result.errors)") }
        return result.stdout
    }

    /// A running server script that printed its port as its first line.
    final class Server: Sendable {
        let process: ChildProcess.Running
        let port: Int

        /// Starts `python3 script args…` and waits for the port line.
        init(_ script: String, _ arguments: [String]) throws {
            process = try ChildProcess.Running("python3", [script] + arguments)
            guard let line = try process.readLine(), let port = Int(line) else {
                process.kill()
                throw Failure(description: "\(script) printed no port")
            }
            self.port = port
        }

        func stop() {
            process.kill()
            _ = try? process.wait()
        }

        deinit { stop() }
    }
}
