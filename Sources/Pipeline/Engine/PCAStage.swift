import LinearAlgebra
import Storage

/// The PCA half of a run: fit on the staged features, then write final parts with a `pca` column.
struct PCAStage {
    let committer: PartCommitter
    let folder: OutputFolder

    /// The run's PCA model: the one saved by an earlier attempt of this job, else fitted now by
    /// streaming every staged part's features (never all in memory at once), saving each part's sums.
    func model(choice: ComponentSelection, parts: Range<Int>) async throws -> PCAModel {
        let store = folder.store
        if let bytes = try? await store.read(folder.layout.pcaModel, maxBytes: 1 << 30) {
            return try PCAModel(serialized: bytes)
        }
        // Each part's sums are kept (`_orchard/stats/`) so a later update refits without reading features.
        let statistics = PartStatistics(store: store, layout: folder.layout)
        var accumulator = FeatureAccumulator()
        for index in parts {
            var sums = FeatureAccumulator()
            try sums.add(try await committer.readPart(index, staged: true))
            try await statistics.save(sums, part: DatasetLayout.partName(index, jobID: committer.record.jobID))
            try accumulator.merge(sums)
        }
        let model = try accumulator.fit(choice, source: folder.layout.root.description)
        try await folder.savePCA(model)
        return model
    }

    /// Writes the final part of every staged part not yet final, adding each row's projection (and prediction).
    /// `transforms` holds the PCA model and, when the job has one, the classifier.
    func project(parts: Range<Int>, committed: Set<Int>, transforms: RowTransforms, progress: ProgressReporter) async throws {
        for index in parts where !committed.contains(index) {
            let rows = try transforms.applied(to: try await committer.readPart(index, staged: true))
            try await committer.commit(
                rows, part: index, staged: false, columns: transforms.columns, pcaComponents: transforms.pca?.componentCount)
            progress.advance(by: rows.count)
        }
    }
}
