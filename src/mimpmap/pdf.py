"""The PDF atlas (``atlas.pdf``): every map of the atlas as one document for printing or attaching.

A cover, the choropleth, every service on one page (:mod:`mimpmap.mosaic`), the population the
services reach (:mod:`mimpmap.charts`), the table of services, the centres and women per CEM by
department (:mod:`mimpmap.availview`, with the centres and the census), then a page per service: its
map, description, figures of each period and their change, notes and source. Pages are numbered and
the PDF has bookmarks (an outline) for each part and each service.

Drawn with matplotlib's PDF backend (``PdfPages``), no browser: text stays text and DejaVu Sans is
embedded as a TrueType subset (``pdf.fonttype: 42``). matplotlib writes no outline, so pypdf adds it
afterwards. The bytes are deterministic: no creation date unless ``SOURCE_DATE_EPOCH`` is set, which
then also dates the cover ("Generado el ..."); without it, the cover names no build date, only the
periods of the data.
"""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterator

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from . import colors
from .formats import Output
from .layout import ATLAS_PDF
from .availview import AvailabilityView
from .views.atlas import Atlas
from .views.index import SUMMARY_COLUMNS, summary_cells
from .views.report import ATLAS_COVER, ATLAS_KICKER, ATLAS_SUMMARY, atlas_contents
from .views.service import ServiceMap
from .views.words import (CHANGE_COLUMN, FIGURE_COLUMN, built_on, centres_line, change_cell, figure_notes, page_number,
                          period_heading, source_line, value_cell)
from .charts import draw as draw_charts
from .mosaic import draw as draw_mosaic
from .mpl.typeset import DEFAULT_SIZE, PT, STYLE, Page, Size, lines_height, size_preset, stack, wrap
from .session import Session
from .static import StaticRenderer, province_maps, province_renderer
from .views import gapmaps

__all__ = ["ATLAS_FILE", "render_atlas", "outputs"]

ATLAS_FILE = ATLAS_PDF
#: Vector pages: the figure dpi only sizes raster parts (there are none); at 72 no full-page raster is kept per page.
_DPI = 72
#: Text kept as text, with the TrueType font embedded (Type 3 fonts are not searchable in every viewer).
PDF_STYLE = MappingProxyType({**STYLE, "pdf.fonttype": 42})
#: The table's columns, as fractions of the text width.
_COLUMNS = (0.27, 0.09, 0.27, 0.12, 0.25)
#: The availability table's: the unit, a count per kind of centre, the women, the women per CEM.
_AVAILABILITY_NAME, _AVAILABILITY_WOMEN = 0.22, 0.19


@dataclass(frozen=True)
class _Part:
    """A page to draw, and the bookmarks that point at it: (title, level), level 1 under the last 0."""

    draw: Callable[[Page], Figure]
    marks: tuple[tuple[str, int], ...] = ()


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's file of the ``pdf`` format: one atlas, drawn only when the build covers every map.
    Its key is the atlas and the directory's centres its service pages draw (which the atlas's own
    digest leaves out)."""
    if job.whole:
        renderer = StaticRenderer(atlas, job.session)  # prepares the geometry before the build forks its workers
        # The gaps' pages (atlas.brechas is left out of the atlas's digest): their maps, table and provinces.
        gaps = tuple(shows for _, shows in province_maps(atlas, job.session))
        gaps = gaps and (*gaps, gapmaps.table(atlas.brechas), atlas.brechas.sources)
        if gaps:
            province_renderer(atlas, job.session)  # projected before the build forks
        yield Output(ATLAS_FILE, lambda: _render(renderer, size_preset(job.size), source_epoch()),
                     (atlas, tuple(atlas.printed.values()), source_epoch(), gaps))


def source_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), when it is set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def render_atlas(atlas: Atlas, *, size: "str | Size" = DEFAULT_SIZE, epoch: int | None = None,
                 session: Session | None = None) -> bytes:
    """The atlas as PDF bytes, on the paper of ``size`` (A4 by default). ``epoch`` (seconds, UTC; by
    default ``SOURCE_DATE_EPOCH``) dates the cover and the file; without it neither is dated, and the
    same inputs give the same bytes. ``session``: a build's (see :class:`~mimpmap.session.Session`)."""
    epoch = source_epoch() if epoch is None else epoch
    return _render(StaticRenderer(atlas, session), size_preset(size), epoch)


