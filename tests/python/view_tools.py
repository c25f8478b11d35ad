"""Running `ngff view` for the tests: whether the build has it, a server on a free loopback port,
and one GET against it."""

from __future__ import annotations

import contextlib
import http.client
import re
import subprocess

from ngff_tools import NGFF_BIN


def has_view() -> bool:
    r = subprocess.run([NGFF_BIN, "view", "--help"], capture_output=True)
    return r.returncode == 0


@contextlib.contextmanager
def view_server(url):
    """`ngff view URL --port 0 --no-browser` while the context lasts; yields its port."""
    proc = subprocess.Popen([NGFF_BIN, "view", str(url), "--port", "0", "--no-browser"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        yield int(m.group(1))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(port, path, headers=None, timeout=10):
    """(status, body, headers) of GET `path`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read(), dict(r.getheaders())
    finally:
        conn.close()
