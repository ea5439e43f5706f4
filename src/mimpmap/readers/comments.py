"""The ``# clave: valor`` lines of a CSV input (population, centres): its title, year and sources.

::

    # titulo: Población censada
    # año: 2017
    # fuente: INEI, Censos Nacionales 2017 ...
    # fuente mujeres: INEI, ...          (the source of one column)

Any other line that begins with ``#`` is a free comment. :class:`Metadata` reads the lines one by one
and reports each problem with its line through the callback it is given, so that the file's reader
lists them among its own, in the file's order.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from ..text import closest

# "# año: 2017", "# fuente: ...", "# fuente mujeres: ..."; any other comment is free text.
_META = re.compile(r"^#\s*(?P<key>[^\W\d_]+)(?:[ \t]+(?P<column>[\w]+))?[ \t]*:(?P<value>.*)$")
_KEYS = ("titulo", "ano", "fuente")
_KEY_SPELLING = {"titulo": "título", "ano": "año", "fuente": "fuente"}
#: The key of the file's own source in :attr:`Metadata.sources` (a column's source is under its name).
FILE_SOURCE = ""

Problem = Callable[["int | None", str], None]


def line_place(number: int) -> str:
    """Where line ``number`` of a text file is, as a message says it."""
    return f"línea {number}"


class LineProblems:
    """The problems of a file, each with its line (``None``: the whole file's), listed in the file's
    order, then the whole file's. ``place`` says where a line is ("línea 12", "hoja centros, fila 12")."""

    def __init__(self, place: Callable[[int], str] = line_place):
        self.place = place
        self._problems: list[tuple[int, str]] = []

    def problem(self, line: int | None, message: str) -> None:
        self._problems.append((line or 0, f"{self.place(line)}: {message}" if line else message))

    @property
    def problems(self) -> list[str]:
        return [message for _, message in sorted(self._problems, key=lambda p: (p[0] == 0, p[0]))]


def decode(raw: bytes, error: Callable[[str], Exception]) -> str:
    """The text of a CSV input (UTF-8, with or without a byte order mark); ``error(message)`` is
    raised for any other encoding."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"byte {exc.start}: el archivo no está en UTF-8; guárdelo como «CSV UTF-8»") from None


def fold(text: str) -> str:
    """Case and accents do not matter in column names and keys: "Población" is "poblacion"."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Metadata:
    """What the ``#`` lines of a file say. ``words`` names what the file holds ("las cifras"), and
    ``example_year`` is the year its messages suggest."""

    def __init__(self, problem: Problem, words: str = "las cifras", example_year: int = 2017):
        self._problem = problem
        self._words = words
        self._example_year = example_year
        self.title: str | None = None
        self.year: int = 0
        #: :data:`FILE_SOURCE` → the file's source; column → the source of that column
        self.sources: dict[str, str] = {}
        #: key ("ano", "fuente", "fuente mujeres") → its line
        self.lines: dict[str, int] = {}
        #: column → the line of its "# fuente <column>:"
        self.source_lines: dict[str, int] = {}

    def read(self, number: int, line: str) -> None:
        """Take in the comment line ``line`` (stripped), line ``number`` of the file."""
        match = _META.match(line)
        if match is None:
            return  # a free comment
        key, column, value = fold(match["key"]), match["column"], match["value"].strip()
        if key not in _KEYS:
            close = closest(key, _KEYS, cutoff=0.75)
            if close:
                self._problem(number, f"'# {match['key']}:' no es una clave conocida; "
                                      f"¿quiso decir '# {_KEY_SPELLING[close[0]]}:'?")
            return  # otherwise a free comment that happens to hold a colon
        if column is not None and key != "fuente":
            return  # "# año pasado: ..." is prose, not a key
        name = f"{key} {fold(column)}" if column else key
        if name in self.lines:
            self._problem(number, f"'# {name}:' está repetido (ya estaba en la línea {self.lines[name]}); "
                                  "deje una sola línea")
            return
        self.lines[name] = number
        self._value(number, name, key, column, value)

    def _value(self, number: int, name: str, key: str, column: str | None, value: str) -> None:
        if not value:
            self._problem(number, f"'# {name}:' está vacío; escriba después de los dos puntos "
                                  + (f"de dónde salen {self._words}" if key == "fuente" else "su valor"))
        elif key == "titulo":
            self.title = value
        elif key == "ano":
            if re.fullmatch(r"\d{4}", value) and 1800 <= int(value) <= 2200:
                self.year = int(value)
            else:
                self._problem(number, f"'{value}' no es un año; escriba p. ej. '# año: {self._example_year}'")
        elif column is None:
            self.sources[FILE_SOURCE] = value
        else:
            self.sources[fold(column)] = value
            self.source_lines[fold(column)] = number

    def check_required(self, source_of: str) -> None:
        """Report a missing year or source; ``source_of`` says what the source line is the source of
        ("la columna 'poblacion' (institución, cuadro, censo o año)")."""
        if "ano" not in self.lines:
            self._problem(None, f"falta la línea '# año: …' con el año de {self._words} (p. ej. "
                                f"'# año: {self._example_year}') antes de la cabecera")
        if "fuente" not in self.lines:
            self._problem(None, f"falta la línea '# fuente: …' que dice de dónde sale {source_of}")
