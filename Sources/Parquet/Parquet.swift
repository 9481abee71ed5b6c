// Parquet: a streaming writer and reader for the Apache Parquet format, built in the format's layers
// (https://github.com/apache/parquet-format: parquet.thrift, Encodings.md).
//
// Thrift/      compact protocol and the parquet.thrift structs (same names, same field ids)
// Encodings/   PLAIN, RLE/bit-packed hybrid, dictionary
// Compression/ UNCOMPRESSED, SNAPPY, ZSTD, GZIP (read)
// Pages/       page headers, page writer and reader
// Column/      column chunk writer and reader (levels ⇄ arrow-like columns, statistics)
// Schema/      the user-facing schema and its mapping to parquet's flattened schema
// File/        file writer (file → row group → column) and file reader
// API/         typed columns, row batches, row groups and text rendering
