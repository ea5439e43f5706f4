"""Basemap tiles by name (``--tiles``), through the xyzservices catalogue folium itself uses."""

from __future__ import annotations

import re
from functools import lru_cache

import xyzservices

from ..errors import UsageError
from ..text import closest

_EXAMPLES = "OpenStreetMap, OpenTopoMap, 'Esri WorldImagery', 'Esri WorldGrayCanvas'"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, xyzservices.TileProvider]:
    """Every provider by folded name; a family name alone ("OpenStreetMap") is its first member."""
    out: dict[str, xyzservices.TileProvider] = {}
    for name, provider in xyzservices.providers.flatten().items():
        out.setdefault(_key(name.split(".")[0]), provider)
        out[_key(name)] = provider
    return out


def resolve_tiles(name: str | None) -> xyzservices.TileProvider | None:
    """The tile provider ``name`` means, or :class:`UsageError` with the closest names."""
    if not name:
        return None
    catalogue = _catalogue()
    provider = catalogue.get(_key(name))
    if provider is None:
        free = [k for k, v in catalogue.items() if not v.requires_token()]
        close = closest(_key(name), free, n=3)
        names = [catalogue[c].name for c in close]
        hint = f"¿quiso decir {' o '.join(repr(n) for n in names)}? " if names else ""
        raise UsageError(
            f"mapa base desconocido '{name}'; {hint}use uno gratuito de xyzservices, p. ej. {_EXAMPLES}, "
            "o ninguno (sin --tiles)"
        )
    if provider.requires_token():
        raise UsageError(
            f"el mapa base '{provider.name}' necesita una clave de API que mimpmap no maneja; "
            f"use uno gratuito, p. ej. {_EXAMPLES}"
        )
    return provider
