"""The coverage file (``data/coverage.yaml``) as validated pydantic models.

:func:`read_coverage` parses the YAML, validates it, resolves every place name to unit codes and
returns a :class:`CoverageData`. Every problem in a file is reported at once, in Spanish, with where it
is ("servicio 'cai', coverage[1]") and how to fix it, as one :class:`DataError`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from . import places
from .errors import DataError, UnknownPlaceError, UnknownServiceError

# libyaml's loader where PyYAML was built with it (it is, in PyYAML's wheels): several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The document in ``text`` and its node tree (for line numbers); a key written twice in one
    mapping is an error (YAML would keep the last one silently, hiding an edit)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_repeated_keys(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _refuse_repeated_keys(root: yaml.Node) -> None:
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        raise yaml.constructor.ConstructorError(
                            None, None,
                            f"la clave '{key.value}' está repetida (ya estaba en la línea {keys[key.value]}); "
                            "deje solo una",
                            key.start_mark,
                        )
                    keys[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Count = Annotated[int, Field(ge=0, strict=True)]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Model(BaseModel):
    # An unknown field is an error: a typo such as `coverage_` must never pass silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Program(_Model):
    """A MIMP unit that runs services: AURORA, INABIF, DGA, DPE, DIPAM."""

    id: ServiceId
    short_name: Text = Field(description="Siglas: AURORA, INABIF, ...")
    name: Text
    description: Text | None = None


class Period(_Model):
    label: Text = Field(description="Como lo da la fuente: 'Año 2020', 'Ene – Oct 2021', ...")
    note: Text | None = Field(None, description="Marca de nota al pie: '1/'")


class Value(_Model):
    value: Count
    note: Text | None = None


def _value(item: Any) -> Any:
    return {"value": item} if isinstance(item, (int, float, str)) and not isinstance(item, bool) else item


def _coverage(value: Any) -> Any:
    """One clear message for a coverage of the wrong shape (instead of one per union branch)."""
    fix = "escriba 'nacional' o una lista de departamentos, p. ej. [Cusco, Lima Metropolitana]"
    if value == "nacional":
        return value
    if not isinstance(value, list):
        raise ValueError(f"{value!r} no es una cobertura; {fix}")
    if not value:
        raise ValueError("la cobertura está vacía; escriba 'nacional' o al menos un departamento")
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ValueError(f"coverage[{i}]: {item!r} no es un nombre ni un código de departamento; "
                             "escriba el nombre entre comillas si hace falta")
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
        if v is not None and not (-18.5 <= v[0] <= 0.1 and -81.5 <= v[1] <= -68.5):
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


class Service(_Model):
    id: ServiceId
    program: ServiceId
    name: Text
    short_name: Text | None = None
    description: Text
    coverage: Annotated[Union[Literal["nacional"], list[Union[Text, StrictInt]]], BeforeValidator(_coverage)] = Field(
        description="'nacional' o una lista de departamentos (nombres o códigos ISO/UBIGEO)"
    )
    coverage_text: Text | None = Field(None, description="La cobertura en palabras, como la da la fuente")
    centres: Centres | None = None
    periods: list[Period] = []
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
                    f"figures[{i}] ('{fig.unit}') tiene {len(fig.values)} valores y hay "
                    f"{len(self.periods)} periodos; dé un valor por periodo"
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
        problems = _cross_problems(self.model_dump(include={"programs", "services"}))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _cross_problems(doc: dict, lines: "_Lines | None" = None) -> list[str]:
    """Checks across entries, on the document as read: unique ids, every service's program defined."""
    def entries(key: str) -> list[tuple[int, Any, dict]]:
        value = doc.get(key)
        rows = value if isinstance(value, list) else []
        return [(i, row.get("id"), row) for i, row in enumerate(rows)
                if isinstance(row, dict) and isinstance(row.get("id"), str)]

    def at(key: str, i: int, field: str) -> str:
        return _at(lines, (key, i, field)) if lines is not None else ""

    problems = []
    for key, kind in (("programs", "programa"), ("services", "servicio")):
        seen: set[str] = set()
        for i, ident, _ in entries(key):
            if ident in seen:
                problems.append(f"{at(key, i, 'id')}{kind} '{ident}' está repetido ({key}[{i}]); "
                                "cada id debe ser único")
            seen.add(ident)
    program_ids = [ident for _, ident, _ in entries("programs")]
    for i, ident, row in entries("services"):
        program = row.get("program")
        if isinstance(program, str) and program not in program_ids:
            problems.append(
                f"{at('services', i, 'program')}servicio '{ident}': el programa '{program}' no existe; "
                f"los programas son: {', '.join(program_ids)}"
            )
    return problems


