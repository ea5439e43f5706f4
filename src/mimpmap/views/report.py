"""The pages made for reports beside the maps: the mosaic (every service on one page), the population
charts, the PDF atlas's cover, the captions of every figure for a document, and the index's area that
offers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import colors, layout
from ..layout import CHOROPLETH_TITLE
from ..text import plural
from .marks import Bar, Header, Legend, Shapes, Swatch
from .printed import PrintedMap, PrintedUnit
from .words import ABBREVIATIONS_TITLE, COVERAGE_LEGEND, UNIT, abbreviations, source_line

if TYPE_CHECKING:  # pragma: no cover
    from .atlas import Atlas
    from .choropleth import Choropleth
    from .service import ServiceMap

__all__ = ["ReportPage", "Mosaic", "MOSAIC", "mosaic", "PeopleChart", "PEOPLE_CHART", "people_chart", "Caption",
           "service_caption", "choropleth_caption", "mosaic_caption", "people_caption", "sentences", "ReportFiles",
           "report_files"]


@dataclass(frozen=True)
class ReportPage:
    """A page made for reports beside the maps (an image and a page of the PDF atlas), with the
    header and footer of the static maps."""

    key: str
    header: Header
    static_subtitle: str
    static_period: str | None
    static_source: str
    static_notes: tuple[str, ...]

    @property
    def title(self) -> str:
        """The page's title, as printed at its top."""
        return self.header.title


@dataclass(frozen=True)
class Tile:
    """A service's small map on the mosaic: its title, how each unit is painted, and the shapes its
    printed map's layers draw over them (the provinces it reaches in a department reached in part)."""

    id: str
    display_name: str
    units: tuple[PrintedUnit, ...]
    shapes: tuple[Shapes, ...] = ()


@dataclass(frozen=True)
class Mosaic(ReportPage):
    """Every service on one page: a small map each, grouped by program (its short name over them),
    with one legend. It holds what the page draws and nothing more: the key of its images."""

    legend: Legend
    groups: tuple[tuple[str, tuple[Tile, ...]], ...]
    #: The inset's title in each small map.
    inset_title: str = "Lima y Callao"
    #: The key of the abbreviations the page shows (:func:`abbreviations`).
    abbreviations: tuple[str, ...] = ()


#: The mosaic's files without extension: mosaico.png, mosaico.svg.
MOSAIC = layout.MOSAIC


def mosaic(atlas: "Atlas") -> Mosaic:
    """The description of the mosaic of ``atlas``: its services by program, in the atlas's order."""
    groups = tuple((p, tuple(s for s in atlas.services if s.program.id == p.id)) for p in atlas.programs)
    groups = tuple((p, services) for p, services in groups if services)
    # One legend for every small map: the swatches of the services' own legends, in their order,
    # without the centres (the small maps have no dots), and of the shapes drawn over the units.
    swatches: dict[str, Swatch] = {}
    for service in atlas.services:
        for swatch in service.legend.swatches:
            if not swatch.circle:
                swatches.setdefault(swatch.label, swatch)
    tiles = {s.id: _tile(s, atlas.printed_map(s)) for s in atlas.services}
    for shapes in (shapes for tile in tiles.values() for shapes in tile.shapes):
        swatches.setdefault(shapes.label, Swatch(shapes.label, shapes.color))
    ordered = sorted(swatches.values(), key=lambda s: (s.color == colors.NEUTRAL, s.hatch))
    n = len(atlas.services)
    title = f"Los {plural(n, 'servicio', 'servicios')} del MIMP, uno por mapa" if n != 1 else "El servicio del MIMP"
    return Mosaic(
        key=MOSAIC,
        header=Header("Todos los servicios", title, atlas.period),
        static_subtitle=(f"{UNIT.many_title} {UNIT.to_which} llega cada servicio, por programa. Todos los mapas a la "
                         "misma escala."),
        static_period=atlas.period or None,
        static_source=source_line(atlas.source),
        static_notes=("En el recuadro de cada mapa, Lima Metropolitana y Callao ampliados.",),
        legend=Legend(COVERAGE_LEGEND, tuple(ordered)),
        groups=tuple((p.short, tuple(tiles[s.id] for s in services)) for p, services in groups),
        abbreviations=abbreviations([p for p, _ in groups], [s for _, services in groups for s in services]),
    )


