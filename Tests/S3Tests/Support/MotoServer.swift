import Foundation

/// One moto S3 server per test process, started on first use by scripts/moto-server.sh on a free loopback
/// port and stopped by that script's watchdog when the test process exits.
actor MotoServer {
    static let shared = MotoServer()

    private var port: Int?

    /// The server's endpoint, starting it if needed.
    func endpoint() throws -> URL {
        if let port { return URL(string: "http://127.0.0.1:\(port)")! }
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("s3tests-moto-\(getpid()).pid")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            TestResources.packageRoot.appendingPathComponent("scripts/moto-server.sh").path, "start", "0", pidFile.path,
            String(getpid()),
        ]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        // The script's watchdog outlives it, and Foundation's waitUntilExit can then hang on Linux: the port
        // line (printed only once moto listens) and the end of the script's output are enough.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        guard let started = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw PythonProcess.Failure(description: "moto-server.sh could not start moto")
        }
        port = started
        return URL(string: "http://127.0.0.1:\(started)")!
    }
}