class CoverageData:
    """A validated coverage file with each service's coverage resolved to unit codes."""

    def __init__(self, file: CoverageFile, codes: dict[str, tuple[str, ...]], path: Path | None = None):
        self.file = file
        self.path = path
        #: service id → sorted ISO codes of the units it reaches
        self.codes = codes

    @property
    def services(self) -> list[Service]:
        return list(self.file.services)

    @property
    def programs(self) -> list[Program]:
        return list(self.file.programs)

    def service(self, service_id: str) -> Service:
        for s in self.file.services:
            if s.id == service_id:
                return s
        raise UnknownServiceError(service_id, [s.id for s in self.file.services])

    def program(self, program_id: str) -> Program:
        return next(p for p in self.file.programs if p.id == program_id)


# --- reading -----------------------------------------------------------------------------------

_MESSAGES = {
    "extra_forbidden": "campo desconocido; revise la ortografía (los campos válidos están en el esquema: "
    "`mimpmap schema`)",
    "missing": "falta este campo obligatorio",
    "int_type": "debe ser un número entero sin separadores (p. ej. 114495)",
    "int_from_float": "debe ser un número entero, no decimal",
    "greater_than_equal": "no puede ser negativo",
    "string_type": "debe ser un texto",
    "list_type": "debe ser una lista",
    "string_too_short": "no puede estar vacío",
    "string_pattern_mismatch": "solo minúsculas, dígitos y guiones (p. ej. 'linea-100')",
    "literal_error": "valor no permitido",
    "too_short": "la lista está vacía; añada al menos un elemento",
    "too_long": "tiene demasiados elementos",
    "tuple_type": "debe ser una lista de dos números, p. ej. [-12.0464, -77.0428]",
    "model_type": "debe ser un mapa con sus campos (clave: valor)",
    "dict_type": "debe ser un mapa con sus campos (clave: valor)",
    "float_type": "debe ser un número",
    "float_parsing": "debe ser un número",
}


def _where(doc: Any, loc: tuple) -> str:
    """"servicio 'cai', coverage[1]" for a location in the document, naming the entry by its id."""
    parts: list[str] = []
    if len(loc) >= 2 and loc[0] in ("services", "programs") and isinstance(loc[1], int):
        kind = "servicio" if loc[0] == "services" else "programa"
        item = doc.get(loc[0], [])[loc[1]] if isinstance(doc, dict) else None
        ident = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        parts.append(f"{kind} '{ident}'" if ident else f"{loc[0]}[{loc[1]}]")
        loc = loc[2:]
    path = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in loc).lstrip(".")
    if path:
        parts.append(path)
    return ", ".join(parts) if parts else "el archivo"


# Names pydantic adds to a location for the branches of a union or a validator: not part of the file.
_BRANCH = re.compile(r"^(?:list|union|literal|tuple|function-(?:before|after|wrap))\[|^(?:str|int|constrained-str|function-(?:before|after|wrap))$")


def _clean_loc(loc: tuple) -> tuple:
    return tuple(k for k in loc if not (isinstance(k, str) and _BRANCH.match(k)))


def _messages(doc: Any, err: ValidationError, lines: _Lines) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for e in err.errors(include_url=False):
        loc = _clean_loc(e["loc"])
        etype = e["type"]
        if etype == "value_error" and not loc:
            continue  # checks across entries: _cross_problems reports them, with their lines
        if etype == "value_error":
            msg = str(e["ctx"]["error"]) if "ctx" in e else e["msg"]
        else:
            msg = _MESSAGES.get(etype, e["msg"])
        if etype in ("int_type", "int_from_float", "greater_than_equal", "string_type"):
            msg = f"{e.get('input')!r}: {msg}"
        at = _at(lines, loc)
        if etype == "extra_forbidden":
            msg = f"'{loc[-1]}': {msg}"
            loc = loc[:-1]
        if etype == "literal_error" and loc and loc[-1] == "coverage":
            msg = f"{e.get('input')!r}: escriba 'nacional' o una lista de departamentos"
        if loc and loc[-1] == "value" and len(loc) > 1 and isinstance(loc[-2], int):
            loc = loc[:-1]  # a plain number in `values`, not a {value: ...} mapping
            at = _at(lines, loc)
        line = f"{at}{_where(doc, loc)}: {msg}"
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


