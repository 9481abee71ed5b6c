"""Writes the generated seeds of fuzz/corpus/: Parquet and Arrow IPC from pyarrow, S3 XML bodies, images
copied from the Imaging fixtures, and tiny TFLite headers. Run once from the repository root:
python3 fuzz/make_seeds.py. Reproducers of fixed crashes (crash-*) and files written by Orchard or Spark
(orchard-*, spark-*) are committed by hand beside these and never overwritten.
"""
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImagingTests", "Resources", "fixtures")


def folder(target):
    path = os.path.join(ROOT, target)
    os.makedirs(path, exist_ok=True)
    return path


def images():
    # Small files covering every decoder branch: baseline, progressive, CMYK/YCCK, 4:4:4, every EXIF
    # orientation that moves pixels, PNG palette/16-bit/alpha/interlaced, and a decompression bomb.
    names = ["one_pixel.jpg", "gray.jpg", "progressive.jpg", "cmyk.jpg", "ycck.jpg", "yuv444.jpg",
             "exif_3.jpg", "exif_6.jpg", "exif_8.jpg", "one_pixel.png", "gray2.png", "gray16.png",
             "palette.png", "rgb_trns.png", "gray_alpha16.png", "interlaced.png", "bomb_10000x10000.png"]
    for name in names:
        shutil.copy(os.path.join(FIXTURES, name), os.path.join(folder("jpeg-png-exif"), name))


def table(rows):
    return pa.table({
        "path": pa.array([f"img/{i}.jpg" if i % 5 else None for i in range(rows)], pa.string()),
        "label": pa.array([["Apple", "Banana", "Kiwi"][i % 3] for i in range(rows)], pa.string()),
        "features": pa.array([[float(i), -0.5, 1e-3] if i % 4 else None for i in range(rows)], pa.list_(pa.float32())),
        "pca": pa.array([[float(i)] * 2 for i in range(rows)], pa.list_(pa.float64())),
        "n32": pa.array([i - 3 if i % 3 else None for i in range(rows)], pa.int32()),
        "n64": pa.array([i * 1_000_000_007 for i in range(rows)], pa.int64()),
        "flag": pa.array([i % 2 == 0 for i in range(rows)], pa.bool_()),
        "blob": pa.array([bytes([i % 256]) * (i % 4) for i in range(rows)], pa.binary()),
    })


def parquet():
    out = folder("parquet")
    data = table(12)
    for codec in ["none", "snappy", "zstd", "gzip"]:
        pq.write_table(data, os.path.join(out, f"pyarrow-{codec}.parquet"), compression=codec, row_group_size=5)
    pq.write_table(data, os.path.join(out, "pyarrow-plain-v2pages.parquet"), use_dictionary=False,
                   data_page_version="2.0", compression="snappy")
    pq.write_table(table(0), os.path.join(out, "pyarrow-empty.parquet"))


