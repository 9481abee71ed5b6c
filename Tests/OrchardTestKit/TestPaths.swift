import Foundation

/// Where every test target finds the repository, the read-only shared data beside it and the built
/// `orchard`, and how it makes scratch folders and small copies of the sample photos.
public enum TestPaths {
    /// The package root (this file is three levels below it).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// The read-only shared folder beside the repository (`$ORCHARD_SHARED` overrides it).
    public static let shared = ((ProcessInfo.processInfo.environment["ORCHARD_SHARED"] ?? packageRoot + "/../shared") as NSString)
        .standardizingPath
    /// The real ImageNet MobileNetV2 (TFLite, int8 weights, with the 1000-class top).
    public static let realModel = shared + "/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite"
    /// The sample photos, `{Training,Test}/<Class>/*.jpg`.
    public static let samples = shared + "/data/fruits-360-sample"

    /// The `orchard` executable built beside the test bundle, else the debug build.
    public static var orchardBinary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return packageRoot + "/.build/debug/orchard"
    }

    /// A new empty temporary folder (outside the repository), named after `name`, in `scratchRoot`.
    public static func temporaryFolder(_ name: String) throws -> String {
        let path = scratchRoot + "orchard-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// This test process's scratch folder, `$TMPDIR/orchard-tests/<pid>/`. Suites run concurrently and
    /// their outputs are looked at after a failure, so nothing is removed while the process runs; the
    /// folders of test processes that have ended (a full run leaves ~4 GB) are removed when the next starts.
    public static let scratchRoot: String = {
        let base = NSTemporaryDirectory() + "orchard-tests/"
        let files = FileManager.default
        for entry in (try? files.contentsOfDirectory(atPath: base)) ?? [] {
            guard let pid = Int32(entry), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? files.removeItem(atPath: base + entry)
        }
        let root = base + "\(getpid())/"
        try? files.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }()

    /// A new folder with the first `perClass` photos of each class of `split`, copied into class folders.
    public static func sampleFolder(classes: [String], perClass: Int, split: String = "Test") throws -> String {
        let folder = try temporaryFolder("input")
        for name in classes {
            let source = "\(samples)/\(split)/\(name)"
            let files = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".jpg") }.sorted()
            guard files.count >= perClass else { throw ChildProcess.Failure("\(source) has only \(files.count) photos") }
            try FileManager.default.createDirectory(atPath: "\(folder)/\(name)", withIntermediateDirectories: true)
            for file in files.prefix(perClass) {
                try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(folder)/\(name)/\(file)")
            }
        }
        return folder
    }
}
