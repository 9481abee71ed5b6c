import ArgumentParser
import Foundation
import LinearAlgebra
import Pipeline
import Storage

/// `orchard`: turns fruit photos into MobileNetV2 features, PCA components and Parquet.
@main
struct Orchard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchard",
        abstract: "Turn fruit photos into MobileNetV2 features, PCA components and Parquet datasets.",
        discussion: """
            Examples:
              orchard model fetch                                  # the official Keras weights, once
              orchard featurize photos/ --out features/ --pca 50   # features, PCA and Parquet
              orchard report features/                             # an HTML page about the run
            """,
        version: OrchardVersion.current,
        subcommands: [
            FeaturizeCommand.self,
            ReportCommand.self,
            EmbedCommand.self,
            ModelCommand.self,
            PCACommand.self,
            ParquetCommand.self,
            ListCommand.self,
            WorkerCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            ClassifyCommand.self,
            ExportCommand.self,
            ServeCommand.self,
        ])

    /// Runs the command; a failure from Orchard's own libraries is printed with control characters escaped,
    /// line by line, since it may quote paths and keys from outside (an ESC in a key would drive the terminal).
    static func main() async {
        restartWithBetterBLASKernels()
        let parsed: any ParsableCommand
        do {
            parsed = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var command = parsed
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // The parser's own errors and requests (`--help` runs as a command that throws one) print as it prints them.
            exit(withError: error)
        } catch {
            let lines = String(describing: error).split(separator: "\n", omittingEmptySubsequences: false)
            let message = lines.map { TerminalText.escaped($0) }.joined(separator: "\n")
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            Foundation.exit(EXIT_FAILURE)
        }
    }

    /// Starts this process again, once, with `OPENBLAS_CORETYPE` naming the kernels this CPU should run when
    /// OpenBLAS fell back to its slowest (`BLASCore`); nothing has run yet, and the process keeps its id and files.
    /// A user's own `OPENBLAS_CORETYPE` stands.
    private static func restartWithBetterBLASKernels() {
        guard ProcessInfo.processInfo.environment[BLASCore.variable] == nil, let core = BLASCore.better else { return }
        setenv(BLASCore.variable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if the exec failed: run on with OpenBLAS's own choice.
    }
}
