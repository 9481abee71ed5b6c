import LinearAlgebra
import Storage

/// The output dataset's state on disk or in S3: who owns it and which parts are committed.
struct OutputFolder {
    let store: any ObjectStore
    let layout: DatasetLayout

    /// What a run found in OUT before starting.
    struct State {
        /// Indices of committed final parts.
        var committed: Set<Int>
        /// Indices of staged feature parts (runs with PCA).
        var staged: Set<Int>
        /// Whether `_SUCCESS` is there.
        var complete: Bool
    }

    /// Claims OUT for `record`: creates it, resumes it, or refuses a folder that holds something else.
    func claim(for record: JobRecord, overwrite: Bool) async throws -> State {
        var objects = try await listing()
        if overwrite, !objects.isEmpty {
            try await store.delete(objects.map(\.location))
            objects = []
        }
        if objects.isEmpty {
            try await store.write(try record.encoded(), to: layout.jobFile)
            return State(committed: [], staged: [], complete: false)
        }
        guard objects.contains(where: { $0.location == layout.jobFile }) else {
            throw PipelineError.outputNotOurs(layout.root.description)
        }
        let existing = try JobRecord.decode(try await store.read(layout.jobFile, maxBytes: 1 << 20))
        guard existing.jobID == record.jobID else {
            throw PipelineError.outputHoldsOtherJob(layout.root.description, existing: existing.input)
        }
        // Half-written temporaries of an interrupted attempt are never visible as parts; remove them.
        let stale = objects.filter { $0.location.name.hasPrefix(".") && $0.location.name.hasSuffix(".tmp") }
        try await store.delete(stale.map(\.location))
        var state = State(committed: [], staged: [], complete: false)
        let staging = layout.root.appending("_temporary/features/").description
        for object in objects {
            let name = object.location.name
            if object.location == layout.success { state.complete = true }
            guard let index = DatasetLayout.partIndex(ofName: name, jobID: record.jobID) else { continue }
            if object.location.description.hasPrefix(staging) {
                state.staged.insert(index)
            } else if object.location == layout.part(index, jobID: record.jobID) {
                state.committed.insert(index)
            }
        }
        return state
    }

    /// Everything under OUT, or nothing when OUT does not exist yet.
    func listing() async throws -> [ObjectInfo] {
        do {
            return try await store.list(under: layout.root)
        } catch StorageError.notFound {
            return []
        }
    }

    /// Claims OUT for a job that recomputes everything (the Spark engine): after the same checks as
    /// `claim`, whatever an earlier attempt left is deleted, keeping only the job record.
    func claimForRecompute(record: JobRecord, overwrite: Bool) async throws {
        _ = try await claim(for: record, overwrite: overwrite)
        let leftovers = try await listing().filter { $0.location != layout.jobFile }
        try await store.delete(leftovers.map(\.location))
    }

    /// Saves the run's PCA model: the JSON summary first, the binary last, so its presence means the fit is final.
    func savePCA(_ model: PCAModel) async throws {
        try await store.write(try Array(model.toJSON()), to: layout.pcaModelJSON)
        try await store.write(model.serialized(), to: layout.pcaModel)
    }

    /// Removes the Spark engine's staged features.
    func removeOrchardStaging() async throws {
        let staging = layout.root.appending("_orchard/staging/").description
        let leftovers = try await listing().filter { $0.location.description.hasPrefix(staging) }
        try await store.delete(leftovers.map(\.location))
    }

    /// Removes the staging area once every part is final.
    func removeStaging() async throws {
        let staging = layout.root.appending("_temporary/").description
        let leftovers = try await listing().filter { $0.location.description.hasPrefix(staging) }
        try await store.delete(leftovers.map(\.location))
    }
}
