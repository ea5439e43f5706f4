"""A figure saved as files: PNG (RGB, no alpha, with an sRGB ICC profile and its dpi), SVG, and the
index's thumbnail; a :class:`Drawing` makes all three from one drawing of a map.

Output bytes are deterministic: PNG and SVG carry no date or software version, the profile's date is
fixed, and SVG ids are salted with a constant (:data:`~.typeset.STYLE`).
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterator

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..formats import Output
from ..layout import thumbnail_file
from .typeset import STYLE, Size

if TYPE_CHECKING:  # pragma: no cover
    from ..session import Session

FORMATS = ("png", "svg")

# SVG metadata that would make two renders differ (its date, the matplotlib version); the PNG writer
# (:func:`png`) writes none.
_SVG_METADATA = MappingProxyType({"Date": None, "Creator": None})


# --- thumbnails for the index -------------------------------------------------------------------

#: Width in pixels of the index's thumbnails: sharp on a 300-pixel card at double pixel density.
THUMBNAIL_WIDTH = 600
#: Thumbnails are made from a PNG drawn at no more than this (the default, so the map's own PNG): a
#: finer one (7560 px wide at --dpi 1200) would take gigabytes to decode and give the same thumbnail.
THUMBNAIL_SOURCE_DPI = 300


def thumbnail(png: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A small copy of a PNG map for the index: ``width`` pixels wide (never wider than the map) in
    128 colours, 30 to 50 KB instead of about 500, so the index stays light on a slow connection."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return thumbnail_of(flat, width)


def thumbnail_of(flat, width: int = THUMBNAIL_WIDTH) -> bytes:
    """:func:`thumbnail` of an RGB image (a drawing's pixels, not decoded again from its PNG).

    A 300-dpi map is first reduced by averaging whole blocks of pixels to about the thumbnail's width
    (its box filter is exact for that), then resampled to it: a quarter of the time of resampling the
    full image, and no visible difference at 600 pixels."""
    from PIL import Image

    width = min(width, flat.width)
    height = max(1, round(flat.height * width / flat.width))
    factor = flat.width // width
    if factor >= 2:
        flat = flat.reduce(factor)
    small = flat.resize((width, height), Image.Resampling.LANCZOS)
    # Octree: a tenth of median cut's time, files a third smaller, every pixel within 14 levels of
    # its colour (median cut was off by up to 45 on some).
    small = small.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


# --- PNG and SVG ----------------------------------------------------------------------------------


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile with a constant date (LittleCMS stamps the time it was made)."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = bytes.fromhex("07d0 0001 0001 0000 0000 0000")  # 2000-01-01 00:00:00
    return bytes(profile)


def save(fig: Figure, fmt: str, dpi: float) -> bytes:
    """A figure as PNG (RGB, no alpha, with an sRGB profile and its dpi) or SVG bytes, deterministic."""
    if fmt not in FORMATS:
        raise ValueError(f"formato '{fmt}' no admitido; use {' o '.join(FORMATS)}")
    if fmt == "png":
        return png(pixels(fig, dpi), dpi)
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata=dict(_SVG_METADATA), facecolor="white")
    return buffer.getvalue()


def pixels(fig: Figure, dpi: float):
    """The figure drawn by Agg at ``dpi``, as an RGB PIL image."""
    from PIL import Image

    with matplotlib.rc_context(STYLE):
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    return image.convert("RGB")


#: zlib's level for the maps' PNGs: level 3 of unfiltered rows is some 4 times faster than Pillow's
#: default and its files are smaller (benchmarks/bench_speed.py prints both).
PNG_LEVEL = 3


def png(image, dpi: float) -> bytes:
    """An RGB PIL image as PNG bytes: its rows unfiltered, deflated by zlib, with its dpi and the sRGB
    profile.

    Pillow's encoder chooses a filter for every row, which costs three times the compression itself
    on these maps (large areas of one colour, where the filters gain nothing: its files are larger)
    and cannot be turned off; the format is simple enough to write here. Pillow reads the result
    back pixel for pixel (tests/test_static.py)."""
    width, height = image.size
    per_metre = round(dpi / 0.0254)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        _chunk(b"iCCP", b"sRGB\x00\x00" + zlib.compress(srgb_profile())),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", _deflate_rows(image)),
        _chunk(b"IEND", b""),
    ))


def _deflate_rows(image, block: int = 256) -> bytes:
    """The image data of a PNG: each row of an RGB ``image`` after its filter type, 0 (none),
    deflated a block of rows at a time, each block copied out of the image on its own (no second copy
    of a large page in memory: 250 MB at 1200 dpi)."""
    width, height = image.size
    deflate = zlib.compressobj(PNG_LEVEL)
    parts = []
    for top in range(0, height, block):
        rows = image.crop((0, top, width, min(top + block, height))).tobytes()
        raw = np.zeros((len(rows) // (3 * width), 1 + 3 * width), np.uint8)
        raw[:, 1:] = np.frombuffer(rows, np.uint8).reshape(len(raw), 3 * width)
        parts.append(deflate.compress(raw))
    parts.append(deflate.flush())
    return b"".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data and the CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# --- one drawing, several files -------------------------------------------------------------------


class Drawing:
    """One map drawn once, at one dpi, and saved as whatever is asked of it: PNG, SVG and the
    index's thumbnail come from the same ``Figure`` (and the thumbnail from the PNG's pixels),
    with the bytes of separate drawings."""

    def __init__(self, figure: "Callable[[], Figure]", dpi: float):
        self._figure = figure
        self.dpi = dpi

    @functools.cached_property
    def figure(self) -> Figure:
        return self._figure()

    @functools.cached_property
    def pixels(self):
        return pixels(self.figure, self.dpi)

    @functools.cached_property
    def png(self) -> bytes:
        return png(self.pixels, self.dpi)

    def svg(self) -> bytes:
        return save(self.figure, "svg", self.dpi)

    def thumbnail(self) -> bytes:
        return thumbnail_of(self.pixels)


def drawing(session: "Session", owner, key: str, size: Size, dpi: float, figure: "Callable[[], Figure]") -> Drawing:
    """The drawing of map ``key`` of ``owner`` (an atlas: compared by identity) at ``size`` and
    ``dpi``: the session's latest if it is that one, else a new one (``figure()`` draws it when
    needed). A build renders a map's files one after the other, so each map is drawn once."""
    return session.latest(owner, (key, size, dpi), lambda: Drawing(figure, dpi))


def image_outputs(session: "Session", owner, key: str, fmt: str, dpi: int, size: Size, shows,
                  figure: "Callable[[float], Figure]") -> Iterator[Output]:
    """A map's image at ``dpi`` (``figure(dpi)`` draws it) and, for PNG, the index's thumbnail, made
    from a drawing of at most :data:`THUMBNAIL_SOURCE_DPI` (the map's own when it is no finer)."""

    def at(dpi: int) -> Drawing:
        return drawing(session, owner, key, size, dpi, functools.partial(figure, dpi))

    yield Output(f"{key}.{fmt}", (lambda: at(dpi).png) if fmt == "png" else (lambda: at(dpi).svg()), shows)
    if fmt == "png":
        source = min(dpi, THUMBNAIL_SOURCE_DPI)
        yield Output(thumbnail_file(f"{key}.png"), lambda: at(source).thumbnail(), shows)
