import Foundation

/// The CPU's feature flags as Linux lists them in /proc/cpuinfo ("avx2", "avx512f", …), for tests whose
/// expectation depends on the CPU variant.
public enum CPUFlags {
    /// This machine's flags; empty where /proc/cpuinfo cannot be read.
    public static let current: Set<String> = {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return Set(line.split(separator: " ").map(String.init))
    }()
}
