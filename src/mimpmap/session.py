"""What the renderers of one build share: a :class:`Session`, made once per build and handed to every
renderer with the build's request (:class:`mimpmap.formats.Job`).

A build prepares in it, while it plans and before it forks its worker processes, what the renderers
would otherwise each make again (the boundaries projected for print, the centres' positions), and the
renderers keep in it the last drawing of a map, which its PNG, SVG and thumbnail are saved from. The
workers inherit it when they are forked. It goes when the build does: no module keeps any of it.

It imports nothing heavy (the build's fast path reads :mod:`mimpmap.formats`, which imports it).
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


class Session:
    """Values made once for an owner (an atlas, its boundaries: compared by identity, and kept alive
    by the session, so an owner's value is never another's), and the one latest value."""

    def __init__(self) -> None:
        self._made: list[tuple[object, str, object]] = []
        self._latest: tuple[object, object, object] | None = None

    def once(self, owner: object, what: str, make: Callable[[], T]) -> T:
        """``what`` of ``owner``: made by ``make()`` the first time it is asked for, then kept."""
        for known, name, value in self._made:
            if known is owner and name == what:
                return value  # type: ignore[return-value]
        value = make()
        self._made.append((owner, what, value))
        return value

    def latest(self, owner: object, what: object, make: Callable[[], T]) -> T:
        """``what`` of ``owner`` if it is the value last asked for, else a new one from ``make()``,
        which replaces it: one only is kept, so memory stays bounded (a drawing of a map at 1200 dpi
        takes hundreds of megabytes), and files rendered one after the other share it."""
        latest = self._latest
        if latest is not None and latest[0] is owner and latest[1] == what:
            return latest[2]  # type: ignore[return-value]
        value = make()
        self._latest = (owner, what, value)
        return value
