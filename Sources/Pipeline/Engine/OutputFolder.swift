import Foundation
import LinearAlgebra
import Parquet
import Storage

/// The output dataset's state on disk or in S3: who owns it, who is writing it, and which parts are committed.
struct OutputFolder {
    let store: any ObjectStore
    let layout: DatasetLayout

    /// How long an S3 lease lives unrenewed (renewed every third of it): a run killed without releasing it
    /// blocks OUT at most this long.
    static let leaseDuration: Duration = .seconds(120)

    /// This folder, written only while `lease` is held.
    func guarded(by lease: any StoreLease) -> OutputFolder {
        OutputFolder(store: LeaseGuardedStore(store, lease: lease), layout: layout)
    }

    /// What a run found in OUT before starting.
    struct State {
        /// Indices of committed final parts.
        var committed: Set<Int>
        /// Indices of staged feature parts (runs with PCA).
        var staged: Set<Int>
        /// Whether `_SUCCESS` is there.
        var complete: Bool
    }

    /// Takes OUT for `record`: refuses a folder Orchard did not write, takes the exclusive lease (a second run
    /// on the same OUT fails naming the first), then creates, resumes or (with `overwrite`) empties the dataset.
    /// Committed parts whose footer is unreadable or whose row count is not `rowsPerPart[i]` are redone.
    func claim(for record: JobRecord, overwrite: Bool, rowsPerPart: [Int]) async throws -> (State, any StoreLease) {
        // Checked before the lease too, so another tool's folder is not left holding our `_orchard/lock`.
        let before = try await listing()
        try refuseForeign(before)
        try refuseUnowned(before.filter { $0.location != layout.lockFile })
        let lease = try await takeLease()
        do {
            return (try await claimLocked(for: record, overwrite: overwrite, rowsPerPart: rowsPerPart), lease)
        } catch {
            await lease.release()  // claimed nothing: the lease goes with the error
            throw error
        }
    }

    /// Takes the exclusive lease on OUT, or names the run holding it.
    func takeLease() async throws -> any StoreLease {
        do {
            return try await store.acquireLease(layout.lockFile, holder: Self.holder(), duration: Self.leaseDuration)
        } catch StorageError.leaseHeld(_, let holder) {
            throw PipelineError.outputInUse(layout.root.description, holder: holder)
        }
    }

    /// Deletes the hidden temporaries (`.….tmp`) an interrupted attempt left; only under the lease.
    func removeStaleTemporaries() async throws {
        let stale = try await listing().filter { $0.location.name.hasPrefix(".") && $0.location.name.hasSuffix(".tmp") }
        try await store.delete(stale.map(\.location), under: layout.root)
    }

    private func claimLocked(for record: JobRecord, overwrite: Bool, rowsPerPart: [Int]) async throws -> State {
        var objects = try await listing().filter { $0.location != layout.lockFile }
        try refuseForeign(objects)
        try refuseUnowned(objects)
        if !objects.isEmpty, overwrite || !objects.contains(where: { $0.location == layout.jobFile }) {
            // Only the dataset's own files are deleted (refuseForeign and refuseUnrecorded let nothing else
            // through); an OUT that holds no job record yet is what a run killed at its very start leaves.
            try await refuseUnrecorded(objects, listing: objects)
            // The job record goes last: parts left without it by a run killed here would read as another tool's.
            try await store.delete(objects.map(\.location).filter { $0 != layout.jobFile }, under: layout.root)
            try await store.delete([layout.jobFile], under: layout.root)
            objects = []
        }
        if objects.isEmpty {
            try await store.write(try record.encoded(), to: layout.jobFile)
            return State(committed: [], staged: [], complete: false)
        }
        let existing = try JobRecord.decode(try await store.read(layout.jobFile, maxBytes: 1 << 20))
        guard existing.jobID == record.jobID else {
            throw PipelineError.outputHoldsOtherJob(layout.root.description, existing: existing.input)
        }
        // Half-written temporaries of an interrupted attempt are never visible as parts; remove them (the
        // lease guarantees no live run is writing them).
        let stale = objects.filter { $0.location.name.hasPrefix(".") && $0.location.name.hasSuffix(".tmp") }
        try await store.delete(stale.map(\.location), under: layout.root)
        var state = State(committed: [], staged: [], complete: false)
        let staging = layout.root.appending("_temporary/features/").description
        for object in objects {
            let name = object.location.name
            if object.location == layout.success { state.complete = true }
            guard let index = DatasetLayout.partIndex(ofName: name, jobID: record.jobID),
                  rowsPerPart.indices.contains(index) || rowsPerPart.isEmpty else { continue }
            let isStaged = object.location.description.hasPrefix(staging)
            guard isStaged || object.location == layout.part(index, jobID: record.jobID) else { continue }
            guard try await isComplete(object, rows: rowsPerPart.isEmpty ? nil : rowsPerPart[index]) else {
                try await store.delete([object.location], under: layout.root)
                state.complete = false
                continue
            }
            if isStaged { state.staged.insert(index) } else { state.committed.insert(index) }
        }
        return state
    }

