import Foundation
import OrchardTestKit
import Testing

/// `report --html` goes where it says: an s3:// location is an object in the bucket (it used to be a local
/// folder named `s3:`), and a malformed one is refused.
@Suite struct ReportLocationTests {
    @Test func anS3HtmlIsWrittenToTheBucket() async throws {
        let endpoint = try await Moto.endpoint()
        let dataset = try await SampleDataset.get()
        try Moto.upload([:], bucket: "report-e2e", endpoint: endpoint)
        let scratch = try EndToEnd.temporaryFolder("report-cwd")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let run = try ChildProcess.run(
            "/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", scratch, EndToEnd.orchardBinary,
                        "report", dataset.output, "--html", "s3://report-e2e/reports/r.html", "--s3-endpoint", endpoint],
            environment: Moto.dummyCredentials, timeout: .seconds(120)
        ).check()
        #expect(run.output.contains("report: s3://report-e2e/reports/r.html"), "\(run.output)")
        #expect(try Moto.keys(bucket: "report-e2e", prefix: "reports/", endpoint: endpoint) == ["reports/r.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "wrote locally")
    }

    @Test func aMalformedS3HtmlIsRefused() async throws {
        let dataset = try await SampleDataset.get()
        let run = try EndToEnd.orchard(["report", dataset.output, "--html", "s3:/report-e2e/r.html"], timeout: .seconds(60))
        #expect(run.status == 64, "\(run.output) \(run.errors)")
        #expect(run.errors.contains("s3://bucket/key"), "\(run.errors)")
    }
}
