"""Where the MIMP's centres are: the centres file (``data/centros.csv``), read and validated.

The file is a CSV in UTF-8 with a few ``# clave: valor`` lines (``# año:`` and ``# fuente:`` are
required, as in the population file), a header and one row per centre::

    # año: 2026
    # fuente: MIMP, Consolidado Directorio Nacional 2026
    tipo,subtipo,nombre,ubigeo,departamento,provincia,distrito,direccion,telefono,lat,lon
    HRT,,,01,Amazonas,,,,,,
    CEM,comisaría,Cem Comisaría Bagua,010201,Amazonas,Bagua,Bagua,Av. Heroes Del Cenepa N° 1000,932854358,-5.638914,-78.531048

(``;`` may separate the columns, as a spreadsheet in Spanish saves them; the same sheet in an
``.xlsx`` or ``.ods`` workbook, named ``centros`` or alone in its book, is read the same way.)
``tipo`` is one of :data:`KINDS`; ``subtipo`` one of its kind's, or empty; ``ubigeo`` is INEI's code
of the district (6 digits); ``lat``/``lon`` are WGS84 degrees, both or neither. Columns may come in
any order; ``subtipo``, ``departamento``, ``provincia``, ``distrito``, ``direccion`` and ``telefono``
may be left out.

**Shelters (HRT) are confidential.** An HRT row says only ``tipo`` and its department: ``ubigeo`` of
2 digits and, if given, ``departamento``. A name, address, phone, district, province, subtype or
position of a shelter is refused (and never quoted in the message): :attr:`Centres.shelters` is a
count per department, and nothing else of a shelter is kept.

:func:`read_centres` reports every problem at once, each with its line, as one
:class:`~mimpmap.errors.CentresError`. Refused: an unknown type or subtype, a bad ubigeo, a
department that is not the ubigeo's, a point outside Peru, half a position, a phone that is not one,
a row given twice, two names for one district or province. Warned about (``Centres.warnings``; the
centre is kept): a point far from the unit its ubigeo names (:func:`~mimpmap.centre_places.astray`:
such a centre is not placed on a map), two centres on one point, a numbered address shared by two
districts, and a name or address that names another district of the file than the row's
(:func:`~mimpmap.centre_places.misnamed`). Centres with
no position are listed in ``Centres.notes`` and never placed.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .centre_places import Astray, astray, astray_words, misnamed, unit_of
from .errors import UNSAFE_CHARACTERS, CentresError
from .levels import DEPARTMENT_COLUMN, DEPARTMENTS, PERU_POINTS, normalize
from .places import lookup
from .readers.comments import FILE_SOURCE, LineProblems, Metadata, decode, fold, line_place
from .text import closest, join_words, plural

#: A national directory is about 80 KB; a file past this size is not a centres file.
MAX_BYTES = 5 * 1024 * 1024
#: The sheet of a workbook that holds the centres (any sheet, if the book has only one).
SHEET = "centros"


@dataclass(frozen=True)
class Kind:
    """A kind of centre: its code in the file, its name, and the subtypes a row may give."""

    code: str
    name: str
    subtypes: tuple[str, ...] = ()


#: The kinds of centre, by code; names as the MIMP's directory gives them.
KINDS: dict[str, Kind] = {kind.code: kind for kind in (
    Kind("CEM", "Centro Emergencia Mujer", ("regular", "comisaría", "centro de salud")),
    Kind("SAR", "Servicio de Atención Rural", ("PIAS",)),
    Kind("SAU", "Servicio de Atención Urgente"),
    Kind("CAI", "Centro de Atención Institucional"),
    Kind("HRT", "Hogar de Refugio Temporal"),
)}
#: The confidential kind: counted per department, never located.
SHELTER = "HRT"

COLUMNS = ("tipo", "subtipo", "nombre", "ubigeo", DEPARTMENT_COLUMN, "provincia", "distrito", "direccion",
           "telefono", "lat", "lon")
REQUIRED = ("tipo", "nombre", "ubigeo", "lat", "lon")
#: All a shelter's row may fill.
SHELTER_COLUMNS = ("tipo", "ubigeo", DEPARTMENT_COLUMN)
#: The words for a centre's department: a centre is placed by its UBIGEO, whose first 2 digits are its
#: department whatever level the maps are drawn at.
DEPARTMENT = DEPARTMENTS.noun

#: Department UBIGEO (2 digits) → its name ("15" Lima, the whole department; "07" Callao).
DEPARTMENT_NAMES: dict[str, str] = {u.ubigeo: u.departamento for u in DEPARTMENTS.units if len(u.ubigeo) == 2}

_PHONE = re.compile(r"^\+?[\d\s()-]+$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class Centre:
    """One centre that may be shown: every kind but a shelter. ``line`` is its row in the file and
    ``unit`` the department-level map unit of its ubigeo (``PE-LMA`` for 1501, ``PE-LIM`` other 15)."""

    tipo: str
    subtipo: str
    nombre: str
    ubigeo: str
    departamento: str
    provincia: str
    distrito: str
    direccion: str
    telefono: str
    lat: float | None
    lon: float | None
    line: int
    unit: str

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def phones(self) -> tuple[str, ...]:
        """Its phone numbers, digits only (a leading ``+`` kept), for ``tel:`` links."""
        return phones(self.telefono)

    def label(self) -> str:
        """``CEM «Cem Regular Bagua»``, as messages name it."""
        return f"{self.tipo} «{self.nombre}»"


@dataclass(frozen=True)
class Centres:
    """A validated centres file."""

    #: Every centre but the shelters, in the file's order.
    sites: tuple[Centre, ...]
    #: Department UBIGEO (2 digits) → how many shelters (HRT) it has: all that is kept of them.
    shelters: Mapping[str, int]
    year: int
    source: str
    title: str | None = None
    path: Path | None = None
    #: The centres whose point is not where their ubigeo is (not placed on a map).
    astray: tuple[Astray, ...] = ()
    #: Doubts about the file, in Spanish, with their line: the centres are kept.
    warnings: tuple[str, ...] = ()
    #: What is worth knowing (centres without a position, checks not made), in Spanish.
    notes: tuple[str, ...] = ()

    @property
    def placed(self) -> tuple[Centre, ...]:
        """The centres a map places: with a position, and not astray."""
        doubted = {a.centre.line for a in self.astray}
        return tuple(c for c in self.sites if c.located and c.line not in doubted)

    @property
    def unlocated(self) -> tuple[Centre, ...]:
        """The centres without a position: counted and listed, never placed."""
        return tuple(c for c in self.sites if not c.located)

    def by_kind(self) -> dict[str, int]:
        """Kind code → how many centres of it, shelters included, in :data:`KINDS` order."""
        counts = Counter(c.tipo for c in self.sites)
        counts[SHELTER] = sum(self.shelters.values())
        return {code: counts[code] for code in KINDS if counts[code]}


def phones(text: str) -> tuple[str, ...]:
    """The phone numbers of a ``telefono`` cell (``"994 839 886 / 014197260"``), digits only."""
    out = []
    for part in text.split("/"):
        digits = re.sub(r"\D", "", part)
        if digits:
            out.append(("+" if part.strip().startswith("+") else "") + digits)
    return tuple(out)


def department_name(ubigeo: str) -> str:
    """The name of the department of ``ubigeo`` (its first 2 digits). A :class:`KeyError` if none."""
    return DEPARTMENT_NAMES[ubigeo[:2]]


# --- reading ---------------------------------------------------------------------------------------


@dataclass
class _Table:
    """The cells of a file: its ``#`` lines, its header and its rows, each with its line or row."""

    comments: list[tuple[int, str]] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    place: Callable[[int], str] = line_place
    problems: list[tuple[int, str]] = field(default_factory=list)


