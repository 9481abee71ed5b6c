import Foundation
import OrchardTestKit
import Testing

/// `orchard` runs OpenBLAS's kernels for this CPU, not the SSE3 ones Debian's OpenBLAS 0.3.21 falls back to
/// on CPUs newer than itself (PCA and training at half speed).
@Suite struct BLASKernelsTests {
    /// The OpenBLAS cores `orchard --version` loads, in order (OpenBLAS prints "Core: NAME" at load when verbose).
    static func coresLoaded(coreType: String?) throws -> [String] {
        let run = try EndToEnd.orchard(["--version"], environment: ["OPENBLAS_VERBOSE": "2", "OPENBLAS_CORETYPE": coreType]).check()
        return (run.output + "\n" + run.errors).split(separator: "\n").filter { $0.hasPrefix("Core: ") }.map { String($0.dropFirst(6)) }
    }

    @Test func aCPUWithAVX2RunsAtLeastTheHaswellKernels() throws {
        let flags = CPUFlags.current
        let cores = try Self.coresLoaded(coreType: nil)
        #expect((1...2).contains(cores.count), "OpenBLAS loaded \(cores)")
        if flags.contains("avx2") && flags.contains("fma") {
            #expect(cores.last != "Prescott", "orchard runs OpenBLAS's SSE3 kernels on a CPU with AVX2: \(cores)")
        }
    }

    @Test func aUsersCoreTypeStands() throws {
        #expect(try Self.coresLoaded(coreType: "Haswell") == ["Haswell"])
    }
}