def arrow():
    out = folder("arrow-ipc")
    schema = pa.schema([("s", pa.string()), ("b", pa.binary()), ("y", pa.int8()), ("h", pa.int16()),
                        ("i", pa.int32()), ("l", pa.int64()), ("f", pa.float32()), ("d", pa.float64()),
                        ("t", pa.bool_()), ("af", pa.list_(pa.float32())), ("ad", pa.list_(pa.float64())),
                        ("n", pa.null())])
    batch = pa.record_batch([
        pa.array(["a", None, "ünï"]), pa.array([b"\x00\x01", b"", None]), pa.array([-128, None, 127], pa.int8()),
        pa.array([None, -32768, 7], pa.int16()), pa.array([1, None, -2147483648], pa.int32()),
        pa.array([None, 2**62, -1], pa.int64()), pa.array([1.5, None, -0.0], pa.float32()),
        pa.array([2.25, 1e300, None]), pa.array([True, None, False]),
        pa.array([[1.0, None], None, []], pa.list_(pa.float32())),
        pa.array([[0.5], [1.0, 2.0], None], pa.list_(pa.float64())), pa.nulls(3)], schema=schema)
    for name, batches in [("every-type.arrows", [batch, batch.slice(1, 1)]), ("schema-only.arrows", [])]:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, schema) as writer:
            for b in batches:
                writer.write_batch(b)
        with open(os.path.join(out, name), "wb") as f:
            f.write(sink.getvalue().to_pybytes())
    # What Spark Connect sends for a featurize result: strings and a list<float>.
    spark = pa.record_batch([pa.array(["x.jpg"]), pa.array([[0.25, 0.5]], pa.list_(pa.float32()))],
                            names=["path", "features"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, spark.schema) as writer:
        writer.write_batch(spark)
    with open(os.path.join(out, "features.arrows"), "wb") as f:
        f.write(sink.getvalue().to_pybytes())


S3_BODIES = {
    "list-page.xml": """<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>fruits</Name><Prefix>Test/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
<Contents><Key>Test/Apple+Red/1_100.jpg</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
<ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>4923</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>Test/Kiwi%01%2B/2.jpg</Key><LastModified>2024-01-02T03:04:05Z</LastModified><ETag>"x-3"</ETag><Size>0</Size></Contents>
</ListBucketResult>
""",
    "list-last-page.xml": """<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key><![CDATA[a&b]]></Key><Size>1</Size></Contents></ListBucketResult>""",
    "error-nosuchkey.xml": """<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>
<Resource>/fruits/Test/a.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>
""",
    "error-slowdown.xml": """<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>A1</RequestId><HostId>h</HostId></Error>""",
    "delete-result.xml": """<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>""",
    "doctype-entity.xml": """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "xx">]><ListBucketResult><Prefix>&e;</Prefix></ListBucketResult>""",
}


def s3():
    out = folder("s3-xml")
    for name, body in S3_BODIES.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(body)


def tflite_model(dynamic_int8):
    """A toy MobileNetV2 start, as the converter lays it out: input [1, 8, 8, 3], the stem CONV_2D (stride
    2, relu6), block 0's DEPTHWISE_CONV_2D and project CONV_2D, then the graph ends (the loader refuses it
    at block_1). With `dynamic_int8` the stem filter is int8 widened by a DEQUANTIZE, as in the real model."""
    import flatbuffers
    import numpy as np
    b = flatbuffers.Builder(4096)

    def ints(values):
        b.StartVector(4, len(values), 4)
        for v in reversed(values):
            b.PrependInt32(v)
        return b.EndVector()

    def offsets(items):
        b.StartVector(4, len(items), 4)
        for item in reversed(items):
            b.PrependUOffsetTRelative(item)
        return b.EndVector()

    def table(fields):
        built = {slot: value() if callable(value) else value for slot, (kind, value) in fields.items()}
        b.StartObject(max(fields, default=-1) + 1)
        for slot, (kind, _) in fields.items():
            getattr(b, "Prepend%sSlot" % kind)(slot, built[slot], 0)
        return b.EndObject()

    rng = np.random.default_rng(1)
    stem = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    constants = [  # (name, shape, bytes, type): type 0 float32, 9 int8
        ("stem_filter", [4, 3, 3, 3], (stem * 40).astype(np.int8).tobytes() if dynamic_int8 else stem.tobytes(), 9 if dynamic_int8 else 0),
        ("stem_bias", [4], np.arange(4, dtype=np.float32).tobytes(), 0),
        ("dw_filter", [1, 3, 3, 4], rng.standard_normal(36).astype(np.float32).tobytes(), 0),
        ("dw_bias", [4], np.zeros(4, np.float32).tobytes(), 0),
        ("project_filter", [2, 1, 1, 4], rng.standard_normal(8).astype(np.float32).tobytes(), 0),
        ("project_bias", [2], np.ones(2, np.float32).tobytes(), 0),
    ]
    buffers = [table({})]  # buffer 0: empty, as the converter writes it
    tensors = []
    for name, shape, data, kind in constants:
        buffers.append(table({0: ("UOffsetTRelative", lambda data=data: b.CreateByteVector(data))}))
        fields = {0: ("UOffsetTRelative", lambda shape=shape: ints(shape)), 1: ("Int8", kind),
                  2: ("Uint32", len(buffers) - 1), 3: ("UOffsetTRelative", lambda name=name: b.CreateString(name))}
        if kind == 9:
            def quantization():
                b.StartVector(4, 4, 4)
                for _ in range(4):
                    b.PrependFloat32(0.025)
                scale = b.EndVector()
                b.StartVector(8, 4, 8)
                for _ in range(4):
                    b.PrependInt64(0)
                zero = b.EndVector()
                return table({2: ("UOffsetTRelative", scale), 3: ("UOffsetTRelative", zero)})
            fields[4] = ("UOffsetTRelative", quantization)
        tensors.append(table(fields))
    activations = [("input", [1, 8, 8, 3]), ("stem", [1, 4, 4, 4]), ("dw", [1, 4, 4, 4]), ("project", [1, 4, 4, 2]),
                   ("stem_filter_f32", [4, 3, 3, 3])]
    for name, shape in activations:
        tensors.append(table({0: ("UOffsetTRelative", lambda shape=shape: ints(shape)),
                              3: ("UOffsetTRelative", lambda name=name: b.CreateString(name))}))
    INPUT, STEM, DW, PROJECT, WIDENED = 6, 7, 8, 9, 10
    codes = [table({0: ("Int8", 3), 3: ("Int32", 3)}), table({0: ("Int8", 4), 3: ("Int32", 4)}),
             table({0: ("Int8", 6), 3: ("Int32", 6)})]

    def conv(opcode, inputs, output, options_type, options):
        return table({0: ("Uint32", opcode), 1: ("UOffsetTRelative", lambda: ints(inputs)),
                      2: ("UOffsetTRelative", lambda: ints([output])), 3: ("Uint8", options_type),
                      4: ("UOffsetTRelative", options)})

    operators = []
    if dynamic_int8:
        operators.append(table({0: ("Uint32", 2), 1: ("UOffsetTRelative", lambda: ints([0])),
                                2: ("UOffsetTRelative", lambda: ints([WIDENED]))}))
    operators.append(conv(0, [INPUT, WIDENED if dynamic_int8 else 0, 1], STEM, 1,
                          lambda: table({0: ("Int8", 0), 1: ("Int32", 2), 2: ("Int32", 2), 3: ("Int8", 3)})))
    operators.append(conv(1, [STEM, 2, 3], DW, 2,
                          lambda: table({0: ("Int8", 0), 1: ("Int32", 1), 2: ("Int32", 1), 3: ("Int32", 1), 4: ("Int8", 3)})))
    operators.append(conv(0, [DW, 4, 5], PROJECT, 1,
                          lambda: table({0: ("Int8", 0), 1: ("Int32", 1), 2: ("Int32", 1), 3: ("Int8", 0)})))
    subgraph = table({0: ("UOffsetTRelative", lambda: offsets(tensors)), 1: ("UOffsetTRelative", lambda: ints([INPUT])),
                      2: ("UOffsetTRelative", lambda: ints([PROJECT])), 3: ("UOffsetTRelative", lambda: offsets(operators))})
    model = table({0: ("Uint32", 3), 1: ("UOffsetTRelative", lambda: offsets(codes)),
                   2: ("UOffsetTRelative", lambda: offsets([subgraph])), 4: ("UOffsetTRelative", lambda: offsets(buffers))})
    b.Finish(model, file_identifier=b"TFL3")
    return bytes(b.Output())


def tflite():
    # The 1.6 MB test model is too big for a seed: a bare header (TFL3 and an empty Model table) and two
    # toy graphs that take the loader through the stem and block 0 before it refuses them.
    out = folder("tflite")
    with open(os.path.join(out, "header.tflite"), "wb") as f:
        f.write(bytes([12, 0, 0, 0]) + b"TFL3" + bytes([4, 0, 4, 0, 4, 0, 0, 0]))
    for name, dynamic in [("toy-float32.tflite", False), ("toy-dynamic-int8.tflite", True)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(tflite_model(dynamic))


if __name__ == "__main__":
    images()
    parquet()
    arrow()
    s3()
    tflite()
