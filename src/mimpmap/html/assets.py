"""The scripts and stylesheets a page needs, inlined (the default) or linked from a CDN.

Leaflet comes from the ``xstatic-leaflet`` package: ``leaflet.js`` and ``leaflet.css``, with the images
the stylesheet refers to (the layer-control icon, ...) turned into ``data:`` URIs, so a page opens with
no network. With ``cdn=True`` the page links the same Leaflet release from jsDelivr instead, with
Subresource Integrity hashes computed from the packaged files (the CDN serves the same bytes).

Our own stylesheet and script (``assets/mimpmap.css``, ``assets/mimpmap.js``) are always inlined: they
are small and belong to the page; ``atlas.html`` alone adds ``assets/atlas.css`` and ``assets/atlas.js``
(:func:`atlas_head`), which every other page is spared. They go in compacted (:func:`compact`: no
comment-only line, blank line or indentation; Leaflet is left as it is shipped). Every file is read once
per process.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .text import esc

_CDN = "https://cdn.jsdelivr.net/npm/leaflet@{version}/dist/{name}"


def _leaflet_dir() -> tuple[Path, str]:
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR), xleaflet.VERSION


def compact(code: str, *, script: bool = True) -> str:
    """Our own script (or stylesheet, ``script=False``) as a page carries it: without its comment-only
    lines, blank lines and indentation. Line by line, so deterministic and blind to what a line holds: a
    line with code keeps all of it (its strings, a comment after the code) but the spaces around it. A
    string cannot span lines in either language; a template literal could, so a script with one is refused.
    """
    out: list[str] = []
    inside = False  # in a /* comment */ that began on an earlier line
    for line in code.splitlines():
        text = line.strip()
        if inside:
            end = text.find("*/")
            inside = end < 0
            text = "" if inside else text[end + 2:].strip()
        elif text.startswith("/*"):
            end = text.find("*/", 2)
            inside = end < 0
            text = "" if inside or not text[end + 2:].strip() else text
        elif script and text.startswith("//"):
            text = ""
        if script and "`" in text:
            raise ValueError(f"compact: a template literal may span lines, which compact() would change: {text!r}")
        if text:
            out.append(text)
    return "\n".join(out) + "\n"


@lru_cache(maxsize=None)
def own(name: str) -> str:
    """One of our own assets (``assets/<name>``), compacted (:func:`compact`)."""
    code = (files("mimpmap.html") / "assets" / name).read_text(encoding="utf-8")
    return compact(code, script=name.endswith(".js"))


def _safe_inline(code: str, tag: str) -> str:
    # Neither file contains its closing tag today; make sure a future release cannot end the element.
    return re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@lru_cache(maxsize=1)
def leaflet_inline() -> str:
    """``<style>`` and ``<script>`` elements holding Leaflet itself."""
    base, _version = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", lambda m: f"url({_data_uri(base / 'images' / m.group(1))})", css)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)  # the map file is not shipped with the page
    return (
        f"<style>{_safe_inline(css, 'style')}</style>\n"
        f"<script>{_safe_inline(js, 'script')}</script>\n"
    )


def _sri(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode("ascii")


@lru_cache(maxsize=1)
def leaflet_cdn() -> str:
    """``<link>`` and ``<script src>`` elements loading Leaflet from jsDelivr."""
    base, version = _leaflet_dir()
    css_url = _CDN.format(version=version, name="leaflet.css")
    js_url = _CDN.format(version=version, name="leaflet.js")
    return (
        f'<link rel="stylesheet" href="{esc(css_url)}" integrity="{_sri(base / "leaflet.css")}" '
        'crossorigin="anonymous">\n'
        f'<script src="{esc(js_url)}" integrity="{_sri(base / "leaflet.js")}" '
        'crossorigin="anonymous"></script>\n'
    )


@lru_cache(maxsize=1)
def own_css() -> str:
    """``<style>`` with the pages' own stylesheet."""
    return f"<style>\n{_safe_inline(own('mimpmap.css'), 'style')}</style>\n"


@lru_cache(maxsize=1)
def own_js() -> str:
    """``<script>`` with the maps' own behaviour (needs Leaflet first)."""
    return f"<script>\n{_safe_inline(own('mimpmap.js'), 'script')}</script>\n"


@lru_cache(maxsize=1)
def atlas_head() -> str:
    """``<style>`` and ``<script>`` that ``atlas.html`` alone needs (after :func:`map_head`): the rules of
    its list of maps (over the map when open) and ``MM.atlas``, which shows one of its maps at a time."""
    return (f"<style>\n{_safe_inline(own('atlas.css'), 'style')}</style>\n"
            f"<script>\n{_safe_inline(own('atlas.js'), 'script')}</script>\n")


def map_head(cdn: bool = False) -> str:
    """Everything a map page needs in its ``<head>``, in order."""
    return (leaflet_cdn() if cdn else leaflet_inline()) + own_css() + own_js()


def page_head() -> str:
    """What a page without a map (the index) needs."""
    return own_css()
