// Parquet: a writer and reader for the Apache Parquet format
// (https://github.com/apache/parquet-format), in the format's layers.
