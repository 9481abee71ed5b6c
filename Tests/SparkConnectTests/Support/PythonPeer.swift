import Foundation
import OrchardTestKit

/// Runs the Python peers (pyarrow) the tests compare against.
enum PythonPeer {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `python3 -c script` and returns its standard output.
    static func run(_ script: String, arguments: [String] = []) throws -> Data {
        try runProcess("/usr/bin/env", ["python3", "-c", script] + arguments)
    }

    /// Runs a program and returns its standard output; throws with its stderr when it fails.
    static func runProcess(_ executable: String, _ arguments: [String], stdinFile: URL? = nil) throws -> Data {
        let input = try stdinFile.map { try Data(contentsOf: $0) } ?? Data()
        let result = try ChildProcess.run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) failed: \(result.errors)")
        }
        return result.stdout
    }
}
