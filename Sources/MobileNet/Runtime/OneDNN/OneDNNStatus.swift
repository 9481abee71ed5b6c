import COneDNN

/// Turns a `dnnl_status_t` into a `ModelError` that names the call and the layer.
func check(_ status: dnnl_status_t, _ stage: @autoclosure () -> String) throws(ModelError) {
    guard status == dnnl_success else {
        throw .onednnFailure(stage: stage(), status: Int(status.rawValue))
    }
}
