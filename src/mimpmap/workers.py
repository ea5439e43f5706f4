"""Render a build's outputs in forked worker processes, and only then hand back their bytes.

Each worker is forked with the outputs to render (it inherits them: nothing is pickled but indexes
and bytes) and serves groups of them, costliest first, one group at a time: a map's images together,
so that its PNG, SVG and thumbnail share one drawing. The bytes are those of a render in one process.

The workers end quietly whatever happens to the build: they ignore Ctrl-C (the build stops them),
end on SIGTERM without a word, end when the build's process dies (Linux: the parent's death signals
them; elsewhere: the closed pipe), and never print a traceback of their own: an error in a render is
sent back and raised in the build.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from typing import TYPE_CHECKING, Callable, Iterator

from .errors import RenderError
from .formats import IMAGES
from .layout import MOSAIC, THUMBNAILS_DIR

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.connection import Connection

    from .formats import Output

#: Rough costs of an output, in units of a page's or a download's (~20 ms), to hand out the longest
#: first and to tell a tiny build from one worth more processes: a PNG draws its map (~25 pages), an
#: SVG or a thumbnail of the same map reuses that drawing, the PDF atlas draws every map.
COST = {"pdf": 500, "png": 25, "svg": 10}
#: The least work (in those costs) for which more processes pay for forking them and warming each up
#: (measured: an HTML-only build took 1.6 times the CPU in two processes): about two maps' images.
PARALLEL = 50
ENDED = ("un proceso que dibujaba los mapas terminó antes de tiempo (¿sin memoria?); no se escribió nada: "
         "vuelva a intentarlo, o con --format html o menos --dpi")
#: Signals that stop a build: Ctrl-C and kill's SIGTERM.
STOPS = (signal.SIGINT, signal.SIGTERM)


def map_of(name: str) -> str:
    """``servicios/cai`` for ``servicios/cai.svg`` and ``miniaturas/servicios/cai.png``."""
    if name.startswith(THUMBNAILS_DIR + "/"):
        name = name[len(THUMBNAILS_DIR) + 1:]
    return name.rsplit(".", 1)[0]


def cost(item: Output) -> int:
    if item.name.startswith(THUMBNAILS_DIR + "/"):
        return 2
    # The mosaic draws every service on one page: nearly twice a map's time, so it goes first rather
    # than last, when one process would draw it while the other waits.
    return COST.get(item.format, 1) * (2 if map_of(item.name) == MOSAIC else 1)


def groups(todo: list[Output]) -> list[list[int]]:
    """The outputs (indexes into ``todo``) in groups rendered one after the other by one process:
    the images of one map together (its PNG, SVG and thumbnail share a drawing), every other output
    alone; the costliest group first."""
    found: dict[str, list[int]] = {}
    for i, item in enumerate(todo):
        key = map_of(item.name) if item.format in IMAGES else item.name
        found.setdefault(key, []).append(i)
    return sorted(found.values(), key=lambda g: -sum(cost(todo[i]) for i in g))


def count(jobs: int | None, parts: list[list[int]], todo: list[Output]) -> int:
    """How many processes render: one per core the process may use, no more than the groups; one
    (this process) where ``fork`` is not available, or for a build too small to gain from it (less
    than :data:`PARALLEL` of work, or one group with nearly all of it)."""
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - macOS, Windows
            jobs = os.cpu_count() or 1
    costs = [sum(cost(todo[i]) for i in g) for g in parts]
    if (len(parts) < 2 or sum(costs) < PARALLEL or sum(costs) < 1.5 * max(costs)
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, min(jobs, len(parts)))


def render(todo: list[Output], jobs: int | None = None,
           progress: Callable[[int, int, str], None] | None = None) -> list[bytes]:
    """The bytes of each output of ``todo``, in its order, rendered by :func:`count` processes.
    ``progress(done, total, name)`` is called as each output is rendered."""
    parts = groups(todo)
    done: dict[int, bytes] = {}

    def record(pairs) -> None:
        for i, data in pairs:
            done[i] = data
            if progress:
                progress(len(done), len(todo), todo[i].name)

    workers = count(jobs, parts, todo)
    if workers == 1:
        for group in parts:
            record((i, todo[i].render()) for i in group)
    else:
        with Workers(todo, workers) as pool:
            for pairs in pool.run(parts):
                record(pairs)
    return [done[i] for i in range(len(todo))]


class Workers:
    """Forked processes that render groups of ``todo`` (indexes) and send back their bytes."""

    def __init__(self, todo: list[Output], workers: int):
        self.todo, self.workers = todo, workers
        self.pool: dict[Connection, multiprocessing.Process] = {}

    def __enter__(self) -> "Workers":
        context = multiprocessing.get_context("fork")
        try:
            for _ in range(self.workers):
                ours, theirs = context.Pipe()
                signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)  # until the worker has its own handlers
                try:
                    process = context.Process(target=_serve, args=(self.todo, theirs), daemon=True)
                    process.start()
                finally:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
                theirs.close()
                self.pool[ours] = process
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for conn, process in self.pool.items():
            if process.is_alive():
                process.terminate()  # SIGTERM: a worker ends without a word
            process.join()
            conn.close()

    def run(self, parts: list[list[int]]) -> Iterator[list[tuple[int, bytes]]]:
        """The (index, bytes) of each group of ``parts``, as the workers finish them."""
        from multiprocessing.connection import wait

        queue, busy = list(parts), set()
        for conn in self.pool:
            if self._give(conn, queue):
                busy.add(conn)
        while busy:
            for conn in wait(list(busy)):
                try:
                    answer, payload = conn.recv()
                except (EOFError, OSError):  # killed (out of memory?) before it answered
                    raise RenderError(ENDED) from None
                if answer == "error":
                    raise payload
                yield payload
                if not self._give(conn, queue):
                    busy.discard(conn)

    @staticmethod
    def _give(conn: Connection, queue: list[list[int]]) -> bool:
        """Send ``conn``'s worker the next group, or tell it to end; whether it has one."""
        group = queue.pop(0) if queue else None
        try:
            conn.send(group)
        except OSError:
            raise RenderError(ENDED) from None
        return group is not None


def _serve(todo: list[Output], conn: Connection) -> None:
    """A worker: render the groups it is sent until it is sent ``None`` or the build is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the build stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    try:
        for group in iter(conn.recv, None):
            try:
                answer = ("done", [(i, todo[i].render()) for i in group])
            except Exception as exc:  # raised again in the build, which reports it
                answer = ("error", _sendable(exc))
            conn.send(answer)
    except (EOFError, OSError):  # the build is gone: nothing to say, nobody to say it to
        pass


def _sendable(exc: Exception) -> Exception:
    """``exc`` if it survives the trip to the build's process, else its words in a RuntimeError."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _end_with_parent() -> None:
    """On Linux, have the system send this worker SIGTERM when the build's process dies (kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the closed pipe ends the worker
        pass
