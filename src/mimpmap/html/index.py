"""The index, ``index.html``: a card for every map (with its image and embed code), the files made for
reports (the PDF atlas and the mosaic), the data, and a table that sums up the services.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..availview import links as availability_links
from ..layout import ATLAS_HTML, ATLAS_PDF, DATA_FILES, MOSAIC, PEOPLE_CHART, thumbnail_file
from ..views.index import NO_FIGURES, SUMMARY_COLUMNS, Card
from ..views.report import report_files
from ..views.web import CDN_NOTE, EMBED_INDEX_NOTE, OFFLINE_NOTE
from . import assets, templates
from .base import RendererBase, data_file, service_href
from .embed import embed_snippet


class IndexPage(RendererBase):
    """The index part of :class:`~.pages.Renderer`."""

    def index(self, formats: Iterable[str] = ("html",), thumbnails: bool = False,
              exists: Callable[[str], bool] | None = None) -> str:
        """``index.html``: every map, with its image (``png``/``svg`` in ``formats``) and embed code.

        With ``thumbnails``, the cards show the small copies of the PNG maps (``miniaturas/``).
        ``exists(path)``, given, says which of those files there are (paths relative to the output
        folder): a card links only those, and falls back from the thumbnail to the PNG. The PDF atlas
        is linked when ``exists`` says it is there (without ``exists``, when ``pdf`` is in ``formats``),
        the mosaic like a map's images.
        """
        data = self._data_files()

        def card(c: Card) -> dict:
            href = f"{c.key}.html"
            images = self._images(c.key, tuple(formats), thumbnails, exists)
            csv = data[c.key] if exists is None or exists(data[c.key]) else None
            return {"key": c.key.rsplit("/", 1)[-1], "href": href, "title": c.title, "text": c.text,
                    "wide": c.wide, "thumb": images["thumb"], "files": {**images, "csv": csv},
                    "alt": f"Mapa: {c.title}", "embed": embed_snippet(href, c.title)}

        index = self.atlas.index
        sections = [{"id": s.id, "title": s.title, "subtitle": s.subtitle, "cards": [card(c) for c in s.cards]}
                    for s in index.sections]
        summary = [{**row.__dict__, "href": service_href(row.id)} for row in index.summary]
        return templates.render(
            templates.INDEX,
            page_title=index.page_title,
            description=index.description,
            head=templates.markup(assets.page_head()),
            header=templates.markup(self.page_header(index.header, nav=[])),
            lead=f"{index.lead} {CDN_NOTE if self.cdn else OFFLINE_NOTE}",
            sections=sections,
            summary=summary,
            people=index.people_column,
            columns=SUMMARY_COLUMNS,
            no_figures=NO_FIGURES,
            reports={**self._reports(tuple(formats), thumbnails, exists), "words": report_files(self.atlas)},
            footer=templates.markup(self.footer),
            embed_note=EMBED_INDEX_NOTE,
            centres=self._centres_link(exists),
            availability=self._availability(exists),
            brechas=self._brechas(exists, tuple(formats), thumbnails),
        )

    @staticmethod
    def _images(key: str, formats: tuple[str, ...], thumbnails: bool,
                exists: Callable[[str], bool] | None) -> dict:
        """A card's image files: the PNG and SVG that exist, and the thumbnail (else the PNG)."""
        def has(name: str) -> bool:
            return exists is None or exists(name)

        png = f"{key}.png" if "png" in formats and has(f"{key}.png") else None
        small = thumbnail_file(png) if png and thumbnails else None
        return {"png": png, "svg": f"{key}.svg" if "svg" in formats and has(f"{key}.svg") else None,
                "thumb": small if small and has(small) else png, "csv": None}

    def _data_files(self) -> dict[str, str]:
        """Each map's rows of the data (a CSV), by the map's key."""
        return {spec.key: data_file(spec) for spec in self.atlas.maps}

    @classmethod
    def _reports(cls, formats: tuple[str, ...], thumbnails: bool, exists: Callable[[str], bool] | None) -> dict:
        """The files for reports: the PDF atlas (``pdf``), the mosaic's images and the population
        charts' (``people``), those there are."""
        pdf = exists(ATLAS_PDF) if exists is not None else "pdf" in formats
        page = exists(ATLAS_HTML) if exists is not None else "html" in formats
        return {"pdf": ATLAS_PDF if pdf else None, "html": ATLAS_HTML if page else None,
                "mosaic": cls._images(MOSAIC, formats, thumbnails, exists),
                "people": cls._images(PEOPLE_CHART, formats, thumbnails, exists)}

    def _centres_link(self, exists: Callable[[str], bool] | None) -> dict | None:
        """The link to the centres' download (``datos/centros.csv``), when there is one."""
        name = DATA_FILES["centres"]
        if self.atlas.centres is None or (exists is not None and not exists(name)):
            return None
        link, text = self.atlas.centres.download
        return {"href": name, "link": link, "text": text}

    def _availability(self, exists: Callable[[str], bool] | None) -> dict | None:
        """The availability table and the links to its downloads that there are."""
        view = self.atlas.index.availability
        if view is None:
            return None
        links = [{"href": name, "text": text} for name, text in availability_links()
                 if exists is None or exists(name)]
        return {**view.__dict__, "links": links}

    def _brechas(self, exists: Callable[[str], bool] | None, formats: tuple[str, ...],
                 thumbnails: bool) -> dict | None:
        """The index's table of the provinces farthest from a CEM, the country's line, the links to the
        page and the download that there are, and a card for each map of the provinces with its images."""
        spec = self.atlas.index.brechas
        if spec is None:
            return None
        links = [{"href": name, "text": text} for name, text in spec.links if exists is None or exists(name)]
        maps = [{"title": c.title, "text": c.text, "alt": f"Mapa: {c.title}",
                 "files": self._images(c.key, formats, thumbnails, exists)} for c in self.atlas.index.gap_maps]
        return {"title": spec.index_title, "caption": spec.index_caption, "head": spec.index_head,
                "rows": [spec.index_cells(g) for g in spec.worst()], "total": spec.index_cells(spec.national),
                "notes": (spec.straight_line, spec.leaves_out, spec.points), "links": links, "maps": maps}

    def index_files(self, formats: tuple[str, ...], exists: Callable[[str], bool]) -> list[dict]:
        """The files the index links (what of the folder the index shows): the maps' images and rows of
        the data, the PDF atlas and the mosaic."""
        data = self._data_files()
        cards = [{**self._images(c.key, formats, True, exists), "csv": data[c.key] if exists(data[c.key]) else None}
                 for s in self.atlas.index.sections for c in s.cards]
        return cards + [self._reports(formats, True, exists), self._centres_link(exists),
                        self._brechas(exists, formats, True)]