def _render(renderer: StaticRenderer, size: Size, epoch: int | None) -> bytes:
    atlas = renderer.atlas
    page = Page.paper(size)
    parts = list(_parts(atlas, renderer, page, epoch))
    metadata = {
        "Title": atlas.title, "Author": atlas.publisher or "", "Subject": atlas.period, "Creator": "mimpmap",
        "CreationDate": None if epoch is None else datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc),
    }
    raw = io.BytesIO()
    with matplotlib.rc_context(PDF_STYLE), PdfPages(raw, metadata=metadata) as pdf:
        for n, part in enumerate(parts, start=1):
            fig = part.draw(page)
            if n > 1:
                _folio(fig, page, n, len(parts))
            pdf.savefig(fig)
    return _with_outline(raw.getvalue(), [(title, level, i) for i, p in enumerate(parts) for title, level in p.marks])


def _parts(atlas: Atlas, renderer: StaticRenderer, page: Page, epoch: int | None) -> Iterator[_Part]:
    yield _Part(lambda page: _cover(atlas, page, epoch), ((ATLAS_COVER, 0),))
    choropleth = atlas.choropleth
    yield _Part(lambda page: renderer.page(atlas.printed_map(choropleth), page, dpi=_DPI, lead=choropleth.lead),
                ((choropleth.header.title, 0),))
    spec = atlas.mosaic
    yield _Part(lambda page: draw_mosaic(renderer, spec, page, dpi=_DPI), ((spec.header.title, 0),))
    people = atlas.people_chart
    if people is not None:
        yield _Part(lambda page: draw_charts(people, page, dpi=_DPI), ((people.header.title, 0),))
    rows = [summary_cells(r) for r in atlas.index.summary]
    for i, chunk in enumerate(table_pages(rows, page)):
        yield _Part(lambda page, chunk=chunk: _table(atlas, chunk, page), ((ATLAS_SUMMARY, 0),) if i == 0 else ())
    if atlas.index.availability is not None:
        yield from _availability_parts(atlas.index.availability, page)
    gaps = gapmaps.printed_maps(atlas)
    if gaps:
        provinces = province_renderer(atlas, renderer.session)
        yield from _gaps_parts(atlas, provinces, gapmaps.full(atlas, gaps[0]), page)
        for other in gaps[1:]:  # women per CEM: the map alone, its sources in full
            yield _Part(lambda page, other=gapmaps.full(atlas, other): provinces.page(other, page, dpi=_DPI),
                        ((other.title, 0),))
    program = None
    for service in atlas.services:
        # Each program's bookmark opens its first service's page, and holds its services'.
        marks = ((service.program.short, 0),) if service.program.id != program else ()
        program = service.program.id
        yield _Part(lambda page, service=service: renderer.page(atlas.printed_map(service), page, dpi=_DPI, lead=service.description,
                                                                below=_figures(service, page, renderer.column(page))),
                    (*marks, (service.title, 1)))


def _with_outline(pdf: bytes, marks: list[tuple[str, int, int]]) -> bytes:
    """``pdf`` with bookmarks (title, level, page index) added by pypdf."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    parent = None
    for title, level, index in marks:
        item = writer.add_outline_item(title=title, page_number=index, parent=parent if level else None)
        if level == 0:
            parent = item
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _folio(fig: Figure, page: Page, n: int, total: int) -> None:
    """The running foot: the atlas's name on the left, the page number on the right."""
    x0, _, x1, _ = page.inner
    y = 0.45 * page.margin[3] / page.height
    style = {"fontsize": page.pt(PT["note"]), "color": "#666666", "va": "center", "parse_math": False}
    fig.text(x0 / page.width, y, ATLAS_KICKER, ha="left", **style)
    fig.text(x1 / page.width, y, page_number(n, total), ha="right", **style)


