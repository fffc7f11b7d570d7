"""A small fault-injection HTTP server for the tests: errors, HTML, wrong JSON, slow, trickling,
failing halfway, redirecting; optionally forwarding the rest to a real upstream store."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'


class FaultServer(ThreadingHTTPServer):
    """``mode`` picks the fault; ``upstream`` (a base URL) receives what is not failed; ``fail_after``
    lets that many requests through before failing one (then lets the rest through)."""

    daemon_threads = True

    def __init__(self, mode: str, upstream: str | None = None, fail_after: int = 0):
        self.mode, self.upstream, self.fail_after = mode, upstream, fail_after
        self.requests: list[tuple[str, str]] = []
        self.failed = False
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        pass  # a client that gave up (a deadline passed) is what the tests want

    def close(self):
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", media="application/sparql-results+json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append((self.command, self.path))
        mode = self.server.mode
        if mode == "halfway":
            if len(self.server.requests) > self.server.fail_after and not self.server.failed:
                self.server.failed = True
                return self._reply(500, b"disk full", "text/plain")
            return self._forward(body)
        if mode == "refuse-halfway":  # a store that takes some writes, then turns one down (a quota, a lock)
            if self.command in ("PUT", "DELETE") or self.headers.get("Content-Type") == "application/sparql-update":
                if len([r for r in self.server.requests if r[0] != "GET"]) > self.server.fail_after \
                        and not self.server.failed:
                    self.server.failed = True
                    return self._reply(403, b"quota exceeded", "text/plain")
            return self._forward(body)
        if mode == "error":
            return self._reply(500, b"internal error", "text/plain")
        if mode == "html":
            return self._reply(200, b"<html><body>Welcome to our portal</body></html>", "text/html")
        if mode == "wrongjson":
            return self._reply(200, b'{"results": [1, 2, 3]}')
        if mode == "badterm":
            return self._reply(200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 5}]}}')
        if mode == "slow":
            time.sleep(8)
            return self._reply(200, GOOD)
        if mode == "trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            for byte in GOOD:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)
            return
        if mode == "redirect":
            return self._reply(307, b"", "text/plain", {"Location": (self.server.upstream or "http://127.0.0.1:9") + self.path})
        if mode == "forward":
            return self._forward(body)
        return self._reply(200, GOOD)

    def _forward(self, body):
        req = urllib.request.Request(self.server.upstream + self.path, data=body or None, method=self.command)
        for key in ("Content-Type", "Accept"):
            if self.headers.get(key):
                req.add_header(key, self.headers[key])
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return self._reply(resp.status, resp.read(), resp.headers.get("Content-Type", "text/plain"))
        except urllib.error.HTTPError as exc:
            return self._reply(exc.code, exc.read(), "text/plain")

    do_GET = do_POST = do_PUT = do_DELETE = _any
