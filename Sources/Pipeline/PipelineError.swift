/// What stopped a pipeline run, said so a user can act on it.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    case noImages(String)
    case outputNotOurs(String, example: String, count: Int)
    case outputOverlapsInput(output: String, input: String)
    case outputInUse(String, holder: String)
    case incompleteDataset(String)
    case outputHoldsOtherJob(String, existing: String)
    case modelUnreadable(String, reason: String)
    case invalidDataset(String, reason: String)
    case invalidOption(String)
    /// An update with a network other than the one the dataset was computed with.
    case modelChanged(String, recorded: String, given: String)
    /// An update of a folder that holds no manifest to compare the input with.
    case notUpdatable(String, reason: String)

    public var description: String {
        switch self {
        case .noImages(let input):
            return "no .jpg, .jpeg or .png images under \(input)"
        case .outputNotOurs(let out, let example, let count):
            return "\(out) holds \(count) file(s) orchard did not write (e.g. \(example)); orchard never deletes or mixes into them: choose an empty or new folder, or move those files away"
        case .outputOverlapsInput(let out, let input):
            return "the output \(out) overlaps the input \(input) (one is, or is inside, the other); write the output outside the input"
        case .outputInUse(let out, let holder):
            return "\(out) is being written by another run (\(holder)); wait for it to finish, or choose another folder"
        case .incompleteDataset(let path):
            return "\(path) is not a complete dataset (no _SUCCESS): its run was interrupted or is still going; finish it by running the same command again, or read what is there anyway (--allow-incomplete)"
        case .outputHoldsOtherJob(let out, let existing):
            return "\(out) holds another job's output (input \(existing), or other options or model); replace it (--overwrite), update it to this input (--update, same model and options), or choose another folder"
        case .modelUnreadable(let path, let reason):
            return "cannot use model \(path): \(reason)"
        case .invalidDataset(let path, let reason):
            return "\(path): \(reason)"
        case .invalidOption(let text):
            return text
        case .modelChanged(let out, let recorded, let given):
            return "\(out) was computed with the model whose SHA-256 is \(recorded.prefix(16))…, not this one (\(given.prefix(16))…): features of two networks cannot share a dataset; use the same model, or featurize everything again into a new folder (or --overwrite)"
        case .notUpdatable(let out, let reason):
            return "\(out) cannot be updated: \(reason)"
        }
    }
}
