"""Periods as spans of months, and figures compared between them.

The source compares a whole year with ten months: the raw change mostly measures the shorter period.
Here a figure that counts events (cases, calls, activities) becomes an average per month of its period
(per calendar month) and, where the data records months without service, per month open; a figure
that counts people served is compared as it is (:func:`counts_people`), and no percentage is given
from a base under :data:`SMALL_BASE`. Pure functions on numbers and on the model's periods; wording
and number formatting belong to :mod:`mimpmap.views` and :mod:`mimpmap.text`.

A month is written ``2020-01`` in the data and handled here as an index: ``year * 12 + month - 1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from .places import normalize

if TYPE_CHECKING:  # pragma: no cover
    from .model import Figure, Period, Service

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)
# Spanish month names by their first three letters ("set" is how some offices write "sep").
_NAMES = {name: i for i, name in enumerate(
    ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"], start=1)}
_NAMES["set"] = 9


def month_index(text: str) -> int:
    """``"2020-04"`` → its index. Raises :class:`ValueError` for anything that is not a month."""
    if not isinstance(text, str) or not _MONTH.match(text):
        raise ValueError(f"{text!r} no es un mes")
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(index: int) -> str:
    """An index back to ``"2020-04"``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def label_span(label: str) -> tuple[int, int] | None:
    """The months a label such as ``Año 2020``, ``Ene – Oct 2021`` or ``Mar - Dic 2020`` names, as
    (first, last) indexes; ``None`` for a label in another form."""
    words = normalize(label).split()
    if words and words[0] == "ano":
        words = words[1:]
    if len(words) == 1 and words[0].isdigit() and len(words[0]) == 4:
        year = int(words[0])
        return year * 12, year * 12 + 11
    if len(words) == 3 and words[2].isdigit() and len(words[2]) == 4:
        first, last = _NAMES.get(words[0][:3]), _NAMES.get(words[1][:3])
        if first and last:
            year = int(words[2])
            return year * 12 + first - 1, year * 12 + last - 1
    return None


# --- a period's length -------------------------------------------------------------------------

def span(period: "Period") -> tuple[int, int] | None:
    """(first, last) month indexes of a period whose ``from`` and ``to`` are given."""
    if period.start is None or period.end is None:
        return None
    return month_index(period.start), month_index(period.end)


def length(period: "Period") -> int | None:
    """How many calendar months a period lasts: its ``months``, or from ``from`` to ``to``."""
    if period.months is not None:
        return period.months
    months = span(period)
    return months[1] - months[0] + 1 if months else None


def closed(period: "Period") -> int:
    """How many months of the period had no service (0 when none are recorded)."""
    value = period.months_closed
    if value is None:
        return 0
    return value if isinstance(value, int) else len(value)


def open_months(period: "Period") -> int | None:
    total = length(period)
    return None if total is None else total - closed(period)


# --- checking a period ----------------------------------------------------------------------------

def span_problems(period: "Period") -> list[str]:
    """What is wrong with a period's months, in Spanish (the model adds where): ``to`` before
    ``from``, a span or a count its label contradicts, months without service outside the period,
    not tied to a footnote, or covering all of it."""
    if (period.start is None) != (period.end is None):
        return ["dé from y to juntos (p. ej. from: 2020-01, to: 2020-12), o solo months"]
    problems = []
    given = span(period)
    if given and given[0] > given[1]:
        return [f"to: {period.end} es anterior a from: {period.start}; corrija el orden de los meses"]
    named = label_span(period.label)
    if given and named and given != named:
        problems.append(f"la etiqueta '{period.label}' dice de {month_text(named[0])} a "
                        f"{month_text(named[1])}, pero from/to dicen de {period.start} a {period.end}")
    known = given or named
    if period.months is not None and known and period.months != known[1] - known[0] + 1:
        problems.append(f"months: {period.months} no coincide con los {known[1] - known[0] + 1} meses del periodo")
    problems += _closed_problems(period, known)
    return problems


def _closed_problems(period: "Period", known: tuple[int, int] | None) -> list[str]:
    listed = period.months_closed
    if listed is None:
        return []
    problems = [] if period.note else ["months_closed necesita la nota al pie que lo dice: añada note"]
    if isinstance(listed, list):
        indexes = [month_index(m) for m in listed]
        if len(set(indexes)) != len(indexes):
            problems.append("months_closed repite un mes")
        outside = [m for m, i in zip(listed, indexes) if known and not known[0] <= i <= known[1]]
        if outside:
            problems.append(f"months_closed: {', '.join(outside)} fuera del periodo "
                            f"({month_text(known[0])} a {month_text(known[1])})")
    total = length(period) or (known[1] - known[0] + 1 if known else None)
    if total is not None and closed(period) >= total:
        problems.append(f"months_closed: {closed(period)} meses cerrados de {total}; "
                        "un periodo sin ningún mes abierto no se puede comparar")
    return problems


