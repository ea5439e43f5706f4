"""The coverage file (``data/coverage.yaml``) as validated pydantic models.

A reader (:mod:`mimpmap.readers`) turns a file into a plain document and a locator; :func:`validate`
checks the document, resolves every place name to unit codes and returns a :class:`CoverageData`.
Every problem in a file is reported at once, in Spanish, with where it is ("línea 12: servicio 'cai',
coverage n.º 2") and how to fix it, as one :class:`DataError`.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr,
                      StringConstraints, ValidationError, field_validator, model_validator)

from . import periods, places, readers
from .coverage_places import coverage_codes, coverage_text_problems, entries, item_problem, site_problems
from .errors import UNSAFE_CHARACTERS, DataError, UnknownPlaceError, UnknownServiceError
from .layout import DEVICE_NAMES
from .levels import DEFAULT_LEVEL, PERU_POINTS, finer_level
from .locate import at_place, clean_loc, head, numbered, show
from .readers import Document, Locator
from .readers import yaml as yaml_reader
from .text import closest, number, plural

#: The largest count accepted. Peru has about 34 million people and the largest figure the MIMP
#: publishes is about 4 million (CEM's actions in ten months); a count past a thousand million is a
#: typo. The bound also keeps every sum and ratio far inside a float's exact range.
MAX_COUNT = 10**9
_UNIT = DEFAULT_LEVEL.noun  #: the words of the level coverage is written in
_FINER = finer_level(DEFAULT_LEVEL).noun  #: and of the level that divides it, which a list may name too
_COVERAGE_FIX = f"escriba 'nacional' o una lista de {_UNIT.many}"  #: how to write a coverage, in every message


def _no_control(text: str) -> str:
    found = UNSAFE_CHARACTERS.search(text)
    if found:
        raise ValueError(f"contiene un carácter de control ({found.group()!r}); bórrelo")
    return text


Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_control)]


def _one_line(text: str) -> str:
    if any(mark in text for mark in "\n\u2028\u2029"):
        raise ValueError("un nombre va en una sola línea (es el título de su mapa y el nombre de una capa); "
                         "quite el salto de línea")
    return text


Name = Annotated[Text, AfterValidator(_one_line)]  # a name or short name: a text on one line
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: The longest id: a service's id names its files (``servicios/<id>.html``, ``miniaturas/servicios/<id>.png``),
#: and a file name longer than the disk takes (255 bytes) would pass ``check`` and fail ``build``. The
#: shipped ids have at most 20 characters.
MAX_ID = 64
ServiceId = Annotated[StrictStr, StringConstraints(pattern=_ID_PATTERN, max_length=MAX_ID)]


def _no_device(text: str) -> str:
    if DEVICE_NAMES.fullmatch(text):
        raise ValueError(f"'{text}' nombra un dispositivo en Windows, que no escribiría sus archivos; elija otro id")
    return text


FileId = Annotated[ServiceId, AfterValidator(_no_device)]  # a service's id names its files


class _Model(BaseModel):
    # An unknown field is an error: a typo such as `coverage_` must never pass silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Program(_Model):
    """A MIMP unit that runs services: AURORA, INABIF, DGA, DPE, DIPAM."""

    id: ServiceId
    short_name: Name = Field(description="Siglas: AURORA, INABIF, ...")
    name: Name
    description: Text | None = None


def _month(value: Any) -> Any:
    """A month as the data writes it, ``2020-04``; one clear message for anything else."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # a day (YAML 1.2 reads it as text)
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if isinstance(value, (date, datetime)):
        raise ValueError(f"{value.isoformat()}: escriba solo año y mes, p. ej. {value.year:04d}-{value.month:02d}")
    try:
        periods.month_index(value)
    except ValueError:
        raise ValueError(f"{show(value)} no es un mes; escriba año y mes, p. ej. 2020-04") from None
    return value


