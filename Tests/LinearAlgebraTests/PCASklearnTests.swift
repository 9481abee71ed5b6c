import Foundation
import Testing

@testable import LinearAlgebra

/// The fit matches scikit-learn's `PCA` on the same data.
@Suite struct PCASklearnTests {
    @Test(arguments: ["correlated", "lowrank"])
    func matchesScikitLearn(testCase: String) throws {
        let reference = try SklearnReference.make(testCase)
        let d = reference.dimension
        var accumulator = try CovarianceAccumulator(dimension: d)
        try accumulator.add(reference.data)
        let k = min(reference.rows, d)
        let model = try PCAModel.fit(accumulator, components: .count(k))

        // Mean.
        let meanError = zip(model.mean, reference.mean).map { abs($0 - $1) }.max() ?? .infinity
        #expect(meanError < 1e-9)

        // Explained variance (ratio) of every component, 1e-6 relative.
        var worstRatio = 0.0
        for i in 0..<k {
            let expected = reference.explainedVarianceRatio[i]
            worstRatio = max(worstRatio, abs(model.explainedVarianceRatio[i] - expected) / expected)
            let variance = reference.explainedVariance[i]
            #expect(abs(model.explainedVariance[i] - variance) <= 1e-6 * variance, "explained variance \(i)")
        }
        #expect(worstRatio < 1e-6)

        // Components equal up to sign, and signs equal to sklearn's (svd_flip on the rows).
        // Only components with a well-separated eigenvalue are uniquely defined. The correlated case's
        // spectrum is distinct throughout, so all 1,280 are compared; the low-rank case's noise
        // subspace is near-degenerate (any rotation of it is as right), so there only the 10 signal axes.
        let compared = testCase == "lowrank" ? 10 : k
        var worstComponent = 0.0
        var signMatches = 0
        for c in 0..<compared {
            let ours = model.components[(c * d)..<((c + 1) * d)]
            let theirs = reference.components[(c * d)..<((c + 1) * d)]
            let dot = zip(ours, theirs).reduce(0.0) { $0 + $1.0 * $1.1 }
            let sign: Double = dot < 0 ? -1 : 1
            if sign > 0 { signMatches += 1 }
            worstComponent = max(worstComponent, zip(ours, theirs).map { abs($0 - sign * $1) }.max() ?? 0)
        }
        #expect(worstComponent < 1e-5)
        #expect(signMatches == compared)

        // Projection of 50 rows onto the first 20 components, against sklearn's transform.
        let projected = try model.transform(Array(reference.data[0..<(50 * d)]))
        let scale = reference.transformed.map(abs).max() ?? 1
        var worstProjection = 0.0
        for r in 0..<50 {
            for c in 0..<20 {
                worstProjection = max(worstProjection, abs(Double(projected[r * k + c]) - reference.transformed[r * 20 + c]))
            }
        }
        #expect(worstProjection <= 1e-6 * scale)

        // The 0.95 variance rule picks sklearn's K.
        let model95 = try PCAModel.fit(accumulator, components: .varianceRatio(0.95))
        #expect(model95.componentCount == reference.componentsFor95)

        print(
            "PCA vs sklearn \(reference.sklearnVersion) [\(testCase)]: worst ratio rel. error \(worstRatio),"
                + " worst component error \(worstComponent) over \(compared), signs equal \(signMatches)/\(compared),"
                + " mean error \(meanError), projection error \(worstProjection / scale) rel.,"
                + " K(0.95) = \(model95.componentCount) (sklearn \(reference.componentsFor95))")
    }
}
