"""A live preview of the maps (``mimpmap serve``): build, serve the output folder, watch the inputs,
rebuild on a save in the same warm process and tell the open pages, which patch themselves.

:class:`Preview` runs three threads: an HTTP server (the standard library's) that serves the regular
files of the output folder and a stream of server-sent events, a watchdog observer that notes saves of
the input files (every file of :data:`mimpmap.inputs.INPUTS`, a Shapefile's companions too), and a
builder that waits for the saves to settle, then builds through :mod:`mimpmap.build`: the HTML pages
first, the folder's other formats after. Each rebuild is a transaction of the build, so the folder
always holds a whole set, the last good one when the data do not validate; the pages then show the
messages over the last good maps until the file is fixed.

The live script (``live.js``) is added to the HTML the server sends, never to the files (:mod:`mimpmap.webserver`,
loaded when a preview starts: the command line does not pay for it). It listens on 127.0.0.1 unless told
otherwise. It prints nothing: it reports each rebuild to a callback (:class:`Rebuild`).
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import InputErrors, MimpmapError, os_reason
from .inputs import INPUTS

log = logging.getLogger("mimpmap")

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: Seconds without a new save before a rebuild starts (editors and Excel write a file in steps).
SETTLE = 0.08
PROBLEMS_TITLE = "No se pudieron regenerar los mapas: se muestran los últimos correctos"
UNEXPECTED = ("error inesperado al generar los mapas ({exc}); la vista previa sigue y lo vuelve a intentar en "
              "el próximo guardado")
PROBLEMS_HINT = "Corrija el archivo y guárdelo: esta página se actualiza sola."
#: What the watcher takes for a save (watchdog also reports files opened and read: the build's own reads).
SAVES = frozenset({"created", "modified", "moved", "deleted", "closed"})


@dataclass(frozen=True)
class Rebuild:
    """What one pass of a rebuild did, for the status line."""

    #: The input files whose saves started it (none: the first build).
    changed: tuple[str, ...]
    #: The formats drawn in this pass (``("html",)`` first, then the folder's others).
    formats: tuple[str, ...]
    #: Files written, and outputs that were already right.
    written: tuple[str, ...] = ()
    unchanged: int = 0
    seconds: float = 0.0
    #: The messages (Spanish) when the data do not validate or the folder cannot be written.
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: Outputs not drawn by this pass, which the next one draws (the first leaves the downloads).
    left: tuple[str, ...] = ()


def watched(given: dict[str, Any]) -> set[str]:
    """Every file the inputs may be read from (``given``: paths by input name, as for a build): each
    input's file and the companions it may have, by absolute path (and by real path, for a link)."""
    found = set()
    for entry in INPUTS.values():
        path = entry.path(given.get(entry.name))
        suffixes = dict(entry.companions).get(path.suffix.lower(), ())  # there or not yet: all are watched
        for one in (path, *(path.with_suffix(s) for s in suffixes)):
            found |= {os.path.abspath(one), os.path.realpath(one)}
    return found


