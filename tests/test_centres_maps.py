"""The directory's centres on the maps (issue 21): the service pages of CEM, SAR (on Estrategia Rural's),
SAU and CAI, and a "Centros" layer on the choropleth; never a shelter."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from mimpmap.centremaps import LOOKS, kinds_of
from mimpmap.cli import main

from .conftest import ROOT

CENTROS = ROOT / "data" / "centros.csv"
#: The pages that draw a CEM: a change to one in the centres file redraws these and nothing else.
DRAWING_CEM = {"cobertura.html", "servicios/cem.html", "atlas.html", "brechas.html"}
SOURCE = ROOT.parent / "shared" / "sources" / "mimp_directorio_2026.json"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("centres")
    path = base / "centros.csv"
    shutil.copy(CENTROS, path)
    out = base / "maps"
    result = run("build", "--centros", path, "--out", out)
    assert result.exit_code == 0, result.output
    return path, out


def points(page: str) -> list[list]:
    data = re.search(r"MMCentres\.layer\((\{.*?\})\);", page).group(1)
    return json.loads(data)["points"]


def test_each_service_shows_its_own_kinds_and_sar_goes_on_estrategia_rural(shipped):
    by_id = {s.id: kinds_of(s) for s in shipped.data.services}
    assert by_id["cem"] == ("CEM",) and by_id["cai"] == ("CAI",) and by_id["sau"] == ("SAU",)
    assert by_id["estrategia-rural"] == ("SAR",)
    assert by_id["hrt"] == () and by_id["linea-100"] == ()


def test_the_cem_page_draws_its_centres_by_subtype_with_a_legend_and_popups(built):
    _, out = built
    page = (out / "servicios" / "cem.html").read_text(encoding="utf-8")
    found = points(page)
    assert len(found) == 435  # 436 CEM less Grocio Prado's point in the sea
    bagua = next(p for p in found if p[2] == "Cem Comisaría Bagua")
    # Its place is made in the page from district, province and department (not written twice).
    assert bagua[5] == ["932854358"] and bagua[6:] == ["Bagua", "Bagua", "Amazonas"]
    assert "Bagua, Bagua (Amazonas)" not in page
    for kind in ("regular", "comisaría", "centro de salud"):
        assert LOOKS[("CEM", kind)][1] in page
    assert "Emilio Roman Saravia Garcia" not in json.dumps(found, ensure_ascii=False)
    assert "Directorio MIMP 2026: 436 centros" in page
    assert "El resumen del MIMP cuenta 426 CEM (cifras hasta Ene – Oct 2021)" in page  # both dates said
    assert "MMCentres.search(" in page


def test_estrategia_rural_says_how_the_sar_relate_to_it_without_merging_them(built):
    _, out = built
    page = (out / "servicios" / "estrategia-rural.html").read_text(encoding="utf-8")
    assert len(points(page)) == 65  # 68 SAR, 3 without coordinates
    assert "Servicios de Atención Rural (SAR) del Directorio MIMP 2026" in page
    assert "cuenta 54 «ER» de la Estrategia Rural" in page and "No se sabe si son los mismos" in page


def test_the_choropleth_has_a_centres_layer_off_at_first_and_other_pages_none(built):
    _, out = built
    page = (out / "cobertura.html").read_text(encoding="utf-8")
    assert len(points(page)) == 515
    name = re.search(r"var (centre_markers_\w+) = MMCentres\.layer", page).group(1)
    assert f"{name}.addTo(" not in page and f'addOverlay({name}, "Centros (Directorio MIMP 2026)")' in page
    for other in ("linea-100", "hrt", "mi60"):  # no centres' script (the pages' own script names it, for atlas.html)
        assert "var MMCentres" not in (out / "servicios" / f"{other}.html").read_text(encoding="utf-8")
    # atlas.html draws them too, each point written once for all its maps (tests/test_atlas_centres.py).
    atlas = (out / "atlas.html").read_text(encoding="utf-8")
    assert "MMCentres" in atlas and atlas.count("Av. Heroes Del Cenepa N° 1000") == 1


def test_changing_only_a_centre_redraws_exactly_the_outputs_that_draw_it(built, tmp_path):
    path, out = built
    copy = tmp_path / "maps"
    shutil.copytree(out, copy)
    moved = tmp_path / "centros.csv"
    moved.write_bytes(path.read_bytes().replace(b"Cem Regular Bagua,", b"Cem Regular Bagua Grande Norte,"))
    result = run("build", "--centros", moved, "--out", copy)
    assert result.exit_code == 0, result.output
    written = {line.split()[0].removeprefix(f"{copy}/") for line in result.output.splitlines()
               if line.startswith("  ") and "KB" in line}
    assert written == DRAWING_CEM | ({"datos/centros.csv"} if (out / "datos" / "centros.csv").exists() else set())
    assert "Nada que hacer" in run("build", "--centros", moved, "--out", copy).output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The maps of a centres file of two CAI, one with markup in its name and address, the other with
    formulas (built once: the tests only read them)."""
    base = tmp_path_factory.mktemp("hostile")
    path = base / "centros.csv"
    path.write_text("# año: 2026\n# fuente: MIMP, prueba\ntipo,subtipo,nombre,ubigeo,departamento,lat,lon,direccion\n"
                    'CAI,,</script><img src=x onerror=alert(1)>,150101,Lima,-12.05,-77.04,"<b>Jr. & Uno</b>"\n'
                    'CAI,,"=HYPERLINK(""http://x"")",150101,Lima,-12.05,-77.04,@SUM(1)\n', encoding="utf-8")
    out = base / "maps"
    assert run("build", "--centros", path, "--out", out).exit_code == 0
    return out