def read_centres(path: Path | str, boundaries=None, *, raw: bytes | None = None) -> Centres:
    """Read and validate a centres file (CSV, or a workbook ``.xlsx``/``.ods``).

    ``boundaries`` (a :class:`~mimpmap.geography.Boundaries`) lets each point be checked against the
    unit its ubigeo names; without them that check is skipped and a note says so. ``raw``: the file's
    bytes, already read (:func:`mimpmap.inputs.read_all` reads each input once). Raises
    :class:`~mimpmap.errors.CentresError` listing every problem found.
    """
    from .readers import SPREADSHEETS
    from .readers.files import CENTRES, read_input
    from .readers.kinds import refuse_foreign

    path = Path(path)
    if raw is None:
        raw = read_input(path, MAX_BYTES, CENTRES)
    spreadsheet = SPREADSHEETS.get(path.suffix.lower())
    # the coverage file, a census, a GeoJSON: named for what it is (a zip of no input: its reader says)
    refuse_foreign(path, raw, CENTRES, others_only=spreadsheet is not None and raw.startswith(b"PK"))
    if spreadsheet is not None:
        table = _sheet_table(spreadsheet(raw, str(path)), str(path))
    else:
        table = _csv_table(decode(raw, lambda message: CentresError(message, str(path))))
    return _validate(table, boundaries, path)


