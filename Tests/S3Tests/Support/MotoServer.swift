import Foundation
import OrchardTestKit

/// One moto S3 server per test process, started on first use by scripts/moto-server.sh on a free loopback
/// port and stopped by that script's watchdog when the test process exits.
actor MotoServer {
    static let shared = MotoServer()

    private var port: Int?

    /// The server's endpoint, starting it if needed.
    func endpoint() throws -> URL {
        if let port { return URL(string: "http://127.0.0.1:\(port)")! }
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("s3tests-moto-\(getpid()).pid")
        // The script returns once moto listens, printing the port; its watchdog (which holds no pipe)
        // stops moto when this test process exits.
        let script = TestResources.packageRoot.appendingPathComponent("scripts/moto-server.sh").path
        let output = try ChildProcess.run("/bin/bash", [script, "start", "0", pidFile.path, String(getpid())]).stdout
        guard let started = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw PythonProcess.Failure(description: "moto-server.sh could not start moto")
        }
        port = started
        return URL(string: "http://127.0.0.1:\(started)")!
    }
}
