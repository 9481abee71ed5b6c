/// One weight of a Keras layer, by the name Keras gives its variable.
enum KerasWeight: String, Sendable, CaseIterable {
    case kernel, bias, gamma, beta
    case movingMean = "moving_mean"
    case movingVariance = "moving_variance"

    /// Position in a Keras 3 `vars` group: Conv/Dense store kernel, bias; BatchNormalization stores
    /// gamma, beta, moving_mean, moving_variance.
    var keras3Index: Int {
        switch self {
        case .kernel, .gamma: 0
        case .bias, .beta: 1
        case .movingMean: 2
        case .movingVariance: 3
        }
    }
}
