import Foundation
import OrchardTestKit
import Testing

/// What `classify` does with each photo argument: a named file is classified whatever its name, a missing
/// or broken one gets its own error line (naming it once) and the others are still classified, and a link
/// is answered for under the name the user gave.
@Suite struct ClassifyArgumentsTests {
    struct Line: Decodable {
        let path: String
        let label: String?
        let error: String?
    }

    /// A folder with a real photo under several names and files that are not photos.
    static func photos() throws -> String {
        let folder = try EndToEnd.temporaryFolder("classify-arguments")
        let banana = EndToEnd.samples + "/Test/Banana 1"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: banana).filter { $0.hasSuffix(".jpg") }.min())
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: banana + "/" + name))
        try jpeg.write(to: URL(fileURLWithPath: folder + "/base.jpg"))
        try jpeg.write(to: URL(fileURLWithPath: folder + "/photo"))  // a JPEG without an extension
        try jpeg.prefix(jpeg.count / 2).write(to: URL(fileURLWithPath: folder + "/trunc.jpg"))
        try Data("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8).write(to: URL(fileURLWithPath: folder + "/x.gif"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.jpg", withDestinationPath: folder + "/base.jpg")
        return folder
    }

    @Test func eachNamedFileGetsItsOwnLineAndTheOthersAreStillClassified() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try Self.photos()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let names = ["nope.jpg", "base.jpg", "photo", "x.gif", "trunc.jpg", "link.jpg"]
        let run = try EndToEnd.orchard(
            ["classify", "--model", bundle, "--backbone", EndToEnd.realModel, "--json", "--top", "1"] + names.map { folder + "/" + $0 })
        #expect(run.status == 1, "\(run.errors)")
        #expect(!run.errors.contains("Usage"), "\(run.errors)")
        let lines = try run.output.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        // Keyed by the path as given (here already absolute): link.jpg is not reported as base.jpg.
        #expect(lines.map(\.path) == names.map { folder + "/" + $0 }, "\(run.output)")
        guard lines.count == names.count else { return }
        let byName = Dictionary(uniqueKeysWithValues: zip(names, lines))
        #expect(byName["nope.jpg"]?.error == "no such file or folder", "\(run.output)")
        for name in ["base.jpg", "photo", "link.jpg"] {
            #expect(byName[name]?.label == "Banana 1" && byName[name]?.error == nil, "\(name): \(run.output)")
        }
        #expect(byName["x.gif"]?.error?.hasPrefix("not a JPEG or PNG image") == true, "\(run.output)")
        // The JSON error is the reason alone: the path is in `path`.
        #expect(byName["trunc.jpg"]?.error?.isEmpty == false, "\(run.output)")
        for line in lines { #expect(line.error?.contains(folder) != true, "\(line)") }
    }

    @Test func aTextErrorLineNamesThePathOnce() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try Self.photos()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/trunc.jpg"
        let run = try EndToEnd.orchard(["classify", "--model", bundle, "--backbone", EndToEnd.realModel, path])
        #expect(run.status == 1)
        let line = run.output.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix(path + ": error: ") && line.components(separatedBy: folder).count == 2, "\(run.output)")
    }

    @Test func foldersStillTakeOnlyJpegAndPngNames() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try Self.photos()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.removeItem(atPath: folder + "/trunc.jpg")
        let run = try EndToEnd.orchard(["classify", "--model", bundle, "--backbone", EndToEnd.realModel, "--json", folder]).check()
        let paths = try run.output.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).path }
        #expect(paths == [folder + "/base.jpg", folder + "/link.jpg"], "\(run.output)")
    }
}
