"""Escaping for HTML and JavaScript.

Text from the coverage file is data. It reaches a page in one of two ways only:

* through :func:`esc` (or an autoescaping template) into HTML, or
* through :func:`js_json` into a ``<script>``, where the page's own JavaScript puts it into the DOM with
  ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_UNSAFE_RE = re.compile("[<>&'\u2028\u2029]")


def esc(text: Any) -> str:
    """``text`` as HTML text or attribute value: ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def js_json(value: Any) -> str:
    """``value`` as a JavaScript literal that is safe anywhere inside a ``<script>`` element.

    ``</script>``, ``<!--`` and the like cannot appear: every ``<``, ``>``, ``&`` (and ``'``, U+2028,
    U+2029) is written as a ``\\uXXXX`` escape, which JavaScript reads back as the same character.
    """
    return script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def script_safe(json_text: str) -> str:
    """JSON text made safe inside ``<script>`` as :func:`js_json` does (for JSON serialised elsewhere)."""
    return _JS_UNSAFE_RE.sub(lambda m: _JS_UNSAFE[m.group()], json_text)
