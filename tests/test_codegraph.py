"""An output is keyed by its renderer's code only (issue 20): the import closure read from the source,
its digest, and what a comment in one module redraws. Edits are made in copies of the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mimpmap.build import code_modules
from mimpmap.codegraph import Code
from mimpmap.formats import FORMATS

from .conftest import GEO, MINIMAL
from .test_architecture import PACKAGE, imports, module_name

IMAGE_RENDERERS = ("mimpmap.static", "mimpmap.mosaic", "mimpmap.charts")


def test_the_pattern_finds_every_import_the_parser_finds():
    """Every import tests/test_architecture.py parses, but a package's ``__init__`` reached only by
    ``from .views import atlas`` (the module atlas is imported, not what the package defines)."""
    code = Code(PACKAGE)
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    packages = {module_name(p) for p in paths if p.name == "__init__.py"}
    missed = {module_name(p): imports(p, modules) - code.imports(module_name(p)) - packages for p in paths}
    assert not {m: sorted(t) for m, t in missed.items() if t}
    assert "mimpmap.views.atlas" in code.imports("mimpmap.html.base")  # the check can fail


def test_assets_are_the_code_of_the_module_beside_them(tmp_path):
    root = copy(tmp_path)
    before = {m: Code(root).digest(m) for m in ("mimpmap.html.pages", "mimpmap.static")}
    js = root / "html" / "assets" / "mimpmap.js"
    js.write_text(js.read_text(encoding="utf-8") + "\n// un comentario\n", encoding="utf-8")
    after = {m: Code(root).digest(m) for m in before}
    assert after["mimpmap.html.pages"] != before["mimpmap.html.pages"]
    assert after["mimpmap.static"] == before["mimpmap.static"]


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "mimpmap"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def comment(root: Path, module: str) -> None:
    path = root.joinpath(*module.split(".")[1:]).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + "\n# un comentario\n", encoding="utf-8")


def digests(root: Path) -> dict[str, str]:
    code = Code(root)
    renderers = {m for f in FORMATS.values() for m in (f.renderer, *f.also)}
    whole = {f"build {name}": code.digest(*code_modules((name,))) for name in FORMATS}
    return {**{m: code.digest(m) for m in renderers}, **whole}


@pytest.mark.parametrize("module, changed", [
    ("mimpmap.cli", set()),
    ("mimpmap.html.service", {"mimpmap.html.pages", "mimpmap.html.atlas", "build html"}),
    ("mimpmap.mosaic", {"mimpmap.mosaic", "mimpmap.pdf", "build png", "build svg", "build pdf"}),
    # The web pages' fixed words (views/web.py) are the HTML renderers' alone: no image is redrawn.
    ("mimpmap.views.web", {"mimpmap.html.pages", "mimpmap.html.atlas", "build html"}),
    ("mimpmap.views.marks", "all"),
])
def test_a_comment_changes_the_code_of_the_outputs_that_run_it(tmp_path, module, changed):
    root = copy(tmp_path)
    before = digests(root)
    comment(root, module)
    after = digests(root)
    differ = {name for name in before if before[name] != after[name]}
    assert differ == (set(before) if changed == "all" else changed)


# --- what a build redraws, with the code of a copy of the package ------------------------------------


def build(src: Path, data: Path, out: Path) -> subprocess.CompletedProcess:
    args = ["-m", "mimpmap", "build", "--data", data, "--geo", GEO, "--out", out, "--format", "html,png", "--dpi", "50"]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def keys(out: Path) -> dict[str, str]:
    from mimpmap.manifest import Manifest

    return {name: entry["key"] for name, entry in Manifest.read(out).outputs.items()}


def test_a_comment_in_the_cli_rebuilds_nothing_and_one_in_an_html_module_no_image(tmp_path, yaml_file):
    src = tmp_path / "src"
    root = copy(src)
    data, out = yaml_file(MINIMAL), tmp_path / "maps"
    assert "archivos escritos" in build(src, data, out).stdout
    assert Path(sys.modules["mimpmap"].__file__).parent != root  # this process keeps its own code
    first = keys(out)
    comment(root, "mimpmap.cli")
    assert "Nada que hacer" in build(src, data, out).stdout  # the fast path: nothing even planned
    assert keys(out) == first
    comment(root, "mimpmap.html.service")
    build(src, data, out)
    redrawn = {name for name, key in keys(out).items() if first[name] != key}
    assert {"cobertura.html", "servicios/cai.html", "index.html", "atlas.html"} <= redrawn
    assert not [name for name in redrawn if not name.endswith(".html")], redrawn  # no image, no data file
