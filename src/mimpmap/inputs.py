"""The inputs of a build, as one table: what each file is, the option that names it, where it is when no
path is given (the project's files, found from the working directory or any folder inside the
project, else the copies shipped in the package), and what reads it; and where the maps go.

The command line's options, :func:`mimpmap.load`, ``check``, the build's fingerprint and its manifest all
read :data:`INPUTS`: a new input is one entry here (and its reader). Each input is read once
(:func:`read_all`): the bytes read are hashed and handed to the reader, so the fingerprint a build records
is that of the data its maps show, even if a file is saved again while the build runs.

It imports nothing heavy, so a build with nothing to do can tell so at once (:func:`digest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from .errors import InputErrors, InputFileError, MimpmapError
from .levels import DEFAULT_LEVEL, DEPARTMENTS, Level, finer_level
from .manifest import NAME as MANIFEST

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
#: What reads an input's bytes, with the messages of each input (it reads this table: named, not
#: imported, as the readers are).
READ_BYTES = "mimpmap.readers.files:read_input"


@dataclass(frozen=True)
class Option:
    """An option of an input besides its path (``--geo-key``): its name, flag, the reader's keyword."""

    name: str
    flag: str
    keyword: str
    metavar: str
    help: str


@dataclass(frozen=True)
class Input:
    """One input file."""

    #: Its name in :func:`mimpmap.load` and among the command's parameters (``data``).
    name: str
    #: What it becomes on the joined coverage (:class:`mimpmap.coverage.Coverage`).
    field: str
    #: The option that names it, and what it is, for the messages ("un archivo de cobertura").
    option: str
    what: str
    help: str
    #: Its place in a project folder, and its name among the package's data.
    local: str
    packaged: str
    #: ``module:function`` that reads it: ``function(path, raw=bytes, **options)``; with ``limit=None``
    #: the reader opens the file itself (``function(path, **options)``) and the bytes are checked to be
    #: the same after it read them.
    reader: str
    #: ``module:NAME`` of the largest size the reader accepts (read here, for the reader).
    limit: str | None = None
    options: tuple[Option, ...] = ()
    #: Files read with it: the same name with these suffixes (a Shapefile's table and projection).
    companions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Values of earlier inputs the reader is given: (its keyword, the earlier input's ``field``), e.g. the
    #: boundaries that a centre's point is checked against. ``None`` when that input could not be read
    #: (its own error is reported; this one is still read, so that its errors are too).
    needs: tuple[tuple[str, str], ...] = ()

    def path(self, given: str | Path | None) -> Path:
        """``given``, else the project's file (``data/coverage.yaml``), else the package's copy."""
        return Path(given) if given is not None else default_path(self.name)

    def files(self, path: Path) -> list[Path]:
        """``path`` and its companions that are there."""
        more = dict(self.companions).get(path.suffix.lower(), ())
        return [path, *(p for p in (path.with_suffix(s) for s in more) if os.path.lexists(p))]


# The level the default files are of, and its words for the help; and the noun of the level that divides it.
_UNIT, _FILES = DEFAULT_LEVEL.noun, DEFAULT_LEVEL.files
_FINER = finer_level(DEFAULT_LEVEL).noun


def _boundary_input(name: str, field: str, option: str, what: str, level: Level, reader: str, use: str,
                    ways: str) -> Input:
    """The boundary file of ``level`` (read by ``mimpmap.geography``'s ``reader``), with its options of the
    field that names each unit and of the layer (``--geo-key``, ``--geo-layer``); ``use``: what it is for,
    in its help; ``ways``: how the field may name a unit."""
    noun, files = level.noun, level.files
    return Input(name, field, option, what,
                 f"Archivo de límites {noun.adjectives}: GeoJSON, GeoPackage o Shapefile{use} (por defecto "
                 f"geo/{files.boundaries}).",
                 f"geo/{files.boundaries}", files.boundaries, f"mimpmap.geography:{reader}",
                 options=(Option(f"{name}_key", f"{option}-key", "key", "CAMPO",
                                 f"Campo del archivo de límites que identifica cada {noun.one} ({ways}). "
                                 "Sin él se detecta."),
                          Option(f"{name}_layer", f"{option}-layer", "layer", "CAPA",
                                 "Capa del archivo de límites (GeoPackage con varias capas). Sin ella se elige la "
                                 f"de {noun.many}.")),
                 companions=((".shp", (".shx", ".dbf", ".prj", ".cpg")),))

INPUTS: dict[str, Input] = {i.name: i for i in (
    Input("data", "data", "--data", "un archivo de cobertura",
          "Archivo de cobertura: YAML, libro .xlsx u hoja de cálculo .ods (por defecto data/coverage.yaml).",
          "data/coverage.yaml", "coverage.yaml", "mimpmap.model:read_coverage", "mimpmap.readers.files:MAX_BYTES"),
    _boundary_input("geo", "boundaries", "--geo", "un archivo de límites", DEFAULT_LEVEL, "read_boundaries",
                    "", "nombre, ISO o UBIGEO"),
    _boundary_input("provinces", "provinces", "--provincias", f"un archivo de límites {_FINER.adjectives}",
                    finer_level(DEFAULT_LEVEL), "read_provinces",
                    f", para dibujar las {_FINER.many} a las que llega un servicio en {_UNIT.a} al que llega en parte "
                    "y los mapas de brechas", "nombre, 'Cusco/Urubamba' o UBIGEO"),
    Input("population", "population", "--population", "un archivo de población",
          f"Población por {_UNIT.one}, CSV (por defecto data/{_FILES.population}: INEI, censo 2017).",
          f"data/{_FILES.population}", _FILES.population, "mimpmap.population:read_population",
          "mimpmap.population:MAX_BYTES"),
    Input("centres", "centres", "--centros", "un archivo de centros",
          # a shelter is counted by its department (its UBIGEO's 2 digits) whatever level maps are drawn at
          f"Directorio de centros (CEM, SAR, SAU, CAI; los HRT solo contados por {DEPARTMENTS.noun.one}): CSV, "
          "libro .xlsx u hoja .ods (por defecto data/centros.csv: MIMP, Directorio Nacional 2026).",
          "data/centros.csv", "centros.csv", "mimpmap.centres:read_centres", "mimpmap.centres:MAX_BYTES",
          needs=(("boundaries", "boundaries"),)),
    Input("census", "census", "--censo", "un archivo del censo",
          f"Población por {DEPARTMENTS.noun.one}, provincia y distrito, con mujeres y hombres, CSV (por defecto "
          "data/censo_2025.csv: INEI, Censos Nacionales 2025).",
          "data/censo_2025.csv", "censo_2025.csv", "mimpmap.census:read_census", "mimpmap.census:MAX_BYTES"),
    Input("districts", "districts", "--distritos", "un archivo de puntos de distritos",
          "Un punto por distrito, CSV, desde el que se mide la distancia en línea recta al centro más cercano "
          "(por defecto geo/peru_distritos_puntos.csv, hecho por scripts/build_distritos.py).",
          "geo/peru_distritos_puntos.csv", "peru_distritos_puntos.csv", "mimpmap.access:read_districts",
          "mimpmap.access:MAX_BYTES",
          options=(Option("thresholds", "--umbrales", "thresholds", "KM,KM",
                          "Distancias en km, en línea recta, más allá de las cuales se cuentan las mujeres "
                          "(por defecto 25,50,100)."),)),
)}
#: Where the maps go in a project folder.
MAPS = "maps"
#: What marks the top of some project: the search for a project folder stops there.
_PROJECT_TOPS = ("pyproject.toml", ".git")


def packaged(kind: str) -> Path:
    """The copy of an input shipped in the package."""
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / INPUTS[kind].packaged))


