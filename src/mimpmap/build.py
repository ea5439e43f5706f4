"""Plan a build, render every page in memory, then write whole files.

Nothing reaches the disk until every output has rendered, so a build that fails (bad data, an unknown
service, a renderer error) leaves the previous maps as they were.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .coverage import Coverage
from .errors import UsageError
from .layout import CHOROPLETH, INDEX, SERVICES_DIR, THUMBNAILS_DIR, service_file, thumbnail_file
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
        """The PNG/SVG of a map, and the index's thumbnail made from the PNG (drawn once)."""
        for fmt in ("png", "svg"):
            if fmt in options.formats:
                draw = functools.cache(lambda fmt=fmt: static.render(service, fmt=fmt, dpi=options.dpi))
                items.append((f"{name}.{fmt}", draw))
                if fmt == "png":
                    from .static import thumbnail

                    items.append((thumbnail_file(f"{name}.png"), lambda draw=draw: thumbnail(draw())))

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
        def there(name: str) -> bool:
            return out is not None and (out / name).is_file()

        shown = tuple(f for f in FORMATS if f in options.formats or there(f"{CHOROPLETH}.{f}"))
        thumbnails = "png" in options.formats or there(thumbnail_file(f"{CHOROPLETH}.png"))
        items.append((INDEX, page(lambda: html.index(formats=shown, thumbnails=thumbnails))))
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
    result = BuildResult(out=out)
    for path in write_all(rendered):
        result.written.append((path, len(rendered[path])))
    _warn_about_leftovers(cov, out, options)
    return result


def _warn_about_leftovers(cov: Coverage, out: Path, options: BuildOptions) -> None:
    """Files of the output folder this build did not refresh and a reader might take as current.

    Nothing is deleted: the files stay, and the user is told which they are and what to do.
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
    rebuilt = [s.id for s in cov.services] if options.services is None else list(options.services)

    def images(fmt: str) -> list[Path]:
        paths = [out / f"{CHOROPLETH}.{fmt}"] if options.services is None else []
        paths += [out / service_file(sid, fmt) for sid in rebuilt]
        return [p for p in paths if p.is_file()]

    kept = [fmt for fmt in ("png", "svg") if fmt not in options.formats and images(fmt)]
    if kept:
        log.warning(
            "las imágenes %s que ya había en %s/ no se regeneraron: si cambiaron los datos, ya no coinciden "
            "con las páginas; añada --format %s a la orden",
            " y ".join(f.upper() for f in kept), out, ",".join(f for f in FORMATS if f in options.formats or f in kept),
        )
