import Foundation
import OrchardTestKit

/// scikit-learn's `PCA` fitted on a dataset that numpy generates, for the Swift fit to match.
///
/// The Python side writes the float32 data it fitted on, so both sides see identical inputs;
/// sklearn fits the float64 cast of those values with the exact `svd_solver="full"`.
struct SklearnReference {
    let rows: Int
    let dimension: Int
    let data: [Float]
    let components: [Double]
    let explainedVariance: [Double]
    let explainedVarianceRatio: [Double]
    let mean: [Double]
    /// `PCA(n_components=0.95).n_components_`.
    let componentsFor95: Int
    /// sklearn `transform` of the first 50 rows onto the first 20 components, 50 × 20.
    let transformed: [Double]
    let sklearnVersion: String

    static let script = #"""
        import json, sys
        import numpy as np
        import sklearn
        from sklearn.decomposition import PCA

        case, out = sys.argv[1], sys.argv[2]
        rng = np.random.default_rng(20261125)
        n, d = 3000, 1280
        if case == "correlated":
            # Random rotation of a geometrically decaying spectrum, plus a large non-zero mean.
            q, _ = np.linalg.qr(rng.standard_normal((d, d)))
            sigma = 10.0 * 0.995 ** np.arange(d)
            x = (rng.standard_normal((n, d)) * sigma) @ q.T + rng.uniform(2, 8, d)
        elif case == "lowrank":
            # Rank 10 signal with decaying strength, small isotropic noise, large mean.
            w = rng.standard_normal((10, d)) * np.linspace(3, 0.5, 10)[:, None]
            x = rng.standard_normal((n, 10)) @ w + 0.05 * rng.standard_normal((n, d)) + rng.uniform(0, 20, d)
        else:
            sys.exit(f"unknown case {case}")
        x = x.astype(np.float32)
        x.tofile(f"{out}/x.f32")
        x64 = x.astype(np.float64)
        full = PCA(svd_solver="full").fit(x64)
        for name in ["components_", "explained_variance_", "explained_variance_ratio_", "mean_"]:
            np.ascontiguousarray(getattr(full, name), dtype="<f8").tofile(f"{out}/{name}.f64")
        np.ascontiguousarray(full.transform(x64[:50])[:, :20], dtype="<f8").tofile(f"{out}/transform20.f64")
        k95 = PCA(n_components=0.95, svd_solver="full").fit(x64).n_components_
        json.dump({"n": n, "d": d, "k95": int(k95), "sklearn": sklearn.__version__}, open(f"{out}/meta.json", "w"))
        """#

    struct Meta: Decodable {
        let n: Int
        let d: Int
        let k95: Int
        let sklearn: String
    }

    /// Runs the script for `testCase` ("correlated" or "lowrank") and loads what it wrote.
    static func make(_ testCase: String) throws -> SklearnReference {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-pca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try runPython(script, arguments: [testCase, dir.path])
        let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: dir.appendingPathComponent("meta.json")))
        func doubles(_ name: String) throws -> [Double] {
            try readArray(dir.appendingPathComponent(name), as: Double.self)
        }
        return SklearnReference(
            rows: meta.n, dimension: meta.d,
            data: try readArray(dir.appendingPathComponent("x.f32"), as: Float.self),
            components: try doubles("components_.f64"),
            explainedVariance: try doubles("explained_variance_.f64"),
            explainedVarianceRatio: try doubles("explained_variance_ratio_.f64"),
            mean: try doubles("mean_.f64"), componentsFor95: meta.k95,
            transformed: try doubles("transform20.f64"), sklearnVersion: meta.sklearn)
    }
}

/// Little-endian raw array file → values (this machine is little-endian, as numpy's "<f8" says).
func readArray<T: BitwiseCopyable>(_ url: URL, as: T.Type) throws -> [T] {
    let data = try Data(contentsOf: url)
    return data.withUnsafeBytes { raw in
        (0..<(data.count / MemoryLayout<T>.size)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
    }
}

struct PythonFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs `python3 -c script arguments…`, failing with its stderr when it exits non-zero.
func runPython(_ script: String, arguments: [String]) throws {
    // numpy's OpenBLAS workers busy-wait; on a shared 2-core machine one thread is ~7× faster.
    let result = try ChildProcess.run("python3", ["-c", script] + arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
    guard result.status == 0 else {
        throw PythonFailure(description: "python3 exited \(result.status): \(result.errors)")
    }
}
