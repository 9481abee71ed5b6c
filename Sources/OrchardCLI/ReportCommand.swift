import ArgumentParser
import Foundation
import Pipeline
import Storage

/// `orchard report`: one HTML page about a featurize run.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a features dataset: variance curve, PCA scatter, classes, failures, speed.",
        discussion: "Example: orchard report features/   (writes features/_orchard/report.html)")

    @Argument(help: "A dataset written by `orchard featurize` (folder or s3:// prefix).")
    var dataset: String

    @Option(help: "Where to write the HTML (default: DATASET/_orchard/report.html for a folder, ./orchard-report.html for S3).")
    var html: String?

    @OptionGroup var storage: StorageOptions
    @OptionGroup var reading: DatasetReadOptions

    func run() async throws {
        let root = try StorageLocation(parsing: dataset)
        let data = try await storage.withStores { stores in
            _ = try await reading.open(root, stores: stores)
            return try await RunReportData.load(dataset: root, stores: stores)
        }
        let target: String
        if let html {
            target = html
        } else if case .local(let path) = root {
            target = path + "/_orchard/report.html"
        } else {
            target = "orchard-report.html"
        }
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try RunReportRenderer.html(data).write(toFile: target, atomically: true, encoding: .utf8)
        print("report: \(target)")
    }
}
