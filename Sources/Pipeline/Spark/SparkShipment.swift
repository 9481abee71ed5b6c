import Foundation

/// The files a Spark job ships to executors: this `orchard` binary and the weights.
///
/// Each session's artifacts land in their own subfolder of the executors' working directory, and a
/// long-lived server keeps the folders of earlier sessions; the binary's name is unique to this run
/// so the launcher's glob finds this session's folder, never an older one.
struct SparkShipment {
    let folder: String
    let binaryName: String
    let modelName: String
    let modelBytes: Int64
    private(set) var files: [URL]

    init(binary: String, modelPath: String) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: modelPath)
        modelBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        folder = NSTemporaryDirectory() + "orchard-shipment-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        binaryName = "orchard-\(OrchardVersion.current)-\(UUID().uuidString.lowercased())"
        let ext = (modelPath as NSString).pathExtension
        modelName = "model-\(modelBytes)" + (ext.isEmpty ? "" : ".\(ext)")
        for (source, name) in [(binary, binaryName), (modelPath, modelName)] {
            try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
        }
        chmod(folder + "/" + binaryName, 0o755)
        files = [URL(fileURLWithPath: folder + "/" + binaryName), URL(fileURLWithPath: folder + "/" + modelName)]
    }

    /// Writes `bytes` as another file to ship and returns it.
    func add(_ bytes: [UInt8], named name: String) throws -> URL {
        let url = URL(fileURLWithPath: folder + "/" + name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Copies the file at `path` as another file to ship, shipped with the binary and model; returns the copy.
    mutating func add(file path: String, named name: String) throws -> URL {
        let url = URL(fileURLWithPath: folder + "/" + name)
        try FileManager.default.copyItem(atPath: path, toPath: url.path)
        files.append(url)
        return url
    }

    /// Deletes the local copies.
    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The executable of this process, which executors run as `orchard worker`.
    static func runningBinary() throws -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw PipelineError.invalidOption("cannot find this orchard executable to ship to Spark (\(path))")
        }
        return path
    }
}
