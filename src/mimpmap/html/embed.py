"""The copy-paste ``<iframe>`` code that puts a map into another web page."""

from __future__ import annotations

import re

from ..errors import UsageError
from .text import esc

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|%|em|rem|vw|vh)?\s*$", re.IGNORECASE)

#: Without a height the frame keeps this shape (Peru is taller than wide; the page adds a panel).
ASPECT = "4 / 3"
MIN_HEIGHT = "420px"


def _css_size(value: str | int | float, what: str) -> str:
    """``"800"`` or ``800`` → ``800px``; ``"100%"`` stays; anything else is a usage error."""
    match = _SIZE.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise UsageError(
            f"{what} '{value}' no es válido; use píxeles (p. ej. 800) o un porcentaje (p. ej. 100%)"
        )
    number, unit = match.group(1), (match.group(2) or "px").lower()
    return f"{number}{unit}"


#: What a browser strips from both ends of an address (C0 controls and the space), and removes
#: anywhere in it (tab, line feed, carriage return), before it reads the scheme (WHATWG URL standard).
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def browser_view(url: str) -> str:
    """``url`` as a browser's URL parser sees it before reading the scheme: ``java\tscript:`` and
    ``\x01javascript:`` are ``javascript:`` to it."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))


def embed_href(base_url: str, href: str) -> str:
    """``href`` (relative to the maps folder) under ``base_url``, the address where that folder is
    published: an ``http(s)://`` address or a relative path, with or without its final slash.
    The scheme is read as a browser reads it (:func:`browser_view`): any other (``javascript:``,
    ``data:``, ``file:``, also hidden behind a tab or a control character) is a usage error, and so
    is a control character anywhere in the address."""
    base = (base_url or "").strip()
    seen = browser_view(base)
    if not seen:
        return href
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", seen)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise UsageError(
            f"la dirección {base_url!r} no es válida: use una dirección http(s):// (p. ej. "
            "https://example.org/maps/) o una ruta relativa (p. ej. ../maps/)"
        )
    control = _CONTROL.search(base)
    if control:
        raise UsageError(f"la dirección {base_url!r} contiene un carácter de control ({control.group()!r}); "
                         "escríbala sin él, p. ej. https://example.org/maps/")
    if scheme and not re.match(r"^https?://[^/\s]+", base, re.IGNORECASE):
        raise UsageError(f"a la dirección {base_url!r} le falta el servidor, p. ej. https://example.org/maps/")
    return base.rstrip("/") + "/" + href


def embed_snippet(href: str, title: str, *, width: str | int = "100%", height: str | int | None = None) -> str:
    """HTML to paste into a page to show the map at ``href``.

    Without ``height`` the frame is responsive: as wide as ``width`` allows (never wider than its
    container) and 4:3 in shape, with a minimum height so that it stays usable on a phone. With
    ``height`` it is a plain frame of that height.

    >>> print(embed_snippet("servicios/cai.html", "CAI", width=800, height=600))
    <iframe src="servicios/cai.html" title="CAI" style="display:block;width:800px;max-width:100%;height:600px;border:0" loading="lazy" allowfullscreen></iframe>
    """
    w = _css_size(width, "El ancho")
    frame = f'src="{esc(href)}" title="{esc(title)}"'
    if height is not None and str(height).strip() != "":
        h = _css_size(height, "El alto")
        return (
            f'<iframe {frame} style="display:block;width:{w};max-width:100%;height:{h};border:0" '
            'loading="lazy" allowfullscreen></iframe>'
        )
    return (
        f'<div style="position:relative;width:{w};max-width:100%;aspect-ratio:{ASPECT};min-height:{MIN_HEIGHT}">\n'
        f'  <iframe {frame} style="position:absolute;top:0;left:0;width:100%;height:100%;border:0" '
        'loading="lazy" allowfullscreen></iframe>\n'
        "</div>"
    )
