import LinearAlgebra
import Storage

/// The manifest a complete first run commits (version 1), so that later runs can update the dataset.
struct FirstVersion {
    let store: any ObjectStore
    let layout: DatasetLayout
    let record: JobRecord

    /// Version 1 of a dataset of `parts` (images in part order); with PCA, first makes sure every part's
    /// sums are saved (a run resumed past its fit saved only some).
    func manifest(parts: [[ImageItem]], images: Int, pca: ComponentSelection?) async throws -> DatasetManifest {
        let entries = parts.enumerated().map { index, items in
            DatasetManifest.Part(
                name: DatasetLayout.partName(index, jobID: record.jobID), images: items.map(DatasetManifest.ImageIdentity.init))
        }
        if pca != nil {
            let statistics = PartStatistics(store: store, layout: layout)
            for part in entries { try await statistics.ensure(part: part.name) }
        }
        return DatasetManifest(
            version: 1, modelSHA256: record.modelSHA256 ?? "", pca: pca, classifierSHA256: record.classifierSHA256,
            parts: entries,
            history: [DatasetManifest.Version(
                version: 1, committed: DatasetManifest.timestamp(), images: images, added: images, removed: 0, changed: 0,
                pcaRefitted: pca != nil)],
            publish: nil)
    }
}
