import Foundation

/// Where the tests find their fixtures, the shared Fruits-360 sample and the Pillow helper script.
enum TestData {
    /// Tests/ImagingTests/Resources in the source tree.
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources")

    /// ../shared beside the package root (read-only, never copied into the repository).
    static let shared = resources
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// A committed fixture made by Resources/make_fixtures.py.
    static func fixture(_ name: String) -> URL {
        resources.appendingPathComponent("fixtures").appendingPathComponent(name)
    }

    /// The first `perClass` photos (by name) of every class of the Test split, classes in name order.
    static func fruits(perClass: Int) throws -> [URL] {
        let root = shared.appendingPathComponent("data/fruits-360-sample/Test")
        let classes = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        return try classes.flatMap { name in
            let folder = root.appendingPathComponent(name)
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".jpg") }.sorted().prefix(perClass)
                .map { folder.appendingPathComponent($0) }
        }
    }

    /// The file's bytes.
    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The largest per-channel difference between two equally long byte arrays (Int.max if lengths differ).
    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard a.count == b.count else { return Int.max }
        return zip(a, b).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }
}