def parse_centres(text: str, path: Path | str | None = None, boundaries=None) -> Centres:
    """Validate the text of a centres CSV (see :func:`read_centres`)."""
    return _validate(_csv_table(text.lstrip("\ufeff")), boundaries, Path(path) if path else None)


def _csv_table(text: str) -> _Table:
    table = _Table()
    data: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            table.comments.append((n, stripped))
        elif stripped:
            data.append((n, line))
    if not data:
        return table
    header = data[0][1]
    delimiter = ";" if ";" in header and "," not in header else ","
    reader = csv.reader((line for _, line in data), delimiter=delimiter, strict=True)
    try:
        while True:
            start = data[reader.line_num][0] if reader.line_num < len(data) else data[-1][0]
            cells = next(reader, None)
            if cells is None:
                break
            table.rows.append((start, cells))
    except csv.Error as exc:
        table.problems.append((start, f"la línea no se puede leer como CSV ({exc}); revise las comillas"))
    return table


def _sheet_table(sheets: dict[str, list[tuple]], name: str) -> _Table:
    chosen = next((s for s in sheets if fold(s) == SHEET), None)
    if chosen is None and len(sheets) == 1:
        chosen = next(iter(sheets))
    if chosen is None:
        raise CentresError(f"el libro no tiene una hoja '{SHEET}' (tiene {join_words(sheets)}); ponga los "
                           f"centros en una hoja llamada '{SHEET}'", name)
    table = _Table(place=lambda row: f"hoja {chosen}, fila {row}")
    for n, values in enumerate(sheets[chosen], start=1):
        cells = [_cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells and cells[0].startswith("#"):
            table.comments.append((n, " ".join(cells)))
        elif cells:
            table.rows.append((n, cells))
    return table


def _cell_text(value) -> str:
    """A spreadsheet cell as the CSV would hold it: a whole number without ``.0`` (a phone, a UBIGEO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip()


# --- checks ----------------------------------------------------------------------------------------


class _Check(LineProblems):
    """Every row of the file, then the checks across rows."""

    def __init__(self, place: Callable[[int], str]):
        super().__init__(place)
        self.sites: list[Centre] = []
        self.shelters: Counter[str] = Counter()
        self.warned: list[tuple[int, str]] = []

    def warn(self, line: int, message: str) -> None:
        self.warned.append((line, f"{self.place(line)}: {message}"))

    def header(self, n: int, cells: list[str]) -> dict[str, int] | None:
        columns = [fold(c) for c in cells]
        while columns and not columns[-1]:
            columns.pop()
        ok = True
        for i, column in enumerate(columns):
            if column not in COLUMNS:
                # 'longitud' is 'lon' written out: a column named by its start is meant too
                close = closest(column, COLUMNS, cutoff=0.5) or [c for c in COLUMNS if column.startswith(c)][:1]
                guess = f"; ¿quiso decir '{close[0]}'?" if close else f" (las columnas son {', '.join(COLUMNS)})"
                self.problem(n, f"la columna {i + 1} ('{cells[i].strip()}') no es una columna de centros{guess}")
                ok = False
            elif column in columns[:i]:
                self.problem(n, f"la columna '{column}' está repetida; deje una sola")
                ok = False
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            self.problem(n, f"faltan en la cabecera las columnas {join_words(missing)} (la cabecera es la primera "
                            f"línea que no empieza por '#': {','.join(COLUMNS)})")
        return {c: i for i, c in enumerate(columns)} if ok and not missing else None

    def row(self, n: int, cells: list[str], columns: dict[str, int]) -> None:
        extra = [c for c in cells[len(columns):] if c.strip()]
        if extra:
            self.problem(n, f"tiene {len(columns) + len(extra)} valores y la cabecera {len(columns)} columnas; "
                            "revise los separadores y las comillas")
            return
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in columns.items()}
        values.update({c: "" for c in COLUMNS if c not in values})
        unsafe = [c for c in COLUMNS if UNSAFE_CHARACTERS.search(values[c])]
        if unsafe:
            which = f"la columna {unsafe[0]} contiene" if len(unsafe) == 1 else \
                f"las columnas {join_words(unsafe)} contienen"
            self.problem(n, f"{which} un carácter de control; bórrelo")
            return
        kind = self.kind(n, values["tipo"])
        if kind is not None and kind.code == SHELTER:
            self.shelter(n, values)
        elif kind is not None:
            self.site(n, kind, values)

    def kind(self, n: int, text: str) -> Kind | None:
        kind = KINDS.get(text.upper())
        if kind is None:
            known = join_words([f"{k.code} ({k.name})" for k in KINDS.values()], last="o")
            what = f"'{text}' no es un tipo de centro" if text else "falta el tipo de centro"
            self.problem(n, f"columna 'tipo': {what}; escriba {known}")
        return kind

    def shelter(self, n: int, values: dict[str, str]) -> None:
        filled = [c for c in COLUMNS if c not in SHELTER_COLUMNS and values[c]]
        if filled:
            self.problem(n, f"un HRT (Hogar de Refugio Temporal) es confidencial: de él solo se publica "
                            f"{DEPARTMENT.the}; deje vacías sus columnas {join_words(filled)} (nada debe decir dónde "
                            "está un refugio ni cómo se llama o se le llama)")
        code = values["ubigeo"]
        digits = _digits(code)
        if digits is not None and len(digits) in (4, 6) and digits[:2] in DEPARTMENT_NAMES:
            self.problem(n, f"columna 'ubigeo': un HRT lleva solo las 2 cifras de su {DEPARTMENT.one} "
                            f"('{digits[:2]}'): su provincia o distrito es confidencial")
            return
        ubigeo = self.ubigeo(n, code, 2)
        if ubigeo is not None and self.department(n, ubigeo, values[DEPARTMENT_COLUMN]) and not filled:
            self.shelters[ubigeo] += 1

    def site(self, n: int, kind: Kind, values: dict[str, str]) -> None:
        ubigeo = self.ubigeo(n, values["ubigeo"], 6)
        subtype = self.subtype(n, kind, values["subtipo"])
        if not values["nombre"]:
            self.problem(n, "columna 'nombre': falta el nombre del centro")
        position = self.position(n, values["lat"], values["lon"])
        phone_ok = self.phone(n, values["telefono"])
        department = ubigeo is not None and self.department(n, ubigeo, values[DEPARTMENT_COLUMN])
        if not (department and subtype is not None and values["nombre"] and position and phone_ok):
            return
        fields = {c: values[c] for c in ("nombre", "provincia", "distrito", "direccion", "telefono")}
        self.sites.append(Centre(tipo=kind.code, subtipo=subtype, ubigeo=ubigeo, lat=position[0], lon=position[1],
                                 departamento=values[DEPARTMENT_COLUMN] or department_name(ubigeo), line=n,
                                 unit=unit_of(ubigeo), **fields))

    def ubigeo(self, n: int, text: str, size: int) -> str | None:
        whose, example = ("distrito", "010201") if size == 6 else (DEPARTMENT.one, "01")
        digits = _digits(text)
        if digits is None or len(digits) != size:
            what = f"'{text}' no es un ubigeo" if text else "falta el ubigeo"
            self.problem(n, f"columna 'ubigeo': {what}; escriba las {size} cifras de su {whose} (p. ej. {example})")
            return None
        if digits[:2] not in DEPARTMENT_NAMES:
            self.problem(n, f"columna 'ubigeo': '{text}' no es de {DEPARTMENT.none} (las 2 primeras cifras van "
                            "de 01 a 25)")
            return None
        if size == 6 and "00" in (digits[2:4], digits[4:6]):
            self.problem(n, f"columna 'ubigeo': '{text}' no es el ubigeo de un distrito (ni la provincia ni el "
                            "distrito son 00); escriba las 6 cifras del distrito (p. ej. 010201)")
            return None
        return digits

    def department(self, n: int, ubigeo: str, text: str) -> bool:
        name = department_name(ubigeo)
        if not text or normalize(text) == normalize(name):
            return True
        unit = unit_of(ubigeo) if len(ubigeo) > 2 else None
        named = lookup(text, DEPARTMENTS)
        if unit is not None and named is not None and unit in named:
            return True
        self.problem(n, f"columna '{DEPARTMENT_COLUMN}': '{text}' no es {DEPARTMENT.the} del ubigeo {ubigeo} ({name}); "
                        "corrija uno de los dos")
        return False

    def subtype(self, n: int, kind: Kind, text: str) -> str | None:
        if not text:
            return ""
        for subtype in kind.subtypes:
            if normalize(subtype) == normalize(text):
                return subtype
        if kind.subtypes:
            known = join_words([f"'{s}'" for s in kind.subtypes], last="o")
            self.problem(n, f"columna 'subtipo': '{text}' no es un subtipo de {kind.code}; escriba {known}, o déjela "
                            "vacía")
        else:
            self.problem(n, f"columna 'subtipo': un {kind.code} no tiene subtipos; deje la columna vacía")
        return None

    def position(self, n: int, lat_text: str, lon_text: str) -> tuple[float | None, float | None] | None:
        if not lat_text and not lon_text:
            return (None, None)
        if not lat_text or not lon_text:
            given, missing = ("lat", "lon") if lat_text else ("lon", "lat")
            self.problem(n, f"hay '{given}' pero falta '{missing}'; escriba las dos coordenadas o ninguna")
            return None
        lat, lon = _degrees(lat_text), _degrees(lon_text)
        for column, text, value in (("lat", lat_text, lat), ("lon", lon_text, lon)):
            if value is None:
                self.problem(n, f"columna '{column}': '{text}' no es un número; escriba grados decimales (p. ej. "
                                "-12.0464 para lat, -77.0428 para lon)")
        if lat is None or lon is None:
            return None
        if not _in_peru(lat, lon):
            hint = ("; ¿están lat y lon intercambiadas?" if _in_peru(lon, lat)
                    else "; ¿falta el signo menos?" if _in_peru(-abs(lat), -abs(lon)) else "")
            west, south, east, north = PERU_POINTS
            self.problem(n, f"el punto (lat {lat_text}, lon {lon_text}) está fuera del Perú{hint}; corrija lat y "
                            f"lon (grados decimales WGS84: en el Perú, lat entre {south} y {north} y lon entre {west} "
                            f"y {east})")
            return None
        return (lat, lon)

    def phone(self, n: int, text: str) -> bool:
        parts = text.split("/") if text else []
        if all(_PHONE.match(p.strip()) and 6 <= len(re.sub(r"\D", "", p)) <= 15 for p in parts):
            return True
        self.problem(n, f"columna 'telefono': '{text}' no es un teléfono; escriba sus cifras y separe dos números "
                        "con ' / ' (p. ej. 994839908 / 014197260)")
        return False


def _digits(text: str) -> str | None:
    """A UBIGEO's digits, with the leading zero a spreadsheet drops put back (``10201`` → ``010201``)."""
    text = text.strip()
    if not text.isdigit() or not text.isascii():
        return None
    return "0" + text if len(text) % 2 else text


def _degrees(text: str) -> float | None:
    if not _NUMBER.match(text.strip()):
        return None
    value = float(text.strip().replace(",", "."))
    return value if math.isfinite(value) else None


def _in_peru(lat: float, lon: float) -> bool:
    west, south, east, north = PERU_POINTS
    return south <= lat <= north and west <= lon <= east


# --- across rows -----------------------------------------------------------------------------------


def _validate(table: _Table, boundaries, path: Path | None) -> Centres:
    check = _Check(table.place)
    for n, message in table.problems:
        check.problem(n, message)
    meta = Metadata(check.problem, words="los datos", example_year=2026)
    for n, text in table.comments:
        meta.read(n, text)
    if table.rows:
        (n, header), rows = table.rows[0], table.rows[1:]
        columns = check.header(n, header)
        for n, cells in rows if columns else ():
            check.row(n, cells, columns)
        _across(check)
    if not check.sites and not check.shelters and not check.problems:
        check.problem(None, "el archivo no tiene centros: tras las líneas '#' van la cabecera "
                            f"({','.join(COLUMNS)}) y una fila por centro")
    meta.check_required("el directorio de centros (institución, nombre del directorio y año)")
    if check.problems:
        raise CentresError(check.problems, str(path) if path else None)
    sites = tuple(check.sites)
    doubts = tuple(astray(sites, boundaries)) if boundaries is not None else ()
    for doubt in doubts:
        check.warn(doubt.centre.line, astray_words(doubt))
    warnings = tuple(message for _, message in sorted(check.warned, key=lambda w: w[0]))
    notes = tuple(_notes(sites, boundaries, check.place))
    return Centres(sites=sites, shelters=dict(sorted(check.shelters.items())), year=meta.year,
                   source=meta.sources.get(FILE_SOURCE, ""), title=meta.title, path=path, astray=doubts,
                   warnings=warnings, notes=notes)


def _across(check: _Check) -> None:
    """Rows given twice, two names for one place, shared points and addresses, misleading names."""
    first: dict[tuple, Centre] = {}
    for centre in check.sites:
        key = (centre.tipo, normalize(centre.nombre), centre.ubigeo)
        if key in first:
            check.problem(centre.line, f"{centre.label()} ({centre.ubigeo}) está repetido (ya estaba en la línea "
                                       f"{first[key].line}); deje una sola fila")
        first.setdefault(key, centre)
    _one_name(check, "distrito", 6, "el")
    _one_name(check, "provincia", 4, "la")
    _shared(check)
    for line, message in misnamed(check.sites):
        check.warn(line, message)


def _one_name(check: _Check, column: str, digits: int, article: str) -> None:
    """Every row of one district (province) calls it the same (accents and case aside)."""
    named: dict[str, Centre] = {}
    for centre in check.sites:
        name = getattr(centre, column)
        code = centre.ubigeo[:digits]
        other = named.setdefault(code, centre) if name else centre
        if normalize(getattr(other, column)) != normalize(name):
            check.problem(centre.line, f"columna '{column}': {article} {column} {code} se llama «{getattr(other, column)}» "
                                       f"en la línea {other.line} y «{name}» aquí; corrija el nombre o el ubigeo")


def _shared(check: _Check) -> None:
    """Two centres on one point, and one numbered address in two districts: warned, both kept."""
    points: dict[tuple, Centre] = {}
    addresses: dict[str, Centre] = {}
    for centre in check.sites:
        if centre.located:
            other = points.setdefault((centre.lat, centre.lon), centre)
            if other is not centre:
                check.warn(centre.line, f"{centre.label()} está en el mismo punto que {other.label()} (línea "
                                        f"{other.line}); compruebe sus coordenadas")
        address = normalize(centre.direccion)
        if re.search(r"\d", address):
            other = addresses.setdefault(address, centre)
            if other.ubigeo != centre.ubigeo:
                check.warn(centre.line, f"{centre.label()} ({centre.distrito or centre.ubigeo}) tiene la misma "
                                        f"dirección que {other.label()} (línea {other.line}), de otro distrito; "
                                        "compruebe la dirección")


def _notes(sites: tuple[Centre, ...], boundaries, place: Callable[[int], str]) -> list[str]:
    notes = []
    unlocated = [c for c in sites if not c.located]
    if unlocated:
        listed = join_words([f"{c.label()} ({place(c.line)})" for c in unlocated])
        verb = "se dibuja" if len(unlocated) == 1 else "se dibujan"
        notes.append(f"{plural(len(unlocated), 'centro', 'centros')} sin coordenadas no {verb} en los mapas: {listed}")
    if boundaries is None:
        notes.append(f"no se comprobó que cada punto caiga en {DEPARTMENT.the} de su ubigeo (no se dieron límites)")
    return notes
