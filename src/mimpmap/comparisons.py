"""A figure's change between its first and last periods, in words: part of the description of the maps
(:mod:`mimpmap.views`), which every renderer draws as it is.

:func:`mimpmap.periods.changes` works out which comparisons are fair for a figure; here each becomes a
:class:`Change` that says what it compares, the fair one first: per month with service where months
without service are recorded, per month where the periods differ in length, the totals of people served
(never divided by months), and no percentage from a tiny base.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import periods
from .text import clean_label, decimal, join_words, number

if TYPE_CHECKING:  # pragma: no cover
    from .model import Figure, Service

#: The comparisons of a figure between its periods, as each is labelled.
OPEN_MONTHS = "Por mes con servicio"
CALENDAR_MONTHS = "Por mes del calendario"
PER_MONTH = "Por mes"
TOTALS = "Totales"
PEOPLE_TOTALS = "Personas en cada periodo"
SMALL_BASE_WORDS = "base muy pequeña"
PEOPLE_NOTE = ("Las cifras de personas atendidas no se dividen por meses: una persona atendida varios meses se "
               "cuenta una vez en el periodo.")


@dataclass(frozen=True)
class Change:
    """One comparison of a figure between its first and last periods, and what it compares."""

    label: str  #: "Por mes con servicio"
    numbers: str  #: "215,8 → 207,5 (−3,8 %)"
    says: str  #: "promedio de los meses en que el servicio funcionó (8 de los 12 meses de Año 2020; nota 2/)"

    @property
    def short(self) -> str:
        """"Por mes con servicio: 215,8 → 207,5 (−3,8 %)": for the static maps' box."""
        return f"{self.label}: {self.numbers}"

    @property
    def text(self) -> str:
        return f"{self.short}, {self.says}"


def signed_percent(value: float | None) -> str | None:
    """``+20,2 %``, ``−4,8 %``; ``None`` for no value."""
    if value is None:
        return None
    return ("+" if round(value, 1) > 0 else "") + decimal(value) + "\u00a0%"


def figure_change(service: "Service", fig: "Figure") -> dict:
    """The fields of a figure's change (``headline``, ``basis``, ``changes``: see
    :class:`mimpmap.views.marks.FigureRow`); none with a single period."""
    c = periods.changes(service, fig)
    if c is None:
        return {}
    lines = []
    if c.per_month_open:
        lines.append(Change(OPEN_MONTHS, _averages(c.per_month_open, c.small_base), _open_words(service)))
    if c.per_month:
        lines.append(Change(CALENDAR_MONTHS if c.per_month_open else PER_MONTH, _averages(c.per_month, c.small_base),
                            "contando también los meses sin servicio" if c.per_month_open else
                            f"promedio de cada periodo ({_lengths(c.months)})"))
    lines.append(Change(PEOPLE_TOTALS if c.people else TOTALS, _averages(c.total, c.small_base, number),
                        _totals_words(c)))
    if c.small_base:
        first = lines[0]
        lines[0] = Change(first.label, f"{first.numbers} ({SMALL_BASE_WORDS})",
                          f"{first.says}; sin porcentaje: la cifra de partida es {number(fig.values[0].value)} "
                          f"({clean_label(service.periods[0].label)})")
        return {"headline": first.numbers, "basis": SMALL_BASE_WORDS, "changes": tuple(lines)}
    if c.lead == "total" and not c.people and None in c.months:
        return {"changes": tuple(lines)}  # events over spans not known: not comparable
    lead = {"per_month_open": c.per_month_open, "per_month": c.per_month, "total": c.total}[c.lead]
    return {"headline": signed_percent(lead.percent), "basis": lines[0].label.lower(), "changes": tuple(lines)}


def change_note(service: "Service") -> str | None:
    """Under a service's figures: which periods are compared, and how."""
    if len(service.periods) < 2:
        return None
    first, last = (clean_label(p.label) for p in (service.periods[0], service.periods[-1]))
    found = [c for c in (periods.changes(service, f) for f in service.figures) if c]
    parts = [f"{last} frente a {first}."]
    if any(c.per_month for c in found):
        parts.append("Los periodos duran distinto: los sucesos (casos, consultas, actividades) se comparan por "
                     "mes, y los totales se dan aparte.")
    if any(c.per_month_open for c in found):
        parts.append(f"«{OPEN_MONTHS}» deja fuera los meses en que el servicio estuvo suspendido.")
    if any(c.people for c in found):
        parts.append(PEOPLE_NOTE)
    if any(c.small_base for c in found):
        parts.append(f"Sin porcentaje cuando la cifra de partida es menor que {periods.SMALL_BASE}: "
                     f"{SMALL_BASE_WORDS}.")
    return " ".join(parts)


def figure_numbers(service: "Service", fig: "Figure") -> dict:
    """A figure's change as numbers (``mimpmap list --json``): what it counts (``people`` served are
    not divided by months), the comparison to give first (``lead``), and each comparison; no
    percentage from a tiny base (``small_base``)."""
    c = periods.changes(service, fig)
    out: dict = {"unit": fig.unit}
    if c is None:
        return out
    out.update(people=c.people, small_base=c.small_base, lead=c.lead)
    for key, comparison in (("total", c.total), ("per_month", c.per_month), ("per_month_open", c.per_month_open)):
        if comparison is not None:
            percent = None if c.small_base or comparison.percent is None else round(comparison.percent, 4)
            out[key] = {"before": round(comparison.before, 4), "after": round(comparison.after, 4), "percent": percent}
    return out


def _averages(comparison, small_base: bool = False, show=decimal) -> str:
    """"525,9 → 500,9 (−4,8 %)": two values (monthly averages, or totals with ``show=number``) and
    their change, without it from a tiny base."""
    text = f"{show(comparison.before)} → {show(comparison.after)}"
    pct = None if small_base else signed_percent(comparison.percent)
    return text + (f" ({pct})" if pct else "")


def _open_words(service: "Service") -> str:
    """What a comparison per month open leaves out: "promedio de los meses en que el servicio funcionó
    (8 de los 12 meses de Año 2020; nota 2/)"."""
    closed = [p for p in service.periods if periods.closed(p)]
    parts = join_words(f"{number(periods.open_months(p))} de los {number(periods.length(p))} meses de "
                       f"{clean_label(p.label)}" + (f"; nota {p.note}" if p.note else "") for p in closed)
    return f"promedio de los meses en que el servicio funcionó ({parts})"


def _lengths(months) -> str:
    """"12 y 10 meses", "10 meses cada uno"."""
    first, last = months
    return f"{number(first)} meses cada uno" if first == last else f"{number(first)} y {number(last)} meses"


def _totals_words(c: periods.Changes) -> str:
    """What comparing two totals means for ``c``."""
    if c.people:
        return "sin dividir por meses" + ("" if None in c.months else f" (periodos de {_lengths(c.months)})")
    if None in c.months:
        return "no se sabe cuántos meses abarca cada periodo, así que pueden no ser comparables"
    if c.months[0] == c.months[1]:
        return f"de periodos de {_lengths(c.months)}"
    return f"de periodos de distinta duración ({_lengths(c.months)})"