def _cover(atlas: Atlas, page: Page, epoch: int | None) -> Figure:
    fig = page.new(_DPI)
    x0, y0, x1, y1 = page.inner
    width = x1 - x0
    y = y1 - 0.15 * (y1 - y0)
    for items in (
        [(ATLAS_KICKER, PT["subtitle"] * 1.3, {"color": colors.COVERED, "fontweight": "bold"}),
         (atlas.title, PT["title"] * 1.7, {"color": colors.INK, "fontweight": "bold"}),
         (atlas.period, PT["subtitle"] * 1.4, {"color": "#333333"}),
         (atlas.publisher, PT["subtitle"] * 1.2, {"color": "#333333"})],
        [(f"•  {line}", PT["lead"] * 1.1, {"color": colors.INK}) for line in atlas_contents(atlas)],
        [(source_line(atlas.source), PT["source"] * 1.1, {"color": "#444444"}),
         (built_on(epoch), PT["source"] * 1.1, {"color": "#444444"})],
    ):
        y = stack(fig, page, x0, y, width, items, spacing=1.3, gap=0.12) - 0.3 * page.font
    FigureCanvasAgg(fig)
    return fig


def _cells(row, widths, size: float) -> list[str]:
    """A row's texts wrapped to their columns (``widths`` in inches)."""
    return [wrap(text, size, w - 0.1) for text, w in zip(row, widths)]


def _row_height(cells: list[str], size: float) -> float:
    return max(lines_height(c, size, 1.15) for c in cells) + 0.06


def _table_height(rows, widths, size: float) -> float:
    return sum(_row_height(_cells(r, widths, size), size) for r in rows)


def _draw_table(fig: Figure, page: Page, rows, widths, y: float, size: float, bold=()) -> float:
    """``rows`` (the first is the heading) as a table from ``y`` down (inches from the bottom), in
    columns ``widths`` inches wide; ``bold`` are the indexes of other rows in bold (a group's title).
    Returns where it ends."""
    x0 = page.inner[0]
    x1 = x0 + sum(widths)
    for i, row in enumerate(rows):
        cells = _cells(row, widths, size)
        h = _row_height(cells, size)
        if i % 2 == 0 and i:
            fig.patches.append(matplotlib.patches.Rectangle(
                (x0 / page.width, (y - h) / page.height), (x1 - x0) / page.width, h / page.height,
                transform=fig.transFigure, facecolor="#f2f5f8", edgecolor="none", zorder=0))
        x = x0
        for text, w in zip(cells, widths):
            fig.text((x + 0.05) / page.width, (y - 0.03) / page.height, text, fontsize=size, va="top", ha="left",
                     linespacing=1.15, color=colors.INK, parse_math=False,
                     fontweight="bold" if i == 0 or i in bold else "normal")
            x += w
        y -= h
        if i == 0:
            fig.add_artist(matplotlib.lines.Line2D([x0 / page.width, x1 / page.width], [y / page.height] * 2,
                                                   color="#666666", linewidth=0.8))
    return y


def table_pages(rows, page: Page) -> list[list[tuple[str, ...]]]:
    """The table of services split into pages, in pages of about the same length when it takes more
    than one (no page left with a row or two)."""
    size = page.pt(PT["box"])
    x0, y0, x1, y1 = page.inner
    widths = _columns(page)
    room = (y1 - y0) - _TABLE_TOP * page.font - _table_height([SUMMARY_COLUMNS], widths, size)
    heights = [_table_height([row], widths, size) for row in rows]

    def split(target: float) -> list[list[tuple[str, ...]]]:
        pages, current, used = [], [], 0.0
        for row, h in zip(rows, heights):
            if current and (used + h > room or used >= target):
                pages.append(current)
                current, used = [], 0.0
            current.append(row)
            used += h
        return pages + [current]

    pages = split(room)
    return split(sum(heights) / len(pages)) if len(pages) > 1 else pages


_TABLE_TOP = 0.7  # inches: the table's title and period


def _columns(page: Page) -> tuple[float, ...]:
    """The widths of the table of services' columns, in inches."""
    x0, _, x1, _ = page.inner
    return tuple(f * (x1 - x0) for f in _COLUMNS)


def _heading(page: Page, title: str, subtitle: str) -> tuple[Figure, float]:
    """A page with a table's ``title`` and ``subtitle`` (wrapped) at its top; and where they end (inches)."""
    fig = page.new(_DPI)
    x0, _, x1, y1 = page.inner
    size = page.pt(PT["title"])
    fig.text(x0 / page.width, y1 / page.height, title, fontsize=size, fontweight="bold", va="top",
             color=colors.INK, parse_math=False)
    return fig, stack(fig, page, x0, y1 - size * 1.4 / 72, x1 - x0, [(subtitle, PT["subtitle"], {"color": "#555555"})])


