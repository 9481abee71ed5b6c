import Foundation
import LinearAlgebra
import Storage

/// An existing features dataset (ours or Spark's): its part files, read one at a time.
public struct FeatureDataset: Sendable {
    /// The dataset folder or prefix.
    public let root: StorageLocation
    let store: any ObjectStore

    /// The dataset at `root`, read through `stores`.
    public init(root: StorageLocation, stores: StoreResolver) throws {
        self.root = root
        self.store = try stores.store(for: root)
    }

    /// The part files: those the committed manifest lists when Orchard wrote the dataset (so a reader sees
    /// one version even while an update publishes the next), else the `.parquet` files not hidden (`_` or
    /// `.` prefixed names and folders), in order.
    public func parts() async throws -> [StorageLocation] {
        let layout = DatasetLayout(root: root)
        if try await store.size(of: layout.manifest) != nil {
            let manifest = try DatasetManifest.decode(
                try await store.read(layout.manifest, maxBytes: DatasetManifest.maxBytes), source: layout.manifest.description)
            guard manifest.publish == nil else {
                throw PipelineError.invalidDataset(
                    root.description,
                    reason: "version \(manifest.version) is being published by an update (or one was stopped while publishing it): read again once it is done, or run the update again to finish it")
            }
            return manifest.parts.map { root.appending($0.name) }
        }
        let prefix = root.description.hasSuffix("/") ? root.description : root.description + "/"
        let parts = try await store.list(under: root).map(\.location).filter { location in
            let relative = location.description.dropFirst(prefix.count)
            return location.name.hasSuffix(".parquet")
                && !relative.split(separator: "/").contains { $0.hasPrefix("_") || $0.hasPrefix(".") }
        }
        guard !parts.isEmpty else {
            throw PipelineError.invalidDataset(root.description, reason: "no .parquet part files here")
        }
        return parts
    }

    /// Throws unless `_SUCCESS` is there (its run finished): `PipelineError.incompleteDataset` for a run
    /// still going or interrupted, else what the folder is instead (photos, several datasets, a file…).
    public func requireComplete() async throws {
        if case .local(let path) = root {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                let folder = (path as NSString).deletingLastPathComponent
                throw PipelineError.invalidDataset(root.description, reason: "a file, not a dataset: give the dataset's folder (\(folder), if it is one)")
            }
        }
        guard try await store.size(of: DatasetLayout(root: root).success) == nil else { return }
        throw try await whyNotComplete()
    }

    /// Why `root`, a folder or prefix without `_SUCCESS`, is no finished dataset, from what it holds.
    func whyNotComplete() async throws -> PipelineError {
        let prefix = root.description.hasSuffix("/") ? root.description : root.description + "/"
        let names = try await store.list(under: root).map { String($0.location.description.dropFirst(prefix.count)) }
        let ours = names.contains { $0.hasPrefix("_orchard/") || $0.hasPrefix("_temporary/") || $0.hasPrefix(".part-") }
        if ours { return .incompleteDataset(root.description) }
        let nested = names.filter { $0.hasSuffix("/_SUCCESS") }.map { String($0.dropLast("/_SUCCESS".count)) }.sorted()
        if let first = nested.first {
            return .invalidDataset(
                root.description,
                reason: "it holds \(nested.count) dataset(s) in subfolders, not one: name each, e.g. \(prefix + first)")
        }
        if names.contains(where: { !$0.contains("/") && $0.hasSuffix(".parquet") }) {
            return .invalidDataset(
                root.description,
                reason: "its Parquet files carry no _SUCCESS and no Orchard record (_orchard/): if another tool wrote them "
                    + "whole, read them anyway with --allow-incomplete")
        }
        let photos = [".jpg", ".jpeg", ".png"]
        if names.contains(where: { name in photos.contains { name.lowercased().hasSuffix($0) } }) {
            return .invalidDataset(
                root.description,
                reason: "it holds photos, not features: featurize them first, e.g. orchard featurize \(root) --out features/")
        }
        return .invalidDataset(root.description, reason: "no .parquet part files here")
    }

    /// Calls `body` with the rows of each part in turn; at most one part is in memory.
    public func forEachPart(_ body: (StorageLocation, [FeatureRow]) async throws -> Void) async throws {
        for part in try await parts() {
            let rows = try await LocalCopy.with(part, from: store) { try FeaturePartFile.read(path: $0) }
            try await body(part, rows)
        }
    }

    /// Fits a PCA on every row's features, streaming part by part.
    public func fitPCA(_ selection: ComponentSelection) async throws -> PCAModel {
        var accumulator = FeatureAccumulator()
        try await forEachPart { _, rows in try accumulator.add(rows) }
        return try accumulator.fit(selection, source: root.description)
    }
}

extension FeatureDataset {
    /// Writes a copy of the dataset to `output` with each row's `pca` column set by `model`; returns the row count.
    ///
    /// Parts are committed whole and `_SUCCESS` comes last, as in `featurize`. `output` must be empty or new.
    public func transform(with model: PCAModel, to output: StorageLocation, stores: StoreResolver) async throws -> Int {
        let outputStore = try stores.store(for: output)
        try OutputPlacement.refuseOverlap(input: root, output: output)
        let existing = try await OutputFolder(store: outputStore, layout: DatasetLayout(root: output)).listing()
        if let first = existing.first {
            throw PipelineError.outputNotOurs(output.description, example: first.location.description, count: existing.count)
        }
        let scratch = NSTemporaryDirectory() + "orchard-transform-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var rowCount = 0
        var index = 0
        try await forEachPart { part, rows in
            var rows = rows
            for i in rows.indices {
                rows[i].pca = try rows[i].features.map { try model.transform($0) }
            }
            let hasPrediction = rows.contains { $0.prediction != nil }
            let name = DatasetLayout.partName(index, jobID: "pca")
            let local = scratch + "/" + name
            try FeaturePartFile.write(
                rows, to: local, columns: DatasetColumns(pca: true, classifier: hasPrediction),
                metadata: ["orchard.version": OrchardVersion.current, "orchard.source": part.description,
                           "orchard.pca.components": String(model.componentCount)])
            try await outputStore.upload(file: local, to: output.appending(name))
            unlink(local)
            rowCount += rows.count
            index += 1
        }
        try await outputStore.write([], to: output.appending("_SUCCESS"))
        return rowCount
    }
}
