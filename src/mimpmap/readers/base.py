"""What every reader returns: the plain data, where each part of it is, and early problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class Locator(Protocol):
    """Where a part of a document is in its file."""

    #: Whether a message spells the part's path after the place ("línea 12: servicio 'cai', coverage n.º 2"):
    #: a YAML file's lines hold several parts, written with these keys; a spreadsheet's place is its cell,
    #: named by the column's header, and the path would be words the sheet does not use.
    spells_path: bool

    def where(self, path: tuple) -> str | None:
        """``"línea 12"`` for a path such as ``("services", 1, "coverage", 0)``, as deep as the file
        goes; ``None`` when the file has no place for it."""


class NoLocator:
    """For data that comes from no file (a dict built in code)."""

    spells_path = True

    def where(self, path: tuple) -> str | None:
        return None


@dataclass(frozen=True)
class Document:
    #: Plain values only: dict, list, str, int, float, bool, None (and dates, from YAML).
    data: Any
    locator: Locator = field(default_factory=NoLocator)
    #: Problems found while reading that do not stop validation, each with its location.
    problems: tuple[str, ...] = ()
