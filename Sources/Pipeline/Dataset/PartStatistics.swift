import Foundation
import Storage

/// Each part's PCA sums, kept in `_orchard/stats/<part>.cov` so that an update refits the PCA from the
/// sums of the parts it keeps plus those of its new parts, without reading any features again.
struct PartStatistics {
    let store: any ObjectStore
    let layout: DatasetLayout

    /// The largest statistics file read: d = 8192 gives 268 MB.
    static let maxBytes = 300 << 20

    /// Saves the sums of the part named `name`.
    func save(_ sums: FeatureAccumulator, part name: String) async throws {
        try await store.write(sums.serialized(), to: layout.statistics(ofPart: name))
    }

    /// The sums of the part named `name`: from its statistics file, or, when that is missing (a dataset
    /// resumed past its fit), from the part's features, saved for next time.
    func sums(ofPart name: String) async throws -> FeatureAccumulator {
        try await sums(ofPart: name) {
            try await LocalCopy.with(layout.root.appending(name), from: store) { try FeaturePartFile.read(path: $0) }
        }
    }

    /// The saved sums of the part named `name`, or, when none were saved, those of `rows()` (its
    /// features, wherever the part is), saved for next time.
    func sums(ofPart name: String, rows: () async throws -> [FeatureRow]) async throws -> FeatureAccumulator {
        if let saved = try await saved(ofPart: name) { return saved }
        var sums = FeatureAccumulator()
        try sums.add(try await rows())
        try await save(sums, part: name)
        return sums
    }

    /// The saved sums of the part named `name`, or nil when none were saved.
    func saved(ofPart name: String) async throws -> FeatureAccumulator? {
        let location = layout.statistics(ofPart: name)
        guard try await store.size(of: location) != nil else { return nil }
        return try FeatureAccumulator(serialized: try await store.read(location, maxBytes: Self.maxBytes))
    }

    /// Saves the sums of the part named `name` from its features unless they are saved already.
    func ensure(part name: String) async throws {
        guard try await store.size(of: layout.statistics(ofPart: name)) == nil else { return }
        _ = try await sums(ofPart: name)
    }
}
