"""Where the inputs are when no path is given, and where the maps go: the project's files, found from
the working directory or any folder inside the project (``maps/``, say), else the copies shipped in the
package. It imports nothing heavy, so a build with nothing to do can tell so at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from .manifest import NAME as MANIFEST

#: Each input: its place in a project folder, and its name among the package's data.
DEFAULTS = {
    "data": ("data/coverage.yaml", "coverage.yaml"),
    "geo": ("geo/peru_departamentos.geojson", "peru_departamentos.geojson"),
    "population": ("data/population.csv", "population.csv"),
}
#: Where the maps go in a project folder.
MAPS = "maps"
#: What marks the top of some project: the search for a project folder stops there.
_PROJECT_TOPS = ("pyproject.toml", ".git")


def packaged(kind: str) -> Path:
    """The copy of an input shipped in the package."""
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / DEFAULTS[kind][1]))


def project_root() -> Path | None:
    """The project folder: the working directory or the nearest folder above it with
    ``data/coverage.yaml``. The search stops at the top of another project (a folder with
    ``pyproject.toml`` or ``.git`` but no data): ``None``, no project."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / DEFAULTS["data"][0]).is_file():
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
    local = project_path(DEFAULTS[kind][0])
    return local if local.is_file() else packaged(kind)


def resolve(kind: str, path: str | Path | None) -> Path:
    return Path(path) if path is not None else default_path(kind)


def in_project() -> bool:
    """Whether the working directory is in a project folder (it, or a folder above, has its own
    ``data/coverage.yaml``)."""
    return project_root() is not None


def enclosing_output(folder: Path | str) -> Path | None:
    """The output folder ``folder`` would lie inside (a folder above it with a build manifest:
    ``maps/maps``), or ``None``."""
    target = Path(os.path.abspath(folder))
    return next((above for above in target.parents if os.path.isfile(above / MANIFEST)), None)
