// SparkConnect: a Spark Connect client (sessions, SQL, Arrow results) over grpc-swift-2.
