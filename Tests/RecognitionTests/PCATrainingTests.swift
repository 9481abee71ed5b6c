import LinearAlgebra
import Recognition
import Testing

/// A PCA inside the head: fitted on the training rows only, against scikit-learn's
/// PCA → StandardScaler → LogisticRegression pipeline.
@Suite struct PCATrainingTests {
    static let data = RecognitionTestSupport.blobs(rows: 300, dimension: 20, classes: 4, seed: 3)

    @Test(arguments: [ComponentSelection.count(6), .varianceRatio(0.9)])
    func probabilitiesMatchScikitLearnsPipeline(selection: ComponentSelection) throws {
        let options = TrainingOptions(maxIterations: 1000, tolerance: 1e-8)
        let trained = try TrainedClassifier(training: Self.data, pca: selection, options: options)
        let share: Double
        switch selection {
        case .count(let k): share = Double(k)
        case .varianceRatio(let v): share = v
        }
        let reference = try SklearnReference.fit(Self.data, options: .init(pca: share))
        let pca = try #require(trained.pca)
        let difference = largestDifference(try trained.probabilities(Self.data), reference.proba)
        print("PCA \(selection): \(pca.componentCount) components (sklearn \(reference.components ?? -1)), max |Δp| = \(difference)")
        #expect(pca.componentCount == reference.components)
        #expect(pca.dimension == 20)
        #expect(trained.classifier.dimension == pca.componentCount)
        // The projection is stored as float32 (as `featurize --pca` writes it); scikit-learn keeps float64.
        #expect(difference <= 1e-3)
        // Fewer components than features must lose something, or the test would not see a missing PCA.
        #expect(pca.componentCount < 20)
        let full = try TrainedClassifier(training: Self.data, options: options)
        #expect(largestDifference(try full.probabilities(Self.data), reference.proba) > 1e-2)
    }

    @Test func thePCAIsFittedOnTheTrainingRowsOnly() throws {
        let (training, validation) = try Self.data.stratifiedSplit(validationFraction: 0.3, seed: 1)
        let trained = try TrainedClassifier(training: training, validation: validation, pca: .count(5))
        let pca = try #require(trained.pca)
        #expect(pca.sampleCount == training.count)
        #expect(pca == (try training.fitPCA(.count(5))))
        #expect(pca != (try Self.data.fitPCA(.count(5))))
        #expect(trained.metrics.validationRows == validation.count)
    }

    @Test func theBundleTakesBackboneFeatures() throws {
        let trained = try TrainedClassifier(training: Self.data, pca: .count(4))
        let bundle = try trained.bundle(sources: ["synthetic"], backbone: BackboneIdentity(name: "net", sha256: "AB", featureCount: 20))
        #expect(bundle.featureCount == 20)
        #expect(try bundle.probabilities(for: Self.data.features(at: 0)) == (try trained.probabilities(Self.data))[0])
        let read = try ClassifierBundle(serialized: bundle.serialized(), path: "b.orchard")
        #expect(read == bundle)
    }
}