def _tile(service: "ServiceMap", printed: PrintedMap) -> Tile:
    """A service's small map: its units as its own map paints them, and its printed map's shapes."""
    return Tile(service.id, service.display_name, tuple(PrintedUnit(u.code, u.fill, u.hatched) for u in service.units),
                printed.of(Shapes))


#: The atlas's parts, as its bookmarks and its cover's contents name them.
ATLAS_COVER = "Portada"
ATLAS_SUMMARY = "Resumen de los servicios"
ATLAS_KICKER = "Atlas de cobertura del MIMP"


def atlas_contents(atlas: "Atlas") -> tuple[str, ...]:
    """The cover's lines on what the atlas holds."""
    n = len(atlas.services)
    return (
        f"{CHOROPLETH_TITLE}: cuántos servicios llegan a cada {UNIT.one}.",
        f"Todos los servicios en una página: {plural(n, 'mapa pequeño', 'mapas pequeños')}, por programa.",
        *((f"{people.header.title}: la población de {UNIT.the_many} {UNIT.to_which} llega cada uno.",)
          if (people := atlas.people_chart) else ()),
        f"{ATLAS_SUMMARY}: programa, cobertura, centros y la última cifra de cada uno.",
        *((f"{available.title}: centros de cada tipo, mujeres y mujeres por CEM.",)
          if (available := atlas.index.availability) else ()),
        *((f"{gaps.title}: un mapa de la proporción de sus mujeres a más de {gaps.threshold_words[gaps.map_threshold]} "
           "de un CEM, en línea recta, con las provincias donde es mayor, y otro de las mujeres por CEM.",)
          if (gaps := atlas.brechas) else ()),
        f"Un mapa por servicio ({plural(n, 'página', 'páginas')}), con su descripción, sus cifras de cada "
        "periodo y su variación, notas y fuente.",
    )


@dataclass(frozen=True)
class PeopleChart(ReportPage):
    """The population the services reach, as two bar charts on one page (poblacion.png/.svg and a
    page of the PDF atlas): the people by how many services reach their department, and each
    service by the people of the departments it reaches."""

    #: (title, bars) of each chart, in the order they are drawn.
    charts: tuple[tuple[str, tuple[Bar, ...]], ...]
    #: The key of the abbreviations the bars are labelled with (:func:`abbreviations`).
    abbreviations: tuple[str, ...] = ()


#: The population charts' files without extension: poblacion.png, poblacion.svg.
PEOPLE_CHART = layout.PEOPLE_CHART


def people_chart(atlas: "Atlas") -> PeopleChart | None:
    """The description of the population charts of ``atlas``; ``None`` without population figures."""
    choropleth = atlas.choropleth
    if not choropleth.people_by_count or atlas.population is None:
        return None
    return PeopleChart(
        key=PEOPLE_CHART,
        header=Header("Población", "La población que alcanzan los servicios del MIMP", atlas.period),
        static_subtitle=(f"Cuántas personas viven en {UNIT.the_many} {UNIT.to_which} llega cada servicio, según el "
                         f"censo de {atlas.population.year}."),
        static_period=atlas.period or None,
        static_source=f"{source_line(atlas.source)}. Población: {atlas.population.source}",
        static_notes=(choropleth.people_note,),
        charts=((choropleth.people_by_count_title, choropleth.people_by_count),
                (choropleth.ranking_title, choropleth.ranking)),
        abbreviations=abbreviations((), [s for s in atlas.services if any(b.label == s.display_name
                                                                         for b in choropleth.ranking)]),
    )


# --- captions: a figure's words for a document -----------------------------------------------------


@dataclass(frozen=True)
class Caption:
    """What to paste beside a figure in a document (the ``.txt`` file beside its image): a caption
    for under it and an alternative text for readers who cannot see it."""

    caption: str
    alt: str

    @property
    def text(self) -> str:
        """The file's text."""
        return f"{CAPTION_LABEL}\n{self.caption}\n\n{ALT_LABEL}\n{self.alt}\n"


CAPTION_LABEL = "Pie de figura (para pegar debajo de la imagen):"
ALT_LABEL = "Texto alternativo (en Word: clic derecho en la imagen, «Editar texto alternativo»):"


