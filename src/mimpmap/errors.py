"""The exceptions of mimpmap.

Every error the library raises on purpose derives from :class:`MimpmapError`. Subclasses also derive
from the built-in they resemble, so callers may catch either. Messages are Spanish and complete: they
name the bad value, where it is, and how to fix it. The CLI turns them into an exit code.
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1) and the bidirectional overrides: text that could steer a terminal
# or reorder what a reader sees. Messages show them escaped; the model refuses them in text fields.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``), safe for a console."""
    return UNSAFE_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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
        head = f"{path}: " if path else ""
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
    """A place name or code that is not a Peruvian department (or Lima unit)."""

    def __init__(self, value: str, suggestions: list[str] | None = None):
        self.value = value
        self.suggestions = list(suggestions or [])
        msg = f"'{value}' no es un departamento del Perú"
        if self.suggestions:
            msg += "; ¿quiso decir " + " o ".join(f"'{s}'" for s in self.suggestions) + "?"
        super().__init__(msg)


class GeoError(MimpmapError, ValueError):
    """A boundary file that cannot be used (missing, unreadable, no usable key, no features)."""


class UnknownServiceError(MimpmapError, KeyError):
    """A service id that the coverage file does not define."""

    exit_code = 2

    def __init__(self, service_id: str, known: list[str]):
        self.service_id = service_id
        self.known = list(known)
        super().__init__(service_id)

    def __str__(self) -> str:
        return f"servicio desconocido '{self.service_id}'; los válidos son: {', '.join(self.known)}"


class UsageError(MimpmapError, ValueError):
    """An option value that makes no sense (an unknown format, say). Exit code 2, like click's."""

    exit_code = 2


class OutputError(MimpmapError, OSError):
    """An output that could not be written."""
