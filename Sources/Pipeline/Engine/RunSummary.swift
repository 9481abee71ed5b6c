import Foundation

/// What a finished run did, printed at the end and kept in `OUT/_orchard/run.json` for reports.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Images in the input.
    public var images: Int
    /// Images done by an earlier, interrupted run of the same job and not redone.
    public var resumed: Int
    /// Images that became error rows.
    public var failures: Int
    /// Failure counts by short reason ("corrupt image", "too many pixels", …).
    public var failuresByReason: [String: Int]
    /// Wall-clock seconds of this run.
    public var seconds: Double
    /// Images featurized per second by this run (resumed images excluded).
    public var imagesPerSecond: Double
    /// Length of the feature vectors.
    public var featureCount: Int
    /// PCA components kept, or nil without PCA.
    public var pcaComponents: Int?
    /// Worker threads used.
    public var threads: Int
    /// The engine that ran the job ("local" or "spark").
    public var engine: String

    /// The summary as a few lines for people.
    public var text: String {
        var lines = [
            "images: \(images) (\(failures) failed\(resumed > 0 ? ", \(resumed) resumed from an earlier run" : ""))",
            "time: \(String(format: "%.1f", seconds)) s, \(String(format: "%.1f", imagesPerSecond)) images/s on \(threads) threads (\(engine) engine)",
            "features: \(featureCount)" + (pcaComponents.map { ", PCA components: \($0)" } ?? ""),
        ]
        for (reason, count) in failuresByReason.sorted(by: { $0.value > $1.value }) {
            lines.append("  failed: \(count) × \(reason)")
        }
        return lines.joined(separator: "\n")
    }
}
