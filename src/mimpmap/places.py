"""Names and codes → the units of a geographic level; "did you mean" for the rest.

:func:`resolve` turns what a person writes ("Cuzco", "ANCASH", "Región Lima", "PE-CUS", "08") into the
codes of the units it means, in a :class:`~mimpmap.levels.Level` (the default level,
:data:`~mimpmap.levels.DEFAULT_LEVEL`, unless told). "Lima" alone is the whole department (both Lima
units). The units, their names, their words and the Lima rules are the level's (:mod:`mimpmap.levels`):
nothing here knows which level it reads.
"""

from __future__ import annotations

import re

from .errors import AmbiguousPlaceError, UnknownPlaceError
from .levels import DEFAULT_LEVEL, Level, finer_level, normalize
from .text import closest

__all__ = ["normalize", "known_names", "suggest", "lookup", "resolve", "unknown_place", "describe", "named_units",
           "NATIONAL", "readings", "ambiguous_place", "coverage_entry", "unknown_entry", "writing_hint", "roll_up", "part_names", "spread"]

#: The ways of writing "the whole country" instead of a list of units (normalized).
NATIONAL = frozenset({"nacional", "a nivel nacional", "todo el pais", "en todo el pais"})


def known_names(level: Level = DEFAULT_LEVEL) -> list[str]:
    """The names a suggestion may offer: each unit's own name, plus "Lima" (the department)."""
    return level.known_names()


def _strip_prefix(key: str, level: Level) -> str:
    previous = None
    while previous != key:
        previous = key
        key = level.prefix.sub("", key)
    return key


def suggest(value: str, n: int = 2, level: Level = DEFAULT_LEVEL) -> list[str]:
    """The closest known names to ``value`` (for "¿quiso decir ...?")."""
    key = _strip_prefix(normalize(value), level)
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
    if len(digits) == 3:  # a province's code stored as a number (813), never padded further ("100" is no "01")
        return level.index.get("0" + digits)
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


def lookup(value: str | int, level: Level = DEFAULT_LEVEL) -> tuple[str, ...] | None:
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
    stripped = _strip_prefix(key, level)
    return index.get(stripped)


def readings(value: str | int, level: Level = DEFAULT_LEVEL) -> list[tuple[Level, tuple[str, ...]]]:
    """Each way ``value`` can be read, as (the level it names a unit of, the codes of ``level`` it means).

    A level inside another (provinces in departments) also reads ``value`` as units of the level above,
    meaning all their units: "Amazonas", "departamento de Cusco", "08" and "Lima Provincias" are
    provinces this way. A reading that means the same units as the level's own ("Callao", "Lima
    Metropolitana") is not another; a code of the level itself ("0801") is read only as that.
    """
    own = lookup(value, level)
    if level.parent is None or (own is not None and str(value).strip().isdigit()):
        return [(level, own)] if own is not None else []
    found = [(level, own)] if own is not None else []
    above = lookup(value, level.parent)
    if above is not None and set(level.children(above)) != set(own or ()):
        found.append((level.parent, level.children(above)))
    return found


def resolve(value: str | int, level: Level = DEFAULT_LEVEL, prefer: Level | None = None) -> tuple[str, ...]:
    """The unit codes ``value`` names. Raises :class:`UnknownPlaceError` with suggestions, and
    :class:`AmbiguousPlaceError` for a name of a unit and of the level above (see :func:`readings`),
    unless ``prefer`` says which level such a name means (a coverage list: the level above, see
    :func:`coverage_entry`)."""
    found = readings(value, level)
    if not found:
        raise unknown_place(value, level)
    if len(found) > 1:
        chosen = [codes for named_in, codes in found if named_in is prefer]
        if chosen:
            return chosen[0]
        raise ambiguous_place(value, level, found)
    return found[0][1]


def coverage_entry(value: str | int, level: Level = DEFAULT_LEVEL) -> tuple[str, ...]:
    """The units an entry of a coverage list names, as units of the level that divides ``level`` (the
    provinces of a department list), or of ``level`` itself when none divides it.

    An entry names a unit of ``level`` ("Cusco", "PE-CUS", "08": all its provinces) or of the finer level
    ("Cusco/Urubamba", "Urubamba", "0813"). A name of both written alone ("Cusco", "Lima", "Huancavelica")
    is the unit of ``level``, as before provinces could be written; "Cusco/Cusco" or "0801" is the
    province. Raises :class:`UnknownPlaceError` saying so (:func:`unknown_entry`)."""
    inner = finer_level(level)
    if inner is None:
        found = lookup(value, level)
        if found is None:
            raise unknown_place(value, level)
        return found
    try:
        return resolve(value, inner, prefer=level)
    except UnknownPlaceError:
        raise unknown_entry(value, level, inner) from None


def writing_hint(level: Level, inner: Level) -> str:
    """How a coverage list writes a unit of ``inner`` and what a name of both alone means: "una provincia
    se escribe con su departamento, 'Cusco/Urubamba', o con su UBIGEO, '0813'; 'Cusco', sin más, es todo
    el departamento, y 'Cusco/Cusco', la provincia"."""
    unit = inner.by_code.get(inner.example) or inner.units[0]
    above = unit.departamento
    hint = f"{inner.noun.a} se escribe con su {level.noun.one}, '{above}/{unit.nombre}', o con su UBIGEO, '{unit.ubigeo}'"
    if lookup(above, inner) is not None:
        hint += f"; '{above}', sin más, es {level.noun.whole}, y '{above}/{above}', {inner.noun.the}"
    return hint


