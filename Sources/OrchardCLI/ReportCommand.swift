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

    @Option(help: "Where to write the HTML, a file or s3:// object (default: DATASET/_orchard/report.html for a folder, ./orchard-report.html for S3).")
    var html: String?

    @OptionGroup var storage: StorageOptions
    @OptionGroup var reading: DatasetReadOptions

    func validate() throws {
        // Parsed here so that a malformed --html (s3:/bucket/r.html) is refused before the dataset is read.
        if let html { _ = try target(html) }
    }

    func run() async throws {
        let root = try StorageLocation(parsing: dataset)
        let target = try target(html ?? defaultTarget(for: root))
        try await storage.withStores { stores in
            _ = try await reading.open(root, stores: stores)
            let data = try await RunReportData.load(dataset: root, stores: stores)
            try await stores.store(for: target).write(Array(RunReportRenderer.html(data).utf8), to: target)
        }
        print("report: \(TerminalText.escaped(target.description))")
    }

    /// Where the report goes when --html is not given.
    private func defaultTarget(for root: StorageLocation) -> String {
        if case .local = root { return root.appending("_orchard/report.html").description }
        return "orchard-report.html"
    }

    /// `text` as the report's location: a local file or an S3 object.
    private func target(_ text: String) throws -> StorageLocation {
        let location: StorageLocation
        do {
            location = try StorageLocation(parsing: text)
        } catch {
            throw ValidationError("--html: \(TerminalText.escaped(error.description)).")
        }
        if case .hdfs = location { throw ValidationError("--html must be a local file or an s3:// object; Orchard does not write to HDFS.") }
        return location
    }
}
