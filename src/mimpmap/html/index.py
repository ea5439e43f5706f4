"""The index, ``index.html``: a card for every map (with its image and embed code) and a table that
sums up the services.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..model import Service
from ..layout import CHOROPLETH_TITLE, thumbnail_file
from ..text import number, plural
from . import assets, templates
from .base import CHOROPLETH_HREF, SERVICES_DIR, RendererBase, service_href
from .embed import embed_snippet


class IndexPage(RendererBase):
    """The index part of :class:`~.pages.Renderer`."""

    def index(self, formats: Iterable[str] = ("html",), thumbnails: bool = False,
              exists: Callable[[str], bool] | None = None) -> str:
        """``index.html``: every map, with its image (``png``/``svg`` in ``formats``) and embed code.

        With ``thumbnails``, the cards show the small copies of the PNG maps (``miniaturas/``).
        ``exists(path)``, given, says which of those files there are (paths relative to the output
        folder): a card links only those, and falls back from the thumbnail to the PNG.
        """
        formats = tuple(formats)

        def has(name: str) -> bool:
            return exists is None or exists(name)

        def files(base: str) -> dict:
            png = f"{base}.png" if "png" in formats and has(f"{base}.png") else None
            small = thumbnail_file(f"{base}.png") if png and thumbnails else None
            return {
                "png": png,
                "svg": f"{base}.svg" if "svg" in formats and has(f"{base}.svg") else None,
                "thumb": small if small and has(small) else png,
            }

        cov = self.cov
        file = cov.data.file

        def card(key: str, href: str, title: str, text: str, base: str, wide: bool = False) -> dict:
            return {
                "key": key,
                "href": href,
                "title": title,
                "text": text,
                "wide": wide,
                **files(base),
                "alt": f"Mapa: {title}",
                "embed": embed_snippet(href, title),
            }

        sections = [{
            "id": "mapa-general",
            "title": "Mapa general",
            "subtitle": None,
            "cards": [card(
                "cobertura", CHOROPLETH_HREF, CHOROPLETH_TITLE,
                f"Cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} llegan a cada departamento, "
                "con una capa por servicio para compararlos.",
                "cobertura", wide=True,
            )],
        }]
        for program in self.programs:
            services = [s for s in cov.services if s.program == program.id]
            if not services:
                continue
            sections.append({
                "id": f"programa-{program.id}",
                "title": program.short_name,
                "subtitle": program.name,
                "cards": [card(
                    s.id, service_href(s.id), s.title,
                    self._coverage_line(s) + ".", f"{SERVICES_DIR}/{s.id}",
                ) for s in services],
            })
        offline = ("Cada mapa es una página independiente: se abre sin conexión a internet." if not self.cdn
                   else "Los mapas cargan la biblioteca Leaflet desde internet.")
        header = self._header(kicker="MIMP · Mapas de cobertura", title=file.title, sub=self.period, nav=[])
        return templates.render(
            templates.INDEX,
            page_title="Mapas de cobertura de los servicios del MIMP",
            description=f"{file.title}. {self.period}.",
            head=templates.markup(assets.page_head()),
            header=templates.markup(header),
            lead=(f"{plural(len(cov.services), 'servicio', 'servicios')} de "
                  f"{plural(len(self.programs), 'programa', 'programas')} del MIMP, departamento por departamento. "
                  + offline),
            sections=sections,
            summary=[self._summary_row(s) for s in cov.services],
            footer=templates.markup(self.footer),
        )

    def _summary_row(self, service: Service) -> dict:
        """A row of the index's summary table: the latest value of the service's first figure."""
        centres = service.centres
        row = {
            "href": service_href(service.id),
            "name": service.title,
            "program": self.cov.program_of(service).short_name,
            "coverage": self.cov.coverage_words(service),
            "centres": f"{number(centres.total)} {centres.label}" if centres else "—",
            "latest": None,
        }
        if service.figures and service.periods:
            figure = service.figures[0]
            row.update(latest=number(figure.values[-1].value), unit=figure.unit.lower(),
                       period=service.periods[-1].label)
        return row
