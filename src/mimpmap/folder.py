"""The output folder, touched only inside itself: reading, listing and deleting by a relative name,
never through a symbolic link, never a device or a pipe; and the lock one build holds on it.

A name (``servicios/cai.html``) is walked one component at a time from the folder, each folder opened
with ``O_NOFOLLOW``: a link anywhere on the way (``maps/servicios`` pointing at another folder) stops the
walk, so nothing outside the folder is read, written or deleted through it. Only regular files are read,
up to a size. The output folder itself may be a link: the user named it.

This module imports nothing heavy: the build with nothing to do uses it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import OutputError, os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None

#: The lock a build holds on its output folder (it is deleted when the build ends).
LOCK = ".mimpmap-lock"
#: The largest output read back (to hash it): an image at 1200 dpi or the PDF atlas stay far below.
MAX_BYTES = 256 * 1024 * 1024
#: The longest relative name accepted from a manifest or a journal.
MAX_NAME = 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_BY_FD = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.unlink in os.supports_dir_fd



def reason(exc: OSError) -> str:
    """Why a file operation here failed, in Spanish: as :func:`~mimpmap.errors.os_reason` says, but a
    link met on the way is named as such (every open here refuses to follow one)."""
    return "hay un enlace simbólico en el camino" if exc.errno == errno.ELOOP else os_reason(exc)


def safe_name(name: object) -> bool:
    """Whether ``name`` is a plain relative name inside a folder: no absolute path, no ``..``, no
    empty or ``.`` part, no backslash or NUL."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME or "\\" in name or "\0" in name:
        return False
    parts = name.split("/")
    return not PurePosixPath(name).is_absolute() and all(p not in ("", ".", "..") for p in parts)


@contextmanager
def _parent(root: Path, name: str) -> Iterator[tuple[int | None, str]]:
    """The folder that holds ``name`` in ``root``, opened without following links, and the name's
    last part; ``(None, "")`` when a part of the way is missing, a link or not a folder."""
    if not safe_name(name):
        yield None, ""
        return
    *folders, last = name.split("/")
    if not _BY_FD:  # pragma: no cover - Windows: a check by path, then the path
        here = Path(root)
        for part in folders:
            here = here / part
            try:
                if not stat.S_ISDIR(os.lstat(here).st_mode):
                    raise OSError
            except OSError:
                yield None, ""
                return
        yield -1, str(here / last)
        return
    try:
        fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    except OSError:
        yield None, ""
        return
    try:
        for part in folders:
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
    except OSError:
        os.close(fd)
        yield None, ""
        return
    try:
        yield fd, last
    finally:
        os.close(fd)


def lstat(root: Path, name: str) -> os.stat_result | None:
    """What ``name`` is in ``root`` (a link is a link), or ``None`` when it is not there."""
    with _parent(root, name) as (fd, last):
        if fd is None:
            return None
        try:
            return os.stat(last, dir_fd=fd, follow_symlinks=False) if fd >= 0 else os.lstat(last)
        except OSError:
            return None


def is_file(root: Path, name: str) -> bool:
    """Whether ``name`` is a regular file in ``root`` (not a link, a folder, a device or a pipe)."""
    info = lstat(root, name)
    return info is not None and stat.S_ISREG(info.st_mode)


@contextmanager
def _opened(root: Path, name: str, limit: int) -> Iterator[int | None]:
    """The regular file ``name`` of ``root`` open for reading (no larger than ``limit``), or ``None``."""
    handle = None
    with _parent(root, name) as (fd, last):
        if fd is not None:
            try:
                flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0)
                handle = os.open(last, flags, dir_fd=fd) if fd >= 0 else os.open(last, flags)
            except OSError:
                pass
    try:
        if handle is not None:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                os.close(handle)
                handle = None
        yield handle
    finally:
        if handle is not None:
            os.close(handle)


