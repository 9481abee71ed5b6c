"""scikit-learn's side of bench/train/run.sh: StandardScaler + LogisticRegression(lbfgs) on the same
training dataset, with the same C and max_iter; prints one JSON object with its times and scores.

usage: sklearn_peer.py TRAIN TEST C MAX_ITER
"""
import json
import sys
import time
import warnings

import numpy as np
import pyarrow.dataset as ds
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("ignore")


def load(path):
    table = ds.dataset(path, format="parquet").to_table(columns=["label", "features", "error"])
    keep = table.filter(table["error"].is_null())
    x = np.asarray(keep["features"].combine_chunks().flatten(), dtype=np.float32).reshape(keep.num_rows, -1)
    return x.astype(np.float64), np.asarray(keep["label"].to_pylist())


start = time.perf_counter()
x, y = load(sys.argv[1])
loaded = time.perf_counter()
scaler = StandardScaler().fit(x)
model = LogisticRegression(C=float(sys.argv[3]), max_iter=int(sys.argv[4]), solver="lbfgs").fit(scaler.transform(x), y)
fitted = time.perf_counter()
xt, yt = load(sys.argv[2])
print(json.dumps({
    "load_s": loaded - start, "fit_s": fitted - loaded, "total_s": fitted - start,
    "rows": len(y), "features": x.shape[1], "classes": len(model.classes_), "iterations": int(model.n_iter_.max()),
    "train_accuracy": float(model.score(scaler.transform(x), y)),
    "test_accuracy": float(model.score(scaler.transform(xt), yt)), "test_rows": len(yt),
}))
