#!/usr/bin/env python3
"""The seed's featurize pipeline, done the way the seed did it: PySpark, local mode, Keras MobileNetV2.

    python3 bench/featurize/seed_pipeline.py INPUT OUT [--master local[2]] [--pca 50] [--batch 256]

binaryFile source (*.jpg, recursive) → label from the folder name → scalar-iterator pandas UDF that
builds MobileNetV2 (include_top=False, pooling="avg", 1280-d) once per partition with weights
broadcast from the driver, PIL open → resize((224, 224)) (Pillow's default there is bicubic) →
preprocess_input → model.predict → arrays, as in the Databricks "featurization for transfer
learning" example → array_to_vector → Spark ML PCA(k) → Parquet (path, label, features, pca).

The network is built with weights=None and seeded random weights: the architecture is the one the
ImageNet weights fill, so the speed is the same; no download is needed. The featurized DataFrame is
cached before PCA so inference runs once (PCA fit and the write each read it). TensorFlow is held to
one intra-op thread per Python worker: local[2] already runs two workers on the two cores, and letting
each spawn a pool per core would oversubscribe them and make this peer look slower than it is.
Prints one JSON line: rows, partitions, and seconds per phase.
"""
import argparse
import json
import os
import sys
import time
from typing import Iterator

START = time.perf_counter()
# Workers inherit the driver's environment in local mode.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


def keras_model(weights=None):
    """MobileNetV2 1.0 / 224 without its top, global average pooled to 1280."""
    import keras
    model = keras.applications.MobileNetV2(alpha=1.0, include_top=False, weights=None,
                                           input_shape=(224, 224, 3), pooling="avg")
    if weights is not None:
        model.set_weights(weights)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("out")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--pca", type=int, default=50)
    parser.add_argument("--batch", type=int, default=256, help="spark.sql.execution.arrow.maxRecordsPerBatch")
    parser.add_argument("--predict-batch", type=int, default=32, help="model.predict batch_size")
    parser.add_argument("--driver-memory", default="2g")
    args = parser.parse_args()

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.ml.feature import PCA
    from pyspark.ml.functions import array_to_vector, vector_to_array
    import pandas as pd

    spark = (SparkSession.builder.master(args.master).appName("seed-featurize")
             .config("spark.driver.memory", args.driver_memory)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    t_spark = time.perf_counter()

    # Driver: build the model once and broadcast its weights, as the seed did.
    import keras
    keras.utils.set_random_seed(2018)
    bc_weights = spark.sparkContext.broadcast(keras_model().get_weights())
    t_model = time.perf_counter()

    images = (spark.read.format("binaryFile").option("pathGlobFilter", "*.jpg")
              .option("recursiveFileLookup", "true").load(args.input)
              .select("path", "content")
              .withColumn("label", F.regexp_extract("path", r"([^/]+)/[^/]+$", 1)))
    partitions = images.rdd.getNumPartitions()

    predict_batch = args.predict_batch

    @F.pandas_udf("array<float>")
    def featurize_udf(content_series_iter: Iterator[pd.Series]) -> Iterator[pd.Series]:
        import io
        import numpy as np
        from PIL import Image
        from keras.applications.mobilenet_v2 import preprocess_input
        model = keras_model(bc_weights.value)

        def preprocess(content):
            image = Image.open(io.BytesIO(content)).convert("RGB").resize((224, 224))
            return preprocess_input(np.asarray(image, dtype=np.float32))

        for content_series in content_series_iter:
            batch = np.stack(content_series.map(preprocess))
            predictions = model.predict(batch, batch_size=predict_batch, verbose=0)
            yield pd.Series([p.astype(np.float32).flatten() for p in predictions])

    features = (images.select("path", "label", featurize_udf("content").alias("features"))
                .withColumn("features_vec", array_to_vector("features"))
                .cache())
    rows = features.count()
    t_features = time.perf_counter()

    pca = PCA(k=args.pca, inputCol="features_vec", outputCol="pca_vec").fit(features)
    t_fit = time.perf_counter()
    (pca.transform(features)
     .select("path", "label", "features", vector_to_array("pca_vec", "float32").alias("pca"))
     .write.mode("overwrite").parquet(args.out))
    t_write = time.perf_counter()
    spark.stop()
    end = time.perf_counter()
    print(json.dumps({"rows": rows, "partitions": partitions,
                      "spark_start_s": t_spark - START, "driver_model_s": t_model - t_spark,
                      "featurize_s": t_features - t_model, "pca_fit_s": t_fit - t_features,
                      "transform_write_s": t_write - t_fit, "stop_s": end - t_write, "total_s": end - START}))


if __name__ == "__main__":
    main()
