import ArgumentParser
import MobileNet

extension InferenceBackend: ExpressibleByArgument {
    /// What `--backend` accepts, `auto` included (it is not one of `allCases`, the backends that compute).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + [automatic.rawValue] }
}

/// `--backend`, shared by every command that runs the network.
struct BackendOptions: ParsableArguments {
    @Option(help: "The library that runs the network: \(InferenceBackend.allCases.map(\.rawValue).joined(separator: ", ")) or auto (default: auto, whichever runs the network faster on this machine, timed in a fraction of a second when the network is built: oneDNN with AVX2, XNNPACK with AVX-512 on this project's CPUs).")
    var backend: InferenceBackend = .preferred
}
