import LinearAlgebra
import Recognition

/// What is computed from a row's features once the network has run: the PCA projection and the
/// classifier's prediction. Both engines apply it the same way (local in-process, Spark in `orchard worker`).
struct RowTransforms: Sendable {
    /// The dataset's PCA, when the job has one (fitted after pass 1).
    var pca: PCAModel?
    /// The classifier bundle of `--classifier`, checked against the job's backbone.
    var classifier: ClassifierBundle?

    /// The dataset columns rows carry once transformed.
    var columns: DatasetColumns { DatasetColumns(pca: pca != nil, classifier: classifier != nil) }

    /// Sets the row's `pca`, `prediction` and `probability` from its features (a failed row stays as is).
    func apply(to row: inout FeatureRow) throws {
        guard let features = row.features else { return }
        if let pca { row.pca = try pca.transform(features) }
        if let classifier {
            let best = Prediction(probabilities: try classifier.probabilities(for: features), labels: classifier.labels, top: 1)
            row.prediction = best.label
            row.probability = best.probability
        }
    }

    /// `rows`, each transformed.
    func applied(to rows: [FeatureRow]) throws -> [FeatureRow] {
        var rows = rows
        for index in rows.indices { try apply(to: &rows[index]) }
        return rows
    }
}

extension ClassifierBundle {
    /// The bundle at `path` for a job whose network is `modelPath` with digest `modelSHA256`: refused
    /// when it was trained on another network's features.
    static func forJob(path: String, modelPath: String, modelSHA256: String) throws -> ClassifierBundle {
        let bundle = try ClassifierBundle.load(from: path)
        if let backbone = bundle.backbone, backbone.sha256 != modelSHA256.lowercased() {
            throw RecognitionError.backboneMismatch(expected: backbone, actual: modelSHA256, path: modelPath)
        }
        return bundle
    }
}
