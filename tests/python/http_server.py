"""Small HTTP servers on 127.0.0.1 for the HttpStore and S3Store tests, with fault injection.

``FileServer`` serves the files below a root directory over HTTP/1.1 (keep-alive) and supports
``Range: bytes=A-B``, ``bytes=A-`` and suffix ranges ``bytes=-N`` (206, or 416 past the end).
``ProxyServer`` forwards every GET and HEAD to another server (moto's S3) with its headers as
they came, Host and signature included, and injects the same faults into the answers.
Modes, set as attributes while it runs (``server.mode.X = ...``):

* ``ignore_range``: answer 200 with the whole body even when a range was asked;
* ``delay``: seconds to sleep before each answer;
* ``fail_first``: the first N requests for each path get 503;
* ``drop_first``: the first N requests for each path have their connection closed unanswered;
* ``always_status``: every request gets this status (e.g. 500);
* ``s3_forbidden``: missing files get S3's 403 AccessDenied (with an x-amz-request-id);
* ``status_first`` / ``retry_after``: the first ``fail_first`` requests for each path get this
  status (429, 500, 503, ...) instead of 503, with ``Retry-After: retry_after`` when set;
* ``truncate_first``: the first N answers for each path announce the whole body but send half
  of it, then reset the connection;
* ``stall_first``: the first N requests for each path get no answer for ``stall`` seconds;
* ``long_length``: every answer announces 10 bytes more than it sends, then closes;
* ``shift_range``: every 206 answer starts one byte later than asked (Content-Range and body
  agree with each other, not with the request; the proxy asks upstream for the shifted range);
* ``overlong_range``: every 206 answer carries one byte more than asked, its Content-Range too.

Every request is recorded (method, path, Range header) in ``server.requests``, and accepted
connections are counted in ``server.connections``. The server stops
when its context ends, and by itself after ``lifetime`` seconds at the latest.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from dataclasses import dataclass
import http.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Mode:
    ignore_range: bool = False
    delay: float = 0.0
    fail_first: int = 0
    drop_first: int = 0
    always_status: int = 0
    s3_forbidden: bool = False
    status_first: int = 503
    retry_after: str = "0"
    truncate_first: int = 0
    stall_first: int = 0
    stall: float = 0.0
    long_length: bool = False
    shift_range: bool = False
    overlong_range: bool = False


@dataclass
class Request:
    method: str
    path: str
    range: str | None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"
    _seen = 0  # requests for this path before this one

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _send(self, status, body=b"", headers=(), head=False, length=None):
        """Answers `body` (`length` bytes announced to a HEAD when given) with the faults of
        the mode."""
        mode, n = self.server.mode, self._seen
        truncate = status in (200, 206) and n < mode.truncate_first and len(body) > 1
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        length = len(body) if length is None else length
        self.send_header("Content-Length", str(length + (10 if mode.long_length else 0)))
        self.end_headers()
        if head:
            return
        if truncate:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            # SO_LINGER 0: the close is a reset, as a crashed server or middlebox gives.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.close_connection = True
            return
        self.wfile.write(body)
        if mode.long_length:
            self.wfile.flush()
            self.close_connection = True

    def _answer(self, head):
        srv = self.server
        path = unquote(urlsplit(self.path).path)
        rng = self.headers.get("Range")
        with srv.lock:
            srv.requests.append(Request(self.command, path, rng))
            n = srv.seen.get(path, 0)
            srv.seen[path] = n + 1
        self._seen = n
        mode = srv.mode
        if mode.delay:
            time.sleep(mode.delay)
        if n < mode.stall_first:
            time.sleep(mode.stall)
        if n < mode.drop_first:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if mode.always_status:
            return self._send(mode.always_status, b"injected failure\n", head=head)
        if n < mode.fail_first:
            return self._send(mode.status_first, b"try again\n",
                              [("Retry-After", mode.retry_after)] if mode.retry_after else [],
                              head=head)
        srv.source(self, path, rng, head)


def _file_answer(handler, path, rng, head):
    """The file below the server's root that `path` names, the range `rng` of it."""
    srv, mode = handler.server, handler.server.mode
    file = (srv.root / path.lstrip("/")).resolve()
    if srv.root not in file.parents or not file.is_file():
        if mode.s3_forbidden:
            body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
            return handler._send(403, body, [("x-amz-request-id", "TEST")], head=head)
        return handler._send(404, b"not found\n", head=head)
    size = file.stat().st_size
    if rng and not mode.ignore_range:
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
        if m and (m.group(1) or m.group(2)):
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            else:
                start, end = max(0, size - int(m.group(2))), size - 1
            if start >= size or end < start:
                return handler._send(416, b"", [("Content-Range", f"bytes */{size}")],
                                     head=head)
            if mode.shift_range and end + 1 < size:
                start, end = start + 1, end + 1
            if mode.overlong_range and end + 1 < size:
                end += 1
            # Only the asked bytes are read, as a real server would (sendfile of a range).
            with open(file, "rb") as f:
                f.seek(start)
                part = f.read(end + 1 - start)
            return handler._send(206, part, [("Content-Range", f"bytes {start}-{end}/{size}")],
                                 head=head)
    data = file.read_bytes()
    handler._send(200, data, [("Accept-Ranges", "bytes")], head=head)


