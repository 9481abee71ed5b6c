import Foundation
import OrchardTestKit

/// Pillow's pixels for the same files, computed live by Resources/pillow_reference.py with python3.
enum Pillow {
    /// One image as Pillow produced it.
    struct Reference {
        var width: Int
        var height: Int
        var bytes: [UInt8]
    }

    /// What Pillow is asked to do; see pillow_reference.py.
    enum Mode {
        case convert, upright, resize224, tensor224
        /// `convert("RGB").resize((width, height))`.
        case resize(width: Int, height: Int)

        var argument: String {
            switch self {
            case .convert: "convert"
            case .upright: "upright"
            case .resize224: "resize224"
            case .tensor224: "tensor224"
            case .resize(let width, let height): "resize=\(width)x\(height)"
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs Pillow once over all `paths` and returns its output for each, in order.
    static func reference(_ mode: Mode, _ paths: [URL]) throws -> [Reference] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("orchard-imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = TestData.resources.appendingPathComponent("pillow_reference.py").path
        let result = try ChildProcess.run("python3", [script, mode.argument, directory.path] + paths.map(\.path))
        guard result.status == 0 else {
            throw Failure(description: "pillow_reference.py failed: \(result.errors)")
        }
        let printed = result.stdout
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        guard lines.count == paths.count else {
            throw Failure(description: "pillow_reference.py printed \(lines.count) sizes for \(paths.count) files")
        }
        return try lines.enumerated().map { index, line in
            let numbers = line.split(separator: " ").compactMap { Int($0) }
            guard numbers.count == 2 else { throw Failure(description: "bad size line \(line)") }
            let bytes = try TestData.bytes(directory.appendingPathComponent("\(index).bin"))
            return Reference(width: numbers[0], height: numbers[1], bytes: bytes)
        }
    }
}
