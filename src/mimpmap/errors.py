"""The exceptions of mimpmap.

Every error the library raises on purpose derives from :class:`MimpmapError`. Subclasses also derive
from the built-in they resemble, so callers may catch either. Messages are Spanish and complete: they
name the bad value, where it is, and how to fix it. The CLI turns them into an exit code.
"""

from __future__ import annotations

import errno
import re

# Control characters (C0, DEL, C1) and the bidirectional overrides: text that could steer a terminal
# or reorder what a reader sees. Messages show them escaped; the model refuses them in text fields.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: The same, and the tab and the line feed: what may not appear in one value printed on a line.
UNSAFE_ON_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, one_line: bool = False) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``), safe for a console.
    With ``one_line`` (a value read from a file or a name given, printed within a line: a path, a
    field name) tabs and line feeds are escaped too, so that a value cannot forge a line."""
    unsafe = UNSAFE_ON_A_LINE if one_line else UNSAFE_CHARACTERS
    return unsafe.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


# What the system said went wrong with a file, in Spanish: every message that gives an OSError's
# reason takes it from here (the system's own text is English: "Not a directory").
_OS_REASONS = {
    errno.ENOENT: "no existe (ni el archivo ni alguna de sus carpetas)",
    errno.ENOTDIR: "una parte de la ruta es un archivo, no una carpeta",
    errno.EISDIR: "es una carpeta, no un archivo",
    errno.EEXIST: "ya existe un archivo con ese nombre donde hace falta una carpeta",
    errno.ENOTEMPTY: "la carpeta no está vacía",
    errno.EACCES: "permiso denegado",
    errno.EPERM: "operación no permitida (¿un archivo o carpeta protegido, p. ej. con chattr +i?)",
    errno.EROFS: "el disco es de solo lectura",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se agotó la cuota de disco",
    errno.EFBIG: "el archivo es demasiado grande para este disco",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.ELOOP: "hay un ciclo de enlaces simbólicos en la ruta",
    errno.EIO: "error de lectura o escritura del disco",
    errno.EBUSY: "está en uso por otro programa",
    errno.ETXTBSY: "está en uso por otro programa",
    errno.EMFILE: "hay demasiados archivos abiertos",
    errno.ENFILE: "hay demasiados archivos abiertos en el sistema",
    errno.ENOMEM: "no hay memoria suficiente",
    errno.ENXIO: "el dispositivo no existe o no está conectado",
    errno.ENODEV: "el dispositivo no existe o no está conectado",
    errno.EXDEV: "no se puede mover de un disco a otro",
    errno.EINVAL: "nombre o valor no válido para el sistema (¿un carácter que este disco no admite?)",
    errno.EPIPE: "el programa que leía la salida la cerró",
    errno.EAGAIN: "el recurso no está disponible por ahora; vuelva a intentarlo",
    errno.ESTALE: "el archivo de red ya no está disponible",
}


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Spanish: ``permiso denegado``, ``el nombre es demasiado largo``; for a
    rare error without a phrase here, its symbolic name (``error del sistema EREMOTEIO``)."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno) if isinstance(exc.errno, int) else None
    return f"error del sistema {name}" if name else "error del sistema"


class MimpmapError(Exception):
    """Root of every mimpmap error. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class DataError(MimpmapError, ValueError):
    """One or more problems in a coverage file. ``problems`` lists every message found."""

    def __init__(self, problems: list[str] | str, path: str | None = None):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = [printable(p) for p in problems]
        self.path = path
        head = f"{printable(str(path))}: " if path else ""
        if len(self.problems) == 1:
            text = head + self.problems[0]
        else:
            text = f"{head}{len(self.problems)} problemas:\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)


