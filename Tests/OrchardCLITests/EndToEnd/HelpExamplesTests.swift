import Foundation
import OrchardTestKit
import Testing

/// "Every command has `--help` with examples": each command's `--help`, from the binary, shows at least
/// one example command line `orchard <command> …` in its overview (before USAGE).
@Suite struct EndToEndHelpExamplesTests {
    /// Every command and subcommand people see (the hidden `worker`, which Spark executors run, is not
    /// listed by `orchard --help` and is left out).
    static let commands = [
        "", "featurize", "report", "embed", "model", "model fetch", "model info", "pca", "pca fit", "pca transform",
        "parquet", "parquet schema", "parquet head", "ls", "train", "evaluate", "classify", "export", "serve",
    ]

    static func help(_ command: String) throws -> String {
        let words = command.split(separator: " ").map(String.init)
        return try EndToEnd.orchard(words + ["--help"], environment: ["COLUMNS": "200"]).check().output
    }

    /// The subcommand names a help text lists under SUBCOMMANDS.
    static func subcommands(in help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSection = true; continue }
            guard inSection else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            // "  name   abstract"; wrapped abstracts are indented deeper.
            if line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first {
                names.append(String(name))
            }
        }
        return names
    }

    @Test func walkingTheHelpFindsEveryListedCommand() throws {
        var found: [String] = []
        var queue = [""]
        while let command = queue.first {
            queue.removeFirst()
            found.append(command)
            for name in Self.subcommands(in: try Self.help(command)) {
                queue.append(command.isEmpty ? name : command + " " + name)
            }
        }
        // A command added to the CLI must be added to `commands` (and get its example).
        #expect(found.sorted() == Self.commands.sorted(), "help walk found \(found)")
    }

    @Test(arguments: commands)
    func helpShowsAnExample(command: String) throws {
        let help = try Self.help(command)
        let overview = help.components(separatedBy: "\nUSAGE:").first ?? ""
        let invocation = command.isEmpty ? "orchard " : "orchard \(command) "
        let examples = overview.split(separator: "\n").map { line -> String in
            var text = line.trimmingCharacters(in: .whitespaces)
            for label in ["Examples:", "Example:"] where text.hasPrefix(label) {
                text = text.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
            }
            return text
        }.filter { $0.hasPrefix(invocation) }
        let name = command.isEmpty ? "orchard" : "orchard \(command)"
        #expect(!examples.isEmpty, "`\(name) --help` shows no example line starting with `\(invocation)`:\n\(help)")
    }
}
