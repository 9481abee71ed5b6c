/// What stopped a pipeline run, said so a user can act on it.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    case noImages(String)
    case outputNotOurs(String)
    case outputHoldsOtherJob(String, existing: String)
    case modelUnreadable(String, reason: String)
    case invalidDataset(String, reason: String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .noImages(let input):
            return "no .jpg, .jpeg or .png images under \(input)"
        case .outputNotOurs(let out):
            return "\(out) is not empty and was not written by orchard; choose an empty or new folder, or pass --overwrite to delete what it holds"
        case .outputHoldsOtherJob(let out, let existing):
            return "\(out) holds another job's output (input \(existing), or other options or model); pass --overwrite to replace it, or choose another folder"
        case .modelUnreadable(let path, let reason):
            return "cannot use model \(path): \(reason)"
        case .invalidDataset(let path, let reason):
            return "\(path): \(reason)"
        case .invalidOption(let text):
            return text
        }
    }
}
