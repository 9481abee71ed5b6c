#!/usr/bin/env python3
"""Signs S3 requests with botocore at a fixed time, for S3Tests to compare with Orchard's signer.

Reads a JSON list of requests on stdin: {method, url, headers: [[name, value]], body (text), region,
access_key, secret_key, token|null, timestamp "YYYY-MM-DDTHH:MM:SSZ", expires}. Prints a JSON list of
{authorization, presigned_url}: botocore's S3SigV4Auth header and S3SigV4QueryAuth URL.
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

results = []
for item in json.load(sys.stdin):
    moment = datetime.datetime.strptime(item["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    botocore.auth.get_current_datetime = lambda moment=moment: moment
    credentials = Credentials(item["access_key"], item["secret_key"], item.get("token"))

    request = AWSRequest(method=item["method"], url=item["url"], data=item["body"].encode())
    for name, value in item["headers"]:
        request.headers[name] = value
    botocore.auth.S3SigV4Auth(credentials, "s3", item["region"]).add_auth(request)

    presign = AWSRequest(method=item["method"], url=item["url"])
    botocore.auth.S3SigV4QueryAuth(credentials, "s3", item["region"], expires=item["expires"]).add_auth(presign)
    results.append({"authorization": request.headers["Authorization"], "presigned_url": presign.url})
json.dump(results, sys.stdout)
