"""Who is far from help as images: ``brechas.png`` / ``brechas.svg`` (and the index's thumbnail), the
province map :mod:`mimpmap.views.printedgaps` describes, drawn by :class:`~mimpmap.static.StaticRenderer`
on the provinces' geometry (projected once per build, in its session, as the departments' is).

Its key is what it draws (the printed spec: a change in the distances, the census or the centres redraws
it, and the service maps stay as they are) and the provinces' boundaries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .formats import Output
from .geography import read_boundaries
from .levels import PROVINCES
from .manifest import digest
from .mpl.files import image_outputs
from .mpl.typeset import size_preset
from .static import StaticRenderer
from .views import printedgaps

if TYPE_CHECKING:  # pragma: no cover
    from .geography import Boundaries
    from .session import Session
    from .views.printed import PrintedMap
    from .views.atlas import Atlas

__all__ = ["outputs", "renderer", "provinces", "boundaries_digest"]


def provinces(session: "Session", atlas: "Atlas") -> "Boundaries":
    """The provinces' boundaries the printed maps of ``atlas`` draw, read once in ``session``."""
    return session.once(atlas, "province boundaries",
                        lambda: atlas.provinces if atlas.provinces is not None else read_boundaries(level=PROVINCES))


def renderer(atlas: "Atlas", session: "Session") -> StaticRenderer:
    """A renderer of ``atlas``'s province maps, its geometry projected now (before a build forks)."""
    return StaticRenderer(atlas, session).at(provinces(session, atlas))


def boundaries_digest(boundaries: "Boundaries") -> str:
    """A hash of the units, names and shapes of ``boundaries`` (part of a province map's key)."""
    import shapely

    frame = boundaries.frame
    return digest(list(frame.index), list(frame["nombre"]), list(shapely.to_wkb(frame.geometry.values, hex=True)))


def shows(atlas: "Atlas", session: "Session") -> "tuple[PrintedMap, str] | None":
    """What ``atlas``'s province map shows: its printed spec and its provinces (their digest); ``None``
    without the distances. The provinces are projected now, in ``session``, before a build forks."""
    spec = printedgaps.describe(atlas)
    if spec is None:
        return None
    renderer(atlas, session)
    boundaries = provinces(session, atlas)
    return spec, session.once(boundaries, "digest", lambda: boundaries_digest(boundaries))


def outputs(atlas: "Atlas", fmt: str, job) -> Iterator[Output]:
    """``brechas.png`` (and its thumbnail) or ``brechas.svg``, in whole builds that have the distances."""
    key = shows(atlas, job.session) if job.whole else None
    if key is None:
        return
    spec, draw, size = key[0], renderer(atlas, job.session), size_preset(job.size)
    yield from image_outputs(job.session, atlas, spec.key, fmt, job.dpi, size, key,
                             lambda dpi: draw.figure(spec, size=size, dpi=dpi))
