"""Datasets for bench/train/run.sh, written as `orchard featurize` lays them out (part-*.parquet with
path, label, features list<float32>, error; then _SUCCESS), so both `orchard train` and pyarrow read them.

  data.py split DATASET OUT    the rows of a featurized dataset into OUT/train and OUT/test: photos under
                               a Test/ folder are the test rows (Fruits-360's own split); without any,
                               every fifth row by path order is
  data.py synthetic OUT        1280-d Gaussian blobs, 13 classes: 6,700 training and 1,675 test rows
"""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq


def write(folder, paths, labels, features, per_part=1000):
    os.makedirs(folder, exist_ok=True)
    for i, start in enumerate(range(0, len(paths), per_part)):
        end = start + per_part
        rows = np.asarray(features[start:end], dtype=np.float32)
        pq.write_table(pa.table({
            "path": pa.array(paths[start:end], type=pa.string()),
            "label": pa.array(labels[start:end], type=pa.string()),
            "features": pa.array(list(rows), type=pa.list_(pa.float32())),
            "error": pa.array([None] * len(rows), type=pa.string()),
        }), f"{folder}/part-{i:05d}.parquet", compression="zstd")
    open(f"{folder}/_SUCCESS", "w").close()


def split(dataset, out):
    table = ds.dataset(dataset, format="parquet").to_table(columns=["path", "label", "features", "error"])
    rows = sorted((r for r in table.to_pylist() if r["error"] is None and r["features"] is not None), key=lambda r: r["path"])
    test = [("/Test/" in r["path"]) for r in rows]
    if not any(test) or all(test):
        test = [i % 5 == 4 for i in range(len(rows))]
    for name, keep in (("train", False), ("test", True)):
        part = [r for r, t in zip(rows, test) if t == keep]
        write(f"{out}/{name}", [r["path"] for r in part], [r["label"] for r in part], [r["features"] for r in part])
        print(f"{name}: {len(part)} rows, {len({r['label'] for r in part})} classes")


def synthetic(out, classes=13, dimension=1280, train_rows=6700, test_rows=1675, seed=42):
    rng = np.random.default_rng(seed)
    # Non-negative and correlated like pooled ReLU6 features: class means in a 64-d subspace, overlapping
    # enough (noise 3× the spread of the means) that neither side reaches 100% on the test rows.
    basis = rng.normal(size=(64, dimension)) / 8
    centres = rng.normal(size=(classes, 64))
    for name, n in (("train", train_rows), ("test", test_rows)):
        y = rng.integers(0, classes, n)
        x = np.maximum(0, (centres[y] + 3 * rng.normal(size=(n, 64))) @ basis + 0.4 * rng.normal(size=(n, dimension)) + 0.2)
        labels = [f"Fruit {k:02d}" for k in y]
        write(f"{out}/{name}", [f"synthetic/{l}/{i}.jpg" for i, l in enumerate(labels)], labels, x)
        print(f"{name}: {n} rows, {classes} classes (synthetic)")


if __name__ == "__main__":
    if sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "synthetic":
        synthetic(sys.argv[2])
    else:
        sys.exit(__doc__)
