import Crypto
import Foundation
import MobileNet

/// Finds and checks the feature network a classifier bundle needs: the file given, else the copy
/// embedded in the bundle, else a file the caller knows of whose SHA-256 is the one the bundle records;
/// either way it must be the network the classifier was trained on.
public enum BackboneFile {
    /// The SHA-256 of `bytes` in lowercase hex.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The backbone weights for `bundle`: from `path` when given, else embedded, else the first of
    /// `candidates` (files such as the one featurize used) whose SHA-256 is the bundle's; checked against the
    /// bundle's recorded SHA-256. `bundlePath` names the bundle in errors.
    public static func weights(for bundle: ClassifierBundle, path: String?, candidates: [String] = [],
                               bundlePath: String) throws -> MobileNetV2Weights {
        let bytes: [UInt8]
        let name: String
        var hashChecked = false  // a candidate is taken only when its SHA-256 is the bundle's
        if let path {
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw RecognitionError.fileIO(path: path, reason: "cannot read the backbone: \(error.localizedDescription)")
            }
            name = path
        } else if let embedded = bundle.embeddedBackbone {
            bytes = embedded
            name = "\(bundlePath) (embedded backbone)"
        } else if let expected = bundle.backbone, let match = matching(expected, among: candidates) {
            (bytes, name) = match
            hashChecked = true
        } else {
            let hint = bundle.backbone.map { " (\($0.name), SHA-256 \($0.sha256))" } ?? ""
            let searched = candidates.isEmpty ? "" : "; not one of \(candidates.joined(separator: ", "))"
            throw RecognitionError.backboneMissing(
                "\(bundlePath) has no embedded backbone and no backbone file was given: the classifier needs the network its features were made with\(hint)\(searched)"
            )
        }
        if let expected = bundle.backbone, !hashChecked {
            let actual = sha256(bytes)
            guard actual == expected.sha256 else { throw RecognitionError.backboneMismatch(expected: expected, actual: actual, path: name) }
        }
        let weights = try WeightFile.load(bytes: bytes, name: name)
        let featureCount = try MobileNetV2Architecture(alpha: weights.alpha).headChannels
        guard featureCount == bundle.featureCount else {
            throw RecognitionError.dimensionMismatch(expected: bundle.featureCount, actual: featureCount, source: "\(name)'s features")
        }
        return weights
    }

    /// The bytes and path of the first readable file in `paths` whose SHA-256 is `expected`'s.
    private static func matching(_ expected: BackboneIdentity, among paths: [String]) -> (bytes: [UInt8], path: String)? {
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data)
            if sha256(bytes) == expected.sha256 { return (bytes, path) }
        }
        return nil
    }
}
