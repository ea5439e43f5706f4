"""The HTTP side of the live preview (:mod:`mimpmap.serve`): the standard library's threaded server,
answering GET and HEAD with the regular files of the output folder (the live script added to the HTML
it sends) and with a stream of server-sent events for the open pages.

It answers only names under the folder (no ``..``, no link followed, no hidden file, no listing), and only
requests whose ``Host`` is its own, so that a page of another site cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import errno
import json
import logging
import mimetypes
import socket
import threading
from collections import Counter, deque
from importlib.resources import files
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote

from . import folder as safe
from .errors import MimpmapError, os_reason

log = logging.getLogger("mimpmap")

#: The path of the event stream (never a file of the folder: hidden names are not served).
EVENTS = "/.mimpmap/events"
#: Seconds between two keep-alive comments of the event stream.
KEEP_ALIVE = 15.0
NOT_FOUND = "No existe ese archivo en la carpeta de mapas."

#: Added before ``</body>`` of every HTML page served (``live.js``): patch the page after a rebuild, show the
#: problems over it.
SCRIPT = b'<script id="mimpmap-live">' + (files("mimpmap") / "live.js").read_bytes().replace(
    b"__EVENTS__", EVENTS.encode()) + b"</script>"
#: How many past events a stream that fell behind still gets (a rebuild publishes two: pages, then the rest).
HISTORY = 16


class ServeError(MimpmapError, OSError):
    """The preview cannot listen where it was asked to (a port in use, an address not of this machine)."""

    exit_code = 2


class Channel:
    """The latest events for the open pages, and a wake-up for each of their streams when one comes."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.number = 0
        self.latest: deque[tuple[int, str, str]] = deque(maxlen=HISTORY)
        self.problems: str | None = None
        self.closed = False
        #: The pages open in a browser (names of the folder), with how many streams each has.
        self.open: Counter[str] = Counter()

    def publish(self, event: str, data: Any = "") -> None:
        with self.changed:
            self.number += 1
            sent = json.dumps(data)  # ASCII: no line break can end the event early
            self.latest.append((self.number, event, sent))
            self.problems = sent if event == "problems" else None
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def watching(self) -> frozenset[str]:
        """The pages open now (a rebuild draws them first)."""
        with self.changed:
            return frozenset(self.open)

    def follow(self, send: Callable[[str], None], page: str | None = None) -> None:
        """Send the events to one page (``page``: its name in the folder, if known) until the preview
        stops or ``send`` raises (the page went)."""
        if page is not None:
            with self.changed:
                self.open[page] += 1
        try:
            self.events(send)
        finally:
            if page is not None:
                with self.changed:
                    self.open[page] -= 1
                    if not self.open[page]:  # no name kept for a page closed
                        del self.open[page]

    def events(self, send: Callable[[str], None]) -> None:
        """Each event published since the stream began, in order, even if two came while it was sending."""
        with self.changed:
            seen, now = self.number, self.problems
        if now is not None:
            send(f"event: problems\ndata: {now}\n\n")
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.closed or self.number != seen, timeout=KEEP_ALIVE)
                if self.closed:
                    return
                fresh = [(event, data) for number, event, data in self.latest if number > seen]
                seen = self.number
            send("".join(f"event: {event}\ndata: {data}\n\n" for event, data in fresh) or ": sigo\n\n")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers the preview answers: this machine's loopback names, and ``host`` (the address
    it was asked to listen on), with its port."""
    names = {"127.0.0.1", "localhost", "[::1]", f"[{host}]" if ":" in host else host}
    return frozenset(f"{name}:{port}".casefold() for name in names)


def served_name(target: str) -> str | None:
    """The file of the folder a request's target names (``/servicios/cai.html?x`` → ``servicios/cai.html``,
    ``/`` → ``index.html``), or ``None`` when it names none: ``..``, an empty or hidden part, a backslash."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return None
    name = unquote(path[1:], errors="strict") if "%" in path else path[1:]
    name = name or "index.html"
    if not safe.safe_name(name) or any(part.startswith(".") for part in name.split("/")):
        return None
    return name


def watched_page(target: str) -> str | None:
    """The page an event stream's target says it is for (``/.mimpmap/events?page=servicios%2Fcai.html``)."""
    named = parse_qs(target.partition("?")[2]).get("page", [""])[0]
    return served_name("/" + quote(named)) if named else None


def with_script(page: bytes) -> bytes:
    """An HTML page with :data:`SCRIPT` before its last ``</body>`` (at its end if it has none)."""
    at = page.lower().rfind(b"</body>")
    return page + SCRIPT if at < 0 else page[:at] + SCRIPT + page[at:]


class Handler(BaseHTTPRequestHandler):
    """One request to the preview: GET or HEAD of a file of the folder, or the event stream."""

    server: "Server"

    def version_string(self) -> str:
        return "mimpmap"  # not the Python version

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        self.answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(body=False)

    def refuse_method(self) -> None:
        self.reply(405, b"", "text/plain; charset=utf-8", body=True, more={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = refuse_method

    def answer(self, body: bool) -> None:
        preview = self.server.preview
        if self.headers.get("Host", "").strip().casefold() not in preview.hosts:
            return self.reply(403, b"Host no permitido", "text/plain; charset=utf-8", body)
        if self.path.split("?", 1)[0] == EVENTS:
            return self.stream()
        try:
            name = served_name(self.path)
        except UnicodeDecodeError:
            name = None
        data = None if name is None else safe.read(preview.out, name)
        if data is None:
            page = f"<!DOCTYPE html><meta charset='utf-8'><title>404</title><p>{NOT_FOUND}</p></body>"
            return self.reply(404, with_script(page.encode()), "text/html; charset=utf-8", body)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = with_script(data)
        if kind.startswith("text/") or kind in ("image/svg+xml", "application/json"):
            kind += "; charset=utf-8"
        self.reply(200, data, kind, body)

    def reply(self, status: int, data: bytes, kind: str, body: bool, more: dict | None = None) -> None:
        self.send_response(status)
        for header, value in {"Content-Type": kind, "Content-Length": str(len(data)), "Cache-Control": "no-store",
                              "X-Content-Type-Options": "nosniff", **(more or {})}.items():
            self.send_header(header, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

        def send(text: str) -> None:
            self.wfile.write(text.encode("ascii"))
            self.wfile.flush()

        try:
            self.server.preview.channel.follow(send, watched_page(self.path))
        except OSError:  # the page went away
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        log.debug("serve: " + format, *args)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, preview, address: tuple[str, int]):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.preview = preview
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:
        log.debug("serve: error answering %s", client_address, exc_info=True)


def listen(preview, host: str, port: int) -> Server:
    """The HTTP server bound to ``host:port``; :class:`ServeError` in Spanish when it cannot be."""
    try:
        return Server(preview, (host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"el puerto {port} ya está en uso (¿otro mimpmap serve?); elija otro con --port "
                             f"{port + 1 if port < 65535 else 8765}") from None
        raise ServeError(f"no se puede escuchar en {host}:{port}: {os_reason(exc)}; revise --host y --port") from None


