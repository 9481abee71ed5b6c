#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for S3Tests, on 127.0.0.1 only.

usage: fault_proxy.py UPSTREAM_PORT --rate 0.3 --seed 7
Forwards each request to 127.0.0.1:UPSTREAM_PORT, except that a share `rate` of requests (drawn from a
seeded generator) instead get one of: a 503 SlowDown answer; the connection reset without an answer; or,
for GETs, the real answer cut off halfway through its body. Prints its port once listening.
GET /__proxy_stats returns the counts of each outcome. Bounded: bodies up to 256 MiB, and it stops by itself
once its parent (the test process) is gone.
"""
import argparse
import http.client
import json
import random
import signal
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stop_with_parent import stop_with_parent  # this folder is first on sys.path

parser = argparse.ArgumentParser()
parser.add_argument("upstream_port", type=int)
parser.add_argument("--rate", type=float, default=0.3)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
# A parent (the Swift test runner) may have SIGTERM blocked; a blocked mask is inherited, so undo it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

MAX_BODY = 256 << 20
generator = random.Random(args.seed)
lock = threading.Lock()
stats = {"forwarded": 0, "slowdown": 0, "reset": 0, "truncated": 0}
SLOWDOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>"
)
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


def draw(method):
    with lock:
        if generator.random() >= args.rate:
            return "forward"
        kinds = ["slowdown", "reset", "truncated"] if method == "GET" else ["slowdown", "reset"]
        return generator.choice(kinds)


def count(outcome):
    with lock:
        stats[outcome] += 1


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        if self.path == "/__proxy_stats":
            with lock:
                data = json.dumps(stats).encode()
            self.answer(200, [("Content-Type", "application/json")], data)
            return
        outcome = draw(self.command)
        if outcome == "slowdown":
            count("slowdown")
            self.answer(503, [("Content-Type", "application/xml")], SLOWDOWN)
            return
        if outcome == "reset":
            count("reset")
            # SO_LINGER 0 makes close() send RST: what a dropped connection looks like to the client.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        upstream = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body if length else None, headers=headers)
            response = upstream.getresponse()
            data = response.read(MAX_BODY)
            reply_headers = [(k, v) for k, v in response.getheaders()
                             if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]
        finally:
            upstream.close()
        if outcome == "truncated" and len(data) >= 2:
            count("truncated")
            self.send_response(response.status)
            for name, value in reply_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        count("forwarded")
        self.answer(response.status, reply_headers, data)

    def answer(self, status, headers, data):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = handle_any

    def do_HEAD(self):
        # HEAD answers carry the object's Content-Length without a body: pass it through untouched.
        outcome = draw("HEAD")
        if outcome != "forward":
            count(outcome)
            if outcome == "slowdown":
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
            return
        upstream = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request("HEAD", self.path, headers=headers)
            response = upstream.getresponse()
            response.read()
            count("forwarded")
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()
        finally:
            upstream.close()


server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
stop_with_parent(server)
print(server.server_address[1], flush=True)
server.serve_forever()
