"""Our own scripts and stylesheets go into the pages compacted (html/assets.py ``compact``): without
their comment-only lines, blank lines and indentation, every string as written, and the scripts still
parse (``node --check``). Leaflet goes in as it is shipped."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest

from mimpmap.html import assets, centres
from mimpmap.html.assets import compact

#: Every script and stylesheet of ours that a page inlines.
SCRIPTS = ("mimpmap.js", "centres.js", "atlas.js")
STYLES = ("mimpmap.css", "atlas.css")


def raw(name: str) -> str:
    return (files("mimpmap.html") / "assets" / name).read_text(encoding="utf-8")


def strings(code: str) -> set[str]:
    """The double- and single-quoted strings of the lines that hold code (not those of comments)."""
    found = set()
    for line in code.splitlines():
        text = line.strip()
        if text.startswith(("/*", "*", "//")):
            continue
        found.update(re.findall(r'"(?:[^"\\\n]|\\.)*"' + "|" + r"'(?:[^'\\\n]|\\.)*'", text))
    return found


def test_comment_blank_and_indent_go_code_and_strings_stay():
    code = ('/* a comment\n   on two lines */\n\nvar a = "  /* kept */ // kept";  // after code: kept\n'
            '  // a line comment\n    if (a) { b(); }\n  /* one line */\n  /* before */ c();\n')
    assert compact(code) == ('var a = "  /* kept */ // kept";  // after code: kept\nif (a) { b(); }\n'
                             "/* before */ c();\n")


def test_a_multi_line_comment_with_code_after_it_keeps_the_code():
    assert compact("x();\n/* one\n two */ y();\n") == "x();\ny();\n"


def test_a_stylesheet_keeps_what_a_script_would_drop():
    # "//" starts no comment in CSS; a url with it stays whole in both.
    css = ".a { color: red; }\n/* note */\n  .b { background: url(//example.org/x.png); }\n"
    assert compact(css, script=False) == ".a { color: red; }\n.b { background: url(//example.org/x.png); }\n"


def test_a_template_literal_is_refused():
    with pytest.raises(ValueError, match="template literal"):
        compact("var a = `one\n  two`;\n")


@pytest.mark.parametrize("name", SCRIPTS + STYLES)
def test_every_string_survives_and_every_line_is_code(name):
    small = assets.own(name)
    assert len(small) < len(raw(name))
    for literal in strings(raw(name)):
        assert literal in small, literal
    for line in small.splitlines():
        assert line and line == line.strip() and not line.startswith("//")


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_compacted_scripts_parse(name, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node no está instalado: no se puede comprobar que el script compactado se analiza")
    path = tmp_path / name
    path.write_text(assets.own(name), encoding="utf-8")
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_pages_carry_the_compacted_assets_and_leaflet_as_shipped():
    import xstatic.pkg.leaflet as xleaflet

    leaflet = (Path(xleaflet.BASE_DIR) / "leaflet.js").read_text(encoding="utf-8")
    head = assets.map_head()
    assert assets.own("mimpmap.js") in head and assets.own("mimpmap.css") in head
    assert leaflet.split("\n//# sourceMappingURL=")[0] in head  # its comments and all
    assert assets.own("centres.js") in centres.head()
    assert "\n  " not in centres.head()
