"""A build or an export does not silently replace a file mimpmap did not make: ``build --out`` into a folder
whose index.html is someone else's (no build manifest, no generator tag) and ``export`` over a file with
other bytes are refused with the file's name and the fix (``--force``), and leave it as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.cli import main
from mimpmap.layout import GENERATOR_META, INDEX
from mimpmap.manifest import NAME as MANIFEST

from .conftest import GEO, MINIMAL

FOREIGN = "<!doctype html><title>Mi sitio</title><p>La portada de otro sitio.</p>\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("built")
    (base / "c.yaml").write_text(MINIMAL, encoding="utf-8")
    done = run("build", "--data", base / "c.yaml", "--geo", GEO, "--format", "html", "--out", base / "maps")
    assert done.exit_code == 0, done.output
    return base


def build(folder: Path, data: Path, *more):
    return run("build", "--data", data, "--geo", GEO, "--format", "html", "--out", folder, *more)


def test_a_foreign_index_is_refused_naming_it_and_the_fix(built, tmp_path):
    site = tmp_path / "sitio"
    site.mkdir()
    (site / INDEX).write_text(FOREIGN, encoding="utf-8")
    result = build(site, built / "c.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: '{site / INDEX}' no es de mimpmap" in result.output
    assert "elija otra carpeta con --out, o reemplácelo con --force" in result.output
    assert (site / INDEX).read_text(encoding="utf-8") == FOREIGN
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == [INDEX]  # nothing written
    forced = build(site, built / "c.yaml", "--force")
    assert forced.exit_code == 0, forced.output
    assert GENERATOR_META in (site / INDEX).read_text(encoding="utf-8") and (site / MANIFEST).is_file()


def test_serve_refuses_a_foreign_index_before_it_starts_and_its_preview_writes_nothing(built, tmp_path):
    from mimpmap.serve import Preview

    site = tmp_path / "sitio"
    site.mkdir()
    (site / INDEX).write_text(FOREIGN, encoding="utf-8")
    result = run("serve", "--data", built / "c.yaml", "--geo", GEO, "--out", site, "--port", "0", "--no-open")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: '{site / INDEX}' no es de mimpmap" in result.output and "--force" in result.output
    assert "Vista previa en" not in result.output  # never served
    # A notebook's preview (no command line) says so on the open pages and in its report, and writes nothing.
    reports = []
    preview = Preview(site, {"data": built / "c.yaml", "geo": GEO}, port=0, report=reports.append)
    preview.start()
    preview.ready.wait()
    preview.stop()
    assert any("no es de mimpmap" in problem for problem in reports[0].problems)
    assert (site / INDEX).read_text(encoding="utf-8") == FOREIGN
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == [INDEX]


@pytest.mark.parametrize("keep", ["manifest", "generator"])
def test_an_index_made_by_mimpmap_is_replaced(built, tmp_path, keep):
    folder = tmp_path / "maps"
    shutil.copytree(built / "maps", folder)
    page = (folder / INDEX).read_text(encoding="utf-8")
    assert GENERATOR_META in page  # every page mimpmap writes says so
    if keep == "manifest":  # a page changed by hand in a folder mimpmap built
        (folder / INDEX).write_text(FOREIGN, encoding="utf-8")
    else:  # mimpmap's page in a folder that lost its manifest
        (folder / MANIFEST).unlink()
    result = build(folder, built / "c.yaml")
    assert result.exit_code == 0, result.output
    assert (folder / INDEX).read_text(encoding="utf-8") == page


def test_export_does_not_replace_another_file(built, tmp_path):
    target = tmp_path / "libro.xlsx"
    target.write_bytes(b"otro archivo")
    result = run("export", "--data", built / "c.yaml", target)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: '{target}' ya existe y no es este libro" in result.output and "--force" in result.output
    assert target.read_bytes() == b"otro archivo"
    assert run("export", "--data", built / "c.yaml", target, "--force").exit_code == 0
    book = target.read_bytes()
    assert book.startswith(b"PK")
    again = run("export", "--data", built / "c.yaml", target)  # the same workbook: nothing to refuse
    assert again.exit_code == 0, again.output
    assert target.read_bytes() == book
    (built / "c2.yaml").write_text(MINIMAL.replace("Servicio de prueba.", "Otro texto."), encoding="utf-8")
    other = run("export", "--data", built / "c2.yaml", target)  # another workbook over it
    assert other.exit_code == 1 and target.read_bytes() == book
