"""Peru's map units and the names people give them.

A *unit* is what a map paints: the 24 departments, Callao, and Lima split in two, Lima Metropolitana
(the province of Lima, ``PE-LMA``) and Lima Provincias (the rest of the department, ``PE-LIM``).
Each unit is keyed by its ISO 3166-2 code. Codes and UBIGEO follow ISO 3166-2:PE and INEI.

:func:`resolve` turns what a person writes ("Cuzco", "ANCASH", "Región Lima", "PE-CUS", "08") into the
codes of the units it means. "Lima" alone is the whole department (both Lima units).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownPlaceError
from .text import join_words


@dataclass(frozen=True)
class Unit:
    iso: str
    ubigeo: str
    nombre: str
    departamento: str


#: The 26 map units, in UBIGEO order. Source: ISO 3166-2:PE and INEI's UBIGEO codes.
UNITS: tuple[Unit, ...] = (
    Unit("PE-AMA", "01", "Amazonas", "Amazonas"),
    Unit("PE-ANC", "02", "Áncash", "Áncash"),
    Unit("PE-APU", "03", "Apurímac", "Apurímac"),
    Unit("PE-ARE", "04", "Arequipa", "Arequipa"),
    Unit("PE-AYA", "05", "Ayacucho", "Ayacucho"),
    Unit("PE-CAJ", "06", "Cajamarca", "Cajamarca"),
    Unit("PE-CAL", "07", "Callao", "Callao"),
    Unit("PE-CUS", "08", "Cusco", "Cusco"),
    Unit("PE-HUV", "09", "Huancavelica", "Huancavelica"),
    Unit("PE-HUC", "10", "Huánuco", "Huánuco"),
    Unit("PE-ICA", "11", "Ica", "Ica"),
    Unit("PE-JUN", "12", "Junín", "Junín"),
    Unit("PE-LAL", "13", "La Libertad", "La Libertad"),
    Unit("PE-LAM", "14", "Lambayeque", "Lambayeque"),
    Unit("PE-LMA", "1501", "Lima Metropolitana", "Lima"),
    Unit("PE-LIM", "15", "Lima Provincias", "Lima"),
    Unit("PE-LOR", "16", "Loreto", "Loreto"),
    Unit("PE-MDD", "17", "Madre de Dios", "Madre de Dios"),
    Unit("PE-MOQ", "18", "Moquegua", "Moquegua"),
    Unit("PE-PAS", "19", "Pasco", "Pasco"),
    Unit("PE-PIU", "20", "Piura", "Piura"),
    Unit("PE-PUN", "21", "Puno", "Puno"),
    Unit("PE-SAM", "22", "San Martín", "San Martín"),
    Unit("PE-TAC", "23", "Tacna", "Tacna"),
    Unit("PE-TUM", "24", "Tumbes", "Tumbes"),
    Unit("PE-UCA", "25", "Ucayali", "Ucayali"),
)

UNIT_BY_ISO: dict[str, Unit] = {u.iso: u for u in UNITS}
ALL_CODES: tuple[str, ...] = tuple(u.iso for u in UNITS)
LIMA_CODES: tuple[str, ...] = ("PE-LMA", "PE-LIM")

#: The code a 25-unit file (Lima not split) uses for the whole Lima department.
LIMA_DEPARTMENT = "PE-LIM+LMA"

# Other spellings people use, beyond each unit's own name (accents and case never matter).
_ALIASES: dict[str, tuple[str, ...]] = {
    "PE-ANC": ("Ancash", "Ancachs"),
    "PE-CUS": ("Cuzco",),
    "PE-CAL": ("El Callao", "Provincia Constitucional del Callao", "Callao Region"),
    "PE-LMA": ("Lima Metropolitana", "Lima Metro", "Lima Province", "Provincia de Lima",
               "Municipalidad Metropolitana de Lima", "Lima Cercado"),
    "PE-LIM": ("Lima Provincias", "Lima Provincia", "Región Lima", "Region de Lima", "Lima Region", "Lima Sur Chico",
               "Provincias de Lima", "Departamento de Lima sin Lima Metropolitana"),
    "PE-MDD": ("Madre Dios",),
    "PE-SAM": ("San Martin",),
    "PE-LAL": ("Libertad",),
}

# Words around a name that do not change which place it is.
_PREFIX = re.compile(
    r"^(?:en |el departamento de |departamento de |depto\.? de |dpto\.? de |region |gobierno regional de "
    r"|gore )"
)


def normalize(text: str) -> str:
    """Fold a place name for comparison: no accents, lower case, single spaces, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[^\w]+", " ", plain.casefold()).strip()
    return re.sub(r"\s+", " ", plain)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[str, ...]]:
    """Normalised name or code → unit codes. Built once."""
    index: dict[str, tuple[str, ...]] = {}
    for unit in UNITS:
        index[normalize(unit.nombre)] = (unit.iso,)
        index[normalize(unit.iso)] = (unit.iso,)
        index[unit.iso[3:].lower()] = (unit.iso,)
        index[unit.ubigeo] = (unit.iso,)
    for iso, names in _ALIASES.items():
        for name in names:
            index[normalize(name)] = (iso,)
    # Lima, the department: both units, under every name it goes by.
    for name in ("Lima", "Departamento de Lima", "Lima Departamento", "Lima y Lima Metropolitana"):
        index[normalize(name)] = LIMA_CODES
    index[normalize(LIMA_DEPARTMENT)] = LIMA_CODES
    # INEI's department code 15 is the whole department; Lima Provincias has no code of its own
    # (a file that splits Lima gives "1501" to Lima Metropolitana and "15" to the rest).
    index["15"] = LIMA_CODES
    return index


