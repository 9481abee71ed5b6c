import Foundation
import Testing

@testable import Pipeline

/// The report's classifier section, shown when the rows carry predictions (`featurize --classifier`).
@Suite struct ReportClassifierTests {
    static func data() -> RunReportData {
        var data = ReportTestData.run(points: 10)
        data.classifier = "fruit.orchard"
        data.confusion = [
            "Apple <Braeburn>": ["Apple <Braeburn>": 95, "Apple Red 1": 5],
            "Apple Red 1": ["Apple Red 1": 98, "Apple <Braeburn>": 2],
            "Banana": ["Banana": 100],
        ]
        return data
    }

    @Test func showsAccuracyRecallTheHeatMapAndTheMostConfusedPairs() {
        let html = RunReportRenderer.html(Self.data())
        #expect(html.contains("<h2>Classifier</h2>"))
        #expect(html.contains("fruit.orchard named 293 of 300 images as their folder does: 97.67\u{202F}% accuracy"), "\(html)")
        #expect(html.contains("aria-label=\"Confusion matrix"))
        #expect(ReportRendererTests.count("<rect x=", in: html.components(separatedBy: "aria-label=\"Confusion matrix")[1]) >= 9)
        // Recall bars in per mille: 950, 980, 1000.
        #expect(html.contains(">950<") && html.contains(">980<") && html.contains(">1\u{2009}000<"))
        // The most confused pair first, labels escaped.
        let pairs = html.components(separatedBy: "<h3>Most confused</h3>")[1]
        #expect(pairs.contains("<td>Apple &lt;Braeburn&gt;</td><td>Apple Red 1</td><td>5</td>"))
        #expect(pairs.range(of: ">5<")!.lowerBound < pairs.range(of: ">2<")!.lowerBound)
        #expect(!html.contains("Apple <Braeburn>"))
    }

    @Test func isLeftOutWithoutPredictions() {
        #expect(!RunReportRenderer.html(ReportTestData.run(points: 10)).contains("<h2>Classifier</h2>"))
    }
}
