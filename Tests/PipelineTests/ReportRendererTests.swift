import Foundation
import Testing

@testable import Pipeline

/// The HTML report: content, escaping of user text, self-containment, bounds.
@Suite struct ReportRendererTests {
    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func rendersEverySection() {
        let data = ReportTestData.run()
        let html = RunReportRenderer.html(data)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for heading in ["Explained variance", "Images on the first two components", "Images per class", "Failures", "Run"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "missing section \(heading)")
        }
        #expect(Self.count("<svg", in: html) == 3)
        #expect(Self.count("<circle cx", in: html) >= 4000)  // the scatter's dots (plus legend swatches)
        #expect(html.contains("8\u{2009}880"))  // image count, grouped
        #expect(html.contains("<div class=\"value\">280</div>"))  // throughput, rounded to whole images/s
        #expect(html.contains("class=\"threshold\""))
        #expect(html.contains("95\u{202F}% at "))
        // The first 50 failures only, each in a table row.
        #expect(Self.count("<td class=\"path\">", in: html) == RunReportData.maxFailuresListed)
        #expect(html.contains("first 50 of 63"))
        for name in ReportTestData.classes { #expect(html.contains(name)) }
    }

    @Test func showsTheDatasetHistoryOnceUpdated() {
        var data = ReportTestData.run()
        #expect(!RunReportRenderer.html(data).contains("Dataset history"))  // a first run has no history to show
        data.history = [
            DatasetManifest.Version(version: 1, committed: "2026-11-30T10:00:00Z", images: 8880, added: 8880, removed: 0, changed: 0, pcaRefitted: true),
            DatasetManifest.Version(version: 2, committed: "2026-11-30T11:00:00Z", images: 8970, added: 100, removed: 12, changed: 3, pcaRefitted: false),
        ]
        let html = RunReportRenderer.html(data)
        #expect(html.contains("<h2>Dataset history</h2>"))
        #expect(html.contains("<td>2</td><td>2026-11-30T11:00:00Z</td><td>8\u{2009}970</td><td>+100</td><td>−12</td><td>3</td><td>kept</td>"))
    }

    @Test func isSelfContained() {
        let html = RunReportRenderer.html(ReportTestData.run())
        for forbidden in ["<script", "<link", "@import", "http://", "https://", "src="] {
            // The SVG namespace URI is an identifier, not a fetch.
            let cleaned = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!cleaned.contains(forbidden), "report references \(forbidden)")
        }
    }

    @Test func escapesUserText() {
        var data = ReportTestData.run(points: 50)
        data.title = "Run <b>&amp; \"quotes\" 'too'"
        data.input = "/data/<img src=x onerror=alert(1)>"
        data.imagesPerLabel["<svg onload=alert(2)>"] = 5000
        data.scatter.append(.init(x: 0, y: 0, label: "Evil & <Co>\u{0}"))
        data.failuresByReason["\"><script>alert(3)</script>"] = 1
        let html = RunReportRenderer.html(data)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("Run &lt;b&gt;&amp;amp; &quot;quotes&quot; &#39;too&#39;"))
        #expect(html.contains("/data/&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("Evil &amp; &lt;Co&gt;\u{FFFD}"))
        #expect(!html.contains("\u{0}"))
        #expect(HTMLText.escape("a<b>&\"'c") == "a&lt;b&gt;&amp;&quot;&#39;c")
    }

    @Test func boundsLargeInputs() {
        var data = ReportTestData.run(points: 20_000)
        data.imagesPerLabel = Dictionary(uniqueKeysWithValues: (0..<300).map { ("class \($0)", $0 + 1) })
        let html = RunReportRenderer.html(data)
        #expect(Self.count("<circle cx", in: html) <= RunReportData.maxScatterPoints + 17 + 13)
        #expect(html.contains("5\u{2009}000 of 20\u{2009}000 sampled images"))
        #expect(Self.count("class=\"bar-row\"", in: html) == 40)
        #expect(html.contains("… and 260 more"))
    }

    @Test func handlesAnEmptyRun() {
        let data = RunReportData(
            title: "Nothing", input: "in", output: "out", model: "m", imageCount: 0, failureCount: 0, seconds: 0,
            imagesPerSecond: 0)
        let html = RunReportRenderer.html(data)
        #expect(html.contains("PCA was not part of this run."))
        #expect(html.contains("No PCA coordinates to plot."))
        #expect(html.contains("Every image was featurised."))
        #expect(!html.contains("nan") && !html.contains("inf"))
    }

    @Test func labelsAFewComponentsByWholeNumbers() {
        let svg = VarianceChart(ratios: [0.6, 0.3, 0.1]).svg()
        let ticks = svg.components(separatedBy: "text-anchor=\"middle\">").dropFirst().compactMap { $0.split(separator: "<").first }
        #expect(Array(ticks.prefix(3)) == ["1", "2", "3"])
        #expect(Self.count("<rect", in: svg) == 3 + 1)  // three bars and the legend swatch
    }

    @Test func formatsNumbersForPeople() {
        #expect(HTMLText.integer(1_234_567) == "1\u{2009}234\u{2009}567")
        #expect(HTMLText.integer(999) == "999")
        #expect(HTMLText.duration(0.25) == "250\u{202F}ms")
        #expect(HTMLText.duration(725) == "12\u{202F}min 05\u{202F}s")
        #expect(HTMLText.duration(7380) == "2\u{202F}h 03\u{202F}min")
        #expect(PlotScale(domain: 0...1, range: 0...100).ticks(5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(PlotScale.label(0.25) == "0.25")
        #expect(PlotScale.label(-20) == "-20")
        #expect(VarianceChart(ratios: [0.5, 0.25, 0.125, 0.125]).componentsFor95 == 4)
        #expect(VarianceChart(ratios: [0.5, 0.25, 0.125]).componentsFor95 == nil)
    }

    @Test func roundTripsThroughJSON() throws {
        let data = ReportTestData.run(points: 10)
        let decoded = try JSONDecoder().decode(RunReportData.self, from: JSONEncoder().encode(data))
        #expect(decoded == data)
    }
}
