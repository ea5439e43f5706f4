"""Atomic writes: a file is written whole or not at all; a set of files is rendered first, then moved
into place, so a build that fails leaves the previous outputs untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"no se puede escribir en '{path.parent}': {exc.strerror}; elija otra carpeta con --out") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"no se pudo escribir '{path}': {exc.strerror}") from None
    return path


def write_text(path: Path | str, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write several rendered files. Everything is rendered before this is called, so a failure in
    rendering never reaches the disk; each file is still replaced atomically."""
    return [write_bytes(path, data) for path, data in sorted(files.items())]
