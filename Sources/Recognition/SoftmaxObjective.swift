import CBLAS
import Foundation

/// The penalised multinomial log-loss and its gradient over standardised rows.
///
/// Parameters are the weights `W` (`dimension` × `classes`, row-major) followed by the intercepts `b`;
/// the value is Σᵢ sᵢ · −log softmax(xᵢW + b)[yᵢ] + ‖W‖²/(2C) with row weights sᵢ (1 unless given):
/// scikit-learn's objective times Σᵢ sᵢ (`_logistic_regression_path` divides the penalty by C · Σᵢ sᵢ).
struct SoftmaxObjective {
    /// Standardised rows, `rows` × `dimension`, row-major.
    let x: [Double]
    /// Each row's class index.
    let targets: [Int]
    let dimension: Int
    let classes: Int
    /// Inverse regularisation strength.
    let c: Double
    /// Each row's weight (its class's, see `ClassWeighting`); nil: every row weighs 1.
    var rowWeights: [Double]? = nil

    var rows: Int { targets.count }
    /// Σᵢ sᵢ: what the summed objective is divided by to be scikit-learn's mean one.
    var totalWeight: Double { rowWeights?.reduce(0, +) ?? Double(rows) }
    var parameterCount: Int { dimension * classes + classes }

    /// The scores `X·W + b`, `rows` × `classes`.
    func scores(_ parameters: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: rows * classes)
        parameters.withUnsafeBufferPointer { p in
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(classes), Int32(dimension),
                1, x, Int32(dimension), p.baseAddress, Int32(classes), 0, &z, Int32(classes))
        }
        let b = dimension * classes
        for r in 0..<rows { for k in 0..<classes { z[r * classes + k] += parameters[b + k] } }
        return z
    }

    /// The objective's value and gradient at `parameters`.
    func evaluate(_ parameters: [Double]) -> (Double, [Double]) {
        var z = scores(parameters)
        var loss = 0.0
        // z becomes softmax(z) − onehot(y), the gradient of the loss with respect to the scores.
        for r in 0..<rows {
            let row = r * classes
            var top = -Double.infinity
            for k in 0..<classes { top = max(top, z[row + k]) }
            var sum = 0.0
            for k in 0..<classes { sum += exp(z[row + k] - top) }
            let logSum = top + log(sum)
            let weight = rowWeights?[r] ?? 1
            loss += weight * (logSum - z[row + targets[r]])
            for k in 0..<classes { z[row + k] = exp(z[row + k] - logSum) }
            z[row + targets[r]] -= 1
            if weight != 1 { for k in 0..<classes { z[row + k] *= weight } }
        }
        let weightCount = dimension * classes
        var gradient = [Double](repeating: 0, count: parameterCount)
        var penalty = 0.0
        for i in 0..<weightCount {
            penalty += parameters[i] * parameters[i]
            gradient[i] = parameters[i] / c
        }
        loss += penalty / (2 * c)
        gradient.withUnsafeMutableBufferPointer { g in
            cblas_dgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dimension), Int32(classes), Int32(rows),
                1, x, Int32(dimension), z, Int32(classes), 1, g.baseAddress, Int32(classes))
        }
        for r in 0..<rows { for k in 0..<classes { gradient[weightCount + k] += z[r * classes + k] } }
        return (loss, gradient)
    }

    /// The mean log-loss (unweighted, unpenalised: scikit-learn's `log_loss`) and the share of rows whose
    /// highest score is their class, at `parameters`.
    func logLossAndAccuracy(_ parameters: [Double]) -> (loss: Double, accuracy: Double) {
        guard rows > 0 else { return (0, 0) }
        let z = scores(parameters)
        var loss = 0.0
        var correct = 0
        for r in 0..<rows {
            let row = r * classes
            var top = -Double.infinity, best = 0
            for k in 0..<classes where z[row + k] > top {
                top = z[row + k]
                best = k
            }
            var sum = 0.0
            for k in 0..<classes { sum += exp(z[row + k] - top) }
            loss += top + log(sum) - z[row + targets[r]]
            if best == targets[r] { correct += 1 }
        }
        return (loss / Double(rows), Double(correct) / Double(rows))
    }
}
