import Foundation
import Recognition
import Storage

extension LocalEngine {
    /// Runs `job` as an update of the dataset in OUT, or returns nil when OUT holds no dataset yet (or an
    /// unfinished first run of this same input), which an ordinary run then writes or resumes.
    func update(
        _ job: FeaturizeJob, images: [ImageItem], record: JobRecord, folder: OutputFolder, classifier: ClassifierBundle?,
        started: Date
    ) async throws -> RunSummary? {
        let objects = try await folder.listing()
        try folder.refuseForeign(objects)
        if !objects.contains(where: { $0.location == folder.layout.manifest }) {
            if objects.allSatisfy({ $0.location == folder.layout.lockFile }) { return nil }
            if let bytes = try? await folder.store.read(folder.layout.jobFile, maxBytes: 1 << 20),
               (try? JobRecord.decode(bytes))?.jobID == record.jobID {
                return nil
            }
            // A run writing OUT right now is the likelier reason it has no manifest yet: name that run first.
            if objects.contains(where: { $0.location == folder.layout.lockFile }) { await (try folder.takeLease()).release() }
            throw PipelineError.notUpdatable(
                folder.layout.root.description,
                reason: "it holds no manifest (_orchard/manifest.json) to compare the input with: it was written by an "
                    + "older Orchard, or its first run stopped before finishing on another input; featurize it from scratch once")
        }
        let lease = try await folder.takeLease()
        return try await lease.holding {
            let update = DatasetUpdate(
                job: job, record: record, images: images, folder: folder.guarded(by: lease), classifier: classifier,
                lease: lease, started: started, makeProgress: makeProgress,
                featurizer: LocalUpdateFeaturizer(job: job, stores: stores))
            return try await update.run()
        }
    }
}
