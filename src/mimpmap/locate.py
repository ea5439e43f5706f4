"""Where a problem is in an input document, in the file's own words, and a value as a message quotes it.

A reader's :class:`~mimpmap.readers.Locator` gives the file's place ("línea 12", "hoja 'servicios', fila 3,
columna 'cobertura'"); :func:`head` adds the part of the document ("servicio 'cai', coverage n.º 2"). The
coverage file's checks (:mod:`mimpmap.model`) use them for every message.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .readers import Locator


def show(value: Any, width: int = 60) -> str:
    """A value as a message quotes it: its repr, cut short; a huge number by its size."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = int(value.bit_length() * 0.30103) + 1  # str() refuses past 4300 digits
        return f"un número de unas {digits} cifras"
    try:
        text = value.isoformat() if isinstance(value, (date, datetime)) else repr(value)
    except RecursionError:  # nesting deeper than the readers allow, from data built in code
        return "un valor muy anidado"
    return text if len(text) <= width else text[: width - 1] + "…"


def where(doc: Any, loc: tuple, spell: bool = True) -> str:
    """"servicio 'cai', coverage n.º 2" for a location in the document, naming the entry by its id and
    an item of a list by its place, counted from 1 as a reader counts the dashes (a key of a mapping is
    named as it is written, number or not); without ``spell``, only the entry (a spreadsheet's cell
    already names the part, in the sheet's words)."""
    parts: list[str] = []
    node = doc
    rows = doc.get(loc[0]) if len(loc) >= 2 and isinstance(doc, dict) else None
    if loc[:1] in (("services",), ("programs",)) and isinstance(rows, list) and _is_index(loc[1]):
        kind = "servicio" if loc[0] == "services" else "programa"
        node = rows[loc[1]] if 0 <= loc[1] < len(rows) else None
        ident = node.get("id") if isinstance(node, dict) and isinstance(node.get("id"), str) else None
        parts.append(f"{kind} {show(ident)}" if ident else numbered(loc[0], loc[1]) if spell else "")
        loc = loc[2:]
    if spell:
        parts += _spelled(node, loc)
    parts = [part for part in parts if part]
    return ", ".join(parts) if parts or not spell else "el archivo"


def numbered(key: str, index: int) -> str:
    """``figures n.º 2`` for the item at ``index`` (from 0) of the list ``key``."""
    return f"{key} n.º {index + 1}".lstrip()


def _spelled(node: Any, loc: tuple) -> list[str]:
    """``["figures n.º 1", "values n.º 2"]`` for ``("figures", 0, "values", 1)``, following ``node`` (the
    document's part ``loc`` starts from) to tell an item of a list from a mapping's key ``0``."""
    words: list[str] = []
    for key in loc:
        if _is_index(key) and not isinstance(node, dict):
            words[-1:] = [numbered(words[-1] if words else "", key)]
            node = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
        else:
            words.append(_key(key))
            node = node.get(key) if isinstance(node, dict) else None
    return words


def _is_index(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool)


def head(doc: Any, loc: tuple, locator: Locator, at: tuple | None = None) -> str:
    """Where a problem is: the file's place for ``at`` (``loc`` unless given) and the part of the document
    (:func:`where`), in the file's words: "línea 12: servicio 'cai', coverage n.º 2", "hoja 'servicios', fila 3,
    columna 'cobertura': servicio 'cai'"."""
    parts = (locator.where(loc if at is None else at), where(doc, loc, locator.spells_path))
    return ": ".join(p for p in parts if p) or "el archivo"


def _key(key: Any) -> str:
    """A mapping key as a path shows it: ``coverage``, not ``'coverage'``."""
    return show(key)[1:-1] if isinstance(key, str) else show(key)


# Names pydantic adds to a location for the branches of a union or a validator: not part of the file.
_BRANCH = re.compile(r"^(?:list|union|literal|tuple|function-(?:before|after|wrap))\[|^(?:str|int|constrained-str|function-(?:before|after|wrap))$")


def clean_loc(loc: tuple) -> tuple:
    return tuple(k for k in loc if not (isinstance(k, str) and _BRANCH.match(k)))


def at_place(locator: Locator, loc: tuple) -> str:
    """"línea 12: " for the deepest part of ``loc`` the file has."""
    where = locator.where(loc)
    return f"{where}: " if where else ""
