import CXNNPACK

/// Turns an `xnn_status` into a `ModelError` that names the call and the layer.
func check(_ status: xnn_status, _ stage: @autoclosure () -> String) throws(ModelError) {
    guard status == xnn_status_success else {
        throw .xnnpackFailure(stage: stage(), status: Int(status.rawValue))
    }
}