class Watcher:
    """The watchdog observer of the folders of the input files, which tells ``noted(path)`` of each save."""

    def __init__(self, files: set[str], noted: Callable[[str], None]):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        class Saves(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in SAVES:
                    for path in (event.src_path, getattr(event, "dest_path", "")):
                        if path and os.path.abspath(os.fsdecode(path)) in files:
                            noted(os.fsdecode(path))

        self.observer = Observer()
        for folder in sorted({os.path.dirname(f) for f in files if os.path.isdir(os.path.dirname(f))}):
            self.observer.schedule(Saves(), folder, recursive=False)

    def start(self) -> None:
        try:
            self.observer.start()
        except OSError as exc:
            from .webserver import ServeError

            raise ServeError(f"no se pueden vigilar los archivos de datos: {os_reason(exc)}") from None

    def stop(self) -> None:
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join()


class Superseded(Exception):
    """A newer save (or the end of the preview) makes the pass being drawn pointless."""


class Preview:
    """The live preview of the maps of ``given`` (paths by input name, as for a build) in ``out``.

    >>> preview = Preview("maps", {}, report=print)      # doctest: +SKIP
    >>> preview.start(); preview.ready.wait(); print(preview.url)
    >>> preview.wait()                                    # until preview.stop(), from another thread
    """

    def __init__(self, out: Path | str, given: dict[str, Any], *, host: str = LOCALHOST, port: int = DEFAULT_PORT,
                 report: Callable[[Rebuild], None] | None = None, settle: float = SETTLE, force: bool = False):
        from .webserver import Channel, allowed_hosts, listen

        self.out, self.given, self.host = Path(out), dict(given), host
        #: Whether an index.html mimpmap did not make may be replaced (``serve --force``), as for a build.
        self.force = force
        self.report = report or (lambda rebuild: None)
        self.settle = settle
        self.watcher = Watcher(watched(given), self.noted)
        self.channel = Channel()
        self.server = listen(self, host, port)
        self.port = self.server.server_address[1]
        self.hosts = allowed_hosts(host, self.port)
        #: Set once the first build's pages are written (or have failed): the index can be opened.
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.saved = threading.Event()
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        #: The inputs last read, by name (only the builder's thread uses it): a save of the coverage does
        #: not read and check the boundaries, centres and census again.
        self.memo: dict = {}
        #: mimpmap's code as read by the first build, for the keys of every rebuild: the code this
        #: process runs (not read and hashed again per save).
        self.code = None
        self.threads = [threading.Thread(target=self.server.serve_forever, name="mimpmap-serve", daemon=True),
                        threading.Thread(target=self.run, name="mimpmap-build", daemon=True)]

    @property
    def url(self) -> str:
        """The address of the index."""
        host = "localhost" if self.host == LOCALHOST else f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _repr_html_(self) -> str:  # what a notebook shows for ``cov.serve()``
        return f'Vista previa en <a href="{self.url}" target="_blank">{self.url}</a> (<code>.stop()</code> termina).'

    def start(self) -> None:
        """Serve, watch, and build once (in the builder's thread: see :attr:`ready`)."""
        self.watcher.start()
        for thread in self.threads:
            thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the preview stops; whether it has."""
        return self.stopped.wait(timeout)

    def stop(self) -> None:
        """Stop watching and serving; a rebuild being written is finished first (the folder stays whole)."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        self.saved.set()
        self.watcher.stop()
        self.channel.close()
        if self.threads[0].is_alive():  # shutdown() waits for a serve_forever() that started
            self.server.shutdown()
        self.server.server_close()
        for thread in self.threads[1:]:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join()

    def noted(self, path: str) -> None:
        """A save of an input file (from the watcher)."""
        with self.lock:
            self.pending.add(path)
        self.saved.set()

    def run(self) -> None:
        """The builder: a first build, then a rebuild after each save settles, until the preview stops."""
        try:
            self.rebuild(())
        finally:
            self.ready.set()
        self.warm()
        while not self.stopped.is_set():
            self.saved.wait()
            changed = self.settled()
            if changed and not self.stopped.is_set():
                self.rebuild(changed)

    def warm(self) -> None:
        """Load the renderers of the folder's formats now, so that the first save is drawn as fast as the
        next ones (a first build with nothing to do loads none of them)."""
        from .build import Folder, folder_options
        from .formats import FORMATS

        try:
            formats = folder_options(Folder.look(self.out).book).formats
        except (MimpmapError, OSError):  # the first build said why
            return
        for name in formats:
            for module in (FORMATS[name].renderer, *FORMATS[name].also):
                importlib.import_module(module)

    def settled(self) -> tuple[str, ...]:
        """The files saved, once no save came for :attr:`settle` seconds."""
        while self.saved.is_set() and not self.stopped.is_set():
            self.saved.clear()
            self.stopped.wait(self.settle)
        with self.lock:
            changed, self.pending = tuple(sorted(self.pending)), set()
        return changed

    def rebuild(self, changed: tuple[str, ...]) -> None:
        """Draw the pages open in a browser (all the pages if none is) and tell them; then the rest (the
        other pages, the downloads, the folder's other formats), and tell them again."""
        from .build import Folder

        try:
            with Folder(self.out) as folder:
                folder.code = self.code = self.code or folder.code
                pages = self.draw(folder, changed, first=True)
                self.told(pages, fixed=self.channel.problems is not None)
                if not pages.problems and (pages.left or set(folder.book.formats) - {"html"}):
                    self.told(self.draw(folder, changed, first=False), fixed=False)
        except Superseded:  # a newer save: the next rebuild draws it
            pass
        except MimpmapError as exc:  # the folder cannot be held (another build holds it)
            self.told(Rebuild(changed, (), problems=messages(exc)), fixed=False)
        except Exception as exc:  # noqa: BLE001 - a fault of mimpmap must not end the preview silently
            log.debug("serve: rebuild failed", exc_info=True)
            self.told(Rebuild(changed, (), problems=(UNEXPECTED.format(exc=exc),)), fixed=False)

    def told(self, rebuild: Rebuild, fixed: bool) -> None:
        """Report a pass, and tell the open pages what changed."""
        if rebuild.problems:
            self.channel.publish("problems", {"title": PROBLEMS_TITLE, "hint": PROBLEMS_HINT,
                                                "problems": rebuild.problems})
        elif rebuild.written or fixed:  # the pages written patch themselves; the others drop the problems
            self.channel.publish("changed", {"written": rebuild.written})
        self.report(rebuild)

    def draw(self, folder, changed: tuple[str, ...], first: bool) -> Rebuild:
        """One pass of a rebuild: the first draws the HTML pages alone (only those open in a browser, if
        any is), the second everything else the folder holds (the other pages, the data downloads, the
        images, the PDF)."""
        from .build import build, describe, folder_options, prepare, refuse_foreign, up_to_date
        from .layout import DATA_DIR

        start = time.perf_counter()
        drawn = folder_options(folder.book)
        formats = ("html",) if first else drawn.formats
        try:
            refuse_foreign(folder, self.force)
            options = prepare(folder, self.given, formats=formats, folder_formats=not first, cdn=drawn.cdn,
                              tiles=drawn.tiles, skip=(DATA_DIR,) if first else (),
                              only=(self.channel.watching() or None) if first else None)
            if up_to_date(folder, options):
                return Rebuild(changed, formats, seconds=time.perf_counter() - start)
            atlas, options = describe(folder, options, self.given, self.memo)
            result = build(atlas, folder, options, progress=self.superseded(first))
        except MimpmapError as exc:
            return Rebuild(changed, formats, problems=messages(exc), seconds=time.perf_counter() - start)
        written = tuple(Path(os.path.relpath(path, folder.out)).as_posix() for path, _ in result.written)
        return Rebuild(changed, options.formats, written, result.unchanged, time.perf_counter() - start,
                       warnings=tuple(atlas.warnings), left=tuple(result.stale + result.missing))

    def superseded(self, first: bool) -> Callable[[int, int, str], None]:
        """The build's progress callback: it stops a pass before it writes once the preview stops, or
        (the second pass, which may take long) once a newer save makes it pointless."""

        def check(done: int, total: int, name: str) -> None:
            if self.stopped.is_set() or (not first and self.saved.is_set()):
                raise Superseded

        return check


def messages(exc: MimpmapError) -> tuple[str, ...]:
    """Every message of an error (an :class:`InputErrors` holds one per input)."""
    return tuple(str(e) for e in (exc.errors if isinstance(exc, InputErrors) else [exc]))
