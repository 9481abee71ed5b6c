import Foundation
import OrchardTestKit
@testable import Parquet

/// A fresh temporary directory per test, removed when the value dies.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Runs `python3 -c script args…`, returning stdout; throws with stderr when it fails.
func runPython(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
    let result = try ChildProcess.run("python3", ["-c", script] + arguments, environment: environment)
    guard result.status == 0 else { throw PythonFailure(message: result.errors) }
    return result.output
}

struct PythonFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { "python3 failed:\n\(message)" }
}
