"""Who is far from help (issue 24): per province, per department map unit and for Peru, the women, the
CEMs, women per CEM and the women farther than each threshold from the nearest CEM, in a straight line
(:mod:`mimpmap.access`). :class:`Brechas` is what every output of it shows (``brechas.html``, the
index's table, ``datos/brechas.csv``, the workbook's sheet, the printed page); every phrase about it is
written here, once, with the levels' words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..access import access
from ..availability import CEM
from ..centremaps import DIRECTORY
from ..errors import DistrictPointsError
from ..colors import DISTANCE_PALETTE, NEUTRAL, PER_CEM_PALETTE, ramp
from ..layout import BRECHAS_PAGE, DATA_FILES
from ..levels import DEPARTMENTS, PROVINCES
from ..readers.xlsx import BRECHAS as SHEET
from ..text import decimal, join_words, number
from .marks import Header, Legend, PrintedUnit, Swatch
from .words import percent

if TYPE_CHECKING:  # pragma: no cover
    from ..access import Access, AreaAccess
    from ..census import Census
    from ..centres import Centres
    from ..coverage import Coverage
    from ..levels import Unit

__all__ = ["Brechas", "Gap", "GapLayer", "GapMap", "SHEET", "describe", "of_coverage"]

_PROVINCE, _UNIT = PROVINCES.noun, DEPARTMENTS.noun
#: The distance the maps and the index show the share of women beyond (km), when it is a threshold.
MAP_KM = 50.0
#: Women per CEM: the lower bound of each class but the first (fixed, so that maps of two years compare).
PER_CEM_BREAKS = (10_000, 20_000, 40_000, 60_000)
#: Share of the women beyond :data:`MAP_KM`: the upper bound of each class but the last; 0 is its own class.
SHARE_BREAKS = (0.0, 0.10, 0.25, 0.50)
#: Provinces the index lists, by the share of their women beyond :data:`MAP_KM`.
INDEX_TOP = 10
CENSUS = "censo {year}"
KICKER = "MIMP · Mapas de cobertura"
TITLE = "Mujeres lejos de un CEM"
NO_CEM = "sin CEM"
#: What a directory without a CEM says first, where its figures would otherwise read as distances.
NO_CEM_AT_ALL = f"El directorio no tiene ningún {CEM}"
#: The group of centres the figures count (:data:`mimpmap.access.GROUPS`).
GROUP = CEM
#: The index's links: the page, the download.
LINK_PAGE = f"Mapa de {PROVINCES.noun.many}"
LINK_CSV = f"{TITLE} (CSV)"


@dataclass(frozen=True)
class Gap:
    """A province, a department map unit or Peru: its women, its CEMs and the women far from one."""

    code: str
    name: str
    #: The department a province lies in (its census name, with accents); "" for a department or Peru.
    department: str
    women: int
    cems: int
    women_per_cem: float | None
    #: Women farther than each threshold from the nearest CEM (:attr:`Brechas.thresholds` order), and their
    #: share of the women (``None`` without women).
    beyond: tuple[int, ...]
    shares: tuple[float | None, ...]
    #: Its row as the tables under the map and in the index show it (:attr:`Brechas.head`).
    cells: tuple[str, ...]
    #: The words on hover (provinces): its name, then :attr:`line`.
    tip: str = ""
    #: Its figures in a line: women, CEMs, women per CEM, women beyond the map's threshold.
    line: str = ""


@dataclass(frozen=True)
class GapLayer:
    """One choropleth of the provinces: its title, legend and each province's fill."""

    key: str
    title: str
    legend: Legend
    #: Province code → its fill.
    fills: tuple[tuple[str, str], ...]
    #: Province code → what this layer shows of it, in words (the words on hover).
    tips: tuple[tuple[str, str], ...] = ()
    #: The provinces without a value (no CEM), and their legend entry: grey on the page, grey and hatched
    #: on a printed map, never a colour of the scale.
    missing: tuple[str, ...] = ()
    missing_swatch: Swatch | None = None

    @property
    def web_legend(self) -> Legend:
        """The page's legend: the classes, then the provinces without a value in plain grey."""
        extra = (self.missing_swatch,) if self.missing_swatch is not None else ()
        return Legend(self.legend.title, (*self.legend.swatches, *extra))

    @property
    def printed_legend(self) -> Legend:
        """A printed map's legend: the classes, then the provinces without a value, hatched."""
        if self.missing_swatch is None:
            return self.legend
        return Legend(self.legend.title, self.legend.swatches,
                      partial=Swatch(self.missing_swatch.label, self.missing_swatch.color, hatch=True))


