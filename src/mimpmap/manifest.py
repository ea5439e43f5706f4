"""The build manifest: what each output in the folder was made from.

``maps/.mimpmap-build.json`` is written with the maps (and committed with them). For every output it
keeps two hashes: the *key*, a hash of everything the file shows (its map's description, the
boundaries, the format and its options, the code of its renderer: :mod:`mimpmap.codegraph`), and the
*sha256* of the bytes written. The build compares keys to render only what changed, and a file whose
bytes no longer match was changed or lost outside mimpmap, so it is drawn again. It also keeps the
*fingerprint* of the last whole build (the bytes of the input files it read, the options, the code it
runs), which lets a build with nothing to do say so without loading the libraries at all.

The manifest is data from a folder, not trusted: one that is damaged, too large, not a regular file or
names files outside its folder is treated as absent (everything is drawn again), with a warning.

The file holds no date, path or machine detail: the same inputs give the same bytes. The versions of
the libraries that drew the files are recorded for information (``drawn_with``), outside the keys:
a new matplotlib does not make the maps stale.

This module imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Iterable

from . import folder as safe

NAME = ".mimpmap-build.json"
#: The libraries whose versions are recorded beside the outputs (for information).
LIBRARIES = ("folium", "branca", "xstatic-leaflet", "matplotlib", "fonttools", "pillow", "geopandas", "shapely",
             "pyproj")
#: The largest manifest read (the shipped one is some 20 KB: about 200 bytes an output): a larger one
#: is not one mimpmap wrote.
MAX_BYTES = 16 * 1024 * 1024

log = logging.getLogger("mimpmap")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def fingerprint(inputs: str, options: dict, code: str) -> str:
    """The inputs of a whole build: the digest of the input files' bytes, the options and the code."""
    return digest(inputs, options, code)


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
        """The folder's manifest; an empty one when there is none. One that cannot be read (damaged,
        too large or deep, a link, a pipe, names outside the folder) is treated as absent, with a
        warning: every output is then drawn again, which is always safe."""
        if safe.lstat(Path(folder), NAME) is None:
            return cls()
        raw = safe.read(Path(folder), NAME, MAX_BYTES)
        try:
            book = _valid(json.loads(raw)) if raw is not None else None
        except (ValueError, TypeError, AttributeError, RecursionError):  # JSON nested too deep: RecursionError
            book = None
        if book is None:
            log.warning("el registro de la generación '%s' está dañado o no es de mimpmap: se ignora y se "
                        "vuelven a dibujar los mapas", Path(folder) / NAME)
            return cls()
        return book

    def to_bytes(self) -> bytes:
        doc = {"generator": "mimpmap", "fingerprint": self.fingerprint, "formats": self.formats,
               "drawn_with": self.drawn_with, "options": self.options,
               "outputs": dict(sorted(self.outputs.items()))}
        return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def intact(self, folder: Path, name: str) -> bool:
        """Whether ``name`` is on disk with the bytes this manifest recorded."""
        entry = self.outputs.get(name)
        return bool(entry) and safe.sha256(Path(folder), name) == entry.get("sha256")

    def current(self, folder: Path, name: str, key: str) -> bool:
        """Whether ``name`` was made from ``key`` and is still as it was written."""
        return self.outputs.get(name, {}).get("key") == key and self.intact(folder, name)

    def up_to_date(self, folder: Path, fingerprint: str, formats: Iterable[str]) -> bool:
        """Whether a whole build of ``formats`` with this fingerprint would change nothing."""
        return (self.fingerprint == fingerprint and set(formats) <= set(self.formats)
                and bool(self.outputs) and all(self.intact(folder, name) for name in self.outputs))


def _valid(doc: Any) -> Manifest | None:
    """The manifest ``doc`` holds, if it has the shape :meth:`Manifest.to_bytes` writes (names of
    files inside the folder among them)."""
    if not isinstance(doc, dict):
        return None
    outputs, formats = doc.get("outputs", {}), doc.get("formats", [])
    drawn_with, options = doc.get("drawn_with", {}), doc.get("options", {})
    fingerprint = doc.get("fingerprint")
    if not (isinstance(outputs, dict) and isinstance(formats, list) and isinstance(drawn_with, dict)
            and isinstance(options, dict) and (fingerprint is None or isinstance(fingerprint, str))):
        return None
    if not all(safe.safe_name(name) and isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("key", "sha256")) for name, entry in outputs.items()):
        return None
    if not all(isinstance(f, str) for f in formats) or not all(isinstance(v, str) for v in drawn_with.values()):
        return None
    return Manifest(outputs={name: {"key": e["key"], "sha256": e["sha256"]} for name, e in outputs.items()},
                    formats=list(formats), fingerprint=fingerprint, drawn_with=dict(drawn_with),
                    options=dict(options))


def exists(folder: Path, name: str) -> bool:
    """Whether ``name`` is a regular file in ``folder`` (never through a link)."""
    return safe.is_file(Path(folder), name)