# --- comparing per month ------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """A figure's first and last periods compared per month."""

    before: float  #: average per month in the first period
    after: float  #: average per month in the last period
    percent: float | None  #: change in percent; ``None`` when ``before`` is 0
    open_only: bool  #: averages over months open (months without service left out)


def per_month(before: int, before_months: int, after: int, after_months: int, open_only: bool = False
              ) -> Comparison:
    """Two totals over periods of different length, as averages per month and their change."""
    if before_months <= 0 or after_months <= 0:
        raise ValueError("a period needs at least one month")
    first, last = before / before_months, after / after_months
    percent = None if first == 0 else 100.0 * (last - first) / first
    return Comparison(first, last, percent, open_only)


def compare(service: "Service", figure: "Figure", open_only: bool = False) -> Comparison | None:
    """The figure's first and last values per month (calendar months, or months open). ``None``
    when there are fewer than two periods or a span is not known: then the periods may not be
    comparable, and no percentage should be given."""
    periods: Sequence[Period] = service.periods
    if len(periods) < 2 or len(figure.values) != len(periods):
        return None
    months = [(open_months if open_only else length)(p) for p in (periods[0], periods[-1])]
    if None in months:
        return None
    return per_month(figure.values[0].value, months[0], figure.values[-1].value, months[1], open_only)


def has_closures(service: "Service") -> bool:
    """Whether months without service are recorded for any period: then a comparison per month open
    is worth giving too (with the footnote of the period that records them)."""
    return any(closed(p) for p in service.periods)


# --- what a figure counts, and how it is compared ---------------------------------------------------

#: No percentage is given from a first value under this: from 4 to 727 is "+18 075 %", which says
#: nothing but that the base is tiny.
SMALL_BASE = 30
#: Words (folded, their beginnings) of a figure's unit that name people, and that name events. A unit
#: that names people and no event counts people served ("Usuarias/os atendidas/os", "Personas con
#: Discapacidad"); one that names an event counts events ("casos de usuarios", "Niñas, niños y
#: adolescentes adoptadas/os").
_PEOPLE = ("usuari", "persona", "nina", "nino", "adolescente")
_EVENTS = ("caso", "consulta", "actividad", "accion", "derivad", "ingresad", "adoptad", "sensibilizad")


def counts_people(unit: str) -> bool:
    """Whether a figure with this unit counts people served in each period rather than events. A
    person served for months counts once in the period, so such a total does not grow with the
    months (a stock, not a flow): it is not divided by them."""
    words = normalize(unit).split()
    return (any(w.startswith(_PEOPLE) for w in words)
            and not any(w.startswith(_EVENTS) for w in words))


@dataclass(frozen=True)
class Changes:
    """A figure's first and last periods compared every way that is fair for it. ``lead`` names the
    comparison to give first: per month open where months without service are recorded, else per
    month, else the totals (people served, equal or unknown lengths)."""

    people: bool  #: it counts people served: not divided by months
    small_base: bool  #: the first value is under :data:`SMALL_BASE`: no percentage
    total: Comparison  #: the two totals
    months: tuple[int | None, int | None]  #: each period's calendar months (``None``: not known)
    per_month: Comparison | None = None  #: per calendar month (events, periods of unequal length)
    per_month_open: Comparison | None = None  #: per month open (events, months closed recorded)

    @property
    def lead(self) -> str:
        return "per_month_open" if self.per_month_open else "per_month" if self.per_month else "total"


def changes(service: "Service", figure: "Figure") -> Changes | None:
    """How ``figure`` changed from the service's first period to its last; ``None`` with fewer than
    two periods."""
    periods: Sequence[Period] = service.periods
    if len(periods) < 2 or len(figure.values) != len(periods):
        return None
    first, last = figure.values[0].value, figure.values[-1].value
    months = (length(periods[0]), length(periods[-1]))
    people = counts_people(figure.unit)
    monthly = None if people else compare(service, figure)
    open_ = compare(service, figure, open_only=True) if monthly and has_closures(service) else None
    if open_ is None and months[0] == months[1]:
        monthly = None  # as long as each other: per month says what the totals say
    return Changes(people, first < SMALL_BASE, per_month(first, 1, last, 1), months, monthly, open_)
