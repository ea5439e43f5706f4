"""The read-only context every view of one coverage is built from (:class:`Context`)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .. import availview
from ..coverage import FULL, PARTIAL, Coverage
from ..text import number, period_summary, plural
from .marks import People, Program
from .words import coverage_words, percent

if TYPE_CHECKING:  # pragma: no cover
    from ..availview import AvailabilityView
    from .brechas import Brechas
    from ..model import Service

__all__ = ["Context"]


class Context:
    """What the views of one coverage share, worked out once and only read by them: the coverage, its
    level and population, each service's status per unit and the words several views say alike."""

    def __init__(self, cov: Coverage):
        self.cov = cov
        self.status = cov.status.to_dict()  # service id → {unit code: FULL, PARTIAL or NONE}
        self.names: dict[str, str] = cov.units["nombre"].to_dict()

    @property
    def level(self):
        """The geographic level of the map units (its names, its merges, its inset)."""
        return self.cov.boundaries.level

    def merges(self):
        """The level's merges the boundary file draws as one unit (Lima when it is not split)."""
        merged = set(self.cov.boundaries.merged)
        return [m for m in self.level.merges if m.code in merged]

    @cached_property
    def period(self) -> str:
        return period_summary([p.label for p in s.periods] for s in self.cov.services)

    @cached_property
    def programs(self) -> dict[str, Program]:
        return {p.id: Program(p.id, p.short_name, p.name, p.description) for p in self.cov.programs}

    def codes(self, service: "Service", *statuses: str) -> list[str]:
        return [code for code, st in self.status[service.id].items() if st in statuses]

    @cached_property
    def partial_words(self) -> dict[tuple[str, str], str]:
        """(unit code, service id) → "solo Lima Metropolitana" for every partly reached unit."""
        out = {}
        members = self.cov.units["members"].to_dict()
        for service in self.cov.services:
            covered = set(self.cov.data.codes[service.id])
            for code in self.codes(service, PARTIAL):
                out[(code, service.id)] = self.level.partial_words([m for m in members[code] if m in covered])
        return out

    def coverage_words(self, service: "Service") -> str:
        return coverage_words(service.national, self.cov.data.codes[service.id])

    @cached_property
    def unit_people(self) -> dict[str, int] | None:
        people = self.cov.unit_population()
        return None if people is None else {code: int(n) for code, n in people.items()}

    def people(self, service: "Service") -> People | None:
        reach = self.cov.reach(service.id)
        if reach is None:
            return None
        year = self.cov.population.year
        share = percent(reach.share)
        if service.national:
            sentence_ = f"Llega a todo el país: {number(reach.reached)} personas según el censo de {year}."
        else:
            noun = self.level.noun
            sentence_ = (f"Llega a {noun.many} donde viven {number(reach.reached)} personas, el {share} de la "
                         f"población censada en {year}; en {noun.the_others} viven {number(reach.not_reached)}.")
        return People(reach.reached, reach.not_reached, reach.share, year, sentence_,
                      f"Población de sus {self.level.noun.many}: {number(reach.reached)} ({share}, censo {year})",
                      f"{number(reach.reached)} ({share})")

    @cached_property
    def availability(self) -> "AvailabilityView | None":
        """Centres, women and women per CEM by department (:mod:`mimpmap.availview`), worked out once for
        the index and the choropleth's popups; ``None`` without the centres or the census."""
        return availview.of_coverage(self.cov)

    @cached_property
    def brechas(self) -> "Brechas | None":
        """Who is far from a CEM, per province (:mod:`mimpmap.views.brechas`): the straight-line distances
        computed once per build; ``None`` without the centres, the census or the district points."""
        from .brechas import of_coverage

        return of_coverage(self.cov)

    @cached_property
    def availability_lines(self) -> dict[str, str]:
        """Map unit code → its popup's line on availability (none for units the table does not have)."""
        return {} if self.availability is None else dict(self.availability.popups)

    def people_words(self, code: str) -> dict:
        """A unit's ``people`` and ``people_tip`` (nothing without population figures)."""
        if self.unit_people is None:
            return {}
        n = number(self.unit_people[code])
        return {"people": n, "people_tip": f"{n} habitantes (censo {self.cov.population.year})"}

    @cached_property
    def people_column(self) -> str | None:
        """The heading of the population column of the tables under the maps."""
        return None if self.cov.population is None else f"Población (censo {self.cov.population.year})"

    def coverage_line(self, service: "Service") -> str:
        """A header's line: the places by name while they are few, else how many."""
        reached = len(self.codes(service, FULL, PARTIAL))
        if service.national or reached <= 6:
            return "Cobertura: " + self.coverage_words(service)
        return f"Cobertura: {number(reached)} de {plural(len(self.names), self.level.noun.one, self.level.noun.many)}"
