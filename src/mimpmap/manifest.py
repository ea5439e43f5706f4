"""The build manifest: what each output in the folder was made from.

``maps/.mimpmap-build.json`` is written with the maps (and committed with them). For every output it
keeps two hashes: the *key*, a hash of everything the file shows (its map's description, the
boundaries, the format and its options, mimpmap's code), and the *sha256* of the bytes written. The
build compares keys to render only what changed, and a file whose bytes no longer match was changed
or lost outside mimpmap, so it is drawn again. It also keeps the *fingerprint* of the last whole
build (the input files' bytes, the options, the code), which lets a build with nothing to do say so
without loading the libraries at all.

The file holds no date, path or machine detail: the same inputs give the same bytes. The versions of
the libraries that drew the files are recorded for information (``drawn_with``), outside the keys:
a new matplotlib does not make the maps stale.

This module imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Iterable

NAME = ".mimpmap-build.json"
#: The libraries whose versions are recorded beside the outputs (for information).
LIBRARIES = ("folium", "branca", "xstatic-leaflet", "matplotlib", "pillow", "geopandas", "shapely")
_CODE_SUFFIXES = (".py", ".js", ".css", ".html", ".txt")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    """The hash of a regular file's bytes; ``None`` when there is none to read."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                else sha256(fh.read())
    except OSError:
        return None


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of mimpmap's own code (its modules, scripts and styles, not its data): what draws the
    maps. A change to it makes every output stale, as a new version would."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts
                       and p.parent.name != "data"):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def digest(*parts: Any, memo: dict | None = None) -> str:
    """A hash of plain values and description dataclasses (fields marked ``digest: False`` left out).

    ``memo`` (a dict kept for a batch of digests) reuses the plain form of a description met before:
    the outputs of one build show the same descriptions many times over."""
    text = json.dumps(_plain(parts, {} if memo is None else memo), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return sha256(text.encode("utf-8"))[:32]


def _plain(value: Any, memo: dict) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Descriptions are frozen: one seen before (alive meanwhile: the memo holds it) is the same.
        seen = memo.get(id(value))
        if seen is None or seen[0] is not value:
            seen = memo[id(value)] = (value, {f.name: _plain(getattr(value, f.name), memo)
                                              for f in dataclasses.fields(value) if f.metadata.get("digest", True)})
        return seen[1]
    if isinstance(value, dict):
        return {str(k): _plain(v, memo) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v, memo) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def fingerprint(files: Iterable[Path], options: dict) -> str:
    """The inputs of a whole build: the files' bytes, the options and the code."""
    hashes = [file_sha256(Path(f)) for f in files]
    return digest(hashes, options, code_hash())


def versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            continue
    return out


@dataclasses.dataclass
class Manifest:
    """The outputs of a folder: name → {"key", "sha256"}; the formats it holds; the last fingerprint."""

    outputs: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    formats: list[str] = dataclasses.field(default_factory=list)
    fingerprint: str | None = None
    drawn_with: dict[str, str] = dataclasses.field(default_factory=dict)
    #: The options of the last build that change what is drawn (dpi, size, cdn, tiles).
    options: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """The folder's manifest; an empty one when there is none or it cannot be read (then every
        output is drawn again, which is always safe)."""
        try:
            raw = json.loads((Path(folder) / NAME).read_text(encoding="utf-8"))
            return cls(outputs={str(k): dict(v) for k, v in raw.get("outputs", {}).items()},
                       formats=list(raw.get("formats", [])), fingerprint=raw.get("fingerprint"),
                       drawn_with=dict(raw.get("drawn_with", {})), options=dict(raw.get("options", {})))
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def to_bytes(self) -> bytes:
        doc = {"generator": "mimpmap", "fingerprint": self.fingerprint, "formats": self.formats,
               "drawn_with": self.drawn_with, "options": self.options,
               "outputs": dict(sorted(self.outputs.items()))}
        return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def intact(self, folder: Path, name: str) -> bool:
        """Whether ``name`` is on disk with the bytes this manifest recorded."""
        entry = self.outputs.get(name)
        return bool(entry) and file_sha256(Path(folder) / name) == entry.get("sha256")

    def current(self, folder: Path, name: str, key: str) -> bool:
        """Whether ``name`` was made from ``key`` and is still as it was written."""
        return self.outputs.get(name, {}).get("key") == key and self.intact(folder, name)

    def up_to_date(self, folder: Path, fingerprint: str, formats: Iterable[str]) -> bool:
        """Whether a whole build of ``formats`` with this fingerprint would change nothing."""
        return (self.fingerprint == fingerprint and set(formats) <= set(self.formats)
                and bool(self.outputs) and all(self.intact(folder, name) for name in self.outputs))


def exists(folder: Path, name: str) -> bool:
    return os.path.isfile(Path(folder) / name)
