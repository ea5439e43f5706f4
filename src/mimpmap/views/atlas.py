"""The atlas: every map of one coverage, described once from the join (:func:`describe`).

:func:`describe` turns a :class:`~mimpmap.coverage.Coverage` into an :class:`Atlas`: the choropleth
(:mod:`.choropleth`), one :class:`~mimpmap.views.service.ServiceMap` per service (:mod:`.service`) and
the index (:mod:`.index`), each built from one shared, read-only :class:`~mimpmap.views.context.Context`.
The pages made for reports (:mod:`.report`) are derived from the atlas, once each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

from .. import centremaps
from ..coverage import Coverage
from ..model import find_service
from ..text import join_words, plural
from . import printed, report
from .choropleth import Choropleth
from .choropleth import describe as describe_choropleth
from .context import Context
from .index import Index
from .index import describe as describe_index
from .marks import Program
from .printed import PrintedMap
from .report import Mosaic, PeopleChart
from .service import ServiceMap
from .service import describe as describe_services
from .words import FOOTER_NOTE

if TYPE_CHECKING:  # pragma: no cover
    from ..centremaps import CentresView
    from .brechas import Brechas
    from ..geography import Boundaries
    from ..model import CoverageData
    from ..population import Population

__all__ = ["Atlas", "AtlasView", "describe"]


@dataclass(frozen=True)
class Atlas:
    """Every map of one coverage, and what they share."""

    title: str
    period: str
    source: str
    publisher: str | None
    #: The units' geometry, which every map shares (hashed apart by the build: see manifest.py).
    boundaries: "Boundaries" = field(metadata={"digest": False})
    programs: tuple[Program, ...]
    choropleth: Choropleth
    services: tuple[ServiceMap, ...]
    index: Index
    footer_note: str = FOOTER_NOTE
    #: Where the boundary file lacks units or does not split Lima (for the command line).
    warnings: tuple[str, ...] = field(default=())
    #: The title of the static maps' inset: its units as the file has them ("Lima Metropolitana y Callao").
    inset_title: str = ""
    #: The validated data and the population it was described from, for the data downloads
    #: (:mod:`mimpmap.tables`), which hash what they show themselves.
    data: "CoverageData | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    population: "Population | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    #: Where the centres are (:mod:`mimpmap.centremaps`), when a centres file is given: the outputs that
    #: draw them hash their own part of it.
    centres: "CentresView | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    #: Who is far from a CEM, per province (:mod:`mimpmap.views.brechas`), with the centres, the census
    #: and the district points: the outputs that show it hash it themselves.
    brechas: "Brechas | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    #: The provinces' boundaries (``--provincias``, read with the other inputs), which the province maps
    #: draw: the outputs that draw them hash them themselves.
    provinces: "Boundaries | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)

    def service(self, service_id: str) -> ServiceMap:
        """A service's map by its id, or by its short name in any case (``CAI``, ``ER``)."""
        return find_service(self.services, service_id)

    @property
    def maps(self) -> tuple["Choropleth | ServiceMap", ...]:
        return (self.choropleth, *self.services)

    @cached_property
    def mosaic(self) -> Mosaic:
        """The mosaic of every service (:func:`mimpmap.views.report.mosaic`), described once."""
        return report.mosaic(self)

    @cached_property
    def printed(self) -> Mapping[str, PrintedMap]:
        """Every map as printed (:mod:`mimpmap.views.printed`), by its key, described once."""
        return MappingProxyType({m.key: printed.describe(m, self) for m in self.maps})

    def printed_map(self, spec: "Choropleth | ServiceMap") -> PrintedMap:
        """``spec`` as printed: one of the atlas's maps, or a service described apart."""
        own = self.printed.get(spec.key)
        return own if own is not None and any(spec is m for m in self.maps) else printed.describe(spec, self)

    @cached_property
    def people_chart(self) -> PeopleChart | None:
        """The population charts (:func:`mimpmap.views.report.people_chart`), described once; ``None``
        without population figures."""
        return report.people_chart(self)


def describe(cov: Coverage) -> Atlas:
    """The description of every map of ``cov``."""
    return AtlasView(Context(cov)).atlas()


class AtlasView:
    """Builds the atlas: every view of one coverage, from one :class:`~mimpmap.views.context.Context`,
    and what the command line warns about the boundary file."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def atlas(self) -> Atlas:
        ctx = self.ctx
        file = ctx.cov.data.file
        services = describe_services(ctx)
        return Atlas(
            title=file.title,
            period=ctx.period,
            source=file.source,
            publisher=file.publisher,
            boundaries=ctx.cov.boundaries,
            programs=tuple(ctx.programs.values()),
            choropleth=describe_choropleth(ctx),
            services=services,
            index=describe_index(ctx, services),
            warnings=tuple(self.warnings(services)),
            inset_title=self.inset_title,
            data=ctx.cov.data,
            population=ctx.cov.population,
            centres=centremaps.describe(ctx.cov.centres, ctx.cov.data) if ctx.cov.centres else None,
            brechas=ctx.brechas,
            provinces=ctx.cov.provinces,
        )

    def warnings(self, services: tuple[ServiceMap, ...]):
        """What the boundary file lacks, which services that leaves unmapped, and partial coverage."""
        ctx = self.ctx
        for merge in ctx.merges():
            partial = [m for m in services if any(c == merge.code for c in m.partial_codes)]
            if partial:
                kinds = ", ".join(sorted({w for m in partial for w in m.partial_words}))
                core = ctx.level.unit(merge.core).nombre
                yield (f"el archivo de límites no separa {core}; "
                       f"{plural(len(partial), 'servicio se muestra', 'servicios se muestran')} como cobertura parcial "
                       f"de {merge.nombre} ({kinds}): {', '.join(m.id for m in partial)}")
        for code in ctx.cov.boundaries.missing:
            reached = [s.id for s in ctx.cov.services if code in ctx.cov.data.codes[s.id]]
            yield (f"el archivo de límites no tiene {ctx.level.unit(code).nombre} ({code}); servicios que lo "
                   f"alcanzan: {', '.join(reached) or 'ninguno'}")

    @cached_property
    def inset_title(self) -> str:
        """The inset's title: its units as the file has them ("Lima Metropolitana y Callao", or "Lima y
        Callao" when the file merges Lima)."""
        level, have = self.ctx.level, self.ctx.names
        names = []
        for code in level.inset:
            if code in have:
                names.append(have[code])
            else:
                names += [m.nombre for m in level.merges if code in m.members and m.code in have]
        return join_words(dict.fromkeys(names))
