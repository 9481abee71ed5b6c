import Crypto
import Foundation
import MobileNet

/// Finds and checks the feature network a classifier bundle needs: the file given, else the copy
/// embedded in the bundle; either way it must be the network the classifier was trained on.
public enum BackboneFile {
    /// The SHA-256 of `bytes` in lowercase hex.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The backbone weights for `bundle`: from `path` when given, else embedded; checked against the
    /// bundle's recorded SHA-256. `bundlePath` names the bundle in errors.
    public static func weights(for bundle: ClassifierBundle, path: String?, bundlePath: String) throws -> MobileNetV2Weights {
        let bytes: [UInt8]
        let name: String
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
        } else {
            let hint = bundle.backbone.map { " (\($0.name), SHA-256 \($0.sha256))" } ?? ""
            throw RecognitionError.backboneMissing(
                "\(bundlePath) has no embedded backbone and no backbone file was given: the classifier needs the network its features were made with\(hint)"
)
        }
        if let expected = bundle.backbone {
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
}
