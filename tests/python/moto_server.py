"""moto's S3 server on 127.0.0.1 for the S3 tests (a subprocess: its settings come from its
environment), the environment that points ngff at it, and a user for a server that checks
signatures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

KEY, SECRET = "testing-key", "testing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """`python -m moto.server` on 127.0.0.1 (a subprocess: its settings come from its env)."""

    def __init__(self, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        e = dict(os.environ)
        e.update({k: str(v) for k, v in env.items()})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1)
                break
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto server did not start")
                time.sleep(0.2)

    def client(self, key=KEY, secret=SECRET):
        import boto3
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=key,
                            aws_secret_access_key=secret, region_name="us-east-1")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def ngff_env(server: MotoServer, key=KEY, secret=SECRET, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=server.url, AWS_REGION="us-east-1",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent", NGFF_HTTP_TIMEOUT="5",
               NGFF_HTTP_RETRIES="2")
    if key:
        env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def signing_user(server: MotoServer) -> tuple[str, str]:
    """On a server started with INITIAL_NO_AUTH_ACTION_COUNT=4: a user allowed every S3 action
    (three unsigned IAM actions); returns its key and secret."""
    import boto3
    iam = boto3.client("iam", endpoint_url=server.url, aws_access_key_id=KEY,
                       aws_secret_access_key=SECRET, region_name="us-east-1")
    iam.create_user(UserName="ngff")
    iam.put_user_policy(UserName="ngff", PolicyName="all", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    cred = iam.create_access_key(UserName="ngff")["AccessKey"]
    return cred["AccessKeyId"], cred["SecretAccessKey"]