    /// Whether a committed part reads as a whole Parquet file of `rows` rows. Only its head and footer are
    /// fetched: remote ones go into a sparse local file of the object's size, which the reader opens as the part.
    func isComplete(_ object: ObjectInfo, rows: Int?) async throws -> Bool {
        guard object.size >= 12 else { return false }
        if case .local(let path) = object.location {
            return (try? ParquetFileReader(path: path)).map { reader in rows.map { reader.rowCount == $0 } ?? true } ?? false
        }
        let tail = try await store.read(object.location, offset: object.size - 8, count: 8)
        guard tail.count == 8 else { return false }
        let length = Int64(tail[0]) | Int64(tail[1]) << 8 | Int64(tail[2]) << 16 | Int64(tail[3]) << 24
        guard length <= min(object.size - 12, 64 << 20) else { return false }
        let footer = try await store.read(object.location, offset: object.size - 8 - length, count: Int(length) + 8)
        let head = try await store.read(object.location, offset: 0, count: 4)
        let sparse = NSTemporaryDirectory() + "orchard-footer-\(UUID().uuidString)"
        defer { unlink(sparse) }
        let descriptor = open(sparse, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PipelineError.invalidDataset(sparse, reason: "cannot create a scratch file") }
        let written = ftruncate(descriptor, off_t(object.size)) == 0
            && head.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } == head.count
            && footer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(object.size - 8 - length)) } == footer.count
        close(descriptor)
        guard written else { return false }
        return (try? ParquetFileReader(path: sparse)).map { reader in rows.map { reader.rowCount == $0 } ?? true } ?? false
    }

    /// Refuses an OUT that holds files no Orchard dataset consists of: Orchard never deletes or mixes into them.
    func refuseForeign(_ objects: [ObjectInfo]) throws {
        let foreign = objects.filter { !layout.isDatasetFile($0.location) }
        guard foreign.isEmpty else {
            throw PipelineError.outputNotOurs(layout.root.description, example: foreign[0].location.description, count: foreign.count)
        }
    }

    /// Refuses parts or a `_SUCCESS` without a job record: Orchard writes `_orchard/job.json` before any of
    /// them, so such a folder is another tool's dataset (Spark's writer names its files the same way).
    func refuseUnowned(_ objects: [ObjectInfo]) throws {
        guard !objects.contains(where: { $0.location == layout.jobFile }) else { return }
        let ours = [layout.root.appending("_orchard/").description, layout.root.appending("_temporary/").description]
        // Hidden temporaries (`.part-….tmp`) are what a live run writes: its lease speaks for them.
        let theirs = objects.filter { object in
            !ours.contains { object.location.description.hasPrefix($0) } && !object.location.name.hasPrefix(".")
        }
        guard let example = theirs.first else { return }
        throw PipelineError.outputNotOurs(layout.root.description, example: example.location.description, count: theirs.count)
    }

    /// Refuses to delete `objects` when some of their part files are not in Orchard's records (`PartOwnership`):
    /// a part a user copied into the dataset is theirs, even where Orchard's own would be. `listing` is
    /// OUT's, which names the records to read.
    func refuseUnrecorded(_ objects: [ObjectInfo], listing: [ObjectInfo]) async throws {
        let ownership = try await PartOwnership.read(listing, store: store, layout: layout)
        let unowned = ownership.unowned(objects, layout: layout)
        guard let example = unowned.first else { return }
        throw PipelineError.outputNotOurs(layout.root.description, example: example.description, count: unowned.count)
    }

    /// Records, before Spark writes parts into OUT, that it is about to (`parts` nil), then which parts it wrote.
    func recordSparkParts(jobID: String, written: Bool) async throws {
        var record = SparkPartsRecord(jobID: jobID, parts: nil)
        if written {
            // The claim left no part in OUT (it deleted Orchard's and refused anyone else's), so every
            // Spark-named part there now is this run's.
            record.parts = try await listing().map(\.location).filter { location in
                PartOwnership.isSparkPartName(location.name) && location == layout.root.appending(location.name)
            }.map(\.name).sorted()
        }
        try await store.write(try record.encoded(), to: layout.sparkParts)
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
    /// `claim`, whatever an earlier attempt left is deleted, keeping only the job record (and the lease).
    func claimForRecompute(record: JobRecord, overwrite: Bool) async throws -> any StoreLease {
        let (_, lease) = try await claim(for: record, overwrite: overwrite, rowsPerPart: [])
        do {
            let all = try await listing()
            let leftovers = all.filter { $0.location != layout.jobFile && $0.location != layout.lockFile }
            try await refuseUnrecorded(leftovers, listing: all)
            try await store.delete(leftovers.map(\.location), under: layout.root)
        } catch {
            await lease.release()
            throw error
        }
        return lease
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
        try await store.delete(leftovers.map(\.location), under: layout.root)
    }

    /// Removes the staging area once every part is final.
    func removeStaging() async throws {
        let staging = layout.root.appending("_temporary/").description
        let leftovers = try await listing().filter { $0.location.description.hasPrefix(staging) }
        try await store.delete(leftovers.map(\.location), under: layout.root)
    }

    /// Who this run is, for the message a second run gets: process, host, start time.
    static func holder() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "orchard \(OrchardVersion.current), pid \(getpid()) on \(host), since \(ISO8601DateFormatter().string(from: Date()))"
    }
}
