import Foundation
import OrchardTestKit
import Testing

@testable import OrchardCLI

/// `orchard ls` prints keys with control characters escaped: a hostile file name cannot clear the screen
/// or forge a listing line.
@Suite struct TerminalEscapingTests {
    static let hostile = "a\u{1B}[2Jb\n.jpg"

    @Test func listingLineEscapesTheKey() {
        #expect(ListCommand.line(size: 5, location: "photos/" + Self.hostile) == "           5  photos/a\\u{1B}[2Jb\\u{A}.jpg")
    }

    @Test func lsOfAFolderPrintsTheKeyEscaped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-ls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("jpeg".utf8).write(to: URL(fileURLWithPath: folder + "/" + Self.hostile))
        let orchard = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let binary = FileManager.default.isExecutableFile(atPath: orchard) ? orchard : root + "/.build/debug/orchard"
        let result = try ChildProcess.run(binary, ["ls", folder]).check()
        #expect(!result.output.contains("\u{1B}"))
        #expect(result.output.contains("a\\u{1B}[2Jb\\u{A}.jpg"), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 2)  // the key's line and the total
    }

    @Test func errorLinesEscapeThePathsTheyQuote() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-err-\(UUID().uuidString)").path
        let hostile = folder + "/in\u{1B}[2J"
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let orchard = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let binary = FileManager.default.isExecutableFile(atPath: orchard) ? orchard : root + "/.build/debug/orchard"
        // An empty input folder: the error names it.
        let result = try ChildProcess.run(binary, ["featurize", hostile, "--out", folder + "/out", "--model", "/nonexistent.tflite"])
        #expect(result.status != 0)
        #expect(!result.errors.contains("\u{1B}"), "\(result.errors)")
        #expect(result.errors.contains("in\\u{1B}[2J"), "\(result.errors)")
    }
}
