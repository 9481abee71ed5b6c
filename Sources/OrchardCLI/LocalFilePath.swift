import ArgumentParser
import Storage

/// The check that a path option names a local file: bundles, weight files and exported models are read and
/// written on the local file system only.
enum LocalFilePath {
    /// Refuses `path`, given to `option`, unless it is a local path. Done in `validate()`, so an `s3://` bundle
    /// is refused before any work and not after minutes of training.
    static func require(_ path: String, for option: String) throws {
        let location: StorageLocation?
        do {
            location = try StorageLocation(parsing: path)
        } catch {
            // gs://… and the like are not locations at all, but what their user needs to hear is the same.
            guard path.contains("://") else { throw ValidationError("\(option): \(TerminalText.escaped(error.description)).") }
            location = nil
        }
        guard case .local = location else {
            throw ValidationError(
                "\(option) must be a local file path, not \(TerminalText.escaped(path)): Orchard reads and writes this "
                    + "file on local disk only; copy it to or from S3 separately (e.g. aws s3 cp).")
        }
    }
}
