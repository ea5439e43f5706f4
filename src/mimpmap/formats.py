"""The output formats, as one table: what each is, which module draws it, and how its files are named.

The build, the index, the stale-image check and the command line all read :data:`FORMATS`. Adding a
format is one entry here and one renderer module with an ``outputs(atlas, fmt, job)`` function that
yields an :class:`Output` per file: its name, how to render it, and what it shows (the part of the
description it draws, which the build hashes to know whether the file is stale; see :class:`Job`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from .errors import UsageError
from .session import Session
from .text import join_words


class Output(NamedTuple):
    """One file of a build: its name in the output folder, how to render it, and what it shows."""

    name: str
    render: Callable[[], bytes]
    #: What it shows; or a function that returns it, for a file that shows which other files the
    #: build writes (the index links them): it is called once every output is planned.
    shows: Any
    #: The format that made it (set by :meth:`Format.outputs`): its options key the file.
    format: str = ""
    #: The module that renders it (set by :meth:`Format.outputs`): its code keys the file.
    renderer: str = ""


@dataclass(frozen=True)
class Format:
    name: str
    #: What the files are for, in the command's help.
    help: str
    #: The module that draws it (it has ``outputs(atlas, fmt, job)``).
    renderer: str
    #: An image of a map: the index links it.
    image: bool = False
    #: The build options that change its files (fields of :class:`Job`).
    options: tuple[str, ...] = ()
    #: Modules that write, with it, the files it links (the pages' data downloads).
    also: tuple[str, ...] = ()

    def outputs(self, atlas, job: "Job") -> Iterator[Output]:
        for renderer in (self.renderer, *self.also):
            module = importlib.import_module(renderer)
            for item in module.outputs(atlas, self.name, job):
                yield item._replace(format=self.name, renderer=renderer)


FORMATS: dict[str, Format] = {f.name: f for f in (
    # The pages link the data behind the maps (datos/: CSV and the workbook): they are written with them.
    # Whole builds also write atlas.html, every map in one file to send.
    Format("html", "páginas web que funcionan sin internet, con sus datos en CSV y Excel", "mimpmap.html.pages",
           options=("cdn", "tiles"), also=("mimpmap.tables", "mimpmap.html.atlas")),
    # Each image format also draws, in whole builds, every service on one page (mosaico.png/.svg) and
    # the population the services reach (poblacion.png/.svg), and writes beside each image the words to
    # paste with it in a document (servicios/cai.txt: caption and alternative text).
    Format("png", "imágenes PNG para informes", "mimpmap.static", image=True, options=("dpi", "size"),
           also=("mimpmap.mosaic", "mimpmap.charts", "mimpmap.captions")),
    Format("svg", "imágenes SVG, con el texto editable", "mimpmap.static", image=True, options=("size",),
           also=("mimpmap.mosaic", "mimpmap.charts", "mimpmap.captions")),
    Format("pdf", "un atlas PDF con todos los mapas, para imprimir", "mimpmap.pdf", options=("size",)),
)}
DEFAULT = ("html",)
#: The page sizes images and the PDF are drawn for (mimpmap.mpl.typeset.SIZES draws them), and what
#: each is for, in the command's help.
SIZE_HELP = MappingProxyType({
    "a4": "el ancho del texto de una página A4, 16 × 23 cm",
    "a4-media": ("media página A4, 16 × 11 cm, que cabe con un título y texto en la misma página (el mosaico y "
                 "los gráficos de población, a página completa)"),
    "a4-horizontal": "una página A4 horizontal, 25,7 × 16 cm",
    "carta": "una página carta, US letter",
    "diapositiva": "una diapositiva 16:9",
})
SIZE_NAMES = tuple(SIZE_HELP)


def size_help() -> str:
    """The ``--size`` option's help, from the table."""
    sizes = join_words((f"{name} ({words})" for name, words in SIZE_HELP.items()), last="o")
    return (f"Página para la que se dimensionan las imágenes y el PDF: {sizes}; por defecto el de los mapas "
            f"de la carpeta, o {SIZE_NAMES[0]}. El texto más pequeño mide 7 puntos en todas.")
IMAGES = tuple(name for name, f in FORMATS.items() if f.image)


@dataclass(frozen=True)
class Job:
    """What a renderer is asked for in one build."""

    #: The maps to draw: keys of the atlas's maps (``cobertura`` and service ids).
    maps: tuple[str, ...]
    #: Whether the build covers every map (the index is drawn only then).
    whole: bool
    dpi: int = 300
    size: str = "a4"
    cdn: bool = False
    tiles: str | None = None
    #: ``exists(name)``: whether a file is written by this build or left by an earlier one.
    exists: Callable[[str], bool] = lambda name: False
    #: What the renderers of this build share and prepare before it forks its workers (one per build:
    #: a Job is made once per plan).
    session: Session = field(default_factory=Session, compare=False)


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """"html,png" → ("html", "png"), in the table's order; an unknown name is a usage error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [i.strip().lower() for i in items if i.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(
            f"formato desconocido {', '.join(repr(u) for u in unknown) or '(vacío)'}; "
            f"use una combinación de {', '.join(FORMATS)}, p. ej. --format html,png"
        )
    return tuple(f for f in FORMATS if f in names)


def help_text() -> str:
    """The ``--format`` option's help, from the table."""
    kinds = join_words(f"{f.name} ({f.help})" for f in FORMATS.values())
    return f"Formatos separados por comas: {kinds}. Por defecto {', '.join(DEFAULT)}."
