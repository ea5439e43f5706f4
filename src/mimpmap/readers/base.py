"""What every reader returns: the plain data, where each part of it is, and early problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class Locator(Protocol):
    """Where a part of a document is in its file."""

    def where(self, path: tuple) -> str | None:
        """``"línea 12"`` for a path such as ``("services", 1, "coverage", 0)``, as deep as the file
        goes; ``None`` when the file has no place for it."""


class NoLocator:
    """For data that comes from no file (a dict built in code)."""

    def where(self, path: tuple) -> str | None:
        return None


@dataclass(frozen=True)
class Document:
    #: Plain values only: dict, list, str, int, float, bool, None (and dates, from YAML).
    data: Any
    locator: Locator = field(default_factory=NoLocator)
    #: Problems found while reading that do not stop validation, each with its location.
    problems: tuple[str, ...] = ()