@dataclass(frozen=True)
class GapMap:
    """A printed map of the provinces (:mod:`.gapmaps`): what the "brechas" layer paints
    (:data:`mimpmap.views.layers.LAYERS`: these units and legend, the CEMs over them) and its words."""

    key: str
    header: Header
    static_subtitle: str
    static_source: str
    static_notes: tuple[str, ...]
    inset_title: str
    #: Each province as painted (its fill, hatched without a value, its figure under its name).
    units: tuple[PrintedUnit, ...]
    legend: Legend
    #: The provinces the map may name, the most important first (those that do not fit are left out).
    labelled: tuple[str, ...]
    #: What the map shows, in a line (the index's card).
    text: str
    static_period: str | None = None


@dataclass(frozen=True)
class Brechas:
    """What the outputs of who is far from help show."""

    title: str
    #: One line under the title: what the figures are.
    caption: str
    thresholds: tuple[float, ...]
    #: "25 km", "50 km"...: each threshold in words.
    threshold_words: tuple[str, ...]
    #: Which threshold the maps and the index show (its index in :attr:`thresholds`).
    map_threshold: int
    provinces: tuple[Gap, ...]
    departments: tuple[Gap, ...]
    national: Gap
    #: The sentences said wherever the figures are: straight line, what it leaves out, the districts'
    #: points, the sources (the census's and the directory's years).
    straight_line: str
    leaves_out: str
    points: str
    sources: str
    #: What women per CEM counts, said beside its map: each CEM in its province, not the nearest.
    per_cem_note: str
    #: The table's headings (:attr:`Gap.cells`), the first naming the unit: a province's, a department's.
    head: tuple[str, ...]
    department_head: tuple[str, ...]
    #: ``datos/brechas.csv`` and the workbook's sheet: plain values, header first; provinces, then
    #: department units, then Peru (column ``nivel``).
    table: tuple[tuple[Any, ...], ...]
    #: The two choropleths of the provinces: women per CEM, the share of women beyond the map's threshold.
    layers: tuple[GapLayer, ...]
    census_year: int
    centres_year: int
    #: The index's table: its heading and caption, the headings of its columns (:meth:`index_cells`).
    index_title: str = TITLE
    index_caption: str = ""
    index_head: tuple[str, ...] = ()
    #: The page (``brechas.html``): its header, the map's name for assistive technology, the country's
    #: line, the heading of the farthest provinces, the captions of its tables.
    header: Header = Header("", "", "")
    aria_label: str = ""
    summary: str = ""
    worst_title: str = ""
    table_caption: str = ""
    units_caption: str = ""
    #: What opens the page's tables: "Tabla de las 196 provincias y de los 26 departamentos".
    tables_title: str = ""

    def index_cells(self, gap: Gap) -> tuple[str, ...]:
        """A row of the index's table (:attr:`index_head`): name, department, women, CEMs, women per CEM, the
        women beyond the map's threshold."""
        k = len(self.thresholds)
        first = gap.cells[:-k] if gap.department else (gap.cells[0], "", *gap.cells[1:-k])
        return (*first, gap.cells[-k + self.map_threshold])

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """The index's links: (file, words)."""
        return ((BRECHAS_PAGE, LINK_PAGE), (DATA_FILES["brechas"], LINK_CSV))

    @property
    def measures(self) -> str:
        """What is counted, in a line: "mujeres a más de 25 km, 50 km y 100 km de un CEM, en línea recta"."""
        return f"mujeres a más de {join_words(self.threshold_words)} de un {CEM}, en línea recta"

    @property
    def notes(self) -> tuple[str, ...]:
        """Every sentence a page says under its figures, in order."""
        return (self.straight_line, self.leaves_out, self.points, self.sources)

    def worst(self, n: int = INDEX_TOP) -> tuple[Gap, ...]:
        """The ``n`` provinces with the largest share of their women beyond the map's threshold (the
        most women first among equal shares), none with no one beyond it."""
        i = self.map_threshold
        far = [p for p in self.provinces if p.beyond[i]]
        return tuple(sorted(far, key=lambda p: (-(p.shares[i] or 0), -p.beyond[i], p.code))[:n])


