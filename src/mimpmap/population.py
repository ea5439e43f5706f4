"""How many people live in each map unit, and how many of them a service's units hold.

The population file (``data/population.csv``) is a small CSV with one row per map unit, a few
``# clave: valor`` lines that say what the figures are, and an optional national total row::

    # titulo: Población censada
    # año: 2017
    # fuente: INEI, Censos Nacionales 2017 ...
    # fuente mujeres: INEI, ...          (one source line for each group column)
    codigo,nombre,poblacion,mujeres
    PE-AMA,Amazonas,379384,...
    ...
    PE,Perú (total),29381884,...

``codigo`` takes what :mod:`mimpmap.places` understands (ISO code, UBIGEO, or a name) in the file's
level (:data:`~mimpmap.levels.DEFAULT_LEVEL` unless told); ``nombre`` is optional and, when it names a
unit, must name the same one. ``poblacion`` is the total; any other
column is a *group* (``mujeres``, ``0_17``, ``60_mas``...) and needs its own ``# fuente <columna>:``
line: no figure ships without its source. A merge (Lima) must come split in its units.

:func:`read_population` validates the file and reports every problem at once, each with its line, as
one :class:`~mimpmap.errors.PopulationError`. :meth:`Population.reach` answers "how many people live
where this service works". Nothing here prints, draws or exits.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from . import places
from .errors import PopulationError
from .levels import DEFAULT_LEVEL, Level
from .readers.comments import FILE_SOURCE, LineProblems, Metadata, decode, fold
from .text import closest

#: The file is 27 short rows; anything past this size is not a population file.
MAX_BYTES = 1024 * 1024

CODE_COLUMN = "codigo"
NAME_COLUMN = "nombre"
TOTAL_COLUMN = "poblacion"
#: Codes of the national total row (compared folded: "pe", "total").
TOTAL_ROW_CODES = ("pe", "total")

_COLUMN_NAME = re.compile(r"^[a-z0-9_]+$")
# A count: digits, or digits grouped by spaces the way INEI prints them ("1 083 519").
_COUNT = re.compile(r"^-?(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)$")


@dataclass(frozen=True)
class Reach:
    """How many people live in the units a service reaches, and in the rest of Peru.

    ``group_used`` is the column the figures come from: the group asked for, or ``poblacion`` (the
    total) when no group was asked for or the file has no column for it (then ``group_missing``).
    """

    reached: int
    not_reached: int
    share: float
    group: str | None
    group_used: str
    #: a group was asked for and the file has no column for it: the total was used instead
    group_missing: bool = False

    @property
    def total(self) -> int:
        return self.reached + self.not_reached


class Population:
    """A validated population file: a count per map unit for the total and for each group."""

    def __init__(
        self,
        counts: Mapping[str, Mapping[str, int]],
        *,
        year: int,
        sources: Mapping[str, str],
        title: str = "Población",
        path: Path | None = None,
        level: Level = DEFAULT_LEVEL,
    ):
        #: the level whose units the counts are of
        self.level = level
        #: column → unit code → count, in the order of the level's units
        self._counts = {col: {u.iso: int(by_unit[u.iso]) for u in level.units} for col, by_unit in counts.items()}
        if TOTAL_COLUMN not in self._counts:
            raise ValueError(f"counts needs a '{TOTAL_COLUMN}' column")
        self.year = year
        self.title = title
        #: column → where its figures come from
        self.sources = dict(sources)
        self.path = path

    @property
    def source(self) -> str:
        """Where the total comes from."""
        return self.sources[TOTAL_COLUMN]

    @property
    def groups(self) -> tuple[str, ...]:
        """The group columns this file has, besides the total (``mujeres``, ``60_mas``...)."""
        return tuple(col for col in self._counts if col != TOTAL_COLUMN)

    @property
    def total(self) -> int:
        """Peru's population: the sum of the total column over the level's units."""
        return sum(self._counts[TOTAL_COLUMN].values())

    def column(self, group: str | None = None) -> str:
        """The column that answers for ``group``: the group's own, else the total's."""
        if group is not None and fold(group) in self._counts:
            return fold(group)
        return TOTAL_COLUMN

    def by_unit(self, group: str | None = None) -> dict[str, int]:
        """Unit code → count, for every unit (the group's column, else the total)."""
        return dict(self._counts[self.column(group)])

    def of(self, codes: Iterable[str], group: str | None = None) -> int:
        """The people living in the units ``codes`` (ISO codes of map units; each counted once)."""
        by_unit = self._counts[self.column(group)]
        return sum(by_unit[code] for code in _unit_codes(codes, self.level))

    def reach(self, codes: Iterable[str], group: str | None = None) -> Reach:
        """The people a service's units hold, their share of Peru's, and the people left out."""
        column = self.column(group)
        everyone = sum(self._counts[column].values())
        reached = self.of(codes, column)
        return Reach(
            reached=reached,
            not_reached=everyone - reached,
            share=reached / everyone if everyone else 0.0,
            group=group,
            group_used=column,
            group_missing=group is not None and fold(group) != column,
        )

    def __repr__(self) -> str:
        return f"<Population {self.year}: {self.total} personas, columnas {list(self._counts)}>"


def _unit_codes(codes: Iterable[str], level: Level) -> set[str]:
    if isinstance(codes, str):  # one code, not its letters
        codes = (codes,)
    out = set()
    for code in codes:
        if code not in level.by_code:
            raise places.unknown_place(code, level)
        out.add(code)
    return out


# --- reading -----------------------------------------------------------------------------------


def default_population_path() -> Path:
    """`data/population.csv` of the working directory, else the copy shipped in the package."""
    from .inputs import default_path

    return default_path("population")


def read_population(path: Path | str | None = None, raw: bytes | None = None,
                    level: Level = DEFAULT_LEVEL) -> Population:
    """Read and validate a population file (default: :func:`default_population_path`) of ``level``'s
    units; ``raw``: its bytes, read already.

    Raises :class:`~mimpmap.errors.PopulationError` listing every problem found, and
    :class:`~mimpmap.errors.InputFileError` for a file that cannot be read or is of another kind.
    """
    path = Path(path) if path is not None else default_population_path()
    from .readers.files import POPULATION, read_input
    from .readers.kinds import refuse_foreign

    data = read_input(path, MAX_BYTES, POPULATION) if raw is None else raw
    refuse_foreign(path, data, POPULATION)  # the coverage file, a GeoJSON, a workbook: named for what it is
    text = decode(data, lambda message: PopulationError(message, str(path)))
    return parse_population(text, path, level)


def parse_population(text: str, path: Path | str | None = None, level: Level = DEFAULT_LEVEL) -> Population:
    """Validate the text of a population file. Raises :class:`PopulationError` listing every problem."""
    reader = _Reader(text.lstrip("\ufeff"), level)
    reader.run()
    if reader.problems:
        raise PopulationError(reader.problems, str(path) if path else None)
    meta = reader.meta
    return Population(
        reader.counts,
        year=meta.year,
        sources={TOTAL_COLUMN if column == FILE_SOURCE else column: text for column, text in meta.sources.items()},
        title=meta.title or "Población",
        path=Path(path) if path else None,
        level=level,
    )


def _suggestion(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = closest(value, choices, cutoff=cutoff)
    return f"; ¿quiso decir '{close[0]}'?" if close else ""


class _Reader(LineProblems):
    """One pass over the file's lines: metadata, header, rows; then the checks across rows."""

    def __init__(self, text: str, level: Level):
        super().__init__()
        self.level = level
        self.lines = text.splitlines()
        self.meta = Metadata(self.problem)
        self.counts: dict[str, dict[str, int]] = {}
        self._header_line: int | None = None

    def run(self) -> None:
        data: list[tuple[int, str]] = []
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if stripped.startswith("#"):
                self.meta.read(number, stripped)
            elif stripped:
                data.append((number, line))
        if not data:
            self.problem(None, "el archivo no tiene datos; la primera línea que no empieza por '#' debe ser "
                               f"la cabecera '{CODE_COLUMN},{NAME_COLUMN},{TOTAL_COLUMN}'")
            self._check_metadata(columns=())
            return
        (header_line, header), rows = data[0], data[1:]
        self._header_line = header_line
        delimiter = ";" if ";" in header and "," not in header else ","
        columns = self._header(header_line, header, delimiter)
        if columns is not None:
            self._rows(rows, columns, delimiter)
        self._check_metadata(columns or ())

    # metadata -------------------------------------------------------------------------------

    def _check_metadata(self, columns: Iterable[str]) -> None:
        columns = list(columns)
        self.meta.check_required(f"la columna '{TOTAL_COLUMN}' (institución, cuadro, censo o año)")
        for column in columns:
            if column not in (CODE_COLUMN, NAME_COLUMN, TOTAL_COLUMN) and column not in self.meta.source_lines:
                self.problem(self._header_line, f"la columna '{column}' no tiene fuente; añada una línea "
                                   f"'# fuente {column}: …' o quite la columna")
        for column, number in self.meta.source_lines.items():
            if column not in columns and columns:
                groups = [c for c in columns if c not in (CODE_COLUMN, NAME_COLUMN, TOTAL_COLUMN)]
                self.problem(number, f"'# fuente {column}:' es la fuente de una columna que la cabecera no "
                                     f"tiene{_suggestion(column, groups)}")

    # header -----------------------------------------------------------------------------------

    def _header(self, number: int, line: str, delimiter: str) -> list[str] | None:
        fields = self._split(number, line, delimiter)
        if fields is None:
            return None
        columns = [fold(f) for f in fields]
        while columns and not columns[-1]:  # a spreadsheet's trailing separators
            columns.pop()
        ok = True
        seen: set[str] = set()
        for i, column in enumerate(columns, start=1):
            if not column:
                self.problem(number, f"la columna {i} de la cabecera no tiene nombre")
                ok = False
            elif not _COLUMN_NAME.match(column):
                self.problem(number, f"'{fields[i - 1].strip()}': un nombre de columna solo lleva letras sin "
                                     "tilde, dígitos y '_' (p. ej. 'mujeres', '0_17', '60_mas')")
                ok = False
            elif column in seen:
                self.problem(number, f"la columna '{column}' está repetida; deje una sola")
                ok = False
            seen.add(column)
        for required in (CODE_COLUMN, TOTAL_COLUMN):
            if required not in columns:
                self.problem(number, f"falta la columna '{required}' en la cabecera"
                                     f"{_suggestion(required, [c for c in columns if c])}")
                ok = False
        return columns if ok else None

    def _split(self, number: int, line: str, delimiter: str) -> list[str] | None:
        try:
            return next(csv.reader([line], delimiter=delimiter))
        except csv.Error as exc:
            self.problem(number, f"la línea no se puede leer como CSV ({exc})")
            return None

    # rows -------------------------------------------------------------------------------------

    def _rows(self, rows: list[tuple[int, str]], columns: list[str], delimiter: str) -> None:
        values = [c for c in columns if c not in (CODE_COLUMN, NAME_COLUMN)]
        code_at = columns.index(CODE_COLUMN)
        name_at = columns.index(NAME_COLUMN) if NAME_COLUMN in columns else None
        unit_lines: dict[str, int] = {}
        counts: dict[str, dict[str, int]] = {c: {} for c in values}
        bad_columns: set[str] = set()
        total_row: tuple[int, dict[str, int | None]] | None = None
        for number, line in rows:
            fields = self._split(number, line, delimiter)
            if fields is None:
                bad_columns.update(values)
                continue
            while len(fields) > len(columns) and not fields[-1].strip():
                fields.pop()
            if len(fields) != len(columns):
                self.problem(number, f"tiene {len(fields)} valores y la cabecera {len(columns)} columnas "
                                     f"({', '.join(columns)}); revise los separadores")
                bad_columns.update(values)
                known = places.lookup(fields[code_at].strip(), self.level) if code_at < len(fields) else None
                if known is not None and len(known) == 1:
                    unit_lines.setdefault(known[0], number)  # the row is there, only unreadable
                continue
            row = {c: self._count(number, c, fields[columns.index(c)]) for c in values}
            bad_columns.update(c for c, v in row.items() if v is None)
            if row[TOTAL_COLUMN] is not None:
                for group in values:
                    if group != TOTAL_COLUMN and row[group] is not None and row[group] > row[TOTAL_COLUMN]:
                        self.problem(number, f"columna '{group}': {row[group]} es más que la población total de "
                                             f"la fila ({row[TOTAL_COLUMN]}); revise las dos cifras")
            code_text = fields[code_at].strip()
            if fold(code_text) in TOTAL_ROW_CODES:
                if total_row is not None:
                    self.problem(number, f"hay otra fila de total (ya estaba en la línea {total_row[0]}); "
                                         "deje una sola")
                else:
                    total_row = (number, row)
                continue
            code = self._unit(number, code_text)
            if code is None:
                bad_columns.update(values)
                continue
            if code in unit_lines:
                unit = self.level.unit(code)
                self.problem(number, f"{unit.nombre} ({code}) está repetido (ya estaba en la línea "
                                     f"{unit_lines[code]}); deje una sola fila")
                continue
            unit_lines[code] = number
            if name_at is not None:
                self._check_name(number, code, fields[name_at].strip())
            for column, value in row.items():
                if value is not None:
                    counts[column][code] = value
        missing = [u for u in self.level.units if u.iso not in unit_lines]
        for unit in missing:
            self.problem(None, f"falta la fila de {unit.nombre} ({unit.iso}); añádala con su población")
        if total_row is not None and not missing:
            number, row = total_row
            for column in values:
                stated = row[column]
                if stated is None or column in bad_columns:
                    continue
                added = sum(counts[column].values())
                if stated != added:
                    self.problem(number, f"fila de total, columna '{column}': dice {stated} y las filas suman "
                                         f"{added} (diferencia {added - stated:+d}); corrija el total o la fila "
                                         "que no coincide")
        if not missing and not bad_columns and not sum(counts[TOTAL_COLUMN].values()):
            self.problem(None, f"la columna '{TOTAL_COLUMN}' suma 0; escriba la población de cada "
                               f"{self.level.noun.one}")
        self.counts = counts

    def _count(self, number: int, column: str, cell: str) -> int | None:
        text = cell.strip()
        if not text:
            self.problem(number, f"columna '{column}': falta el valor; escriba la cifra (0 si no hay nadie)")
            return None
        if not _COUNT.match(text):
            self.problem(number, f"columna '{column}': '{text}' no es un número entero; escríbalo sin puntos ni "
                                 "comas (p. ej. 379384)")
            return None
        value = int(re.sub(r"\D", "", text))
        if text.startswith("-"):
            self.problem(number, f"columna '{column}': '{text}' no puede ser negativo")
            return None
        return value

    def _unit(self, number: int, text: str) -> str | None:
        if not text:
            self.problem(number, f"falta el código {self.level.noun.of_the} en la columna '{CODE_COLUMN}'")
            return None
        codes = places.lookup(text, self.level)
        if codes is None:
            self.problem(number, f"columna '{CODE_COLUMN}': {places.unknown_place(text, self.level)}")
            return None
        if len(codes) > 1:
            parts = " y ".join(f"{c} ({self.level.unit(c).nombre})" for c in codes)
            self.problem(number, f"'{text}' es {self.level.noun.whole} de {self.level.name_of(codes)}; dé una fila "
                                 f"para cada parte, con su código: {parts}")
            return None
        return codes[0]

    def _check_name(self, number: int, code: str, name: str) -> None:
        named = places.lookup(name, self.level) if name else None
        if named is not None and code not in named:
            unit = self.level.unit(code)
            self.problem(number, f"el nombre '{name}' no corresponde al código '{code}' ({unit.nombre}); "
                                 "corrija uno de los dos")
