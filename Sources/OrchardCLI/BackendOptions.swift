import ArgumentParser
import MobileNet

extension InferenceBackend: ExpressibleByArgument {}

/// `--backend`, shared by every command that runs the network.
struct BackendOptions: ParsableArguments {
    @Option(help: "The library that runs the network: \(InferenceBackend.allCases.map(\.rawValue).joined(separator: " or ")) (default: \(InferenceBackend.preferred), the faster one measured on this project's CPUs).")
    var backend: InferenceBackend = .preferred
}