def of_coverage(cov: "Coverage") -> Brechas | None:
    """Who is far from help in ``cov``, computed once (:func:`mimpmap.access.access`); ``None`` without the
    centres, the census or the district points."""
    if cov.centres is None or cov.census is None or cov.districts is None or not cov.census.level("distrito"):
        return None  # a census without districts has nothing to measure from
    try:
        found = access(cov.districts.points, cov.centres, cov.census, cov.districts.thresholds)
    except DistrictPointsError as exc:  # a district of the census without a point: the file is named
        raise DistrictPointsError(exc.problems, str(cov.districts.path or "")) from None
    return describe(found, cov.centres, cov.census)


def describe(found: "Access", centres: "Centres", census: "Census") -> Brechas:
    """The words and rows of ``found`` (computed from ``centres`` and ``census``)."""
    words = tuple(f"{_km(t)} km" for t in found.thresholds)
    at = found.thresholds.index(MAP_KM) if MAP_KM in found.thresholds else len(found.thresholds) // 2
    directory, year = DIRECTORY.format(year=centres.year), CENSUS.format(year=census.year)
    cems = Counter(c.ubigeo[:4] for c in centres.sites if c.tipo == CEM)
    unit_cems = Counter(c.unit for c in centres.sites if c.tipo == CEM)
    far = f"a más de {words[at]} de un {CEM}"
    provinces = tuple(_gap(a, cems[a.code], PROVINCES.unit(a.code), at, far) for a in found.provinces)
    departments = tuple(_gap(a, unit_cems[a.code], None, at, far) for a in found.departments)
    national = _gap(found.national, sum(unit_cems.values()), None, at, far)
    head = _head(words, year, directory)
    return Brechas(
        title=f"{TITLE}, por {_PROVINCE.one}",
        caption=(f"Mujeres ({year}), {CEM} ({directory}), mujeres por {CEM} y mujeres a más de "
                 f"{join_words(words)} del {CEM} más cercano, en línea recta, por {_PROVINCE.one} y por {_UNIT.one}."),
        thresholds=found.thresholds, threshold_words=words, map_threshold=at,
        provinces=provinces, departments=departments, national=national,
        straight_line=(f"Distancias en línea recta: desde el punto de cada distrito hasta el {CEM} más cercano, "
                       "sobre la superficie de la Tierra."),
        leaves_out=("La línea recta no ve carreteras, ríos, montañas ni el tiempo de viaje: el camino real es más "
                    "largo, a veces de días. Estas cifras son un mínimo, no el recorrido."),
        points=("Todas las mujeres de un distrito se cuentan a la distancia de un solo punto suyo: el centroide de "
                f"su polígono de 2016 (los distritos creados después, el de su {_PROVINCE.one}) o, si tiene {CEM}, "
                "la posición media de estos; en un distrito grande, muchas viven más cerca o más lejos de ese "
                "punto."),
        per_cem_note=(f"Cada {CEM} se cuenta en la {_PROVINCE.one} de su dirección, aunque atienda también a mujeres "
                      f"de otras; el mapa de las mujeres {far} mide la distancia al más cercano, esté donde esté."),
        sources=(f"Mujeres: {year} ({census.source}). {CEM}: {directory} ({centres.source}); los centros sin "
                 "coordenadas o con coordenadas dudosas se cuentan en el punto de su distrito."),
        head=(_PROVINCE.title, _UNIT.title, *head),
        department_head=(_UNIT.title, *head),
        table=_table(words, year, directory, provinces, departments, national),
        layers=_layers(provinces, at, far, year, directory),
        census_year=census.year, centres_year=centres.year,
        index_caption=(f"Las {INDEX_TOP} {_PROVINCE.many} con la mayor proporción de sus mujeres a más de {words[at]} del {CEM} "
                       f"más cercano, en línea recta ({year}; {directory}), y el país."),
        index_head=(_PROVINCE.title, _UNIT.title, *head[:3], head[3 + at]),
        **_page_words(national, provinces, words, at, far, year, directory))