def _resolve_coverage(file: CoverageFile, lines: _Lines) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    codes: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for service in file.services:
        if service.national:
            codes[service.id] = places.ALL_CODES
            continue
        found: set[str] = set()
        for i, name in enumerate(service.coverage):
            try:
                found.update(places.resolve(name))
            except UnknownPlaceError as exc:
                at = _at(lines, ("services", file.services.index(service), "coverage", i))
                problems.append(f"{at}servicio '{service.id}', coverage[{i}]: {exc}")
        codes[service.id] = tuple(sorted(found))
    for n, service in enumerate(file.services):
        for i, site in enumerate(service.centres.sites if service.centres else []):
            site_codes = places.lookup(site.department)
            if site_codes is None:
                problem = str(UnknownPlaceError(site.department, places.suggest(site.department)))
            elif not set(site_codes) <= set(codes[service.id]):
                problem = (f"'{site.department}' no está en la cobertura del servicio; "
                           "añádalo a coverage o corrija el departamento del centro")
            else:
                continue
            at = _at(lines, ("services", n, "centres", "sites", i, "department"))
            problems.append(f"{at}servicio '{service.id}', centres.sites[{i}].department: {problem}")
    return codes, problems


def parse_coverage(text: str, path: Path | str | None = None) -> CoverageData:
    """Validate the text of a coverage file. Raises :class:`DataError` listing every problem."""
    where = str(path) if path else None
    try:
        doc, root = _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"línea {mark.line + 1}, columna {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.constructor.ConstructorError):  # ours: a key written twice
            raise DataError(f"{at}{problem}", where) from None
        raise DataError(f"{at}el YAML no se puede leer ({problem}); revise la sangría y los dos puntos", where)
    lines = _Lines(root)
    if not isinstance(doc, dict):
        raise DataError("el archivo debe ser un mapa YAML con title, source, programs y services", where)
    try:
        file = CoverageFile.model_validate(doc)
    except ValidationError as exc:
        problems = _messages(doc, exc, lines)
        # Checks that pydantic skips once a field is wrong are still worth reporting in this run.
        problems += _place_problems(doc, lines) + _cross_problems(doc, lines)
        raise DataError(problems, where) from None
    codes, problems = _resolve_coverage(file, lines)
    if problems:
        raise DataError(problems, where)
    return CoverageData(file, codes, Path(path) if path else None)


def _place_problems(doc: dict, lines: _Lines) -> list[str]:
    out = []
    services = doc.get("services")
    for n, s in enumerate(services if isinstance(services, list) else []):
        if not isinstance(s, dict) or not isinstance(s.get("coverage"), list):
            continue
        for i, name in enumerate(s["coverage"]):
            if isinstance(name, (str, int)) and not isinstance(name, bool) and places.lookup(name) is None:
                exc = UnknownPlaceError(str(name), places.suggest(str(name)))
                at = _at(lines, ("services", n, "coverage", i))
                out.append(f"{at}servicio '{s.get('id')}', coverage[{i}]: {exc}")
    return out


def _line_index(root: yaml.Node | None) -> dict[tuple, int]:
    """Path in the document (("services", 1, "coverage", 0)) → its line number in the file."""
    index: dict[tuple, int] = {}

    def walk(node, path):
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                index[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
                index[path + (key.value,)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return index


class _Lines:
    """The line index of a document, built only when a problem needs a line number."""

    def __init__(self, root: yaml.Node | None):
        self.root = root
        self._index: dict[tuple, int] | None = None

    def get(self, loc: tuple) -> int | None:
        if self._index is None:
            self._index = _line_index(self.root)
        return self._index.get(loc)


def _at(lines: _Lines, loc: tuple) -> str:
    """"línea 12: " for the deepest part of ``loc`` the file has."""
    for end in range(len(loc), 0, -1):
        line = lines.get(loc[:end])
        if line is not None:
            return f"línea {line}: "
    return ""


def default_data_path() -> Path:
    """`data/coverage.yaml` of the working directory, else the copy shipped in the package."""
    local = Path("data/coverage.yaml")
    if local.is_file():
        return local
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / "coverage.yaml"))


def read_coverage(path: Path | str | None = None) -> CoverageData:
    """Read and validate a coverage file (default: :func:`default_data_path`)."""
    path = Path(path) if path is not None else default_data_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"no existe el archivo '{path}'; indique otro con --data") from None
    except IsADirectoryError:
        raise DataError(f"'{path}' es una carpeta; indique un archivo .yaml con --data") from None
    except PermissionError:
        raise DataError(f"no hay permiso para leer '{path}'; revise sus permisos o cópielo a otra carpeta") from None
    except OSError as exc:
        raise DataError(f"no se puede leer '{path}': la ruta no lleva a un archivo ({exc.strerror}); "
                        "indique otro con --data") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"byte {exc.start}: el archivo no está en UTF-8; guárdelo como UTF-8", str(path)) from None
    return parse_coverage(text, path)


def json_schema() -> str:
    """The JSON Schema of the coverage file, as stable, pretty-printed JSON text."""
    schema = CoverageFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Cobertura de servicios del MIMP (mimpmap)"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