def read(root: Path, name: str, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of the regular file ``name`` in ``root``; ``None`` when it is not one (or is larger
    than ``limit``, or cannot be read)."""
    with _opened(root, name, limit) as handle:
        if handle is None:
            return None
        try:
            with os.fdopen(handle, "rb", closefd=False) as f:
                data = f.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def sha256(root: Path, name: str, limit: int = MAX_BYTES) -> str | None:
    """The hash of the regular file ``name`` in ``root``; ``None`` when there is none to read."""
    with _opened(root, name, limit) as handle:
        if handle is None:
            return None
        try:
            with os.fdopen(handle, "rb", closefd=False) as f:
                if hasattr(hashlib, "file_digest"):
                    return hashlib.file_digest(f, "sha256").hexdigest()
                return hashlib.sha256(f.read()).hexdigest()  # pragma: no cover - Python < 3.11
        except OSError:
            return None


def files(root: Path, folder: str) -> list[str]:
    """The regular files directly in the real folder ``folder`` of ``root`` (none if it is a link)."""
    info = lstat(root, folder)
    if info is None or not stat.S_ISDIR(info.st_mode):
        return []
    try:
        names = os.listdir(Path(root) / folder)
    except OSError:
        return []
    return sorted(n for n in names if is_file(root, f"{folder}/{n}"))


def unlink(root: Path, name: str) -> bool:
    """Delete the regular file ``name`` of ``root`` (never a link's target, never outside it)."""
    with _parent(root, name) as (fd, last):
        if fd is None:
            return False
        try:
            info = os.stat(last, dir_fd=fd, follow_symlinks=False) if fd >= 0 else os.lstat(last)
            if not stat.S_ISREG(info.st_mode):
                return False
            os.unlink(last, dir_fd=fd) if fd >= 0 else os.unlink(last)
        except OSError:
            return False
    return True


# --- the lock -------------------------------------------------------------------------------------


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the lock of the output folder ``root`` (made if missing) for one build; raise
    :class:`OutputError` saying who holds it when another run does. The system releases it when the
    process ends, even killed (POSIX ``flock``)."""
    root = Path(root)
    made = _make(root)
    try:
        fd = _acquire(root) if fcntl is not None else None
        try:
            yield
        finally:
            if fd is not None:
                unlink(root, LOCK)  # held: no other run is between its open and its lock
                os.close(fd)
    finally:
        for folder in reversed(made):
            try:
                os.rmdir(folder)  # only if nothing was written in it
            except OSError:
                break


def _make(root: Path) -> list[Path]:
    missing = []
    here = Path(os.path.abspath(root))
    while not os.path.lexists(here):
        missing.append(here)
        here = here.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"no se puede escribir en '{root}': {reason(exc)}; elija otra carpeta de salida") from None
    return missing[::-1]


def _acquire(root: Path) -> int:
    """The lock file of ``root``, open and locked, with this run written in it."""
    path = root / LOCK
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise OutputError(f"no se puede crear '{path}', el cerrojo de la carpeta ({reason(exc)}); si "
                              f"es un enlace o una carpeta, bórrelo y vuelva a intentarlo") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OutputError(f"'{path}', el cerrojo de la carpeta, no es un archivo normal; bórrelo y vuelva "
                                  "a intentarlo")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(_busy(root, read(root, LOCK, 4096))) from None
            mine = lstat(root, LOCK)
            if mine is not None and mine.st_ino == os.fstat(fd).st_ino:  # not deleted by the last holder meanwhile
                os.ftruncate(fd, 0)
                os.write(fd, json.dumps({"pid": os.getpid(), "since": time.time()}).encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _busy(root: Path, held: bytes | None) -> str:
    """Who holds the lock of ``root``, from what it wrote in the lock file."""
    who = "otra ejecución de mimpmap"
    try:
        holder = json.loads(held or b"")
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(holder["since"])))
        who += f" (proceso {int(holder['pid'])}, desde el {since})"
    except (ValueError, TypeError, KeyError, OverflowError, OSError):
        pass
    return (f"{who} está generando los mapas de '{root}'; espere a que termine y vuelva a intentarlo (si ese "
            "proceso ya no existe, vuelva a intentarlo: el cerrojo se libera solo)")
