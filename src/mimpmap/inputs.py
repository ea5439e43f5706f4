"""Where the inputs are when no path is given: the working directory's project files, else the copies
shipped in the package. It imports nothing heavy, so a build with nothing to do can tell so at once.
"""

from __future__ import annotations

from pathlib import Path

#: Each input: its place in a project folder, and its name among the package's data.
DEFAULTS = {
    "data": ("data/coverage.yaml", "coverage.yaml"),
    "geo": ("geo/peru_departamentos.geojson", "peru_departamentos.geojson"),
    "population": ("data/population.csv", "population.csv"),
}


def packaged(kind: str) -> Path:
    """The copy of an input shipped in the package."""
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / DEFAULTS[kind][1]))


def default_path(kind: str) -> Path:
    """``data/coverage.yaml`` (and the others) of the working directory, else the package's copy."""
    local = Path(DEFAULTS[kind][0])
    return local if local.is_file() else packaged(kind)


def resolve(kind: str, path: str | Path | None) -> Path:
    return Path(path) if path is not None else default_path(kind)


def in_project() -> bool:
    """Whether the working directory is a project folder (it has its own ``data/coverage.yaml``)."""
    return Path(DEFAULTS["data"][0]).is_file()
