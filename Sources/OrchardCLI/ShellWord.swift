import Foundation

/// A path as one shell word, for the next commands Orchard suggests: a user pastes them, so a path with
/// spaces or quotes must stay one argument.
enum ShellWord {
    /// `text` unchanged when the shell reads it as one word as it is, else in single quotes.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "/._-+:,=@%".unicodeScalars.contains(scalar))
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
