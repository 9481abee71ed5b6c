import Foundation
import OrchardTestKit
import Testing

@testable import Pipeline

/// The report as a browser shows it: headless Chromium renders the page, and the screenshot and the
/// rendered DOM are checked (Chromium is installed by scripts/setup.sh).
@Suite(.serialized) struct ReportBrowserTests {
    static func chromium() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        throw ToolFailure(description: "chromium not found on PATH (scripts/setup.sh installs the apt package)")
    }

    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a tool with a deadline and returns its stdout; fails on a non-zero exit. Its stdout goes to a
    /// file: Chromium's helper processes may keep a pipe open after it exits.
    static func run(_ tool: String, _ arguments: [String], timeout: Duration = .seconds(90)) throws -> Data {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-report-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: out) }
        let status = try ChildProcess.run(tool, arguments, stdoutTo: out.path, timeout: timeout)
        guard status == 0 else {
            throw ToolFailure(description: "\(tool) exited with status \(status)\(status == 137 ? " (killed after \(timeout))" : "")")
        }
        return try Data(contentsOf: out)
    }

    static func chromiumArguments(profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
         "--disable-extensions", "--user-data-dir=\(profile.path)"]
    }

    @Test func rendersInChromium() throws {
        let chromium = try Self.chromium()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try Data(RunReportRenderer.html(ReportTestData.run()).utf8).write(to: page)

        // Screenshot: the right size, and not blank (charts bring many distinct colours).
        let png = dir.appendingPathComponent("report.png")
        _ = try Self.run(
            chromium,
            Self.chromiumArguments(profile: dir.appendingPathComponent("profile-1"))
                + ["--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString])
        let stats = try Self.run(
            "/usr/bin/env",
            ["python3", "-c",
             "import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert('RGB'); "
                + "print(im.size[0], im.size[1], len(im.getcolors(1 << 24)))",
             png.path])
        let fields = String(decoding: stats, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(fields.count == 3)
        if fields.count == 3 {
            #expect(fields[0] == 1200 && fields[1] == 1600)
            #expect(fields[2] > 200, "screenshot has only \(fields[2]) colours")
        }

        // The DOM after rendering still holds the charts.
        let dom = String(
            decoding: try Self.run(
                chromium, Self.chromiumArguments(profile: dir.appendingPathComponent("profile-2")) + ["--dump-dom", page.absoluteString]),
            as: UTF8.self)
        #expect(ReportRendererTests.count("<svg", in: dom) == 3)
        #expect(ReportRendererTests.count("<circle", in: dom) >= 4000)
        #expect(dom.contains("class=\"cumulative\""))
        #expect(dom.contains("Apple Golden 1"))
        #expect(!dom.contains("<script"))  // the hostile failure path stayed text
    }
}