def project_root() -> Path | None:
    """The project folder: the working directory or the nearest folder above it with
    ``data/coverage.yaml``. The search stops at the top of another project (a folder with
    ``pyproject.toml`` or ``.git`` but no data): ``None``, no project."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / INPUTS["data"].local).is_file():
            return folder
        if any(os.path.lexists(folder / name) for name in _PROJECT_TOPS):
            return None
    return None


def project_path(relative: str) -> Path:
    """``relative`` (``data/coverage.yaml``, ``maps``) in the project folder, as seen from the working
    directory (``../maps`` from inside ``maps/``'s sibling); relative to the working directory when there
    is no project."""
    root = project_root()
    return Path(relative) if root is None else Path(os.path.relpath(root / relative))


def default_path(kind: str) -> Path:
    """``data/coverage.yaml`` (and the others) of the project, else the package's copy."""
    local = project_path(INPUTS[kind].local)
    return local if local.is_file() else packaged(kind)


def resolve(kind: str, path: str | Path | None) -> Path:
    return INPUTS[kind].path(path)


def in_project() -> bool:
    """Whether the working directory is in a project folder (it, or a folder above, has its own
    ``data/coverage.yaml``)."""
    return project_root() is not None


def enclosing_output(folder: Path | str) -> Path | None:
    """The output folder ``folder`` would lie inside (a folder above it with a build manifest:
    ``maps/maps``), or ``None``."""
    target = Path(os.path.abspath(folder))
    return next((above for above in target.parents if os.path.isfile(above / MANIFEST)), None)


def reader_modules() -> list[str]:
    """The modules that read the inputs (their code is part of what a build runs)."""
    return [__name__, *(i.reader.partition(":")[0] for i in INPUTS.values())]


def options_of(given: dict[str, Any]) -> dict[str, Any]:
    """The inputs' own options (``geo_key``...) among ``given``, by name: they shape the maps too."""
    return {o.name: given.get(o.name) for i in INPUTS.values() for o in i.options}


def digest(given: dict[str, Any]) -> str | None:
    """A hash of the input files' bytes as they are now (``given``: paths by input name, as for
    :func:`read_all`); ``None`` if one cannot be read (the build then reads them, and says why)."""
    hashes = {}
    for entry in INPUTS.values():
        for path in entry.files(entry.path(given.get(entry.name))):
            hashes[f"{entry.name}:{path.suffix.lower()}"] = _file_sha256(path)
    return None if None in hashes.values() else _combined(hashes)


def read_all(given: dict[str, Any], memo: dict | None = None) -> tuple[dict[str, Any], str]:
    """Every input read once, whatever happens to the others: ``{field: value}`` and the hash of the
    bytes read (as :func:`digest` gives for those bytes). Raises the one error, or
    :class:`InputErrors` with every input's error.

    ``memo`` (a dict the caller keeps between calls, e.g. a live preview): an input whose files hold the
    same bytes, read with the same options and the very same values of the inputs it needs, is taken
    from it instead of being read and validated again."""
    values, hashes, errors = {}, {}, []
    for entry in INPUTS.values():
        try:
            options = {o.keyword: given.get(o.name) for o in entry.options}
            options.update({keyword: values.get(field) for keyword, field in entry.needs})
            values[entry.field], read = _remembered(entry, entry.path(given.get(entry.name)), options, memo)
            hashes.update({f"{entry.name}:{suffix}": sha for suffix, sha in read.items()})
        except MimpmapError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
    return values, _combined(hashes)


def _remembered(entry: Input, path: Path, options: dict[str, Any], memo: dict | None) -> tuple[Any, dict[str, str]]:
    """``entry`` read by :func:`_read`, or its value in ``memo`` while its files' bytes and its options
    are those it was read from (the values it needs compared by identity: an input read again is new)."""
    if memo is None:
        return _read(entry, path, options)
    kept = memo.get(entry.name)
    if kept is not None and kept[0] == path and kept[1].keys() == options.keys() \
            and all(kept[1][k] is v for k, v in options.items()) \
            and kept[2] == {p.suffix.lower(): _file_sha256(p) for p in entry.files(path)}:
        return kept[3], kept[2]
    memo.pop(entry.name, None)
    value, read = _read(entry, path, options)
    memo[entry.name] = (path, options, read, value)
    return value, read


def _read(entry: Input, path: Path, options: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """``entry``'s value from ``path``, and the hash of each file read (by suffix)."""
    reader: Callable = _attribute(entry.reader)
    if entry.limit is not None:
        raw = _attribute(READ_BYTES)(path, _attribute(entry.limit), entry)
        return reader(path, raw=raw, **options), {path.suffix.lower(): hashlib.sha256(raw).hexdigest()}
    files = entry.files(path)
    before = {p.suffix.lower(): _file_sha256(p) for p in files}
    value = reader(path, **options)
    after = {p.suffix.lower(): _file_sha256(p) for p in entry.files(path)}
    if after != before:
        raise InputFileError(f"'{path}' cambió mientras se leía; espere a que termine de guardarse y vuelva a "
                             "ejecutar mimpmap", str(path))
    return value, after


def _attribute(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def _combined(hashes: dict[str, str | None]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:32]


def _file_sha256(path: Path) -> str | None:
    """The hash of the regular file at ``path``; ``None`` for anything else (never waits on a pipe)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest_ = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest_.update(chunk)
        return digest_.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)
