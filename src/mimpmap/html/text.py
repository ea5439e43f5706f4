"""Text for pages: escaping for HTML and JavaScript, Spanish numbers, plurals and period summaries.

Text from the coverage file is data. It reaches a page in one of two ways only:

* through :func:`esc` (or an autoescaping template) into HTML, or
* through :func:`js_json` into a ``<script>``, where the page's own JavaScript puts it into the DOM with
  ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterable

NBSP = "\u00a0"
MINUS = "\u2212"

_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_UNSAFE_RE = re.compile("[<>&'\u2028\u2029]")


def esc(text: Any) -> str:
    """``text`` as HTML text or attribute value: ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def js_json(value: Any) -> str:
    """``value`` as a JavaScript literal that is safe anywhere inside a ``<script>`` element.

    ``</script>``, ``<!--`` and the like cannot appear: every ``<``, ``>``, ``&`` (and ``'``, U+2028,
    U+2029) is written as a ``\\uXXXX`` escape, which JavaScript reads back as the same character.
    """
    return script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def script_safe(json_text: str) -> str:
    """JSON text made safe inside ``<script>`` as :func:`js_json` does (for JSON serialised elsewhere)."""
    return _JS_UNSAFE_RE.sub(lambda m: _JS_UNSAFE[m.group()], json_text)


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
    """``20,2``: a decimal comma."""
    text = f"{abs(value):.{places}f}".replace(".", ",")
    return (MINUS if value < 0 and float(text.replace(",", ".")) != 0 else "") + text


def change(before: int, after: int) -> tuple[str, str | None]:
    """The change between two values: (``+349``, ``+20,2 %``); the percentage is ``None`` from 0."""
    diff = after - before
    absolute = ("+" if diff > 0 else "") + number(diff)
    if before == 0:
        return absolute, None
    pct = 100.0 * diff / before
    sign = "+" if diff > 0 else ""
    return absolute, f"{sign}{decimal(pct)}{NBSP}%"


def plural(count: int, one: str, many: str) -> str:
    """``1 servicio``, ``3 servicios``."""
    return f"{number(count)} {one if count == 1 else many}"


def join_words(items: Iterable[str], last: str = "y") -> str:
    """``a, b y c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


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
        out.append("año " + "/".join(sorted(set(years))))
    out.extend(dict.fromkeys(other))
    return " / ".join(out)


def period_summary(period_lists: Iterable[list[str]]) -> str:
    """The periods of a set of services in a few words, e.g. ``Año 2019/2020 y enero–octubre 2021``.

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
        text += " y " + _summarise(within_years(lasts))
    return text[:1].upper() + text[1:]
