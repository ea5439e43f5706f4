"""The places a coverage file names, checked across its entries: each service's coverage list (units of
the level maps are drawn at, or of the level that divides it: "Cusco", "Cusco/Urubamba", "0813"), its
centres' departments and its ``coverage_text``.

:func:`coverage_codes` resolves every list (:func:`mimpmap.places.coverage_entry`) and rolls it up
(:func:`mimpmap.places.roll_up`): a service reaches a unit in full, or in part when the list names only
some of the finer units inside it. Every problem is one message naming where it is and the fix.
"""

from __future__ import annotations

from typing import Any

from . import places
from .errors import UNSAFE_CHARACTERS, UnknownPlaceError
from .levels import DEFAULT_LEVEL, finer_level
from .locate import head, show
from .readers import Locator

__all__ = ["item_problem", "entries", "plain_text", "coverage_codes", "site_problems", "coverage_text_problems"]

_UNIT = DEFAULT_LEVEL.noun  #: the words of the level coverage is written in

#: service index → (units reached, in full or in part; unit → the finer units reached in it, where in part)
Reached = dict[int, tuple[set[str], dict[str, tuple[str, ...]]]]


def item_problem(item: Any) -> str | None:
    """Why an entry of a coverage list cannot name a place, or ``None``."""
    if isinstance(item, bool) or not isinstance(item, (str, int)):
        return (f"{show(item)} no es un nombre ni un código de {_UNIT.one}; "
                "escriba el nombre entre comillas si hace falta")
    if isinstance(item, str) and not item.strip():
        return f"está vacío; escriba {_UNIT.a} o quite el elemento"
    if isinstance(item, str) and UNSAFE_CHARACTERS.search(item):
        return "contiene un carácter de control; bórrelo"
    return None


def entries(doc: dict, key: str) -> list[tuple[int, dict]]:
    """The entries of the list ``doc[key]`` that are maps, with their index."""
    rows = doc.get(key)
    return [(i, row) for i, row in enumerate(rows if isinstance(rows, list) else []) if isinstance(row, dict)]


def plain_text(value: Any) -> str | None:
    """``value`` if it is a text the schema accepts, else ``None`` (the schema reports it)."""
    if isinstance(value, str) and value.strip() and not UNSAFE_CHARACTERS.search(value):
        return value.strip()
    return None


def coverage_codes(doc: dict, locator: Locator) -> tuple[Reached, list[str]]:
    """What each service reaches (when every entry of its list names a place), and every problem."""
    reached: Reached = {}
    problems = []
    for n, service in entries(doc, "services"):
        coverage = service.get("coverage")
        if coverage == "nacional":
            reached[n] = (set(DEFAULT_LEVEL.codes), {})
            continue
        if not isinstance(coverage, list) or not coverage:
            continue  # the schema reports it
        found: set[str] | None = set()
        for i, item in enumerate(coverage):
            if item_problem(item):
                found = None  # the schema reports it
                continue
            try:
                codes = places.coverage_entry(item)
            except UnknownPlaceError as exc:
                found = None
                problems.append(f"{head(doc, ('services', n, 'coverage', i), locator)}: {place_problem(item, exc)}")
                continue
            found = None if found is None else found | set(codes)
        if found is not None:
            reached[n] = places.roll_up(found)
    return reached, problems


def place_problem(name: Any, error: UnknownPlaceError | None = None) -> str:
    """Why ``name`` names no place (``error``: the lookup's, else the level's own)."""
    if places.normalize(str(name)) in places.NATIONAL:
        return (f"{show(name)} no es {_UNIT.a}; para todo el país escriba 'nacional' como cobertura (en YAML, "
                "coverage: nacional, sin corchetes)")
    return str(error or places.unknown_place(str(name)))


def site_problems(doc: dict, reached: Reached, locator: Locator) -> list[str]:
    """Each centre's department is a place of its service's coverage; where the service reaches that
    department in part, its province (when it names one there) is one of the provinces reached."""
    problems = []
    for n, service in entries(doc, "services"):
        centres = service.get("centres")
        sites = centres.get("sites") if isinstance(centres, dict) else None
        for i, site in enumerate(sites if isinstance(sites, list) else []):
            department = plain_text(site.get("department")) if isinstance(site, dict) else None
            if department is None:
                continue
            site_codes = places.lookup(department)
            if site_codes is None:
                problem = str(places.unknown_place(department))
            elif n in reached and not set(site_codes) <= reached[n][0]:
                problem = (f"'{department}' no está en la cobertura del servicio; "
                           f"añádalo a la cobertura o corrija {_UNIT.the} del centro")
            elif n not in reached or not (problem := _province_problem(site, department, reached[n][1])):
                continue
            loc = ("services", n, "centres", "sites", i, "department")
            problems.append(f"{head(doc, loc, locator)}: {problem}")
    return problems


def _province_problem(site: dict, department: str, parts: dict[str, tuple[str, ...]]) -> str | None:
    """Why a centre's province is not among those its service reaches in its department, or ``None``."""
    province = plain_text(site.get("province"))
    inner = finer_level(DEFAULT_LEVEL)
    found = places.lookup(f"{department}/{province}", inner) if province and inner else None
    if found is None or len(found) != 1 or inner.parent_of(found[0]) not in parts:
        return None
    unit = inner.parent_of(found[0])
    if found[0] in parts[unit]:
        return None
    words = DEFAULT_LEVEL.partial_words((), places.part_names({unit: parts[unit]}))
    return (f"{inner.noun.the} '{province}' no está en la cobertura del servicio (en {department}, {words}); "
            f"añada '{department}/{province}' a la cobertura o corrija {inner.noun.the} del centro")


def coverage_text_problems(doc: dict, reached: Reached, locator: Locator) -> list[str]:
    """``coverage_text`` names the same places as ``coverage`` (the page shows both)."""
    problems = []
    for n, service in entries(doc, "services"):
        text = plain_text(service.get("coverage_text"))
        if text is None or n not in reached:
            continue
        where = head(doc, ("services", n, "coverage_text"), locator)
        named, unknown = _named(text, reached[n])
        for part in unknown:
            problems.append(f"{where}: {place_problem(part)}; escriba {_UNIT.the_many} de coverage separados "
                            "por comas y 'y' (lo que va entre paréntesis no se lee)")
        if not unknown and named != reached[n]:
            problems.append(f"{where}: el texto nombra {_units(*named)}, pero la cobertura tiene {_units(*reached[n])}; "
                            "corrija uno de los dos para que digan lo mismo")
    return problems


def _named(text: str, reached: tuple[set[str], dict]) -> tuple[tuple[set[str], dict], list[str]]:
    """What a coverage text names, as :func:`coverage_codes` gives a list's, and the parts that name
    nothing. Units are read as :func:`mimpmap.places.named_units` reads them; a part it does not know
    may name a finer unit ("Urubamba (Cusco)")."""
    named, unknown = places.named_units(text, reached[0])
    finer, left = set(), []
    for part in unknown:
        try:
            finer |= set(places.coverage_entry(part))
        except UnknownPlaceError:
            left.append(part)
    if not finer:
        return (named, {}), left
    return places.roll_up(set(places.spread(named)) | finer), left


def _units(codes: set[str], parts: dict | None = None) -> str:
    return places.describe(codes, parts=parts) if codes else _UNIT.none
