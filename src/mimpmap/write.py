"""Atomic writes: a file is written whole or not at all; a set of files is rendered first, then moved
into place together, so a build that fails leaves the previous outputs untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path`` (same folder, so the rename is atomic)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"no se puede escribir en '{path.parent}': {exc.strerror}; elija otra carpeta de salida"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"no se pudo escribir '{path}': {exc.strerror}") from None
    return Path(tmp)


def _check_replaceable(path: Path) -> None:
    if path.is_dir():
        raise OutputError(f"no se puede escribir '{path}': es una carpeta; elija otro nombre u otra carpeta de salida")


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    return write_all({Path(path): data})[0]


def write_text(path: Path | str, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write several files, all or none: every file is first written to a temporary file beside its
    target and every target checked; only then are they renamed into place, one atomic rename each."""
    targets = sorted(files)
    temporaries: dict[Path, Path] = {}
    try:
        for path in targets:
            _check_replaceable(path)
            temporaries[path] = _temporary(path, files[path])
        for path in targets:
            os.replace(temporaries.pop(path), path)
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"no se pudo escribir en '{exc.filename}': {exc.strerror}") from None
    finally:
        for tmp in temporaries.values():
            tmp.unlink(missing_ok=True)
    return targets