def _table(atlas: Atlas, rows, page: Page) -> Figure:
    """The table of services: name, program, coverage, centres, latest figure."""
    fig, _ = _heading(page, ATLAS_SUMMARY, atlas.period)
    y1 = page.inner[3]
    _draw_table(fig, page, [SUMMARY_COLUMNS, *rows], _columns(page), y1 - _TABLE_TOP * page.font, page.pt(PT["box"]))
    FigureCanvasAgg(fig)
    return fig


def _availability_parts(view: AvailabilityView, page: Page) -> Iterator[_Part]:
    """The availability table's page, and a page of its notes when they do not fit under it (a slide)."""
    x0, y0, x1, y1 = page.inner
    table = _availability_table(view, page)
    used = (page.pt(PT["title"]) * 1.4 / 72 + _paragraphs_height([view.caption], PT["subtitle"], x1 - x0, page)
            + 0.1 + _table_height(*table) + 0.12 + _paragraphs_height(view.notes, PT["note"], x1 - x0, page))
    fits = used <= y1 - y0
    yield _Part(lambda page: _availability(view, page, table, view.notes if fits else ()), ((view.title, 0),))
    if not fits:
        yield _Part(lambda page: _availability(view, page, None, view.notes))


def _availability_table(view: AvailabilityView, page: Page) -> tuple[list, tuple[float, ...], float]:
    """The rows (header, a row per unit, the total), the column widths (inches) and the size of the table."""
    width = page.inner[2] - page.inner[0]
    counts = len(view.head) - 3
    rest = (1 - _AVAILABILITY_NAME - 2 * _AVAILABILITY_WOMEN) / counts
    widths = tuple(f * width for f in (_AVAILABILITY_NAME, *[rest] * counts, *[_AVAILABILITY_WOMEN] * 2))
    return [view.head, *view.rows, view.total], widths, page.pt(PT["box"])


def _paragraphs_height(texts, points: float, width: float, page: Page) -> float:
    """The height :func:`stack` gives ``texts`` at ``points`` (before the page's scale) in ``width`` inches."""
    size = page.pt(points)
    return sum(lines_height(wrap(t, size, width), size, 1.25) + 0.06 * page.font for t in texts if t)


def _availability(view: AvailabilityView, page: Page, table, notes: tuple[str, ...]) -> Figure:
    """The centres of each kind, the women and the women per CEM by department as the index shows them
    (``table``: :func:`_availability_table`, the total in bold; ``None`` on the page of the notes alone),
    with the index's ``notes`` under it."""
    fig, y = _heading(page, view.title, view.caption if table else "")
    x0, _, x1, _ = page.inner
    if table:
        rows, widths, size = table
        y = _draw_table(fig, page, rows, widths, y - 0.1, size, bold={len(rows) - 1}) - 0.12
    stack(fig, page, x0, y, x1 - x0, [(note, PT["note"], {"color": "#444444"}) for note in notes])
    FigureCanvasAgg(fig)
    return fig


def _gaps_parts(atlas: Atlas, provinces: StaticRenderer, spec, page: Page) -> Iterator[_Part]:
    """Who is far from help: the province map (``provinces`` draws it) with, under it, the index's table
    of the provinces where the share of women far from a CEM is largest, Peru's line in bold; on a slide,
    whose words' column cannot hold the table under the legends, the table on a page of its own."""
    marks = ((atlas.brechas.title, 0),)
    if not page.landscape:
        below = _gaps_below(atlas, page, provinces.column(page))
        yield _Part(lambda page: provinces.page(spec, page, dpi=_DPI, below=below), marks)
        return
    yield _Part(lambda page: provinces.page(spec, page, dpi=_DPI), marks)
    yield _Part(lambda page: _gaps_table(atlas, page))


