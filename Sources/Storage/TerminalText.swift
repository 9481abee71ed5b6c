/// Makes keys and paths safe to print: an object key may hold any character, and an ESC sequence or a
/// bare carriage return in one would repaint or clear the user's terminal (or forge an output line).
public enum TerminalText {
    /// `text` with every control character — C0 (incl. tab and newline), DEL and C1 — as a visible
    /// `\u{XX}` escape, and backslashes doubled so an escape in the output is never ambiguous.
    public static func escaped(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x00...0x1F, 0x7F...0x9F: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
