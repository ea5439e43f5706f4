"""Reading an input file's bytes: regular files of a sane size only, never a device or a pipe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputFileError

#: The largest input accepted. The shipped coverage file is about 30 KB; a ministry's whole list of
#: services would not reach 1 MB. The bound keeps a wrong path (a disk image, a log) from filling memory.
MAX_BYTES = 5 * 1024 * 1024

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer


def read_input(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``. Raises :class:`InputFileError` for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputFileError(_open_problem(path, exc), str(path)) from None
    try:
        _check_kind(path, os.fstat(fd), limit)
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except InputFileError:
        raise
    except OSError as exc:  # an I/O error while reading (a disk fault, a file on a lost network)
        raise InputFileError(f"no se puede leer '{path}' ({exc.strerror}); indique otro con --data",
                             str(path)) from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while we read it
        raise InputFileError(_too_large(path, len(raw), limit), str(path))
    return raw


def _check_kind(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"'{path}' es una carpeta; indique un archivo de cobertura con --data", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"'{path}' no es un archivo normal (es un dispositivo, una tubería o un "
                             "socket); indique un archivo de cobertura con --data", str(path))
    if info.st_size > limit:
        raise InputFileError(_too_large(path, info.st_size, limit), str(path))


def _too_large(path: Path, size: int, limit: int) -> str:
    return (f"'{path}' ocupa más de {limit // (1024 * 1024)} MB ({size} bytes o más): no parece un "
            "archivo de cobertura; indique otro con --data")


def _open_problem(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"no existe el archivo '{path}'; indique otro con --data"
    if isinstance(exc, IsADirectoryError):
        return f"'{path}' es una carpeta; indique un archivo de cobertura con --data"
    if isinstance(exc, PermissionError):
        return f"no hay permiso para leer '{path}'; revise sus permisos o cópielo a otra carpeta"
    return (f"no se puede leer '{path}': la ruta no lleva a un archivo ({exc.strerror}); "
            "indique otro con --data")
