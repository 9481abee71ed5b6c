/// Gathers an update's rows — new images', and those of parts written again — into parts of `rowsPerPart`
/// rows, so a run of small updates leaves a few full parts rather than a trail of small ones (each with
/// its own file of PCA sums).
struct PartPacker {
    /// One part's rows and the identities of their images, in the same order.
    typealias Part = (rows: [FeatureRow], images: [DatasetManifest.ImageIdentity])

    let rowsPerPart: Int
    private var rows: [FeatureRow] = []
    private var images: [DatasetManifest.ImageIdentity] = []

    init(rowsPerPart: Int) {
        self.rowsPerPart = max(rowsPerPart, 1)
    }

    /// Rows waiting for more to fill a part.
    var pending: Int { rows.count }

    /// Adds `newRows` (`identity` gives each one's image); returns the parts filled, each `rowsPerPart` rows.
    mutating func add(_ newRows: [FeatureRow], identity: (FeatureRow) throws -> DatasetManifest.ImageIdentity) rethrows -> [Part] {
        for row in newRows {
            rows.append(row)
            images.append(try identity(row))
        }
        var full: [Part] = []
        while rows.count >= rowsPerPart {
            full.append((Array(rows.prefix(rowsPerPart)), Array(images.prefix(rowsPerPart))))
            rows.removeFirst(rowsPerPart)
            images.removeFirst(rowsPerPart)
        }
        return full
    }

    /// The rows left, as the last (smaller) part; nil when none are.
    mutating func finish() -> Part? {
        guard !rows.isEmpty else { return nil }
        defer { (rows, images) = ([], []) }
        return (rows, images)
    }
}
