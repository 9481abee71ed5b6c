import ArgumentParser
import MobileNet

extension InferenceBackend: ExpressibleByArgument {
    /// What `--backend` accepts, `auto` included (it is not one of `allCases`, the backends that compute).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + [automatic.rawValue] }
}

/// `--backend`, shared by every command that runs the network.
struct BackendOptions: ParsableArguments {
    @Option(help: "What runs the network: xnnpack (Debian's XNNPACK), onednn (oneDNN), hybrid (Orchard's own 1×1 and depthwise kernels, block by block in cache-sized bands) or auto (default: the fastest on this CPU as measured on this project's machines: hybrid with AVX-512, oneDNN without).")
    var backend: InferenceBackend = .preferred
}
