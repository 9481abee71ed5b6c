"""The Python peer of `orchard serve` for bench/serve: FastAPI + uvicorn + ONNX Runtime, same job.

    ORCHARD_PEER_MODEL=fruit.onnx ORCHARD_PEER_LABELS=labels.txt \
        uvicorn --app-dir bench/serve peer_server:app --workers 2 --port 8091

POST /v1/classify takes the photo bytes (image/jpeg or image/png) and answers JSON like Orchard's:
label, probability, top [{label, probability}] (?top=K, default 5) and timings in ms. The model is
`orchard export`'s TFLite file (MobileNetV2 + the bundle's PCA/standardisation/classifier folded into
one affine layer + softmax) converted to ONNX by tf2onnx, so both servers run the same network and
head. Preprocessing is the one Orchard reproduces (Keras's): EXIF orientation, RGB, Pillow's bicubic
resize to 224×224, x / 127.5 - 1 in float32.

Each uvicorn worker process runs one ONNX Runtime session with one intra-op thread and lets one
request at a time into decode + inference (a capacity limiter of 1): with one process per core this is
the configuration that gave ONNX Runtime its best rate on this machine kind (two 1-thread sessions beat
one 2-thread session; more requests at once per process only oversubscribe the core).
"""
import io
import os
import time

import anyio
import numpy as np
import onnxruntime
from fastapi import FastAPI, HTTPException, Request
from PIL import Image, ImageOps

MAX_BODY_BYTES = 10 << 20
MAX_PIXELS = 50_000_000

options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
session = onnxruntime.InferenceSession(os.environ["ORCHARD_PEER_MODEL"], options, providers=["CPUExecutionProvider"])
input_name = session.get_inputs()[0].name
with open(os.environ["ORCHARD_PEER_LABELS"], encoding="utf-8") as file:
    labels = [line.rstrip("\n") for line in file if line.strip()]
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
limiter = anyio.CapacityLimiter(1)
app = FastAPI(title="orchard-serve-peer")


def classify_bytes(data: bytes, top: int) -> dict:
    """Decode, resize, scale and run the network on one photo; the answer's JSON object."""
    start = time.perf_counter()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB").resize((224, 224), Image.Resampling.BICUBIC)
            pixels = np.asarray(image, dtype=np.float32)
    except Exception as error:  # Pillow raises many types for undecodable input
        raise HTTPException(status_code=422, detail=f"undecodable image: {error}") from None
    tensor = (pixels / np.float32(127.5) - np.float32(1)).reshape(1, 224, 224, 3)
    decoded = time.perf_counter()
    probabilities = session.run(None, {input_name: tensor})[0][0]
    done = time.perf_counter()
    order = np.argsort(-probabilities, kind="stable")[:top]
    ranked = [{"label": labels[i], "probability": float(probabilities[i])} for i in order]
    return {
        "label": ranked[0]["label"],
        "probability": ranked[0]["probability"],
        "top": ranked,
        "timings": {"decode_ms": (decoded - start) * 1e3, "network_ms": (done - decoded) * 1e3,
                    "total_ms": (done - start) * 1e3},
    }


@app.post("/v1/classify")
async def classify(request: Request, top: int = 5) -> dict:
    if request.headers.get("content-type", "").split(";")[0].strip() not in ("image/jpeg", "image/png"):
        raise HTTPException(status_code=415, detail="send image/jpeg or image/png")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(status_code=413, detail="photo too large")
    return await anyio.to_thread.run_sync(classify_bytes, body, max(1, min(top, len(labels))), limiter=limiter)


@app.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}