def sentences(*parts: str | None) -> str:
    """The parts that are there, each ended by a full stop, in one paragraph."""
    return " ".join(p if p.endswith((".", "…")) else f"{p}." for p in parts if p)


def _inset_words(inset_title: str) -> str:
    return f"En un recuadro, ampliados: {inset_title}" if inset_title else ""


def service_caption(spec: "ServiceMap", inset_title: str = "") -> Caption:
    """A service map's caption and alternative text."""
    reached = next((s.label for s in spec.legend.swatches if not s.hatch and not s.circle), "")
    marks = [s.label for s in spec.legend.swatches if s.hatch]
    marks += [f"{s.label}: {plural(len(spec.sites), 'punto', 'puntos')} en el mapa"
              for s in spec.legend.swatches if s.circle and spec.sites]
    return Caption(
        sentences(f"{spec.table_caption}: {spec.coverage_words}", spec.static_period, spec.static_source,
                   *spec.static_notes, spec.change_note),
        sentences(spec.aria_label, spec.reach, f"{reached}: {spec.coverage_words}", *marks,
                   _inset_words(inset_title)))


def choropleth_caption(spec: "Choropleth", inset_title: str = "") -> Caption:
    """The choropleth's caption and alternative text."""
    return Caption(sentences(spec.header.title, spec.static_period, spec.static_source),
                   sentences(spec.aria_label, spec.lead, *spec.extremes, _inset_words(inset_title)))


def mosaic_caption(spec: Mosaic, services: "tuple[ServiceMap, ...]") -> Caption:
    """The mosaic's caption, and an alternative text that says where each service (of ``services``,
    the atlas's) of each program arrives, with the key of the abbreviations."""
    words = {s.id: s.coverage_words for s in services}
    programs = [f"{short}: " + "; ".join(f"{t.display_name}, {words[t.id]}" for t in tiles)
                for short, tiles in spec.groups]
    key = f"{ABBREVIATIONS_TITLE}: " + "; ".join(spec.abbreviations) if spec.abbreviations else None
    return Caption(sentences(spec.header.title, spec.static_subtitle, spec.static_period, spec.static_source),
                   sentences(spec.header.title, spec.static_subtitle, *programs, *spec.static_notes, key))


def people_caption(spec: PeopleChart) -> Caption:
    """The population charts' caption, and an alternative text with every bar's figure."""
    charts = [f"{title}: " + "; ".join(f"{bar.label}, {bar.text}" for bar in bars) for title, bars in spec.charts]
    return Caption(sentences(spec.header.title, spec.static_subtitle, spec.static_period, spec.static_source),
                   sentences(spec.header.title, *charts, *spec.static_notes))


# --- the index's area for reports -----------------------------------------------------------------


@dataclass(frozen=True)
class ReportFiles:
    """The index's area for the files made for reports: the PDF atlas, the mosaic and the population
    charts."""

    title: str
    lead: str
    atlas_title: str
    atlas_text: str
    atlas_link: str
    mosaic_title: str
    mosaic_text: str
    mosaic_alt: str
    people_title: str = "La población que alcanzan"
    people_text: str = (f"Dos gráficos de barras: la población según cuántos servicios llegan a su {UNIT.one}, y "
                        f"cada servicio según la población de {UNIT.the_many} {UNIT.to_which} llega.")
    people_alt: str = "Gráficos de la población que alcanzan los servicios del MIMP"
    html_title: str = "Todos los mapas en un solo archivo"
    html_text: str = ("Una página que reúne el mapa general y el de cada servicio, y funciona sola: se puede "
                      "enviar por correo o copiar sin la carpeta, y abre sin internet.")
    html_link: str = "Abrir el atlas"


def report_files(atlas: "Atlas") -> ReportFiles:
    """The words of the index's area for reports (:class:`ReportFiles`) for ``atlas``."""
    board = atlas.mosaic
    return ReportFiles(
        title="Para informes",
        lead="Para imprimir, adjuntar o poner en un documento.",
        atlas_title="Atlas en PDF",
        atlas_text="Todos los mapas en un documento: portada, mapa de cobertura, resumen de los servicios "
                   "y una página por servicio, con marcadores y números de página.",
        atlas_link="Descargar el atlas (PDF)",
        mosaic_title="Todos los servicios en una página",
        mosaic_text=board.static_subtitle,
        mosaic_alt=f"Mosaico: {board.header.title}",
    )