# Headers of an upstream answer that belong to its own connection, not to the answer passed on.
_HOP_HEADERS = {"connection", "content-length", "date", "keep-alive", "server",
                "transfer-encoding"}


def _proxy_answer(handler, path, rng, head):
    """What the upstream server answers to the request, headers passed on as they came (Host
    and the SigV4 signature included: the client signed for this server's address, which the
    upstream sees as Host). Range faults ask upstream for a range other than the client's."""
    mode = handler.server.mode
    headers = {k: v for k, v in handler.headers.items()}
    m = re.fullmatch(r"bytes=(\d+)-(\d+)", rng.strip()) if rng else None
    if m and (mode.shift_range or mode.overlong_range):
        start, end = int(m.group(1)), int(m.group(2))
        start, end = (start + 1, end + 1) if mode.shift_range else (start, end + 1)
        headers = {k: v for k, v in headers.items() if k.lower() != "range"}
        headers["Range"] = f"bytes={start}-{end}"
    up = urlsplit(handler.server.upstream)
    conn = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
    try:
        conn.request(handler.command, handler.path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        passed = [(k, v) for k, v in r.getheaders() if k.lower() not in _HOP_HEADERS]
        length = int(r.getheader("Content-Length", "0")) if head else None
    finally:
        conn.close()
    handler._send(r.status, body, passed, head=head, length=length)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # dropped connections are on purpose
        pass


class FaultServer:
    """A server on 127.0.0.1 (a free port) whose answers come from ``source`` (a function of the
    handler, the path, the Range header and whether the request is a HEAD), faults injected."""

    def __init__(self, source, lifetime: float = 120.0):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.source = source
        self.httpd.mode = Mode()
        self.httpd.requests = []
        self.httpd.seen = {}
        self.httpd.connections = 0
        self.httpd.lock = threading.Lock()
        self.lifetime = lifetime
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.httpd.shutdown)
        self._timer.daemon = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def connections(self) -> int:
        """Connections accepted since the last reset."""
        with self.httpd.lock:
            return self.httpd.connections

    @property
    def mode(self) -> Mode:
        return self.httpd.mode

    @property
    def requests(self) -> list[Request]:
        with self.httpd.lock:
            return list(self.httpd.requests)

    def reset(self, **mode):
        """New mode, cleared counters."""
        with self.httpd.lock:
            self.httpd.mode = Mode(**mode)
            self.httpd.requests.clear()
            self.httpd.seen.clear()
            self.httpd.connections = 0

    def __enter__(self):
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


class FileServer(FaultServer):
    """``with FileServer(root) as s: s.url`` -- serves ``root`` on 127.0.0.1 (a free port)."""

    def __init__(self, root: Path, lifetime: float = 120.0):
        super().__init__(_file_answer, lifetime)
        self.httpd.root = Path(root).resolve()


class ProxyServer(FaultServer):
    """``with ProxyServer(upstream_url) as s: s.url`` -- forwards to ``upstream_url``."""

    def __init__(self, upstream: str, lifetime: float = 120.0):
        super().__init__(_proxy_answer, lifetime)
        self.httpd.upstream = upstream


def env_with(**extra) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    return env
