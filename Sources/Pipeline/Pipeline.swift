// Pipeline: the featurize job — list, decode, MobileNetV2 features, PCA, Parquet dataset — on the
// local engine or on Spark.
