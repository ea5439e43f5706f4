"""Plan a build, render every page in memory, then write whole files.

Nothing reaches the disk until every output has rendered, so a build that fails (bad data, an unknown
service, a renderer error) leaves the previous maps as they were.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .coverage import Coverage
from .errors import UsageError
from .layout import CHOROPLETH, INDEX, SERVICES_DIR, THUMBNAILS_DIR, service_file, thumbnail_file
from .text import join_words
from .write import write_all

log = logging.getLogger("mimpmap")

FORMATS = ("html", "png", "svg")


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ("html",)
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


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """"html,png" → ("html", "png"), in canonical order; an unknown name is a usage error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [i.strip().lower() for i in items if i.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(
            f"formato desconocido {', '.join(repr(u) for u in unknown) or '(vacío)'}; "
            f"use una combinación de {', '.join(FORMATS)}, p. ej. --format html,png"
        )
    return tuple(f for f in FORMATS if f in names)


def plan(cov: Coverage, options: BuildOptions, out: Path | None = None) -> list[tuple[str, Callable[[], bytes]]]:
    """What to write, relative to the output folder, and how to render each file.

    The index links the images of this build, and those an earlier build left in ``out``, so an
    HTML-only rebuild keeps showing the PNG/SVG files already there.
    """
    from .html.pages import Renderer

    if options.services is not None:
        for sid in options.services:
            cov.service(sid)  # raises UnknownServiceError listing the valid ids
    html = Renderer(cov, cdn=options.cdn, tiles=options.tiles)
    static = None
    if {"png", "svg"} & set(options.formats):
        from .static import StaticRenderer

        static = StaticRenderer(cov)

    def page(render: Callable[[], str]) -> Callable[[], bytes]:
        return lambda: render().encode("utf-8")

    items: list[tuple[str, Callable[[], bytes]]] = []

    def images(name: str, service) -> None:
        """The PNG/SVG of a map, and the index's thumbnail, made from a PNG of at most
        THUMBNAIL_SOURCE_DPI (the map's own when it is no finer, so it is drawn once)."""
        for fmt in ("png", "svg"):
            if fmt not in options.formats:
                continue
            draw = functools.cache(lambda fmt=fmt: static.render(service, fmt=fmt, dpi=options.dpi))
            items.append((f"{name}.{fmt}", draw))
            if fmt == "png":
                from .static import THUMBNAIL_SOURCE_DPI, thumbnail

                source = draw if options.dpi <= THUMBNAIL_SOURCE_DPI else (
                    lambda: static.render(service, fmt="png", dpi=THUMBNAIL_SOURCE_DPI))
                items.append((thumbnail_file(f"{name}.png"), lambda source=source: thumbnail(source())))

    whole = options.services is None
    services = cov.services if whole else [cov.service(sid) for sid in dict.fromkeys(options.services)]
    if whole:
        if "html" in options.formats:
            items.append((f"{CHOROPLETH}.html", page(html.choropleth)))
        images(CHOROPLETH, None)
    for service in services:
        if "html" in options.formats:
            items.append((service_file(service.id), page(lambda s=service: html.service(s))))
        images(f"{SERVICES_DIR}/{service.id}", service)
    if whole and "html" in options.formats:
        planned = {name for name, _ in items}

        def exists(name: str) -> bool:
            """Written by this build, or left by an earlier one."""
            return name in planned or (out is not None and os.path.isfile(out / name))

        items.append((INDEX, page(lambda: html.index(formats=FORMATS, thumbnails=True, exists=exists))))
    return items


def build(
    cov: Coverage,
    out: Path | str,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Render the maps of ``cov`` into ``out``. All files render first; then each is written atomically.

    ``progress(done, total, name)`` is called after each file renders.
    """
    out = Path(out)
    items = plan(cov, options, out)
    rendered: dict[Path, bytes] = {}
    for done, (name, render) in enumerate(items, start=1):
        rendered[out / name] = render()
        if progress:
            progress(done, len(items), name)
    # Pages whose content changes while an image of them stays as it was (read only for those).
    undrawn = [fmt for fmt in ("png", "svg") if fmt not in options.formats]
    changed = {path for path, data in rendered.items() if path.suffix == ".html"
               and any(os.path.isfile(path.with_suffix(f".{fmt}")) for fmt in undrawn) and _differs(path, data)}
    result = BuildResult(out=out)
    for path in write_all(rendered):
        result.written.append((path, len(rendered[path])))
    _warn_about_leftovers(cov, out, options, changed)
    return result


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:  # not there yet (or unreadable): new
        return True


def _warn_about_leftovers(cov: Coverage, out: Path, options: BuildOptions, changed: set[Path]) -> None:
    """Files of the output folder this build did not refresh and a reader might take as current.

    ``changed`` are the pages with an image left as it was whose content this build changed. Nothing is deleted: the files stay,
    and the user is told which they are and what to do.
    """
    folder = out / SERVICES_DIR
    if options.services is None:
        ids = {s.id for s in cov.services}
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
    rebuilt = [s.id for s in cov.services] if options.services is None else list(dict.fromkeys(options.services))
    maps += [(sid, out / service_file(sid)) for sid in rebuilt]
    kept = {fmt: [key for key, page in maps if page in changed and os.path.isfile(page.with_suffix(f".{fmt}"))]
            for fmt in ("png", "svg") if fmt not in options.formats}
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
