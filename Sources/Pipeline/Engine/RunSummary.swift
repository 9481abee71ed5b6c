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
    /// The dataset version this run committed (1 for a first run, +1 per update); nil for older datasets.
    public var version: Int? = nil
    /// Every version of the dataset so far, oldest first.
    public var history: [DatasetManifest.Version]? = nil
    /// An update that found nothing new, changed or removed (nothing was written).
    public var upToDate: Bool? = nil

    /// What `resumed` counts: rows of an interrupted attempt, or rows an update kept from the previous version.
    private var keptWord: String {
        if upToDate == true { return "already in the dataset: it is up to date with INPUT, nothing was written" }
        return (version ?? 1) > 1 ? "already in the dataset, not featurized again" : "resumed from an earlier run"
    }

    /// The summary as a few lines for people.
    public var text: String {
        var lines = [
            "images: \(images) (\(failures) failed\(resumed > 0 ? ", \(resumed) \(keptWord)" : ""))",
            "time: \(String(format: "%.1f", seconds)) s, \(String(format: "%.1f", imagesPerSecond)) images/s on \(threads) thread\(threads == 1 ? "" : "s") (\(engine) engine)",
            "features: \(featureCount)" + (pcaComponents.map { ", PCA components: \($0)" } ?? ""),
        ]
        for (reason, count) in failuresByReason.sorted(by: { $0.value > $1.value }) {
            lines.append("  failed: \(count) × \(reason)")
        }
        if let history, history.count > 1 || version != 1 {
            lines.append("dataset history:")
            for entry in history {
                lines.append("  version \(entry.version) (\(entry.committed)): \(entry.images) images, +\(entry.added) added, "
                    + "-\(entry.removed) removed, \(entry.changed) changed\(entry.pcaRefitted ? ", PCA fitted" : "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
