import Storage

/// Makes a committed update visible: copies its staged parts, statistics, PCA model, job record and
/// summary into place, then deletes the parts the new manifest no longer lists, then clears the plan.
///
/// Every step can be repeated, so an update killed while publishing is finished by the next run
/// (roll forward): the manifest, written before publishing starts, already says what the dataset is.
struct UpdatePublisher {
    let store: any ObjectStore
    let layout: DatasetLayout

    /// Carries out `manifest`'s publish plan, if it has one, and returns the manifest as committed without it.
    func publish(_ manifest: DatasetManifest) async throws -> DatasetManifest {
        guard let plan = manifest.publish else { return manifest }
        let staging = layout.root.appending(plan.staging)
        for name in plan.newParts {
            try await copyIfStaged(staging.appending("stats/\(name).cov"), to: layout.statistics(ofPart: name))
            try await copyIfStaged(staging.appending("parts/" + name), to: layout.root.appending(name))
        }
        if plan.newPCA {
            // The JSON first, the binary last, as a first run saves them.
            try await copyIfStaged(staging.appending("pca.json"), to: layout.pcaModelJSON)
            try await copyIfStaged(staging.appending("pca.orchpca"), to: layout.pcaModel)
        }
        try await copyIfStaged(staging.appending("job.json"), to: layout.jobFile)
        try await copyIfStaged(staging.appending("run.json"), to: layout.runFile)
        // Only parts the previous manifest listed (files Orchard wrote) go, and only once the new ones are in.
        let dropped = plan.droppedParts.flatMap { [layout.root.appending($0), layout.statistics(ofPart: $0)] }
        try await store.delete(dropped, under: layout.root)
        try await store.write([], to: layout.success)
        var published = manifest
        published.publish = nil
        try await store.write(try published.encoded(), to: layout.manifest)
        let leftovers = (try? await store.list(under: staging)) ?? []
        try await store.delete(leftovers.map(\.location), under: layout.root)
        return published
    }

    /// Copies `source` to `target` when `source` is still there (a repeated publish finds it gone only
    /// after the plan was cleared, so a missing source means nothing to copy).
    private func copyIfStaged(_ source: StorageLocation, to target: StorageLocation) async throws {
        guard try await store.size(of: source) != nil else { return }
        if case .local(let path) = source {
            try await store.upload(file: path, to: target)
        } else {
            try await store.write(try await store.read(source, maxBytes: max(PartStatistics.maxBytes, FeaturePartFile.maxPartBytes)), to: target)
        }
    }
}