def test_text_from_the_centres_file_is_escaped(hostile):
    out = hostile
    for name in ("servicios/cai.html", "atlas.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert "<img src=x" not in page and "</script><img" not in page and "<b>Jr." not in page, name
        assert "\\u003c/script\\u003e\\u003cimg" in page, name  # the name as data, for textContent


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"the shared directory ({SOURCE}) is not here: it holds "
                    "the shelters' names and phones this test looks for")
def test_no_shelter_name_or_phone_is_in_any_output(built):
    """The shipped centres file has none; the source it came from has them: none may reach an output."""
    _, out = built
    shelters = [s for s in json.loads(SOURCE.read_text(encoding="utf-8"))["servicios"] if s["tipo"] == "HRT"]
    assert len(shelters) == 29
    needles = {s["nombre"].strip() for s in shelters if s["nombre"].strip()}
    needles |= {re.sub(r"\D", "", p) for s in shelters for p in re.split(r"/|-", s.get("telefono") or "")
                if len(re.sub(r"\D", "", p)) >= 6}
    assert len(needles) >= 29  # names and phones to look for
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "cobertura.html" for p in files)
    for file in files:
        text = file.read_bytes().decode("utf-8", "replace")
        for needle in needles:
            assert needle not in text, (file, "a shelter's name or phone")
            if needle.isdigit():
                assert needle not in text.replace(" ", ""), (file, "a shelter's phone")


def test_the_centres_download_has_the_519_sites_and_no_shelter_and_the_index_links_it(built):
    import csv
    import io

    _, out = built
    rows = list(csv.reader(io.StringIO((out / "datos" / "centros.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["tipo", "subtipo", "nombre"] and len(rows) == 1 + 519
    assert {r[0] for r in rows[1:]} == {"CEM", "SAR", "SAU", "CAI"}
    assert sum(r[-1] == "sí" for r in rows[1:]) == 515
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="datos/centros.csv" download>Centros del MIMP frente a la violencia (CSV, Directorio MIMP 2026)' in index


def test_the_centres_download_defuses_formulas(hostile):
    text = (hostile / "datos" / "centros.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
