import LinearAlgebra

extension LabeledFeatures {
    /// A PCA fitted on these rows' features (scikit-learn's `PCA`, see `PCAModel.fit`).
    public func fitPCA(_ selection: ComponentSelection) throws -> PCAModel {
        guard let d = dimension, count >= 2 else {
            throw RecognitionError.invalidOption(name: "pca", reason: "PCA needs at least 2 rows with features; found \(count)")
        }
        var accumulator = try CovarianceAccumulator(dimension: d)
        try accumulator.add(values)
        return try PCAModel.fit(accumulator, components: selection)
    }

    /// The same rows with their features projected by `pca`.
    public func projected(by pca: PCAModel) throws -> LabeledFeatures {
        guard let d = dimension, count > 0 else { return replacingFeatures([], dimension: pca.componentCount) }
        guard d == pca.dimension else {
            throw RecognitionError.dimensionMismatch(expected: pca.dimension, actual: d, source: "the rows given to the PCA")
        }
        return replacingFeatures(try pca.transform(values), dimension: pca.componentCount)
    }
}
