// SparkConnect: a Spark Connect client (sessions, SQL, DataFrames, artifacts, Arrow results) over
// grpc-swift-2, shaped like PySpark's `pyspark.sql.connect`. Protocol: Apache Spark's
// `spark/connect/base.proto` (https://spark.apache.org/docs/latest/spark-connect-overview.html);
// results: the Arrow IPC streaming format (https://arrow.apache.org/docs/format/Columnar.html).
//
// Folders: Session/ (connection, RPCs, retries, artifacts, config), DataFrame/ (plans as values,
// reader, writer), Results/ (rows, values, schema, progress), Arrow/ (bounds-checked IPC reader),
// Errors/ (the module's error enum and the one gRPC translation). Generated messages live in the
// SparkConnectProtos target and are only named through ProtoAliases.swift.
