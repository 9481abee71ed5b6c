import Foundation
import OrchardTestKit
import Testing

/// `orchard ls` against a local S3 (moto): every object, or with `--images` only what `featurize` takes.
@Suite struct EndToEndListS3Tests {
    /// The locations of `ls` output lines ("   SIZE  s3://bucket/key").
    static func locations(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in line.range(of: "  s3://").map { String(line[$0.lowerBound...].dropFirst(2)) } }
    }

    @Test func lsListsImagesAndNotOtherObjects() async throws {
        let endpoint = try await Moto.endpoint()
        let folder = try EndToEnd.temporaryFolder("ls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let banana = EndToEnd.samples + "/Test/Banana 1"
        let photo = try #require(try FileManager.default.contentsOfDirectory(atPath: banana).filter { $0.hasSuffix(".jpg") }.min())
        let png = EndToEnd.packageRoot + "/Tests/ImagingTests/Resources/fixtures/rgba.png"
        let text = folder + "/notes.txt"
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: text))

        let images = [
            "Test/Banana 1/\(photo)": banana + "/" + photo,
            "Test/Banana 1/upper.JPG": banana + "/" + photo,
            "Test/Kiwi 1/sub/deep.jpeg": banana + "/" + photo,
            "Test/Kiwi 1/drawing.png": png,
        ]
        let others = [
            "Test/notes.txt": text,
            "Test/Banana 1/.hidden.jpg": banana + "/" + photo,
            "Test/Banana 1/jpg": text,
            "Test/Kiwi 1/archive.jpg.zip": text,
        ]
        let outside = ["Testing/elsewhere.jpg": banana + "/" + photo, "Other/x.jpg": banana + "/" + photo]
        try Moto.upload(images.merging(others) { $1 }.merging(outside) { $1 }, bucket: "ls-e2e", endpoint: endpoint)

        let listed = try EndToEnd.orchard(
            ["ls", "s3://ls-e2e/Test", "--images", "--s3-endpoint", endpoint], environment: Moto.dummyCredentials
        ).check()
        let lines = listed.output.split(separator: "\n").map(String.init)
        let objectLines = Self.locations(listed.output)
        #expect(Set(objectLines) == Set(images.keys.map { "s3://ls-e2e/\($0)" }), "listed:\n\(listed.output)")
        #expect(objectLines.count == images.count, "duplicates in:\n\(listed.output)")

        // Sizes are the objects' sizes, and the last line totals them.
        let sizes = try images.values.map { try #require((try FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.intValue) }
        for (key, path) in images {
            let size = try #require((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
            #expect(lines.contains { $0.hasSuffix("  s3://ls-e2e/\(key)") && $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(size)  ") },
                    "no size \(size) for \(key) in:\n\(listed.output)")
        }
        #expect(lines.last == "\(images.count) objects, \(sizes.reduce(0, +)) bytes", "\(listed.output)")

        // Without --images every object under the prefix is listed, and nothing outside it; with or
        // without a trailing slash, s3://bucket/Test is the folder Test (not Testing/).
        let all = try EndToEnd.orchard(["ls", "s3://ls-e2e/Test/", "--s3-endpoint", endpoint], environment: Moto.dummyCredentials).check()
        let everything = Self.locations(all.output)
        #expect(Set(everything) == Set(images.merging(others) { $1 }.keys.map { "s3://ls-e2e/\($0)" }), "listed:\n\(all.output)")
    }

    @Test func lsOfAMissingBucketFails() async throws {
        let endpoint = try await Moto.endpoint()
        let run = try EndToEnd.orchard(["ls", "s3://no-such-bucket-e2e/x", "--images", "--s3-endpoint", endpoint], environment: Moto.dummyCredentials)
        #expect(run.status != 0)
        #expect(run.errors.contains("no-such-bucket-e2e"), "\(run.errors)")
    }
}
