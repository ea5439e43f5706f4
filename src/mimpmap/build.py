"""Plan a build, render every page in memory, then write whole files.

Nothing reaches the disk until every output has rendered, so a build that fails (bad data, an unknown
service, a renderer error) leaves the previous maps as they were.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .formats import DEFAULT, FORMATS, IMAGES, Job
from .layout import CHOROPLETH, SERVICES_DIR, THUMBNAILS_DIR, service_file
from .maps import Atlas
from .text import join_words
from .write import write_all

log = logging.getLogger("mimpmap")


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = DEFAULT
    #: Service ids to rebuild alone; ``None`` builds everything.
    services: tuple[str, ...] | None = None
    cdn: bool = False
    tiles: str | None = None
    dpi: int = 200


@dataclass
class BuildResult:
    out: Path
    written: list[tuple[Path, int]] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.written)


def plan(atlas: Atlas, options: BuildOptions, out: Path | None = None) -> list[tuple[str, Callable[[], bytes]]]:
    """What to write, relative to the output folder, and how to render each file: each format of the
    table (:mod:`mimpmap.formats`) names its files.

    The index links the images of this build, and those an earlier build left in ``out``, so an
    HTML-only rebuild keeps showing the PNG/SVG files already there.
    """
    whole = options.services is None
    maps = atlas.maps if whole else tuple(dict.fromkeys(atlas.service(sid) for sid in options.services))
    planned: set[str] = set()

    def exists(name: str) -> bool:
        """Written by this build, or left by an earlier one."""
        return name in planned or (out is not None and os.path.isfile(out / name))

    job = Job(maps=maps, whole=whole, dpi=options.dpi, cdn=options.cdn, tiles=options.tiles, exists=exists)
    items = [item for name in options.formats for item in FORMATS[name].outputs(atlas, job)]
    planned.update(name for name, _ in items)
    return items


def build(
    atlas: Atlas,
    out: Path | str,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Render the maps of ``atlas`` into ``out``. All files render first; then each is written atomically.

    ``progress(done, total, name)`` is called after each file renders.
    """
    out = Path(out)
    items = plan(atlas, options, out)
    rendered: dict[Path, bytes] = {}
    for done, (name, render) in enumerate(items, start=1):
        rendered[out / name] = render()
        if progress:
            progress(done, len(items), name)
    # Pages whose content changes while an image of them stays as it was (read only for those).
    undrawn = [fmt for fmt in IMAGES if fmt not in options.formats]
    changed = {path for path, data in rendered.items() if path.suffix == ".html"
               and any(os.path.isfile(path.with_suffix(f".{fmt}")) for fmt in undrawn) and _differs(path, data)}
    result = BuildResult(out=out)
    for path in write_all(rendered):
        result.written.append((path, len(rendered[path])))
    _warn_about_leftovers(atlas, out, options, changed)
    return result


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:  # not there yet (or unreadable): new
        return True


def _warn_about_leftovers(atlas: Atlas, out: Path, options: BuildOptions, changed: set[Path]) -> None:
    """Files of the output folder this build did not refresh and a reader might take as current.

    ``changed`` are the pages with an image left as it was whose content this build changed. Nothing is deleted: the files stay,
    and the user is told which they are and what to do.
    """
    folder = out / SERVICES_DIR
    if options.services is None:
        ids = {s.id for s in atlas.services}
        for where in (folder, out / THUMBNAILS_DIR / SERVICES_DIR):
            orphans = sorted(p.name for p in where.glob("*.*")
                             if p.is_file() and p.suffix.lstrip(".") in FORMATS and p.stem not in ids)
            if orphans:
                log.warning(
                    "en %s quedan mapas de servicios que ya no están en el archivo de cobertura (¿se "
                    "quitaron o cambiaron de id?): %s; bórrelos si ya no sirven", where, ", ".join(orphans),
                )
    # An image is out of date when its map's page changed and the image was not drawn again.
    maps = ([(CHOROPLETH, out / f"{CHOROPLETH}.html")] if options.services is None else [])
    rebuilt = [s.id for s in atlas.services] if options.services is None else list(
        dict.fromkeys(atlas.service(sid).id for sid in options.services))
    maps += [(sid, out / service_file(sid)) for sid in rebuilt]
    kept = {fmt: [key for key, page in maps if page in changed and os.path.isfile(page.with_suffix(f".{fmt}"))]
            for fmt in IMAGES if fmt not in options.formats}
    stale = [key for key, _ in maps if any(key in keys for keys in kept.values())]
    if stale:
        kinds = [fmt for fmt, keys in kept.items() if keys]
        single = len(stale) == 1 and len(kinds) == 1
        pages = f"la página de {stale[0]} cambió" if len(stale) == 1 else f"las páginas de {join_words(stale)} cambiaron"
        log.warning(
            "%s, pero %s %s no se %s; añada --format %s a la orden",
            pages, "su imagen" if single else "sus imágenes", " y ".join(f.upper() for f in kinds),
            "regeneró" if single else "regeneraron",
            ",".join(f for f in FORMATS if f in options.formats or f in kinds),
        )
