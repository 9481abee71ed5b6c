// ModelExport: MobileNetV2 with a linear head written as a TFLite file for the phone app
// (format: tensorflow/lite/schema/schema.fbs, schema version 3; FlatBuffers: https://flatbuffers.dev/internals/).
//
// - `TFLiteExport.model`: the public entry; `AffineHead`: the head, checked when made; `LabelsMetadata`:
//   how labels travel in the file; `ModelExportError`: the module's one error enum.
// - TFLite/: the schema's enums (`TFLiteSchema.swift`), a graph of tensors and operators (`TFLiteGraph`),
//   MobileNetV2 defined in it layer by layer as the XNNPACK builder does, and the file writer.
// - FlatBuffers/: a back-to-front FlatBuffers builder.