def known_names() -> list[str]:
    """The names a suggestion may offer: each unit's own name, plus "Lima" (the department)."""
    return [u.nombre for u in UNITS] + ["Lima"]


def _strip_prefix(key: str) -> str:
    previous = None
    while previous != key:
        previous = key
        key = _PREFIX.sub("", key)
    return key


def suggest(value: str, n: int = 2) -> list[str]:
    """The closest known names to ``value`` (for "¿quiso decir ...?")."""
    key = _strip_prefix(normalize(value))
    by_key = {normalize(name): name for name in known_names()}
    for names in _ALIASES.values():
        for name in names:
            by_key.setdefault(normalize(name), name)
    matches = difflib.get_close_matches(key, list(by_key), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for match in matches:
        # Offer the official name of the unit an alias points at.
        codes = _name_index()[match]
        name = "Lima" if codes == LIMA_CODES else UNIT_BY_ISO[codes[0]].nombre
        if name not in out:
            out.append(name)
    return out[:n]


# A department's UBIGEO, bare or padded with zeros ("08", "0800", "080000"), or Lima Metropolitana's
# province code ("1501", "150100"). Other runs of digits (areas, years, district codes) name nothing.
_UBIGEO = re.compile(r"(?P<lima>1501(?:00)?)|(?P<department>\d\d)(?:00|0000)?")


def _ubigeo(digits: str) -> tuple[str, ...] | None:
    if len(digits) in (1, 5):  # a code stored as a number loses its leading zero: 8, 80000
        digits = "0" + digits
    match = _UBIGEO.fullmatch(digits)
    if match is None:
        return None
    if match["lima"]:
        return ("PE-LMA",)
    return _name_index().get(match["department"])


def lookup(value: str | int) -> tuple[str, ...] | None:
    """The unit codes ``value`` names, or ``None``. Never raises."""
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    if text.isdigit():
        return _ubigeo(text)
    key = normalize(text)
    index = _name_index()
    if key in index:
        return index[key]
    stripped = _strip_prefix(key)
    if stripped in index:
        return index[stripped]
    return None


def resolve(value: str | int) -> tuple[str, ...]:
    """The unit codes ``value`` names. Raises :class:`UnknownPlaceError` with suggestions."""
    codes = lookup(value)
    if codes is None:
        raise UnknownPlaceError(str(value), suggest(str(value)))
    return codes


def describe(codes: tuple[str, ...] | list[str] | set[str]) -> str:
    """Codes in Spanish words: "A nivel nacional", or "Ayacucho, Cusco, Lima Metropolitana y Callao"."""
    codes = set(codes)
    if codes >= set(ALL_CODES):
        return "A nivel nacional"
    if set(LIMA_CODES) <= codes:
        rest = [u for u in UNITS if u.iso in codes and u.iso not in LIMA_CODES]
        names = sorted([u.nombre for u in rest] + ["Lima (departamento)"], key=normalize)
    else:
        names = sorted((UNIT_BY_ISO[c].nombre for c in codes), key=normalize)
    return join_words(names)
