"""Names and codes → the units of a geographic level; "did you mean" for the rest.

:func:`resolve` turns what a person writes ("Cuzco", "ANCASH", "Región Lima", "PE-CUS", "08") into the
codes of the units it means, in a :class:`~mimpmap.levels.Level` (the departments unless told).
"Lima" alone is the whole department (both Lima units). The units, their names and the Lima rules
are the level's (:mod:`mimpmap.levels`); the module names below (``UNITS``, ``ALL_CODES``...) are the
department level's, kept for the callers that use them.
"""

from __future__ import annotations

import re

from .errors import UnknownPlaceError
from .levels import DEPARTMENTS, LIMA, Level, Unit, normalize
from .text import closest

__all__ = ["Unit", "UNITS", "UNIT_BY_ISO", "ALL_CODES", "LIMA_CODES", "LIMA_DEPARTMENT", "normalize",
           "known_names", "suggest", "lookup", "resolve", "describe", "named_units", "NATIONAL"]

# The department level under the names callers used before levels were objects.
UNITS: tuple[Unit, ...] = DEPARTMENTS.units
UNIT_BY_ISO: dict[str, Unit] = DEPARTMENTS.by_code
ALL_CODES: tuple[str, ...] = DEPARTMENTS.codes
LIMA_CODES: tuple[str, ...] = LIMA.members
#: The code a 25-unit file (Lima not split) uses for the whole Lima department.
LIMA_DEPARTMENT = LIMA.code

#: The ways of writing "the whole country" instead of a list of departments (normalized).
NATIONAL = {"nacional", "a nivel nacional", "todo el pais", "en todo el pais"}

# Words around a name that do not change which place it is.
_PREFIX = re.compile(
    r"^(?:en |el departamento de |departamento de |depto\.? de |dpto\.? de |region |gobierno regional de "
    r"|gore )"
)


def known_names(level: Level = DEPARTMENTS) -> list[str]:
    """The names a suggestion may offer: each unit's own name, plus "Lima" (the department)."""
    return level.known_names()


def _strip_prefix(key: str) -> str:
    previous = None
    while previous != key:
        previous = key
        key = _PREFIX.sub("", key)
    return key


def suggest(value: str, n: int = 2, level: Level = DEPARTMENTS) -> list[str]:
    """The closest known names to ``value`` (for "¿quiso decir ...?")."""
    key = _strip_prefix(normalize(value))
    by_key = {normalize(name): name for name in level.known_names()}
    for names in level.aliases.values():
        for name in names:
            by_key.setdefault(normalize(name), name)
    matches = closest(key, by_key, n=n * 2)
    out: list[str] = []
    for match in matches:
        name = level.name_of(level.index[match])  # the official name of the unit an alias points at
        if name not in out:
            out.append(name)
    return out[:n]


def _ubigeo(digits: str, level: Level) -> tuple[str, ...] | None:
    """A UBIGEO of the level, bare or padded with zeros ("08", "0800", "080000"; "1501", "150100").

    Other runs of digits (areas, years, district codes) name nothing.
    """
    if len(digits) in (1, 5):  # a code stored as a number loses its leading zero: 8, 80000
        digits = "0" + digits
    if len(digits) not in (2, 4, 6):
        return None
    index = level.index
    for padding in ("", "00", "0000"):
        if digits.endswith(padding):
            code = digits[: len(digits) - len(padding)]
            if len(code) >= 2 and code.isdigit() and code in index:
                return index[code]
    return None


def lookup(value: str | int, level: Level = DEPARTMENTS) -> tuple[str, ...] | None:
    """The unit codes ``value`` names, or ``None``. Never raises."""
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    if text.isdigit():
        return _ubigeo(text, level)
    key = normalize(text)
    index = level.index
    if key in index:
        return index[key]
    stripped = _strip_prefix(key)
    return index.get(stripped)


def resolve(value: str | int, level: Level = DEPARTMENTS) -> tuple[str, ...]:
    """The unit codes ``value`` names. Raises :class:`UnknownPlaceError` with suggestions."""
    codes = lookup(value, level)
    if codes is None:
        raise UnknownPlaceError(str(value), suggest(str(value), level=level))
    return codes


def describe(codes, level: Level = DEPARTMENTS) -> str:
    """Codes in Spanish words: "A nivel nacional", or "Ayacucho, Cusco, Lima Metropolitana y Callao"."""
    return level.describe(codes)


def named_units(text: str, coverage: set[str] | None = None) -> tuple[set[str], list[str]]:
    """The unit codes a coverage text names, and the parts that name no place.

    Parts are separated by commas, "y" and "e"; words in parentheses explain and are not read.
    "Lima" alone may mean the city or the department: it stands for the Lima units in ``coverage``
    (both when ``coverage`` has none).
    """
    plain = re.sub(r"\([^)]*\)", " ", text)
    if normalize(plain) in NATIONAL:
        return set(ALL_CODES), []
    named: set[str] = set()
    unknown: list[str] = []
    for part in filter(None, (p.strip(" .;") for p in re.split(r",|\s+y\s+|\s+e\s+", plain))):
        found = lookup(part)
        if found is None:
            unknown.append(part)
        elif normalize(part) in ("lima", "en lima"):
            named |= (set(coverage or ()) & set(LIMA_CODES)) or set(LIMA_CODES)
        else:
            named |= set(found)
    return named, unknown