def _months_closed(value: Any) -> Any:
    if isinstance(value, list):
        return [_month(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 120:
        return value
    raise ValueError(f"{show(value)}: escriba cuántos meses (p. ej. 3) o cuáles (p. ej. [2020-04, 2020-05])")


Month = Annotated[str, StringConstraints(pattern=periods.MONTH_PATTERN), BeforeValidator(_month)]
MonthsClosed = Annotated[Union[int, list[str]],
                         BeforeValidator(_months_closed, json_schema_input_type=Union[
                             Annotated[int, Field(ge=1, le=120)], list[Month]])]


class Period(_Model):
    """A period as the source labels it and, when known, the months it spans."""

    label: Text = Field(description="Como lo da la fuente: 'Año 2020', 'Ene – Oct 2021', ...")
    note: Text | None = Field(None, description="Marca de nota al pie: '1/'")
    start: Month | None = Field(None, alias="from", description="Primer mes del periodo: 2020-01")
    end: Month | None = Field(None, alias="to", description="Último mes del periodo: 2020-12")
    months: Annotated[int, Field(ge=1, le=120, strict=True)] | None = Field(
        None, description="Cuántos meses dura, si no se dan from y to")
    months_closed: MonthsClosed | None = Field(
        None, description="Meses sin servicio en el periodo (cuántos, o cuáles), según la nota al pie `note`")

    @model_validator(mode="after")
    def _span(self):
        problems = periods.span_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Value(_Model):
    value: Count
    note: Text | None = None


def _value(item: Any) -> Any:
    return {"value": item} if isinstance(item, (int, float, str)) and not isinstance(item, bool) else item


def _names_a_place(value: str) -> bool:
    """Whether ``value`` could be an entry of a coverage list ("Cusco", "Cusco/Urubamba")."""
    try:
        return bool(places.coverage_entry(value))
    except UnknownPlaceError:
        return False


def _coverage(value: Any) -> Any:
    """One clear message for a coverage of the wrong shape (instead of one per union branch)."""
    fix = f"{_COVERAGE_FIX}, p. ej. [Cusco, Lima Metropolitana]"
    if value == "nacional":
        return value
    if isinstance(value, str) and not UNSAFE_CHARACTERS.search(value) and _names_a_place(value):
        raise ValueError(f"{show(value)} no es una cobertura; escriba una lista: [{value.strip()}] "
                         "(o 'nacional')")
    if not isinstance(value, list):
        raise ValueError(f"{show(value)} no es una cobertura; {fix}")
    if not value:
        raise ValueError(f"la cobertura está vacía; escriba 'nacional' o al menos {_UNIT.a}")
    problems = [f"elemento {i + 1}: {problem}" for i, item in enumerate(value)
                if (problem := item_problem(item))]
    if problems:
        raise ValueError("; ".join(problems))
    return value


class Figure(_Model):
    """One figure of a service across its periods: a count and what it counts."""

    unit: Text = Field(description="Qué se cuenta: 'casos atendidos por violencia', ...")
    values: list[Annotated[Value, BeforeValidator(_value, json_schema_input_type=Union[Count, Value])]] = Field(
        description="Un valor por periodo, en el orden de `periods`; `{value: N, note: 'a/'}` lleva nota"
    )
    kind: Literal["atencion", "prevencion"] = "atencion"


class CentreType(_Model):
    type: Text
    count: Count


class Site(_Model):
    """A centre with its place (Mi60+ gives province and district)."""

    name: Text
    province: Text
    district: Text
    department: Text
    count: Count = 1
    location: tuple[float, float] | None = Field(
        None, description="[latitud, longitud] del distrito (WGS84), para el marcador del mapa"
    )

    @field_validator("location")
    @classmethod
    def _in_peru(cls, v):
        west, south, east, north = PERU_POINTS
        if v is not None and not (south <= v[0] <= north and west <= v[1] <= east):
            raise ValueError(f"[{v[0]}, {v[1]}] está fuera del Perú; escriba [latitud, longitud]")
        return v


class Centres(_Model):
    total: Count
    label: Text = Field(description="Qué son: 'CEM', 'Centros de referencia', 'Equipos Itinerantes'")
    breakdown_title: Text | None = None
    breakdown: list[CentreType] = []
    sites: list[Site] = []

    @model_validator(mode="after")
    def _sum(self):
        if self.breakdown and sum(b.count for b in self.breakdown) != self.total:
            parts = " + ".join(str(b.count) for b in self.breakdown)
            raise ValueError(f"el desglose suma {parts} y no coincide con total: {self.total}")
        return self


class Footnote(_Model):
    mark: Text
    text: Text


def _no_overlap(items: list[Period]) -> list[Period]:
    spans = sorted((periods.span(p), i) for i, p in enumerate(items) if periods.span(p))
    problems = [f"{numbered('el periodo', i)} ('{items[i].label}') y {numbered('el', j)} ('{items[j].label}') "
                "se superponen; corrija from/to" for (a, i), (b, j) in zip(spans, spans[1:]) if b[0] <= a[1]]
    if problems:
        raise ValueError("; ".join(problems))
    return items


class Service(_Model):
    id: FileId
    program: ServiceId
    name: Name
    short_name: Name | None = None
    description: Text
    coverage: Annotated[Union[Literal["nacional"], list[Union[Text, StrictInt]]], BeforeValidator(_coverage)] = Field(
        description=f"'nacional' o una lista de {_UNIT.many} o {_FINER.many} (nombres, 'Cusco/Urubamba' o códigos "
                    f"ISO/UBIGEO); un nombre solo que es de los dos, como 'Cusco', es {_UNIT.the}"
    )
    coverage_text: Text | None = Field(None, description="La cobertura en palabras, como la da la fuente")
    centres: Centres | None = None
    periods: Annotated[list[Period], AfterValidator(_no_overlap)] = []
    figures: list[Figure] = []
    activities: list[Text] = []
    notes: list[Text] = []
    footnotes: list[Footnote] = []
    source: Text | None = None

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        for i, fig in enumerate(self.figures):
            if len(fig.values) != len(self.periods):
                problems.append(
                    f"{numbered('la cifra', i)} ('{fig.unit}') tiene {plural(len(fig.values), 'valor', 'valores')} "
                    f"y hay {plural(len(self.periods), 'periodo', 'periodos')}; dé un valor por periodo"
                )
        marks = {f.mark for f in self.footnotes}
        used = [p.note for p in self.periods] + [v.note for f in self.figures for v in f.values]
        for mark in used:
            if mark and mark not in marks:
                problems.append(f"la nota '{mark}' no está en footnotes; añádala o quite la marca")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def national(self) -> bool:
        return self.coverage == "nacional"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def abbreviation(self) -> str | None:
        """The short name when it adds something to the name ("CAI"), else ``None`` ("Mi60+")."""
        short = self.short_name
        return short if short and short.casefold() not in self.name.casefold() else None

    @property
    def title(self) -> str:
        """The name with its abbreviation: ``Centros de Atención Institucional (CAI)``."""
        short = self.abbreviation
        return f"{self.name} ({short})" if short else self.name


class CoverageFile(_Model):
    """The whole file: a title, its source, the programs and their services."""

    title: Text
    source: Text
    publisher: Text | None = None
    programs: Annotated[list[Program], Field(min_length=1)]
    services: Annotated[list[Service], Field(min_length=1)]

    @model_validator(mode="after")
    def _ids(self):
        problems = _id_problems(self.model_dump(include={"programs", "services"}), readers.NoLocator())
        if problems:
            raise ValueError("; ".join(problems))
        return self


class CoverageData:
    """A validated coverage file with each service's coverage resolved to unit codes."""

    def __init__(self, file: CoverageFile, codes: dict[str, tuple[str, ...]], path: Path | None = None,
                 parts: dict[str, dict[str, tuple[str, ...]]] | None = None):
        self.file = file
        self.path = path
        #: service id → sorted ISO codes of the units it reaches, in full or in part
        self.codes = codes
        #: service id → {unit it reaches only in part → the codes of the finer units (provinces) it reaches
        #: there}, for the services whose coverage names provinces ("Cusco/Urubamba")
        self.parts = parts or {}

    def full_codes(self, service_id: str) -> tuple[str, ...]:
        """The units a service reaches in full (its :attr:`codes` but those reached in part)."""
        return tuple(c for c in self.codes[service_id] if c not in self.parts.get(service_id, {}))

    @property
    def services(self) -> list[Service]:
        return list(self.file.services)

    @property
    def programs(self) -> list[Program]:
        return list(self.file.programs)

    def service(self, service_id: str) -> Service:
        """A service by its id, or by its id or short name in any case (``CAI``, ``ER``)."""
        return find_service(self.file.services, service_id)

    def program(self, program_id: str) -> Program:
        return next(p for p in self.file.programs if p.id == program_id)


def find_service(services, query: str):
    """The service of ``services`` (objects with ``id``, ``name`` and ``short``) that ``query`` names:
    its id, or its id or short name in any case. Else :class:`~mimpmap.errors.UnknownServiceError`,
    with the closest id when there is one ("¿quiso decir 'cai'?")."""
    by_id = {s.id: s for s in services}
    if query in by_id:
        return by_id[query]
    wanted = str(query).strip().casefold()
    names: dict[str, list] = {}
    for s in services:
        for name in {s.id, getattr(s, "short", None) or getattr(s, "short_name", None) or "", s.display_name} - {""}:
            found = names.setdefault(name.casefold(), [])
            if s not in found:
                found.append(s)
    found = names.get(wanted, [])
    if len(found) == 1:
        return found[0]
    close = closest(wanted, names)
    suggestion = [names[close[0]][0].id] if close and len(names[close[0]]) == 1 else []
    raise UnknownServiceError(query, list(by_id), suggestion)


# --- validating a document -----------------------------------------------------------------------

def validate(document: Document, path: Path | str | None = None) -> CoverageData:
    """Validate a document from a reader. Raises :class:`DataError` listing every problem, each with
    its location: the reader's, the schema's, and the checks across entries, all in one run."""
    where = str(path) if path else None
    doc, locator = document.data, document.locator
    if not isinstance(doc, dict):
        raise DataError([*document.problems,
                         "el archivo debe ser un mapa YAML con title, source, programs y services"], where)
    problems = list(document.problems)
    try:
        file = CoverageFile.model_validate(doc)
    except ValidationError as exc:
        file, error = None, exc
        problems += _messages(doc, exc, locator)
    reached, more = _document_problems(doc, locator)
    problems += more
    if file is None and not problems:  # only checks across entries failed, on values the schema converted
        problems = [str(e["ctx"]["error"]) if "ctx" in e else e["msg"] for e in error.errors(include_url=False)]
    if problems:
        raise DataError(problems, where)
    ids = {n: s.id for n, s in enumerate(file.services)}
    return CoverageData(file, {ids[n]: tuple(sorted(c)) for n, (c, _) in reached.items()}, Path(path) if path else None,
                        parts={ids[n]: parts for n, (_, parts) in reached.items() if parts})


def parse_coverage(text: str, path: Path | str | None = None) -> CoverageData:
    """Validate the text of a YAML coverage file. Raises :class:`DataError` listing every problem."""
    return validate(yaml_reader.parse(text, str(path) if path else None), path)


def default_data_path() -> Path:
    """`data/coverage.yaml` of the working directory, else the copy shipped in the package."""
    from .inputs import default_path

    return default_path("data")


def read_coverage(path: Path | str | None = None, raw: bytes | None = None) -> CoverageData:
    """Read and validate a coverage file (default: :func:`default_data_path`), with the reader its
    suffix asks for; ``raw``: its bytes, read already. Raises :class:`InputFileError` (exit 2) for a
    file that cannot be read at all and :class:`DataError` (exit 1) for invalid data."""
    path = Path(path) if path is not None else default_data_path()
    document = readers.read_document(path, raw)
    return validate(document, path)


# --- schema errors in Spanish ----------------------------------------------------------------------

_MESSAGES = {
    "extra_forbidden": "campo desconocido; revise la ortografía (los campos válidos están en el esquema: "
    "`mimpmap schema`)",
    "missing": "falta este campo obligatorio",
    "int_type": "debe ser un número entero sin separadores (p. ej. 114495)",
    "int_from_float": "debe ser un número entero, no decimal",
    "greater_than_equal": "no puede ser negativo",
    "less_than_equal": f"es demasiado grande (ninguna cifra publicada pasa de {number(MAX_COUNT)}); revise el número",
    "string_type": "debe ser un texto; escríbalo entre comillas",
    "invalid_key": "una clave debe ser un nombre de campo, no un número ni otra cosa",
    "list_type": "debe ser una lista",
    "string_too_short": "no puede estar vacío",
    "string_too_long": f"es demasiado largo: un id tiene como mucho {MAX_ID} caracteres (el de un servicio nombra "
    "los archivos de su mapa, servicios/<id>.html); acórtelo, p. ej. 'acogida-temporal-nna'",
    "string_pattern_mismatch": "solo minúsculas, dígitos y guiones (p. ej. 'linea-100')",
    "literal_error": "valor no permitido",
    "too_short": "la lista está vacía; añada al menos un elemento",
    "too_long": "tiene demasiados elementos",
    "tuple_type": "debe ser una lista de dos números, p. ej. [-12.0464, -77.0428]",
    "model_type": "debe ser un mapa con sus campos (clave: valor)",
    "dict_type": "debe ser un mapa con sus campos (clave: valor)",
    "float_type": "debe ser un número",
    "float_parsing": "debe ser un número",
    "finite_number": "debe ser un número finito",
}
_SHOWS_INPUT = {"int_type", "int_from_float", "greater_than_equal", "less_than_equal", "string_type",
                "string_too_long"}


def _messages(doc: Any, err: ValidationError, locator: Locator) -> list[str]:
    out: list[str] = []
    for e in err.errors(include_url=False):
        loc, etype = clean_loc(e["loc"]), e["type"]
        if etype == "value_error" and not loc:
            continue  # checks across entries: _id_problems reports them, with their lines
        if etype == "value_error":
            msg = str(e["ctx"]["error"]) if "ctx" in e else e["msg"]
        else:
            msg = _MESSAGES.get(etype, "valor no válido; revise el esquema (`mimpmap schema`)")
        if etype in _SHOWS_INPUT:
            msg = f"{show(e.get('input'))}: {msg}"
        if etype == "extra_forbidden":
            msg = f"{show(str(loc[-1]))}: {msg}"
        if etype == "literal_error" and loc and loc[-1] == "coverage":
            msg = f"{show(e.get('input'))}: {_COVERAGE_FIX}"
        at = loc
        if etype == "extra_forbidden" or (loc and loc[-1] == "value" and len(loc) > 1 and isinstance(loc[-2], int)):
            loc = loc[:-1]  # the unknown key's mapping; a plain number in `values`, not a {value: ...}
            at = at if etype == "extra_forbidden" else loc
        line = f"{head(doc, loc, locator, at)}: {msg}"
        if line not in out:
            out.append(line)
    return out


# --- checks across the document, on the data as read (they run whatever the schema says) -----------

def _document_problems(doc: dict, locator: Locator) -> tuple[dict, list[str]]:
    """Service index → (units reached, parts reached, when every name resolves), and every problem."""
    reached, problems = coverage_codes(doc, locator)
    problems += site_problems(doc, reached, locator)
    problems += coverage_text_problems(doc, reached, locator)
    problems += _id_problems(doc, locator)
    return reached, problems


def _id_problems(doc: dict, locator: Locator) -> list[str]:
    """Unique ids; every service's program defined (checked only when every program id is valid, so a
    mistyped program id gives one message, not one per service)."""
    def at(key: str, i: int, field: str) -> str:
        return at_place(locator, (key, i, field))

    problems = []
    for key, kind in (("programs", "programa"), ("services", "servicio")):
        seen: set[str] = set()
        for i, row in entries(doc, key):
            ident = row.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                problems.append(f"{at(key, i, 'id')}{kind} {show(ident)} está repetido ({numbered(f'el {kind}', i)}); "
                                "cada id debe ser único")
            seen.add(ident)
    rows = doc.get("programs")
    program_ids = [row.get("id") for _, row in entries(doc, "programs")]
    if not isinstance(rows, list) or len(program_ids) != len(rows) or not all(
            isinstance(p, str) and re.match(_ID_PATTERN, p) for p in program_ids):
        return problems
    for i, row in entries(doc, "services"):
        program = row.get("program")
        if isinstance(program, str) and re.match(_ID_PATTERN, program) and program not in program_ids:
            problems.append(f"{at('services', i, 'program')}servicio {show(row.get('id'))}: el programa "
                            f"'{program}' no existe; los programas son: {', '.join(program_ids)}")
    return problems


