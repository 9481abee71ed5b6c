import LinearAlgebra
import Storage

/// The PCA half of a run: stage parts with their sums, fit, then write final parts with a `pca` column.
struct PCAStage {
    let committer: PartCommitter
    let folder: OutputFolder

    /// Stages part `index` and saves its PCA sums (`_orchard/stats/`, so a later update refits without
    /// reading features); returns the sums. Runs while the network works on the next part.
    func stage(_ rows: [FeatureRow], part index: Int) async throws -> FeatureAccumulator {
        try await committer.commit(
            rows, part: index, staged: true, columns: DatasetColumns(pca: false, classifier: false), pcaComponents: nil)
        var sums = FeatureAccumulator()
        try sums.add(rows)
        try await statistics.save(sums, part: DatasetLayout.partName(index, jobID: committer.record.jobID))
        return sums
    }

    /// The run's PCA model: the one saved by an earlier attempt of this job, else fitted now from `sums`
    /// (those of the parts in `summed`) and the saved sums of the other parts.
    func model(choice: ComponentSelection, parts: Range<Int>, sums: FeatureAccumulator, summed: Set<Int>) async throws
        -> PCAModel
    {
        let store = folder.store
        if let bytes = try? await store.read(folder.layout.pcaModel, maxBytes: 1 << 30) {
            return try PCAModel(serialized: bytes)
        }
        var accumulator = sums
        for index in parts where !summed.contains(index) {
            try accumulator.merge(try await savedSums(ofStagedPart: index))
        }
        let model = try accumulator.fit(choice, source: folder.layout.root.description)
        try await folder.savePCA(model)
        return model
    }

    /// Writes the final part of every staged part not yet final, adding each row's projection (and
    /// prediction), `threads` parts at a time. `transforms` holds the PCA model and, when the job has one,
    /// the classifier.
    func project(
        parts: Range<Int>, committed: Set<Int>, transforms: RowTransforms, threads: Int, progress: ProgressReporter
    ) async throws {
        let pending = parts.filter { !committed.contains($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, index) in pending.enumerated() {
                // At most `threads` parts in memory at once.
                if number >= max(threads, 1) { try await group.next() }
                group.addTask {
                    let rows = try transforms.applied(to: try await committer.readPart(index, staged: true))
                    try await committer.commit(
                        rows, part: index, staged: false, columns: transforms.columns,
                        pcaComponents: transforms.pca?.componentCount)
                    progress.advance(by: rows.count)
                }
            }
            try await group.waitForAll()
        }
    }

    private var statistics: PartStatistics { PartStatistics(store: folder.store, layout: folder.layout) }

    /// The saved sums of a part an earlier attempt staged; computed from its staged features (and saved)
    /// when that attempt stopped between staging the part and saving its sums.
    private func savedSums(ofStagedPart index: Int) async throws -> FeatureAccumulator {
        try await statistics.sums(ofPart: DatasetLayout.partName(index, jobID: committer.record.jobID)) {
            try await committer.readPart(index, staged: true)
        }
    }
}
