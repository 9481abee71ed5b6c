import Foundation

/// Tolerances for comparing two floating-point computations of the same quantity done in different
/// orders (merged partial sums against one pass, Spark against the local engine, BLAS kernels that block
/// differently on AVX2 and AVX-512). Each follows from the arithmetic, not from the machine a test was
/// written on (Higham, Accuracy and Stability of Numerical Algorithms, §3–4 and, for eigenpairs, Weyl's
/// and Davis–Kahan's theorems).
public enum RoundingBound {
    /// The unit roundoff of float64, u = 2⁻⁵³.
    public static let unitRoundoff = Double.ulpOfOne / 2

    /// γₙ = n·u / (1 − n·u): the relative error bound of a sum or dot product of n float64 terms, in
    /// any order, relative to the sum of the terms' magnitudes.
    public static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unitRoundoff
        return nu / (1 - nu)
    }

    /// The magnitudes of a set of rows that every bound below depends on.
    public struct Data: Sendable {
        /// Number of rows n.
        public var rows: Int
        /// Number of columns d.
        public var dimension: Int
        /// The largest |x|.
        public var maxAbs: Double
        /// The largest range (max − min) of one column: every shift the accumulator subtracts is a mean
        /// of some rows, so it bounds each shifted value |x − shift| as well.
        public var spread: Double

        /// Summarises `values`, `dimension` values per row, back to back.
        public init(_ values: [Float], dimension: Int) {
            rows = values.count / dimension
            self.dimension = dimension
            maxAbs = Double(values.lazy.map(abs).max() ?? 0)
            spread = (0 ..< dimension).map { j in
                let column = stride(from: j, to: values.count, by: dimension).map { values[$0] }
                return Double((column.max() ?? 0) - (column.min() ?? 0))
            }.max() ?? 0
        }
    }

    /// Bound on |a − b| where a and b are float64 column means of the same rows summed in two orders
    /// around their own shifts: per side, γ_{n+3} on sums of shifted values (≤ spread each) plus the
    /// rounding of adding back the shift (2u·maxAbs).
    public static func mean(_ data: Data) -> Double {
        2 * (gamma(data.rows + 3) * data.spread + 2 * unitRoundoff * data.maxAbs)
    }

    /// Bound on each entry of C_a − C_b, for two float64 covariance matrices of the same rows (from
    /// float32) accumulated in different orders, blockings or merges.
    ///
    /// An entry is (Σ yⱼyₖ − Sⱼ·Sₖ/n)/(n−1) with y = x − shift, |y| ≤ spread. Each of its float64 sums
    /// of n terms is within γ_{n+4} of the sum of magnitudes, ≤ n·spread²; merging re-bases a
    /// partition's sums with two more such terms (S₁δᵀ + δS₁ᵀ + mδδᵀ), and δ = b − a carries the
    /// rounding u·maxAbs of the shifts it is made of (2·n·spread·u·maxAbs). Four such sums per side, two sides.
    public static func covarianceEntry(_ data: Data) -> Double {
        let n = Double(data.rows)
        let perSide = 4 * gamma(data.rows + 4) * n * data.spread * data.spread + 2 * n * data.spread * unitRoundoff * data.maxAbs
        return 2 * perSide / (n - 1)
    }

    /// Bound on ‖C_a − C_b‖₂ (≤ the Frobenius norm ≤ d·max entry) for `covarianceEntry`.
    public static func covarianceNorm(_ data: Data) -> Double {
        Double(data.dimension) * covarianceEntry(data)
    }

    /// Bound on |λₖ(C_a) − λₖ(C_b)| for eigenvalues computed by LAPACK from two covariance matrices
    /// `perturbation` apart in 2-norm: Weyl's theorem gives ‖ΔC‖₂, and each symmetric eigensolver is
    /// backward stable to p(d)·u·‖C‖₂ (taken as p(d) = 8·d; ‖C‖₂ ≤ trace for a covariance), once per side.
    public static func eigenvalue(perturbation: Double, dimension: Int, trace: Double) -> Double {
        perturbation + 2 * 8 * Double(dimension) * unitRoundoff * trace
    }

    /// Bound on ‖v_a − v_b‖∞ for unit eigenvectors of one eigenvalue (signs aligned) whose matrices are
    /// `perturbation` apart: Davis–Kahan's sin θ ≤ ‖ΔC‖₂ / (gap − ‖ΔC‖₂) with `gap` the distance from
    /// that eigenvalue to the rest of the spectrum, and ‖v_a − v_b‖₂ ≤ √2·sin θ. An eigenvalue that is
    /// not separated by more than the perturbation has no defined eigenvector: the bound is then 2.
    public static func eigenvector(perturbation: Double, gap: Double) -> Double {
        guard gap > 2 * perturbation else { return 2 }
        return min(2, 2.0.squareRoot() * perturbation / (gap - perturbation))
    }

    /// The distance from `values[k]` to the nearest other value of `values` (a spectrum, any order).
    public static func gap(_ values: [Double], at k: Int) -> Double {
        values.indices.filter { $0 != k }.map { abs(values[$0] - values[k]) }.min() ?? .infinity
    }
}