class InputFileError(MimpmapError, OSError):
    """An input file that cannot be read at all: missing, a folder, unreadable, not a regular file
    (a device, a pipe), too large, or of a type no reader knows. Exit code 2: the command was given
    the wrong file, which is a usage problem, not invalid data."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        super().__init__(printable(message))

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPlaceError(MimpmapError, ValueError):
    """A place name or code that is not a unit of a level (a department, or a Lima unit).

    ``what`` is the level's unit with its article ("un departamento"): :func:`mimpmap.places.unknown_place`
    makes this error with the level's words and suggestions.
    """

    def __init__(self, value: str, suggestions: list[str] | None = None, *, what: str | None = None,
                 hint: str = ""):
        if what is None:
            from .levels import DEFAULT_LEVEL

            what = DEFAULT_LEVEL.noun.a
        self.value = value
        self.suggestions = list(suggestions or [])
        msg = f"'{value}' no es {what} del Perú"
        if self.suggestions:
            msg += "; ¿quiso decir " + " o ".join(f"'{s}'" for s in self.suggestions) + "?"
        if hint:  # how to write what was meant ("una provincia se escribe ...")
            msg += f" ({hint})"
        super().__init__(msg)


class AmbiguousPlaceError(MimpmapError, ValueError):
    """A name that is a unit of a level and also of the level above ("Cusco": a province and a
    department), written bare where either could be meant.

    ``what`` names both kinds ("una provincia y un departamento"); ``ways`` is each reading as (how to
    write it, what it then means). :func:`mimpmap.places.resolve` makes it with the levels' words.
    """

    def __init__(self, value: str, what: str, ways: list[tuple[str, str]]):
        self.value = value
        self.ways = list(ways)
        spelled = ", o ".join(f"'{spelling}' para {meaning}" for spelling, meaning in self.ways)
        super().__init__(f"'{value}' es a la vez {what}: escriba {spelled}")


class GeoError(MimpmapError, ValueError):
    """A boundary file that cannot be used (missing, unreadable, no usable key, no features)."""


class UnknownServiceError(MimpmapError, KeyError):
    """A service id that the coverage file does not define."""

    exit_code = 2

    def __init__(self, service_id: str, known: list[str], suggestions: list[str] = ()):
        self.service_id = service_id
        self.known = list(known)
        self.suggestions = list(suggestions)
        super().__init__(service_id)

    def __str__(self) -> str:
        guess = "".join(f"¿quiso decir '{s}'? " for s in self.suggestions[:1])
        return f"servicio desconocido '{self.service_id}'; {guess}los válidos son: {', '.join(self.known)}"


class UsageError(MimpmapError, ValueError):
    """An option value that makes no sense (an unknown format, say). Exit code 2, like click's."""

    exit_code = 2


class OutputError(MimpmapError, OSError):
    """An output that could not be written."""


class RenderError(MimpmapError, RuntimeError):
    """A process that rendered outputs ended before it sent them (killed: out of memory, say)."""


# --- population file (mimpmap.population) ------------------------------------------------------


class PopulationError(DataError):
    """One or more problems in a population file (``data/population.csv``). ``problems`` lists them all."""


# --- centres file (mimpmap.centres) ------------------------------------------------------------


class CentresError(DataError):
    """One or more problems in a centres file (``data/centros.csv``). ``problems`` lists them all."""


# --- census file (mimpmap.census) --------------------------------------------------------------


class CensusError(DataError):
    """One or more problems in a census file (``data/censo_2025.csv``). ``problems`` lists them all."""


# --- district points file (mimpmap.access) -------------------------------------------------------


class DistrictPointsError(DataError):
    """One or more problems in a district points file (``geo/peru_distritos_puntos.csv``)."""


# --- several input files at once (mimpmap.load) --------------------------------------------------


class InputErrors(MimpmapError):
    """Problems in more than one input file (coverage, boundaries, population), reported together.
    ``errors`` holds each file's error; the exit code is the highest of theirs."""

    def __init__(self, errors: list[MimpmapError]):
        self.errors = list(errors)
        self.exit_code = max(e.exit_code for e in self.errors)
        super().__init__("\n".join(str(e) for e in self.errors))


# --- boundary files (geography) ----------------------------------------------------------------


class ImplausibleBoundariesError(GeoError):
    """A boundary file that reads but cannot be the units it claims: most polygons name no unit (a
    province or district file), a unit lies outside Peru or misses its capital (a wrong key, moved
    coordinates), or a unit's geometry is empty. ``problems`` lists each finding (the message shows
    the first :attr:`MAX_SHOWN`), ``fix`` the remedy."""

    MAX_SHOWN = 8

    def __init__(self, problems: list[str] | str, path: str | None = None, fix: str = ""):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.path = path
        self.fix = fix
        head = f"'{path}': " if path else ""
        if len(self.problems) == 1:
            text = head + self.problems[0]
        else:
            shown = self.problems[:self.MAX_SHOWN]
            more = len(self.problems) - len(shown)
            lines = [f"  - {p}" for p in shown] + ([f"  - y {more} más"] if more else [])
            text = head + f"{len(self.problems)} problemas:\n" + "\n".join(lines) + "\n"
        if fix:
            text += ("; " if len(self.problems) == 1 else "") + fix
        super().__init__(text)
