import Foundation
import Recognition

extension ModelCache {
    /// The weight file `bundle`'s features were made with, as a path a featurize job can record: the first
    /// of `candidates` whose SHA-256 is the bundle's, else the bundle's embedded copy, written once into
    /// `embedded/` of the cache (named by its SHA-256, outside the files `all()` offers as defaults).
    /// Nil when the bundle names no backbone, or names one that is neither found nor embedded.
    public func backbone(of bundle: ClassifierBundle, candidates: [String]) throws -> String? {
        guard let expected = bundle.backbone?.sha256.lowercased() else { return nil }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            if (try? ModelChecksum.sha256(ofFile: path)) == expected { return path }
        }
        guard let bytes = bundle.embeddedBackbone else { return nil }
        let name = bundle.backbone?.name ?? "backbone"
        let suffix = name.hasSuffix(".h5") ? ".h5" : ".tflite"
        let path = folder + "/embedded/" + expected + suffix
        if (try? ModelChecksum.sha256(ofFile: path)) == expected { return path }
        do {
            try FileManager.default.createDirectory(atPath: folder + "/embedded", withIntermediateDirectories: true)
            // Temporary file and rename, so another run never reads half a file.
            let temporary = path + ".\(getpid()).tmp"
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                throw PipelineError.modelUnreadable(path, reason: "cannot move the embedded backbone into place")
            }
            try ModelChecksum.record(expected, for: path)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.modelUnreadable(path, reason: "cannot write the bundle's embedded backbone: \(error.localizedDescription)")
        }
        return path
    }
}
