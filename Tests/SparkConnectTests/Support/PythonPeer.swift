import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try process.run()
        // Read stdout to its end before waiting, so a large output cannot block the child.
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) failed: \(String(decoding: stderr, as: UTF8.self))")
        }
        return stdout
    }
}
