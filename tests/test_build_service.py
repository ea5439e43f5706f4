"""`mimpmap build --service X` (issue 22.13): it draws X's own files and, when X's data changed, only the
shared files that show it; a build after it with the same data has nothing to do."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.cli import main

from .conftest import GEO, MINIMAL, built_once

#: Two services: cai (MINIMAL's) and a copy of it named cem.
TWO = MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: cem")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def only(service: str, text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` in ``service``'s entry alone."""
    start = text.index(f"  - id: {service}\n")
    end = text.find("  - id: ", start + 1)
    end = len(text) if end < 0 else end
    assert old in text[start:end]
    return text[:start] + text[start:end].replace(old, new) + text[end:]


def build_cai(data: Path, out: Path):
    """``build --service cai`` of ``out``: its result and the files it wrote (every file's time is set
    far back before it)."""
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1, 1))
    result = run("build", "--data", data, "--geo", GEO, "--out", out, "--service", "cai")
    assert result.exit_code == 0, result.output
    return result, sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.stat().st_mtime_ns != 1)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The two services' maps in every format (small images), and their data file: drawn once per run
    (:func:`built_once`), also when xdist gives this module's tests to both workers. Read only."""

    def make(where: Path) -> None:
        where.mkdir(parents=True)
        (where / "coverage.yaml").write_text(TWO, encoding="utf-8")
        result = run("build", "--data", where / "coverage.yaml", "--geo", GEO, "--out", where / "maps",
                     "--format", "html,png,svg,pdf", "--dpi", "50")
        assert result.exit_code == 0, result.output

    where = built_once(tmp_path_factory, "service-two", make)
    return where / "coverage.yaml", where / "maps"


@pytest.fixture
def maps(drawn, tmp_path):
    """A copy of the drawn maps to change, and a coverage file beside it to edit."""
    import shutil

    data, out = drawn
    shutil.copytree(out, tmp_path / "maps")
    shutil.copy(data, tmp_path / "coverage.yaml")
    return tmp_path / "coverage.yaml", tmp_path / "maps"


def test_a_build_after_a_service_build_of_the_same_data_has_nothing_to_do(maps):
    data, out = maps
    first = run("build", "--data", data, "--geo", GEO, "--out", out, "--service", "cai")
    assert first.exit_code == 0 and "0 archivos escritos" in first.output and "Aviso" not in first.output
    then = run("build", "--data", data, "--geo", GEO, "--out", out)
    assert then.exit_code == 0 and "Nada que hacer" in then.output, then.output


def test_a_service_build_after_a_change_of_its_figure_writes_what_shows_that_figure(maps):
    data, out = maps
    data.write_text(only("cai", TWO, "[1726, 2075]", "[1726, 2150]"), encoding="utf-8")
    result, written = build_cai(data, out)
    # The figure is on cai's page and images, in the index's table, both atlases and the workbook; not
    # on the choropleth, the mosaic, the population charts, a caption or any of cem's files.
    assert written == [".mimpmap-build.json", "atlas.html", "atlas.pdf", "datos/cobertura.xlsx", "index.html",
                       "miniaturas/servicios/cai.png", "servicios/cai.html", "servicios/cai.png", "servicios/cai.svg"]
    assert "Aviso" not in result.output  # nothing else is stale
    assert "Nada que hacer" in run("build", "--data", data, "--geo", GEO, "--out", out).output


def test_a_service_build_leaves_the_changes_of_another_service_to_a_whole_build(maps):
    """cem reaches one more department (its page, images, rows, the choropleth, mosaic, population
    charts and data files show it); --service cai draws none of them and says they are stale."""
    data, out = maps
    data.write_text(only("cem", TWO, "Callao]", "Callao, Puno]"), encoding="utf-8")
    result, written = build_cai(data, out)
    assert written == [".mimpmap-build.json"]
    said = result.output
    assert "25 archivos de" in said and "no muestran los datos actuales" in said
    for name in ("cobertura.html", "servicios/cem.html", "datos/servicios/cem.csv", "index.html"):
        assert f" {name}," in said
    assert "servicios/cai" not in said
    whole = run("build", "--data", data, "--geo", GEO, "--out", out)
    assert whole.exit_code == 0 and "datos/servicios/cem.csv" in whole.output and "servicios/cai.html" not in whole.output
    assert "Nada que hacer" in run("build", "--data", data, "--geo", GEO, "--out", out).output


def test_a_service_build_restores_a_shared_file_lost_or_edited_when_what_it_shows_is_unchanged(maps):
    data, out = maps
    index, mosaic = (out / "index.html").read_bytes(), (out / "mosaico.svg").read_bytes()
    (out / "index.html").unlink()
    (out / "mosaico.svg").write_text("editado a mano", encoding="utf-8")
    result, written = build_cai(data, out)
    assert result.exit_code == 0 and "Aviso" not in result.output, result.output
    assert written == ["index.html", "mosaico.svg"]
    assert (out / "index.html").read_bytes() == index and (out / "mosaico.svg").read_bytes() == mosaic
