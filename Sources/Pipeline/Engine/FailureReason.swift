import Imaging
import Storage

/// How failures read in the `error` column and how they are grouped in summaries.
enum FailureReason {
    /// The full message stored in the row's `error` column.
    static func message(for error: Error) -> String {
        String(describing: error)
    }

    /// A short reason for grouping: the message without the file it names.
    static func reason(fromMessage message: String) -> String {
        // Messages read "<file>: <reason>"; the reason is what groups.
        guard let colon = message.range(of: ": ", options: .backwards) else { return message }
        let reason = message[colon.upperBound...]
        return String(reason.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
    }
}
