/// Where a Keras weight file keeps each layer's weights; one implementation per file layout.
protocol KerasLayout {
    /// The dataset path of `weight` of Keras layer `layer`, or nil when the file does not have it.
    func datasetPath(layer: String, weight: KerasWeight) throws(ModelError) -> String?
}
