"""Open a network page in headless Chromium, offline, and report what it drew.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``), so
nothing beyond Debian's ``chromium`` package and the standard library is needed. The network is
switched off three ways: the DevTools ``Network.emulateNetworkConditions(offline)``, a proxy that
does not exist, and a host resolver that resolves nothing. Console errors, uncaught exceptions and
failed loads are collected.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BrowserError", "PageReport", "find_chromium", "open_page"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]


# With offline=False, loopback is reachable and every other host still resolves to nothing.
LOOPBACK_FLAGS = [f for f in FLAGS if not f.startswith(("--proxy", "--host-resolver"))] + [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
]


class BrowserError(RuntimeError):
    """Chromium could not be started or did not answer."""


def find_chromium() -> str | None:
    """The Chromium binary: ``$KG_CHROMIUM``, else ``chromium`` (Debian) or ``chromium-browser`` on the path."""
    for candidate in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate:
            path = shutil.which(candidate)
            if path:
                return path
    return None


@dataclass
class PageReport:
    """What a page did in the browser."""

    drawn: int | None = None
    edges: int | None = None
    drawn_ms: float | None = None
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    result: object = None


class _Pipe:
    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int):
        self.proc, self.write_fd, self.read_fd = proc, write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for msg in self._read(deadline):
                if msg.get("id") == self.next_id:
                    if "error" in msg:
                        raise BrowserError(f"{method}: {msg['error'].get('message')}")
                    return msg.get("result", {})
                self.events.append(msg)

    def _read(self, deadline: float):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        *messages, self.buffer = self.buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]

    def pump(self, seconds: float) -> None:
        """Collect events for a while."""
        try:
            for msg in self._read(time.monotonic() + seconds):
                self.events.append(msg)
        except BrowserError as exc:
            if "in time" not in str(exc):
                raise


def _events_to_report(events: list[dict], report: PageReport) -> None:
    for ev in events:
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            report.errors.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            report.errors.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            report.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:", "blob:")):
                report.requests.append(url)


def open_page(
    path: str | Path,
    *,
    timeout: float = 120.0,
    width: int = 1600,
    height: int = 1000,
    screenshot: str | Path | None = None,
    settle: float = 0.5,
    evaluate: str | None = None,
    chromium: str | None = None,
    ready: str = "window.kgStatus || null",
    offline: bool = True,
) -> PageReport:
    """Load a page offline in headless Chromium and wait until the network is drawn.

    Parameters
    ----------
    path : str or Path
        The HTML file, or an ``http://`` URL (on loopback: other hosts do not resolve).
    timeout : float
        Seconds to wait for the drawing (``window.kgStatus``, set by the page on its first drawing).
    screenshot : str or Path, optional
        Write a PNG of the viewport there, ``settle`` seconds after the drawing.
    evaluate : str, optional
        A JavaScript expression (or promise) to evaluate after the drawing; its JSON value is ``report.result``.
    ready : str
        A JavaScript expression that is truthy once the page is ready (default: the network page's
        ``window.kgStatus``, ``{drawn, edges, ms}``).
    offline : bool
        Emulate a browser with no network at all (default); ``False`` still allows loopback only.

    Returns
    -------
    PageReport
        Nodes drawn, milliseconds from navigation to the first drawing, wall-clock seconds from
        the start of the browser, console errors and any request to the network.
    """
    binary = chromium or find_chromium()
    if not binary:
        raise BrowserError("Chromium is not installed (apt-get install chromium), or set KG_CHROMIUM")
    url = str(path) if str(path).startswith(("http://", "https://")) else Path(path).resolve().as_uri()
    report = PageReport()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        for fd in (to_child_r, from_child_w):
            os.close(fd)

        def child_fds():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        proc = subprocess.Popen(
            [binary, *(FLAGS if offline else LOOPBACK_FLAGS), f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=child_fds,  # noqa: PLW1509 - the child only dup2s two fds before exec
            pass_fds=(3, 4),
        )
        for fd in (high_r, high_w):
            os.close(fd)
        pipe = _Pipe(proc, to_child_w, from_child_r)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for method in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
                pipe.send(method, session=session)
            if offline:
                pipe.send(
                    "Network.emulateNetworkConditions",
                    {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
                    session=session,
                )
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            t_nav = time.perf_counter()
            pipe.send("Page.navigate", {"url": url}, session=session)
            deadline = time.monotonic() + timeout
            status = None
            while time.monotonic() < deadline:
                answer = pipe.send(
                    "Runtime.evaluate",
                    {"expression": f"JSON.stringify(({ready}) || null)", "returnByValue": True},
                    session=session,
                )
                status = json.loads(answer.get("result", {}).get("value") or "null")
                if status:
                    break
                pipe.pump(0.05)
            report.wall_s = time.perf_counter() - t0
            if isinstance(status, dict):
                report.drawn, report.edges = status.get("drawn"), status.get("edges")
                report.drawn_ms = status.get("ms")
            elif not status:
                report.errors.append(
                    f"the network was not drawn within {timeout:.0f} s "
                    f"({time.perf_counter() - t_nav:.1f} s after navigation)"
                )
            pipe.pump(settle)
            if evaluate:
                answer = pipe.send(
                    "Runtime.evaluate",
                    {
                        "expression": f"Promise.resolve({evaluate}).then(function (v) {{ return JSON.stringify(v); }})",
                        "returnByValue": True,
                        "awaitPromise": True,
                    },
                    session=session,
                    timeout=timeout,
                )
                value = answer.get("result", {}).get("value")
                report.result = json.loads(value) if value else None
            if screenshot:
                shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
                Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
            _events_to_report(pipe.events, report)
        finally:
            try:
                pipe.send("Browser.close", timeout=5)
            except (BrowserError, OSError):
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(to_child_w)
            os.close(from_child_r)
    return report
