import Storage

/// Names of the files in an output dataset, laid out as Spark writes one.
///
/// ```
/// OUT/part-00000-<job>.parquet …   committed parts, each visible only once complete
/// OUT/_orchard/job.json            what job wrote this folder (refuses to mix jobs)
/// OUT/_orchard/pca.orchpca, pca.json   the PCA model, when PCA was asked
/// OUT/_orchard/run.json            the run's summary, read by `orchard report`
/// OUT/_orchard/manifest.json       the committed parts, each image's identity, the version history
/// OUT/_orchard/stats/<part>.cov    each part's PCA sums (count, sums, cross-products in float64)
/// OUT/_orchard/spark-parts.json    the parts a Spark run wrote (Spark's names)
/// OUT/_temporary/…                 work in progress (features awaiting PCA)
/// OUT/_SUCCESS                     written last: the dataset is complete
/// ```
/// Spark, pyarrow and DuckDB skip names starting with `_` or `.`, so readers see only parts.
public struct DatasetLayout: Sendable {
    /// The dataset folder or prefix.
    public let root: StorageLocation

    public init(root: StorageLocation) {
        self.root = root
    }

    /// The marker written once every part is committed.
    public var success: StorageLocation { root.appending("_SUCCESS") }
    /// The job description that identifies which job owns the folder.
    public var jobFile: StorageLocation { root.appending("_orchard/job.json") }
    /// The run summary used by reports.
    public var runFile: StorageLocation { root.appending("_orchard/run.json") }
    /// The binary PCA model.
    public var pcaModel: StorageLocation { root.appending("_orchard/pca.orchpca") }
    /// The PCA model as JSON for people and other tools.
    public var pcaModelJSON: StorageLocation { root.appending("_orchard/pca.json") }
    /// The committed state: parts, image identities, versions (the commit point of updates).
    public var manifest: StorageLocation { root.appending("_orchard/manifest.json") }
    /// The PCA sums of the part named `partName`.
    public func statistics(ofPart partName: String) -> StorageLocation { root.appending("_orchard/stats/\(partName).cov") }
    /// The staging folder of an update (relative to OUT), hidden from readers.
    public static let updateStaging = "_temporary/update/"
    /// The parts a Spark run wrote (Spark names them), so a later `--overwrite` deletes only those.
    public var sparkParts: StorageLocation { root.appending("_orchard/spark-parts.json") }
    /// The exclusive lease of the run writing the dataset.
    public var lockFile: StorageLocation { root.appending("_orchard/lock") }

    /// Whether `location` is one of the files a dataset written by Orchard (either engine) consists of:
    /// `_SUCCESS`, `_orchard/…`, `_temporary/…`, top-level `part-*.parquet` (Orchard's or Spark's names),
    /// and the hidden temporaries and checksums next to them (`.part-….tmp`, `.part-….crc`, `._SUCCESS.crc`).
    public func isDatasetFile(_ location: StorageLocation) -> Bool {
        let rootText = root.description.hasSuffix("/") ? root.description : root.description + "/"
        let text = location.description
        guard text.hasPrefix(rootText) else { return false }
        let relative = text.dropFirst(rootText.count)
        if relative.hasPrefix("_orchard/") || relative.hasPrefix("_temporary/") || relative == "_SUCCESS" { return true }
        guard !relative.contains("/") else { return false }
        let name = relative.hasPrefix(".") ? relative.dropFirst() : relative
        return (name.hasPrefix("part-") && (name.hasSuffix(".parquet") || name.hasSuffix(".crc") || name.hasSuffix(".tmp")))
            || name == "_SUCCESS.crc"
            || (relative.hasPrefix(".") && relative.hasSuffix(".tmp") && name.hasPrefix("_SUCCESS"))
    }

    /// The committed part number `index` of job `jobID`.
    public func part(_ index: Int, jobID: String) -> StorageLocation {
        root.appending(Self.partName(index, jobID: jobID))
    }

    /// A staged features part (before PCA) number `index`.
    public func stagedPart(_ index: Int, jobID: String) -> StorageLocation {
        root.appending("_temporary/features/" + Self.partName(index, jobID: jobID))
    }

    /// `part-00007-<job>.parquet`, as Spark names its parts.
    public static func partName(_ index: Int, jobID: String) -> String {
        let number = String(index)
        return "part-" + String(repeating: "0", count: max(0, 5 - number.count)) + number + "-\(jobID).parquet"
    }

    /// The part number in a part file name, or nil for other files.
    public static func partIndex(ofName name: String, jobID: String) -> Int? {
        guard name.hasPrefix("part-"), name.hasSuffix("-\(jobID).parquet") else { return nil }
        return Int(name.dropFirst(5).prefix { $0 != "-" })
    }
}
