"""Women and men by department, province and district: the census file (``data/censo_2025.csv``), read
and validated.

The file is a CSV in UTF-8 with the ``# clave: valor`` lines of the population file (``# año:`` and
``# fuente:`` required), a header and one row per place::

    # año: 2025
    # fuente: INEI, Censos Nacionales 2025 ...
    ubigeo,nivel,nombre,total,mujeres,hombres
    01,departamento,AMAZONAS,467688,233011,234677
    0101,provincia,CHACHAPOYAS,65527,33269,32258

``ubigeo`` is INEI's code, 2, 4 or 6 digits as ``nivel`` says (``departamento``, ``provincia``,
``distrito``); ``total`` = ``mujeres`` + ``hombres`` on every row. Every department needs its row, and
the provinces of a department, where given, add up to it. :func:`read_census` reports every problem at
once, each with its line, as one :class:`~mimpmap.errors.CensusError`; a file of another kind (the
population file, a workbook, a GeoJSON) is named for what it is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

from .errors import CensusError
from .levels import DEFAULT_LEVEL, DEPARTMENT_COLUMN, DEPARTMENTS, Level
from .readers.comments import FILE_SOURCE, LineProblems, Metadata, decode, fold
from .text import join_words

if TYPE_CHECKING:
    from .population import Population

#: The shipped file is about 100 KB; one of every district of Peru would not reach this.
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = ("ubigeo", "nivel", "nombre", "total", "mujeres", "hombres")
#: Level → how many digits its UBIGEO has.
LEVEL_DIGITS: Mapping[str, int] = MappingProxyType({DEPARTMENT_COLUMN: 2, "provincia": 4, "distrito": 6})  # the file's `nivel` values
COUNTS = ("total", "mujeres", "hombres")
#: The column of the women, and the group a population of the census has besides the total.
WOMEN = "mujeres"


@dataclass(frozen=True)
class Place:
    """One row of the census: a department, province or district and its people."""

    ubigeo: str
    nivel: str
    nombre: str
    total: int
    mujeres: int
    hombres: int


@dataclass(frozen=True)
class Census:
    """A validated census file: its places by UBIGEO, and where the figures come from."""

    places: Mapping[str, Place]
    year: int
    source: str
    title: str | None = None
    path: Path | None = None

    def level(self, nivel: str) -> tuple[Place, ...]:
        """The places of one level (``provincia``), in the file's order."""
        return tuple(p for p in self.places.values() if p.nivel == nivel)

    def population(self, level: Level = DEFAULT_LEVEL) -> Population:
        """Everyone and the women of each unit of ``level``, as a population file would give them.

        A unit's figures are its UBIGEO's row less the rows of the level's units inside it: Lima
        Provincias is department 15 less province 1501 (Lima Metropolitana); a province is its row.
        Raises :class:`~mimpmap.errors.CensusError` if the file lacks a unit's row.
        """
        from .population import TOTAL_COLUMN, Population

        missing = [f"{u.ubigeo} ({u.nombre})" for u in level.units if u.ubigeo not in self.places]
        if missing:
            raise CensusError([f"faltan las filas de {level.noun.the_many} {join_words(missing)}; añádalas"],
                              str(self.path) if self.path else None)
        counts: dict[str, dict[str, int]] = {TOTAL_COLUMN: {}, WOMEN: {}}
        for unit in level.units:
            inside = [self.places[u.ubigeo] for u in level.units
                      if u.ubigeo != unit.ubigeo and u.ubigeo.startswith(unit.ubigeo)]
            own = self.places[unit.ubigeo]
            counts[TOTAL_COLUMN][unit.iso] = own.total - sum(p.total for p in inside)
            counts[WOMEN][unit.iso] = own.mujeres - sum(p.mujeres for p in inside)
        return Population(counts, year=self.year, sources={TOTAL_COLUMN: self.source, WOMEN: self.source},
                          title=self.title or "Población", path=self.path, level=level)


def read_census(path: Path | str, *, raw: bytes | None = None) -> Census:
    """Read and validate a census file; ``raw``: its bytes, read already. Raises
    :class:`~mimpmap.errors.CensusError` listing every problem, and
    :class:`~mimpmap.errors.InputFileError` for a file that cannot be read or is of another kind."""
    from .readers.files import CENSUS, read_input
    from .readers.kinds import refuse_foreign

    path = Path(path)
    data = read_input(path, MAX_BYTES, CENSUS) if raw is None else raw
    refuse_foreign(path, data, CENSUS)
    return parse_census(decode(data, lambda message: CensusError(message, str(path))), path)


