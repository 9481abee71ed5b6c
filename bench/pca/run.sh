#!/usr/bin/env bash
# Side-by-side PCA fit timing: Orchard's LinearAlgebra (release) vs scikit-learn on the same shape.
# Usage: bench/pca/run.sh [rows]   (default 9000 × 1280, K = 100; Python peers with 1 BLAS thread)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rows="${1:-9000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A throw-away package holding just LinearAlgebra and this benchmark, so the rest of Orchard
# need not build (and the bench stays out of the product).
mkdir -p "$work/Sources/bench"
ln -s "$root/Sources/LinearAlgebra" "$work/Sources/LinearAlgebra"
ln -s "$root/Sources/CBLAS" "$work/Sources/CBLAS"
cp "$root/bench/pca/main.swift" "$work/Sources/bench/main.swift"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "PCABench",
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),
        .executableTarget(name: "bench", dependencies: ["LinearAlgebra"]),
    ])
SWIFT
swift build -c release --package-path "$work" --scratch-path "${PCA_BENCH_SCRATCH:-$root/.build-pca-bench}" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
for threads in 1 2; do
  "${PCA_BENCH_SCRATCH:-$root/.build-pca-bench}/release/bench" "$rows" "$threads"
done

OPENBLAS_NUM_THREADS=1 python3 - "$rows" <<'PY'
import sys, time
import numpy as np
from sklearn.decomposition import PCA
rows, d, k = int(sys.argv[1]), 1280, 100
rng = np.random.default_rng(42)
x = (rng.uniform(-2, 2, (rows, 32)) @ rng.uniform(-0.5, 0.5, (32, d)) + 3 + 0.1 * rng.uniform(size=(rows, d))).astype(np.float32)
for solver in ["covariance_eigh", "full", "randomized"]:
    t = time.perf_counter(); p = PCA(n_components=k, svd_solver=solver).fit(x.astype(np.float64)); fit = time.perf_counter() - t
    t = time.perf_counter(); p.transform(x); tr = time.perf_counter() - t
    print(f"sklearn  {rows} x {d}: fit ({solver}, K={k}) {fit:.3f} s, transform {tr:.3f} s")
PY