def unknown_entry(value: str | int, level: Level, inner: Level) -> UnknownPlaceError:
    """The error saying a coverage entry names no unit of ``level`` nor of ``inner``: a near name of
    ``level`` as before ("'Ayacuchoo' no es un departamento del Perú; ¿quiso decir 'Ayacucho'?"), else
    the near units of ``inner`` spelled with the unit above ("Cusco/Urubamba") and how to write one."""
    text = str(value)
    near = suggest(text, level=level) if "/" not in text else []
    if near:
        return UnknownPlaceError(text, near, what=level.noun.a)
    above, _, name = text.rpartition("/")
    alone = lookup(name, inner) if above else None  # the right province under a wrong department
    if alone is not None and len(alone) == 1:
        found = [inner.by_code[alone[0]]]
    else:
        within = lookup(above, level) if above else None
        pool = inner.children(within) if within else inner.codes
        keys = {normalize(inner.by_code[c].nombre): c for c in pool}
        found = [inner.by_code[keys[k]] for k in closest(_strip_prefix(normalize(name), inner), keys, n=2)]
    what = inner.noun.a if above else f"{level.noun.a} ni {inner.noun.a}"
    return UnknownPlaceError(text, [f"{u.departamento}/{u.nombre}" for u in found], what=what,
                             hint=writing_hint(level, inner))


def roll_up(codes, level: Level = DEFAULT_LEVEL) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Units of the level that divides ``level`` (:func:`coverage_entry`'s) as the units of ``level``
    they reach, in full or in part, and for those reached in part, the finer units reached in each."""
    inner = finer_level(level)
    if inner is None:
        return set(codes), {}
    codes = set(codes)
    rolled = inner.rolled_up(codes)
    parts = {unit: tuple(c for c in inner.children((unit,)) if c in codes) for unit, whole in rolled.items()
             if not whole}
    return set(rolled), parts


def ambiguous_place(value: str | int, level: Level,
                    found: list[tuple[Level, tuple[str, ...]]]) -> AmbiguousPlaceError:
    """The error saying ``value`` names units of two levels, with how to write each reading."""
    ways = []
    for named_in, codes in found:
        if named_in is level:  # the level's own unit: "Cusco/Cusco"
            unit = level.by_code[codes[0]]
            ways.append((f"{unit.departamento}/{level.name_of(codes)}", f"{level.noun.the} de {level.name_of(codes)}"))
        else:  # all its units inside the unit above: "departamento de Cusco"
            name = named_in.name_of(lookup(value, named_in))
            ways.append((f"{named_in.noun.one} de {name}",
                         f"{level.noun.the_many} {named_in.noun.of_the} de {name} ({len(codes)})"))
    what = " y ".join(named_in.noun.a for named_in, _ in found)
    return AmbiguousPlaceError(str(value), what, ways)


def unknown_place(value: str | int, level: Level = DEFAULT_LEVEL) -> UnknownPlaceError:
    """The error saying ``value`` names no unit of ``level``, with the closest names."""
    return UnknownPlaceError(str(value), suggest(str(value), level=level), what=level.noun.a)


def describe(codes, level: Level = DEFAULT_LEVEL, parts: dict[str, tuple[str, ...]] | None = None) -> str:
    """Codes in Spanish words: "A nivel nacional", or "Ayacucho, Cusco, Lima Metropolitana y Callao";
    ``parts`` (:func:`roll_up`'s) says the units reached in part with the finer units reached: "Ayacucho y
    Cusco (solo Urubamba)"."""
    return level.describe(codes, part_names(parts, level))


def part_names(parts: dict[str, tuple[str, ...]] | None, level: Level = DEFAULT_LEVEL) -> dict[str, tuple[str, ...]]:
    """:func:`roll_up`'s parts (unit → codes of the finer units reached in it) with the finer units' names."""
    inner = finer_level(level)
    return {unit: tuple(inner.by_code[c].nombre for c in codes) for unit, codes in (parts or {}).items()}


def spread(codes, level: Level = DEFAULT_LEVEL) -> tuple[str, ...]:
    """The units of the level that divides ``level`` inside the units ``codes`` (the inverse of
    :func:`roll_up` for units reached in full)."""
    inner = finer_level(level)
    return inner.children(codes) if inner is not None else tuple(codes)


def named_units(text: str, coverage: set[str] | None = None,
                level: Level = DEFAULT_LEVEL) -> tuple[set[str], list[str]]:
    """The unit codes a coverage text names, and the parts that name no place.

    Parts are separated by commas, "y" and "e"; words in parentheses explain and are not read.
    A merge's name alone ("Lima") may mean its core (the city) or the whole (the department): it
    stands for the merge's members in ``coverage`` (all of them when ``coverage`` has none).
    """
    plain = re.sub(r"\([^)]*\)", " ", text)
    if normalize(plain) in NATIONAL:
        return set(level.codes), []
    named: set[str] = set()
    unknown: list[str] = []
    for part in filter(None, (p.strip(" .;") for p in re.split(r",|\s+y\s+|\s+e\s+", plain))):
        found = lookup(part, level)
        merge = level.merge_of(found) if found and len(found) > 1 else None
        if found is None:
            unknown.append(part)
        elif merge is not None and normalize(part).removeprefix("en ") == normalize(merge.nombre):
            named |= (set(coverage or ()) & set(merge.members)) or set(merge.members)
        else:
            named |= set(found)
    return named, unknown