def parse_census(text: str, path: Path | str | None = None) -> Census:
    """Validate the text of a census file (see :func:`read_census`)."""
    check = _Check()
    meta = Metadata(check.problem, words="las cifras", example_year=2025)
    rows: list[tuple[int, str]] = []
    for n, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if line.strip().startswith("#"):
            meta.read(n, line.strip())
        elif line.strip():
            rows.append((n, line))
    if rows:
        check.table(rows)
    else:
        check.problem(None, f"el archivo no tiene filas: tras las líneas '#' van la cabecera ({','.join(COLUMNS)}) "
                            "y una fila por lugar")
    meta.check_required("la población (institución, censo y año)")
    if check.problems:
        raise CensusError(check.problems, str(path) if path else None)
    return Census(places=dict(check.places), year=meta.year, source=meta.sources.get(FILE_SOURCE, ""),
                  title=meta.title, path=Path(path) if path else None)


class _Check(LineProblems):
    def __init__(self):
        super().__init__()
        self.places: dict[str, Place] = {}
        self.lines: dict[str, int] = {}

    def table(self, rows: list[tuple[int, str]]) -> None:
        (first, header), body = rows[0], rows[1:]
        columns = [fold(c) for c in next(csv.reader([header]))]
        missing = [c for c in COLUMNS if c not in columns]
        if missing:
            self.problem(first, f"la cabecera no es la de un archivo del censo: faltan las columnas "
                                f"{join_words(missing)}; la cabecera es {','.join(COLUMNS)}")
            return
        for n, line in body:
            cells = next(csv.reader([line]), [])
            self.row(n, {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)})
        self.whole()

    def row(self, n: int, values: dict[str, str]) -> None:
        nivel, ubigeo = fold(values["nivel"]), values["ubigeo"]
        digits = LEVEL_DIGITS.get(nivel)
        if digits is None:
            self.problem(n, f"columna 'nivel': '{values['nivel']}' no es un nivel; escriba "
                            f"{join_words(LEVEL_DIGITS, last='o')}")
            return
        if not (ubigeo.isascii() and ubigeo.isdigit() and len(ubigeo) == digits):
            self.problem(n, f"columna 'ubigeo': '{ubigeo}' no es el ubigeo de un {nivel}; escriba sus {digits} "
                            "cifras (con el cero inicial, p. ej. " + "010101"[:digits] + ")")
            return
        counts = {c: _count(values[c]) for c in COUNTS}
        bad = [c for c in COUNTS if counts[c] is None]
        if bad:
            self.problem(n, f"{join_words([repr(c) for c in bad])}: no es un número entero de personas; "
                            "escriba solo cifras")
            return
        if counts["mujeres"] + counts["hombres"] != counts["total"]:
            self.problem(n, f"mujeres + hombres ({counts['mujeres'] + counts['hombres']}) no es el total "
                            f"({counts['total']}); corrija una de las tres cifras")
        if ubigeo in self.lines:
            self.problem(n, f"el ubigeo {ubigeo} está repetido (ya estaba en la línea {self.lines[ubigeo]}); "
                            "deje una sola fila")
            return
        self.lines[ubigeo] = n
        self.places[ubigeo] = Place(ubigeo, nivel, values["nombre"], **counts)

    def whole(self) -> None:
        """Every department is there (and Lima's province 1501, Lima Metropolitana), and provinces add up."""
        needed = sorted({u.ubigeo for u in DEPARTMENTS.units} | {u.ubigeo[:2] for u in DEPARTMENTS.units})
        missing = [u for u in needed if u not in self.places]
        if missing:
            self.problem(None, f"faltan las filas de los ubigeos {join_words(missing)} (cada {DEPARTMENTS.noun.one}, y la "
                               "provincia 1501, Lima Metropolitana, que el mapa separa); añádalas")
        sums: dict[str, int] = defaultdict(int)
        for place in self.places.values():
            if place.nivel == "provincia":
                sums[place.ubigeo[:2]] += place.mujeres
        for code, women in sums.items():
            department = self.places.get(code)
            if department is not None and department.mujeres != women:
                self.problem(self.lines[code], f"las provincias {DEPARTMENTS.noun.of_the} {code} suman {women} mujeres y "
                                               f"{DEPARTMENTS.noun.the} {department.mujeres}; corrija las cifras")


def _count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None
