"""S3Store against moto's S3 server on 127.0.0.1: ngff writes OME-Zarr to s3:// and reads it back
equal to a local copy; zarr-python (through s3fs) reads what ngff wrote and ngff reads what
zarr-python wrote; listings page (small max-keys); large values go up in multipart uploads;
anonymous access works on a public bucket; and, on a moto server that checks SigV4 signatures,
correct credentials pass while a wrong secret gives a clear error."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
import zarr

from moto_server import KEY, SECRET, MotoServer, ngff_env, signing_user
from ngff_tools import EXIT_IO, NGFF_BIN, NGFF_RAWIO, without_keys

BUCKET = "ngff-test"

# Fields that differ between a local and a remote node by nature.
VOLATILE = {"url"}


def normalized(node):
    return without_keys(node, VOLATILE)


def run(server, *args, env=None, timeout=120):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, env=env or ngff_env(server))


def ok(server, *args, env=None):
    r = run(server, *args, env=env)
    assert r.returncode == 0, f"{args} exited {r.returncode}: {r.stderr}"
    return r


def store_call(server, url, *args, env=None):
    return json.loads(ok(server, NGFF_RAWIO, "store", url, *args, env=env).stdout)["result"]


@pytest.fixture(scope="module")
def moto():
    # Small parts are allowed so that the multipart test stays cheap.
    server = MotoServer(S3_UPLOAD_PART_MIN_SIZE=1)
    try:
        server.client().create_bucket(Bucket=BUCKET)
        yield server
    finally:
        server.stop()


def s3fs_options(server):
    return {"endpoint_url": server.url, "key": KEY, "secret": SECRET,
            "client_kwargs": {"region_name": "us-east-1"}}


def test_create_and_read_image(moto, tmp_path):
    url = f"s3://{BUCKET}/img.zarr"
    args = ["--shape", "2,16,128,128", "--quiet"]
    ok(moto, NGFF_BIN, "create", url, *args)
    ok(moto, NGFF_BIN, "create", tmp_path / "img.zarr", *args)
    remote = json.loads(ok(moto, NGFF_BIN, "info", url, "--json").stdout)
    local = json.loads(ok(moto, NGFF_BIN, "info", tmp_path / "img.zarr", "--json").stdout)
    assert normalized(remote) == normalized(local)
    assert remote["url"].startswith(url)
    # zarr-python through s3fs reads what ngff wrote, voxel for voxel.
    g = zarr.open_group(url, mode="r", storage_options=s3fs_options(moto))
    local_g = zarr.open_group(tmp_path / "img.zarr", mode="r")
    assert len(remote["ome"]["levels"]) >= 2
    for level in ("0", "1"):
        np.testing.assert_array_equal(g[level][:], local_g[level][:])
    np.testing.assert_array_equal(g["labels/cells/0"][:], local_g["labels/cells/0"][:])
    # The whole image converted back from S3 to a local copy is the same image.
    ok(moto, NGFF_BIN, "convert", url, tmp_path / "back.zarr", "--quiet")
    back = json.loads(ok(moto, NGFF_BIN, "info", tmp_path / "back.zarr", "--json").stdout)
    assert normalized(back)["ome"] == normalized(local)["ome"]
    # A local image converted to S3 (0.5 -> 0.4, so Zarr v2 on S3) reads back the same.
    ok(moto, NGFF_BIN, "convert", tmp_path / "img.zarr", f"s3://{BUCKET}/v2img.zarr",
       "--ome-version", "0.4", "--quiet")
    v2 = zarr.open_group(f"s3://{BUCKET}/v2img.zarr", mode="r", storage_options=s3fs_options(moto))
    assert v2.metadata.zarr_format == 2
    np.testing.assert_array_equal(v2["0"][:], local_g["0"][:])
    # Rebuilding the pyramid in place on S3.
    ok(moto, NGFF_BIN, "pyramid", url, "--levels", "2", "--quiet")
    again = json.loads(ok(moto, NGFF_BIN, "info", url, "--json").stdout)
    assert len(again["ome"]["levels"]) == 2


def test_endpoint_flag(moto):
    env = ngff_env(moto)
    del env["AWS_ENDPOINT_URL"]
    r = run(moto, NGFF_BIN, "create", f"s3://{BUCKET}/flag.zarr", "--sample", "plane", "--shape",
            "64,64", "--quiet", "--endpoint", moto.url, env=env)
    assert r.returncode == 0, r.stderr
    info = json.loads(ok(moto, NGFF_BIN, "info", f"s3://{BUCKET}/flag.zarr", "--json",
                         "--endpoint", moto.url, env=env).stdout)
    assert info["ome"]["levels"][0]["shape"] == [64, 64]


def test_failed_create_leaves_nothing(moto):
    r = run(moto, NGFF_BIN, "create", f"s3://{BUCKET}/bad.zarr", "--sample", "nope", "--quiet")
    assert r.returncode != 0
    assert store_call(moto, f"s3://{BUCKET}", "list", "bad.zarr") == []


def test_zarr_python_writes_ngff_reads(moto, tmp_path):
    url = f"s3://{BUCKET}/zp.zarr"
    data = np.arange(50 * 70, dtype="float32").reshape(50, 70) / 7
    a = zarr.create_array(url, shape=data.shape, chunks=(16, 32), dtype="float32",
                          storage_options=s3fs_options(moto), zarr_format=3)
    a[:] = data
    env = ngff_env(moto)
    got = rawio_read_env(moto, url, np.float32, data.shape, tmp_path, env)
    np.testing.assert_array_equal(got, data)


def rawio_read_env(server, url, dtype, shape, tmp_path, env):
    out = tmp_path / "out.bin"
    ok(server, NGFF_RAWIO, "read", url, out, env=env)
    return np.frombuffer(out.read_bytes(), dtype=dtype).reshape(shape)


def test_listing_pages(moto):
    client = moto.client()
    keys = sorted(f"many/k{i:03d}" for i in range(23)) + ["many/sub/x", "many/sub/y&z <q>"]
    for k in keys:
        client.put_object(Bucket=BUCKET, Key=k, Body=k.encode())
    env = ngff_env(moto, NGFF_S3_MAX_KEYS=5)  # 25 keys: 5 pages
    assert store_call(moto, f"s3://{BUCKET}", "list", "many", env=env) == sorted(keys)
    # The store root is the URL's prefix: keys are relative to it.
    assert store_call(moto, f"s3://{BUCKET}/many", "list", "", env=env) == sorted(
        k[5:] for k in keys)
    assert store_call(moto, f"s3://{BUCKET}/many", "list_dir", "", env=env) == sorted(
        [k[5:] for k in keys if "sub/" not in k] + ["sub"])
    assert store_call(moto, f"s3://{BUCKET}/many", "get", "sub/y&z <q>") == b"many/sub/y&z <q>".hex()
    store_call(moto, f"s3://{BUCKET}", "erase_prefix", "many", env=env)
    assert store_call(moto, f"s3://{BUCKET}", "list", "many", env=env) == []


def test_multipart_upload(moto, tmp_path):
    value = np.random.default_rng(1).integers(0, 256, 300_000, dtype=np.uint8).tobytes()
    src = tmp_path / "value.bin"
    src.write_bytes(value)
    env = ngff_env(moto, NGFF_S3_MULTIPART_THRESHOLD=65536)
    store_call(moto, f"s3://{BUCKET}/mp", "set", "big.bin", src, env=env)
    head = moto.client().head_object(Bucket=BUCKET, Key="mp/big.bin")
    assert head["ContentLength"] == len(value)
    assert head["ETag"].strip('"').endswith("-5")  # 300000 bytes in 65536-byte parts
    assert moto.client().get_object(Bucket=BUCKET, Key="mp/big.bin")["Body"].read() == value
    # Ranges and suffixes of it.
    assert store_call(moto, f"s3://{BUCKET}/mp", "range", "big.bin", "70000:10") == \
        value[70000:70010].hex()
    assert store_call(moto, f"s3://{BUCKET}/mp", "suffix", "big.bin", "7") == value[-7:].hex()
    # Below the threshold: one PUT.
    store_call(moto, f"s3://{BUCKET}/mp", "set", "small.bin", src, env=ngff_env(moto))
    head = moto.client().head_object(Bucket=BUCKET, Key="mp/small.bin")
    assert "-" not in head["ETag"]


def test_anonymous_public_bucket(moto):
    client = moto.client()
    client.create_bucket(Bucket="public-data", ACL="public-read")
    client.put_object(Bucket="public-data", Key="a/b.bin", Body=b"hello", ACL="public-read")
    # Unsigned requests (no credentials at all, and AWS_NO_SIGN_REQUEST with credentials set).
    # moto does not enforce ACLs, so this shows that unsigned requests work, not that private
    # buckets refuse them.
    for env in (ngff_env(moto, key=None), ngff_env(moto, AWS_NO_SIGN_REQUEST=1)):
        assert store_call(moto, "s3://public-data/a", "get", "b.bin", env=env) == b"hello".hex()
        assert store_call(moto, "s3://public-data/a", "get", "missing", env=env) is None


def test_missing_bucket_is_a_clear_error(moto):
    r = run(moto, NGFF_BIN, "create", "s3://no-such-bucket/img.zarr", "--quiet")
    assert r.returncode == EXIT_IO
    assert "NoSuchBucket" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def moto_with_auth():
    """A moto server that checks signatures: the first actions (IAM set-up) are free."""
    server = MotoServer(INITIAL_NO_AUTH_ACTION_COUNT=4, S3_UPLOAD_PART_MIN_SIZE=1)
    try:
        key, secret = signing_user(server)
        server.client(key, secret).create_bucket(Bucket=BUCKET)
        yield server, key, secret
    finally:
        server.stop()


def test_signatures_are_checked(moto_with_auth, tmp_path):
    server, key, secret = moto_with_auth
    url = f"s3://{BUCKET}/signed.zarr"
    good = ngff_env(server, key=key, secret=secret, NGFF_S3_MULTIPART_THRESHOLD=65536)
    ok(server, NGFF_BIN, "create", url, "--shape", "2,8,32,32", "--quiet", env=good)
    info = json.loads(ok(server, NGFF_BIN, "info", url, "--json", env=good).stdout)
    assert info["ome"]["levels"]
    # A multipart upload and a listing with a continuation token, signed.
    src = tmp_path / "v.bin"
    src.write_bytes(bytes(200_000))
    store_call(server, f"s3://{BUCKET}", "set", "mp.bin", src, env=good)
    listing = store_call(server, f"s3://{BUCKET}", "list", "signed.zarr",
                         env=dict(good, NGFF_S3_MAX_KEYS="3"))
    assert "signed.zarr/zarr.json" in listing
    # Credentials from a profile of a shared-credentials file.
    creds = tmp_path / "credentials"
    creds.write_text(f"[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n\n"
                     f"[profile ngff]\naws_access_key_id = {key}\n"
                     f"aws_secret_access_key = {secret}\n")
    profile = ngff_env(server, key=None, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_PROFILE="ngff")
    ok(server, NGFF_BIN, "info", url, env=profile)
    # Session tokens (AWS_SESSION_TOKEN -> x-amz-security-token) are not tested here: moto's
    # signature check does not know STS credentials (boto3 with GetSessionToken credentials is
    # refused with InvalidAccessKeyId too).
    # A wrong secret: one line naming the failure, exit code 3.
    bad = ngff_env(server, key=key, secret="wrong-secret")
    r = run(server, NGFF_BIN, "info", url, env=bad)
    assert r.returncode == EXIT_IO, r.stderr
    assert "HTTP 403" in r.stderr and "SignatureDoesNotMatch" in r.stderr, r.stderr
    # An unknown key.
    r = run(server, NGFF_BIN, "info", url, env=ngff_env(server, key="AKIDUNKNOWN", secret="x"))
    assert r.returncode == EXIT_IO and "HTTP 403" in r.stderr, r.stderr
