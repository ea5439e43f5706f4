"""Reading an input file's bytes: regular files of a sane size only, never a device or a pipe.

Every input (coverage, population, boundaries, centres) is checked the same way; :class:`Kind` says what
the file should be and which option names it, for the messages.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ..errors import InputFileError, os_reason
from ..inputs import INPUTS

#: The largest input accepted. The shipped coverage file is about 30 KB; a ministry's whole list of
#: services would not reach 1 MB. The bound keeps a wrong path (a disk image, a log) from filling memory.
MAX_BYTES = 5 * 1024 * 1024

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer


class Kind(NamedTuple):
    """What an input file is ("un archivo de cobertura") and the option that names it (``--data``)."""

    what: str
    option: str


COVERAGE, BOUNDARIES, PROVINCE_BOUNDARIES, POPULATION, CENTRES, CENSUS, DISTRICTS = (
    Kind(INPUTS[name].what, INPUTS[name].option)
    for name in ("data", "geo", "provinces", "population", "centres", "census", "districts"))
#: Inputs whose files their content does not tell apart (a boundary file of departments or of provinces):
#: the first is the kind :mod:`.kinds` names, and a file of it goes with any of them.
ALIKE = MappingProxyType({BOUNDARIES: (BOUNDARIES, PROVINCE_BOUNDARIES)})


def read_input(path: Path, limit: int = MAX_BYTES, kind: Kind = COVERAGE) -> bytes:
    """The bytes of the regular file at ``path``. Raises :class:`InputFileError` for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputFileError(_open_problem(path, exc, kind), str(path)) from None
    try:
        check_kind(path, os.fstat(fd), limit, kind)
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except InputFileError:
        raise
    except OSError as exc:  # an I/O error while reading (a disk fault, a file on a lost network)
        raise InputFileError(_read_problem(path, exc, kind), str(path)) from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while we read it
        raise InputFileError(_too_large(path, len(raw), limit, kind), str(path))
    return raw


def check_input(path: Path, limit: int | None = None, kind: Kind = BOUNDARIES,
                head: int = 0) -> tuple[os.stat_result, bytes]:
    """That ``path`` is a regular file this user can open (and no larger than ``limit``), for readers
    that open files by name (the boundary files' library), and its first ``head`` bytes (to tell its
    format by its content); raises :class:`InputFileError` if not."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputFileError(_open_problem(path, exc, kind), str(path)) from None
    try:
        info = os.fstat(fd)
        check_kind(path, info, limit, kind)
        return info, os.read(fd, head) if head else b""
    except InputFileError:
        raise
    except OSError as exc:
        raise InputFileError(_read_problem(path, exc, kind), str(path)) from None
    finally:
        os.close(fd)


def check_kind(path: Path, info: os.stat_result, limit: int | None, kind: Kind) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"'{path}' es una carpeta; indique {kind.what} con {kind.option}", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"'{path}' no es un archivo normal (es un dispositivo, una tubería o un "
                             f"socket); indique {kind.what} con {kind.option}", str(path))
    if limit is not None and info.st_size > limit:
        raise InputFileError(_too_large(path, info.st_size, limit, kind), str(path))


def _too_large(path: Path, size: int, limit: int, kind: Kind) -> str:
    return (f"'{path}' ocupa más de {limit / (1024 * 1024):g} MB ({size} bytes o más): no parece "
            f"{kind.what}; indique otro con {kind.option}")


def _read_problem(path: Path, exc: OSError, kind: Kind) -> str:
    return f"no se puede leer '{path}' ({os_reason(exc)}); indique otro con {kind.option}"


def _open_problem(path: Path, exc: OSError, kind: Kind) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"no existe el archivo '{path}'; indique otro con {kind.option}"
    if isinstance(exc, IsADirectoryError):
        return f"'{path}' es una carpeta; indique {kind.what} con {kind.option}"
    if isinstance(exc, PermissionError):
        return (f"no hay permiso para leer '{path}' (el archivo o una de sus carpetas); revise sus permisos "
                "o cópielo a otra carpeta")
    if getattr(exc, "errno", None) == 36:  # ENAMETOOLONG
        return f"no se puede abrir '{path}': el nombre es demasiado largo; indique otro con {kind.option}"
    return (f"no se puede leer '{path}': la ruta no lleva a un archivo ({os_reason(exc)}); "
            f"indique otro con {kind.option}")