def no_cem_lead(national: Gap) -> str:
    """"El directorio no tiene ningún CEM. " before a national figure of distances, when it has none."""
    return "" if national.cems else f"{NO_CEM_AT_ALL}. "


def _page_words(national: Gap, provinces: Sequence[Gap], words, at: int, far: str, year: str, directory: str) -> dict:
    """The words of ``brechas.html`` (:class:`Brechas`' page fields)."""
    reached = sum(1 for p in provinces if p.beyond[at])
    share = national.shares[at]
    return {
        "header": Header(KICKER, f"{TITLE}, por {_PROVINCE.one}",
                         f"Mujeres por {CEM} y mujeres {far}, en línea recta ({year}; {directory})"),
        "aria_label": f"Mapa de las {_PROVINCE.many} del Perú: mujeres por {CEM} y mujeres {far}",
        "summary": no_cem_lead(national) + (
                    f"En el Perú, {number(national.beyond[at])} mujeres"
                    f"{'' if share is None else ' (' + percent(share) + ')'} viven {far}, en línea recta; "
                    f"{number(reached)} de las {number(len(provinces))} {_PROVINCE.many} tienen mujeres tan lejos."),
        "worst_title": f"{_PROVINCE.many_title} con más proporción de mujeres {far}",
        "table_caption": (f"Por {_PROVINCE.one}: mujeres ({year}), {CEM} ({directory}), mujeres por {CEM} y mujeres "
                          f"a más de {join_words(words)} del {CEM} más cercano, en línea recta. La última fila es "
                          "el país."),
        "units_caption": f"Por {_UNIT.one} (Lima Metropolitana es la {_PROVINCE.one} de Lima, 1501).",
        "tables_title": f"Tabla de las {number(len(provinces))} {_PROVINCE.many} y de los {_UNIT.many}",
    }


def _km(value: float) -> str:
    return number(int(value)) if float(value).is_integer() else decimal(value)


def _gap(area: "AreaAccess", cems: int, province: "Unit | None", at: int, far: str) -> Gap:
    """A province (``province``: its unit, for its name with accents and its department) or a department
    unit or Peru (``None``)."""
    name, department = (province.nombre, province.departamento) if province else (area.name, "")
    beyond = area.beyond[GROUP]
    shares = tuple(area.share(GROUP, i) for i in range(len(beyond)))
    per_cem = area.women / cems if cems else None
    cells = (*((name, department) if department else (name,)), number(area.women), number(cems),
             NO_CEM if per_cem is None else number(round(per_cem)),
             *(_count_share(n, s) for n, s in zip(beyond, shares)))
    where = f" ({department})" if department else ""
    line = (f"{number(area.women)} mujeres; {number(cems)} {CEM}; "
            f"{NO_CEM if per_cem is None else number(round(per_cem)) + ' mujeres por ' + CEM}; "
            f"{_count_share(beyond[at], shares[at])} {far}")
    return Gap(area.code, name, department, area.women, cems, per_cem, beyond, shares, cells, f"{name}{where}: {line}",
               line)


def _count_share(count: int, share: float | None) -> str:
    return number(count) if share is None else f"{number(count)} ({percent(share)})"