def _gaps_below(atlas: Atlas, page: Page, width: float) -> "tuple[float, Callable[[Figure, float], None]]":
    """The table under the map, ``width`` inches wide, with its caption: (height, draw) for
    :meth:`StaticRenderer.page`."""
    rows, title = gapmaps.table(atlas.brechas), atlas.brechas.index_caption
    size, title_size = page.pt(PT["box"]), page.pt(PT["legend"])
    widths = tuple(f * width for f in _GAP_COLUMNS)
    title = wrap(title, title_size, width, bold=True)
    height = 0.27 + lines_height(title, title_size, 1.25) + 0.05 + _table_height(rows, widths, size)

    def draw(fig: Figure, top: float) -> None:
        x0, y = page.inner[0], top - 0.12
        fig.text(x0 / page.width, y / page.height, title, fontsize=title_size, fontweight="bold", va="top",
                 linespacing=1.25, color=colors.INK, parse_math=False)
        _draw_table(fig, page, rows, widths, y - lines_height(title, title_size, 1.25) - 0.05, size,
                    bold={len(rows) - 1})

    return height, draw


def _gaps_table(atlas: Atlas, page: Page) -> Figure:
    """The table of :func:`_gaps_below` on a page of its own, under the index's title and caption, with
    the straight-line sentences under it."""
    gaps = atlas.brechas
    fig, y = _heading(page, gaps.index_title, gaps.index_caption)
    x0, _, x1, _ = page.inner
    rows = gapmaps.table(gaps)
    y = _draw_table(fig, page, rows, tuple(f * (x1 - x0) for f in _GAP_COLUMNS), y - 0.1, page.pt(PT["box"]),
                    bold={len(rows) - 1}) - 0.12
    stack(fig, page, x0, y, x1 - x0, [(note, PT["note"], {"color": "#444444"}) for note in gaps.notes])
    FigureCanvasAgg(fig)
    return fig


#: The gaps table's columns (fractions of the width): province, department, women, CEMs, women per CEM,
#: the women beyond the map's threshold.
_GAP_COLUMNS = (0.22, 0.17, 0.15, 0.15, 0.13, 0.18)


def _figures(service: ServiceMap, page: Page,
             width: float) -> "tuple[float, Callable[[Figure, float], None]] | None":
    """A service's centres and figures as a table ``width`` inches wide (the words' width) under its
    map: a column per period and the change, with the note on the change under it; (height, draw) for
    :meth:`StaticRenderer.page`."""
    if not service.figures and not service.centres:
        return None
    size = page.pt(PT["box"])
    both = len(service.periods) >= 2
    head = (FIGURE_COLUMN, *(period_heading(p) for p in service.periods), *((CHANGE_COLUMN,) if both else ()))
    periods = max(1, len(service.periods))
    widths = (0.55 if both else 0.4, *[(0.45 if both else 0.6) / periods] * len(service.periods),
              *((0.22,) if both else ()))
    widths = tuple(w / sum(widths) * width for w in widths)
    rows, bold = [head], set()
    for title, group in service.figure_groups:
        if title:
            bold.add(len(rows))
            rows.append((title,) + ("",) * (len(head) - 1))
        rows += [(r.unit, *(value_cell(v) for v in r.values), *((change_cell(r),) if both else ())) for r in group]
    lines = [(centres_line(service), page.pt(PT["legend"]))]
    notes = figure_notes(service)
    caption = notes and "\n".join(wrap(line, page.pt(PT["note"]), width) for line in notes.split("\n"))
    height = 0.27 + sum(lines_height(t, s, 1.25) + 0.05 for t, s in lines if t)
    if service.figures:
        height += _table_height(rows, widths, size) + (lines_height(caption, page.pt(PT["note"]), 1.25) + 0.06
                                                             if caption else 0)

    def draw(fig: Figure, top: float) -> None:
        x0, y = page.inner[0], top - 0.12
        for text, s in lines:
            if text:
                fig.text(x0 / page.width, y / page.height, text, fontsize=s, fontweight="bold", va="top",
                         color=colors.INK, parse_math=False)
                y -= lines_height(text, s, 1.25) + 0.05
        if service.figures:
            y = _draw_table(fig, page, rows, widths, y, size, bold)
            if caption:
                fig.text(x0 / page.width, (y - 0.04) / page.height, caption, fontsize=page.pt(PT["note"]), va="top",
                         color="#555555", linespacing=1.25, parse_math=False)

    return height, draw
