"""Spanish wording shared by every renderer: numbers, plurals, lists and period summaries.

The HTML pages and the static PNG/SVG maps both write through here, so they say the same thing the
same way ("114 495", "+20,2 %", "Año 2019 o 2020, y enero–octubre 2021").
"""

from __future__ import annotations

import re
from typing import Iterable

NBSP = "\u00a0"
MINUS = "\u2212"


def number(value: int) -> str:
    """An integer the Spanish way: ``1726``, ``114 495`` (a no-break space groups numbers of five
    digits or more, as the RAE recommends), ``−12``."""
    sign = MINUS if value < 0 else ""
    digits = str(abs(int(value)))
    if len(digits) > 4:
        groups = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = NBSP.join(groups)
    return sign + digits


def decimal(value: float, places: int = 1) -> str:
    """``20,2``, ``18 075,0``: a decimal comma, and the integer part grouped as :func:`number` does."""
    whole, _, fraction = f"{abs(value):.{places}f}".partition(".")
    text = number(int(whole)) + ("," + fraction if fraction else "")
    negative = value < 0 and float(f"{abs(value):.{places}f}") != 0
    return (MINUS if negative else "") + text


def sentence(text: str) -> str:
    """A label as the start of a line: ``casos de usuarios`` → ``Casos de usuarios``."""
    return text[:1].upper() + text[1:]


def plural(count: int, one: str, many: str) -> str:
    """``1 servicio``, ``3 servicios``."""
    return f"{number(count)} {one if count == 1 else many}"


#: What spreadsheets take as the start of a formula (OWASP's list for CSV injection): a text cell that
#: begins with one of these is evaluated by Excel or LibreOffice when the file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take the text cell ``text`` for a formula: it begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number (``-12`` is one)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text)


def join_words(items: Iterable[str], last: str = "y") -> str:
    """``a, b y c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# --- suggestions ("¿quiso decir ...?") ---------------------------------------------------------------

def edit_distance(a: str, b: str) -> int:
    """How many edits turn ``a`` into ``b``: a letter inserted, deleted or replaced, or two neighbours
    swapped (optimal string alignment): ``cia`` → ``cai`` is one edit, ``cia`` → ``can`` two."""
    previous, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if before is not None and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def closest(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The ``n`` choices nearest to ``word``, nearest first, for "¿quiso decir ...?" (the names given
    as they are: callers fold case and accents first).

    A choice is near when few edits (:func:`edit_distance`, a swap of two letters being one) turn one
    into the other: at most ``1 - cutoff`` of the longer's letters. Nearer means fewer edits (then the
    order given). difflib's likeness, used before, put ``can`` (two changes) before ``cai`` (one swap)
    for ``cia``, and called ``can`` near ``cia`` at all."""
    ranked = []
    for index, choice in enumerate(dict.fromkeys(choices)):
        edits = edit_distance(word, choice)
        if edits <= (1 - cutoff) * max(len(word), len(choice)):
            ranked.append((edits, index, choice))
    return [choice for *_, choice in sorted(ranked)[:n]]


# --- periods -----------------------------------------------------------------------------------

_MONTHS = {
    "ene": "enero", "feb": "febrero", "mar": "marzo", "abr": "abril", "may": "mayo", "jun": "junio",
    "jul": "julio", "ago": "agosto", "set": "septiembre", "sep": "septiembre", "oct": "octubre",
    "nov": "noviembre", "dic": "diciembre",
}
_YEAR = re.compile(r"^(?:año\s+)?(\d{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^([a-záéíóú]{3})[a-záéíóú.]*\s*[-–—]\s*([a-záéíóú]{3})[a-záéíóú.]*\s+(\d{4})$", re.IGNORECASE)


def clean_label(label: str) -> str:
    """A period label with its dash normalised: ``Ene - Oct 2021`` → ``Ene – Oct 2021``."""
    return re.sub(r"\s*[-–—]\s*", " – ", label.strip())


def _period_parts(label: str) -> tuple[str, str] | None:
    """(kind, text) of a label: ("year", "2020") or ("range", "enero–octubre 2021")."""
    text = label.strip()
    m = _YEAR.match(text)
    if m:
        return "year", m.group(1)
    m = _RANGE.match(text)
    if m and m.group(1).lower() in _MONTHS and m.group(2).lower() in _MONTHS:
        first, last = _MONTHS[m.group(1).lower()], _MONTHS[m.group(2).lower()]
        if (first, last) == ("enero", "diciembre"):
            return "year", m.group(3)
        return "range", f"{first}–{last} {m.group(3)}"
    return None


def _summarise(labels: list[str]) -> str:
    years: list[str] = []
    other: list[str] = []
    for label in labels:
        parts = _period_parts(label)
        if parts is None:
            other.append(clean_label(label))
        elif parts[0] == "year":
            years.append(parts[1])
        else:
            other.append(parts[1])
    out = []
    if years:
        out.append("año " + join_words(sorted(set(years)), "o"))
    out.extend(dict.fromkeys(other))
    return join_words(out, "o")


def period_summary(period_lists: Iterable[list[str]]) -> str:
    """The periods of a set of services in a few words, e.g. ``Año 2019 o 2020, y enero–octubre 2021``
    (some services' first period is 2019, others' 2020).

    The first periods of all services are summarised together, and so are the last ones. A range
    that lies within a year already named (``Mar - Dic 2020`` next to ``Año 2020``) adds nothing.
    """
    firsts: list[str] = []
    lasts: list[str] = []
    for labels in period_lists:
        if not labels:
            continue
        firsts.append(labels[0])
        if len(labels) > 1:
            lasts.append(labels[-1])
    if not firsts:
        return ""

    def within_years(labels: list[str]) -> list[str]:
        years = {p[1] for p in map(_period_parts, labels) if p and p[0] == "year"}
        kept = []
        for label in labels:
            parts = _period_parts(label)
            if parts and parts[0] == "range" and parts[1][-4:] in years:
                continue
            kept.append(label)
        return kept

    text = _summarise(within_years(firsts))
    if lasts:
        text += (", y " if " o " in text else " y ") + _summarise(within_years(lasts))
    return text[:1].upper() + text[1:]
