#!/usr/bin/env python3
"""Fake AWS credential endpoints for S3Tests, on 127.0.0.1 only.

Serves, on one port printed to stdout once listening:
  IMDSv2   PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds) -> token;
           GET /latest/meta-data/iam/security-credentials/[ROLE] (needs that token, else 401)
  ECS      GET /ecs/creds (needs Authorization: <token given by --ecs-token>)
  STS      POST / Action=AssumeRoleWithWebIdentity (needs WebIdentityToken given by --web-token)
Each credentials document carries the keys given on the command line and expires --ttl seconds after it
is served, so clients must refresh. GET /stats returns how many credential documents were served.
Stops by itself once its parent (the test process) is gone, so a crashed test never leaves it behind.
"""
import argparse
import datetime
import json
import secrets
import signal
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stop_with_parent import stop_with_parent  # this folder is first on sys.path

parser = argparse.ArgumentParser()
parser.add_argument("--access-key", required=True)
parser.add_argument("--secret-key", required=True)
parser.add_argument("--session-token", required=True)
parser.add_argument("--role", default="orchard-emr-role")
parser.add_argument("--ecs-token", default="ecs-auth-token")
parser.add_argument("--web-token", default="web-identity-jwt")
parser.add_argument("--ttl", type=int, default=3600)
args = parser.parse_args()
# A parent (the Swift test runner) may have SIGTERM blocked; a blocked mask is inherited, so undo it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

imds_tokens = set()
served = {"imds": 0, "ecs": 0, "sts": 0, "unauthorized": 0}
lock = threading.Lock()


def expiry():
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.ttl)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def deny(self):
        with lock:
            served["unauthorized"] += 1
        self.reply(401, "unauthorized")

    def credentials_json(self):
        return json.dumps({
            "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": args.access_key,
            "SecretAccessKey": args.secret_key, "Token": args.session_token, "Expiration": expiry(),
        })

    def do_PUT(self):
        self.drain()
        if self.path != "/latest/api/token" or "X-aws-ec2-metadata-token-ttl-seconds" not in self.headers:
            return self.reply(400, "bad token request")
        token = secrets.token_hex(16)
        with lock:
            imds_tokens.add(token)
        self.reply(200, token)

    def do_GET(self):
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == "/stats":
            with lock:
                return self.reply(200, json.dumps(served), "application/json")
        if self.path.startswith(base):
            if self.headers.get("X-aws-ec2-metadata-token") not in imds_tokens:
                return self.deny()
            role = self.path[len(base):]
            if role == "":
                return self.reply(200, args.role)
            if role != args.role:
                return self.reply(404, "no such role")
            with lock:
                served["imds"] += 1
            return self.reply(200, self.credentials_json(), "application/json")
        if self.path == "/ecs/creds":
            if self.headers.get("Authorization") != args.ecs_token:
                return self.deny()
            with lock:
                served["ecs"] += 1
            return self.reply(200, self.credentials_json(), "application/json")
        self.reply(404, "not found")

    def do_POST(self):
        form = urllib.parse.parse_qs(self.drain().decode())
        if form.get("Action") != ["AssumeRoleWithWebIdentity"] or not form.get("RoleArn"):
            return self.reply(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>")
        if form.get("WebIdentityToken") != [args.web_token]:
            with lock:
                served["unauthorized"] += 1
            return self.reply(403, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code></Error></ErrorResponse>")
        with lock:
            served["sts"] += 1
        body = (
            '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            "<AssumeRoleWithWebIdentityResult><Credentials>"
            f"<AccessKeyId>{args.access_key}</AccessKeyId><SecretAccessKey>{args.secret_key}</SecretAccessKey>"
            f"<SessionToken>{args.session_token}</SessionToken><Expiration>{expiry()}</Expiration>"
            "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
        )
        self.reply(200, body, "text/xml")

    def drain(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 1 << 20))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
stop_with_parent(server)
print(server.server_address[1], flush=True)
server.serve_forever()
