import Foundation
import OrchardTestKit
import Recognition

/// scikit-learn's answer for a training set (and optionally a validation set): the pipeline
/// [PCA →] StandardScaler → LogisticRegression(C, class_weight), fitted to tight tolerance.
struct SklearnReference: Decodable {
    /// The options of the scikit-learn pipeline.
    struct Options: Encodable {
        var c = 1.0
        /// nil or "balanced".
        var classWeight: String?
        /// An integer component count or a variance share, as `PCA(n_components=…)` takes it; nil: no PCA.
        var pca: Double?
    }

    var classes: [String]
    /// Each training row's probabilities.
    var proba: [[Double]]
    var accuracy: Double
    /// Recall of each class on the training rows, in `classes` order.
    var recall: [Double]
    /// The PCA's component count, when there is one.
    var components: Int?
    var validationProba: [[Double]]?
    var validationLoss: Double?
    var validationAccuracy: Double?

    static let script = """
        import json, sys, warnings
        import numpy as np
        from sklearn.decomposition import PCA
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import log_loss, recall_score
        from sklearn.preprocessing import StandardScaler
        warnings.simplefilter("ignore")
        def load(path):
            rows = [line.rstrip("\\n").split(",") for line in open(path) if line.strip()]
            return np.array([[float(v) for v in r[1:]] for r in rows]), np.array([r[0] for r in rows])
        options = json.loads(sys.argv[1])
        X, y = load(sys.argv[2])
        pca = None
        if options.get("pca") is not None:
            k = options["pca"]
            pca = PCA(n_components=int(k) if k >= 1 else k, svd_solver="full").fit(X)
        project = (lambda A: pca.transform(A)) if pca is not None else (lambda A: A)
        scaler = StandardScaler().fit(project(X))
        prepare = lambda A: scaler.transform(project(A))
        model = LogisticRegression(C=options["c"], class_weight=options.get("classWeight"), max_iter=1000, tol=1e-8)
        model.fit(prepare(X), y)
        out = {"classes": list(model.classes_), "proba": model.predict_proba(prepare(X)).tolist(),
               "accuracy": float(model.score(prepare(X), y)),
               "recall": recall_score(y, model.predict(prepare(X)), labels=model.classes_, average=None).tolist(),
               "components": int(pca.n_components_) if pca is not None else None}
        if len(sys.argv) > 3:
            Xv, yv = load(sys.argv[3])
            pv = model.predict_proba(prepare(Xv))
            out.update(validationProba=pv.tolist(), validationLoss=float(log_loss(yv, pv, labels=model.classes_)),
                       validationAccuracy=float(model.score(prepare(Xv), yv)))
        print(json.dumps(out))
        """

    /// Fits scikit-learn on `training` (and scores `validation`) with `options`.
    static func fit(_ training: LabeledFeatures, validation: LabeledFeatures? = nil, options: Options) throws -> SklearnReference {
        let folder = try RecognitionTestSupport.temporaryFolder("sklearn")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try RecognitionTestSupport.csv(training).write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        var arguments = [String(decoding: try JSONEncoder().encode(options), as: UTF8.self), folder + "/train.csv"]
        if let validation {
            try RecognitionTestSupport.csv(validation).write(toFile: folder + "/validation.csv", atomically: true, encoding: .utf8)
            arguments.append(folder + "/validation.csv")
        }
        let output = try ChildProcess.python(script, arguments)
        return try JSONDecoder().decode(SklearnReference.self, from: Data(output.utf8))
    }
}

extension TrainedClassifier {
    /// Each row's probabilities through the whole head (PCA, standardisation, weights).
    func probabilities(_ data: LabeledFeatures) throws -> [[Double]] {
        try (0..<data.count).map { r in
            let features = data.features(at: r)
            return classifier.predictProbabilities(try pca?.transform(features) ?? features)
        }
    }
}

/// The largest absolute difference between two tables of probabilities of the same shape.
func largestDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}

/// The share of rows whose most probable class (in `labels` order) is their label.
func accuracy(_ probabilities: [[Double]], labels: [String], truth: [String]) -> Double {
    let correct = zip(probabilities, truth).filter { p, t in labels[p.indices.max { p[$0] < p[$1] }!] == t }.count
    return Double(correct) / Double(truth.count)
}