def _head(words: Sequence[str], year: str, directory: str) -> tuple[str, ...]:
    return (f"Mujeres ({year})", f"{CEM} ({directory})", f"Mujeres por {CEM}",
            *(f"A más de {w} de un {CEM}" for w in words))


def _table(words, year, directory, provinces, departments, national) -> tuple[tuple[Any, ...], ...]:
    header = ("nivel", "código", "nombre", DEPARTMENTS.noun.one, f"mujeres ({year})", f"{CEM} ({directory})",
              f"mujeres por {CEM}",
              *(h for w in words for h in (f"mujeres a más de {w} de un {CEM} (línea recta)",
                                           f"proporción a más de {w}")))
    levels = ((_PROVINCE.one, provinces), (_UNIT.one, departments), ("país", (national,)))
    return (header, *(_values(level, g) for level, gaps in levels for g in gaps))


def _values(level: str, g: Gap) -> tuple[Any, ...]:
    return (level, g.code, g.name, g.department, g.women, g.cems,
            "" if g.women_per_cem is None else round(g.women_per_cem, 1),
            *(v for n, s in zip(g.beyond, g.shares) for v in (n, "" if s is None else round(s, 4))))


def _layers(provinces: Sequence[Gap], at: int, far: str, year: str, directory: str) -> tuple[GapLayer, ...]:
    per_cem = _classes(PER_CEM_BREAKS, PER_CEM_PALETTE, True, lambda lo, hi: (
        f"menos de {number(hi)}" if lo is None else f"{number(lo)} o más" if hi is None
        else f"{number(lo)} a {number(hi)}"))
    shares = _classes(SHARE_BREAKS, DISTANCE_PALETTE, False, lambda lo, hi: (
        "ninguna" if lo is None else f"más del {_pct(lo)}" if hi is None
        else f"hasta {_pct(hi)}" if lo == 0 else f"{_pct(lo)} a {_pct(hi)}"))
    return (
        GapLayer("por_cem", f"Mujeres por {CEM}", Legend(
            f"Mujeres por {CEM} ({year}; {directory})", tuple(Swatch(label, color) for label, color, _ in per_cem)),
            tuple((p.code, _fill(p.women_per_cem, per_cem)) for p in provinces),
            tuple((p.code, NO_CEM if p.women_per_cem is None else f"{number(round(p.women_per_cem))} mujeres por {CEM}")
                  for p in provinces),
            missing=(missing := tuple(p.code for p in provinces if p.women_per_cem is None)),
            missing_swatch=Swatch(f"Sin {CEM}", NEUTRAL) if missing else None),
        GapLayer("lejos", f"Mujeres {far}", Legend(
            f"Proporción de mujeres {far} (línea recta)", tuple(Swatch(label, color) for label, color, _ in shares)),
            tuple((p.code, _fill(p.shares[at], shares)) for p in provinces),
            tuple((p.code, f"{_count_share(p.beyond[at], p.shares[at])} {far}") for p in provinces)),
    )


def _pct(share: float) -> str:
    return f"{number(round(100 * share))}\u00a0%"


Test = Callable[[float], bool]


def _classes(breaks: Sequence[float], palette: str, lower: bool, label) -> list[tuple[str, str, Test]]:
    """(label, colour, whether a value is in it) per class: below the first break, between breaks, above
    the last; ``lower``: a class holds its lower bound (else its upper one)."""
    bounds = list(zip([None, *breaks], [*breaks, None]))
    out = []
    for (lo, hi), color in zip(bounds, ramp(palette, len(bounds))):
        def holds(v: float, lo=lo, hi=hi) -> bool:
            above = lo is None or (v >= lo if lower else v > lo)
            return above and (hi is None or (v < hi if lower else v <= hi))
        out.append((label(lo, hi), color, holds))
    return out


def _fill(value: float | None, classes: list[tuple[str, str, Test]]) -> str:
    if value is None:
        return NEUTRAL
    return next(color for _, color, holds in classes if holds(value))
