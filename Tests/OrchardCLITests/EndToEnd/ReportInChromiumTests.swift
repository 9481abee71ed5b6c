import Foundation
import OrchardTestKit
import Testing

/// `orchard report` on the shared dataset, rendered by headless Chromium (installed by scripts/setup.sh).
@Suite struct EndToEndReportTests {
    static func chromium() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        throw ChildProcess.Failure("chromium not found on PATH (scripts/setup.sh installs it)")
    }

    /// The DOM of `page` after Chromium rendered it.
    static func renderedDOM(_ page: String) throws -> String {
        let profile = try EndToEnd.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let run = try ChildProcess.run(
            try chromium(),
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--mute-audio", "--disable-extensions",
             "--user-data-dir=\(profile)", "--dump-dom", URL(fileURLWithPath: page).absoluteString],
            timeout: .seconds(120)
        ).check()
        return run.output
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func reportRendersTheRowCountAndLabels() async throws {
        let dataset = try await SampleDataset.get()
        let run = try EndToEnd.orchard(["report", dataset.output]).check()
        let page = dataset.output + "/_orchard/report.html"
        #expect(run.output.contains("report: \(page)"), "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: page))

        let dom = try Self.renderedDOM(page)
        // Through a function, so a failure prints the fragment looked for, not the whole page.
        func shows(_ fragment: String) -> Bool { dom.contains(fragment) }
        #expect(shows("<div class=\"label\">Featurised</div><div class=\"value\">\(dataset.imageCount)</div>"), "no row count card")
        #expect(shows("<div class=\"label\">Failed</div><div class=\"value\">0</div>"), "failures not 0")
        #expect(shows("\(dataset.imageCount) images in \(SampleDataset.classes.count) classes."))
        for label in SampleDataset.classes {
            #expect(shows("<title>\(label): \(SampleDataset.perClass)</title>"), "no bar for \(label)")
            #expect(shows(">\(label)</text>"), "no axis label for \(label)")
        }
        let k = try #require(try EndToEnd.jsonObject(dataset.output + "/_orchard/pca.json")["n_components"] as? Int)
        #expect(shows("<div class=\"label\">PCA components</div><div class=\"value\">\(k)</div>"), "PCA card does not say \(k)")
        #expect(shows("<dt>Input</dt><dd>\(dataset.input)</dd>"), "input folder not shown")
        // The model by its file name (the report shows the name, not the folder).
        let modelName = (EndToEnd.realModel as NSString).lastPathComponent
        let modelShown = shows("<dt>Model</dt><dd>\(EndToEnd.realModel)</dd>") || shows("<dt>Model</dt><dd>\(modelName)</dd>")
        #expect(modelShown, "model not shown")
        // One scatter point (r 2.6; legend and variance-curve dots differ) per image; no scripts.
        let points = Self.count(" r=\"2.6\"", in: dom)
        #expect(points == dataset.imageCount, "\(points) scatter points")
        #expect(!shows("<script"))
        #expect(!shows("src=\"http"), "the page loads something from the network")
    }

    @Test func reportHonoursHTMLPath() async throws {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("report")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/nested/r.html"
        let run = try EndToEnd.orchard(["report", dataset.output, "--html", page]).check()
        #expect(run.output.contains("report: \(page)"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("\(dataset.imageCount) images in \(SampleDataset.classes.count) classes."))
    }
}
