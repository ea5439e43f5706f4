"""Availability per department (issue 21): the census input, the computation, and its views."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.availability import availability
from mimpmap.availview import describe
from mimpmap.census import parse_census, read_census
from mimpmap.centres import parse_centres, read_centres
from mimpmap.cli import main
from mimpmap.errors import CensusError
from mimpmap.inputs import INPUTS
from mimpmap.levels import DEPARTMENTS

from .conftest import ROOT

HEAD = "# año: 2025\n# fuente: INEI, Censos Nacionales 2025\nubigeo,nivel,nombre,total,mujeres,hombres\n"
CENTRES_HEAD = "# año: 2026\n# fuente: MIMP, Directorio\ntipo,subtipo,nombre,ubigeo,lat,lon\n"


def census_text(extra: str = "") -> str:
    """Every department with 100 women (Lima 300: province 1501 with 200, 1502 with 100), and Amazonas'
    two provinces (0101 with 60 women, 0102 with 40)."""
    rows = []
    for code in sorted({u.ubigeo[:2] for u in DEPARTMENTS.units}):
        women = 300 if code == "15" else 100
        rows.append(f"{code},departamento,D{code},{2 * women},{women},{women}")
    rows += ["0101,provincia,CHACHAPOYAS,120,60,60", "0102,provincia,BAGUA,80,40,40",
             "1501,provincia,LIMA,400,200,200", "1502,provincia,BARRANCA,200,100,100"]
    return HEAD + "\n".join(rows) + "\n" + extra


def centres_text() -> str:
    return CENTRES_HEAD + "\n".join([
        "CEM,regular,Cem Regular Chachapoyas,010101,,",
        "CEM,comisaría,Cem Comisaría Chachapoyas,010101,,",
        "SAR,,Sar Chachapoyas,010101,,",
        "CEM,regular,Cem Regular Lima,150101,,",
        "HRT,,,01,,",
        "HRT,,,15,,",
        "HRT,,,15,,",
    ]) + "\n"


@pytest.fixture
def found():
    return availability(parse_centres(centres_text()), parse_census(census_text()))


def test_counts_women_and_women_per_cem_by_unit(found):
    units = {u.code: u for u in found.units}
    assert len(units) == len(DEPARTMENTS.units)
    amazonas = units["PE-AMA"]
    assert dict(amazonas.centres) == {"CEM": 2, "SAR": 1, "SAU": 0, "CAI": 0}
    assert (amazonas.shelters, amazonas.women, amazonas.women_per_cem) == (1, 100, 50.0)
    # Lima Metropolitana is province 1501; Lima Provincias the rest of department 15.
    assert (units["PE-LMA"].women, units["PE-LIM"].women) == (200, 100)
    assert units["PE-LIM"].women_per_cem is None
    assert found.total.women == 24 * 100 + 300 and dict(found.total.centres)["CEM"] == 3


def test_lima_shelters_are_not_split_but_counted_in_the_total(found):
    units = {u.code: u for u in found.units}
    assert units["PE-LMA"].shelters is None and units["PE-LIM"].shelters is None
    assert dict(found.unsplit_shelters) == {"15": 2}
    assert found.total.shelters == 3


def test_provinces_without_cem_are_listed_with_their_women(found):
    listed = [(p.ubigeo, p.name, p.unit, p.women) for p in found.provinces_without_cem]
    assert listed == [("0102", "BAGUA", "PE-AMA", 40), ("1502", "BARRANCA", "PE-LIM", 100)]
    assert found.women_without_cem == 140


def test_every_figure_says_its_source_and_year(found):
    view = describe(found, population_year=2017)
    assert "Mujeres (censo 2025)" in view.head
    assert any("censo 2017" in note for note in view.notes)
    assert any("Lima Metropolitana y Lima Provincias" in note for note in view.notes)
    assert all("Directorio MIMP 2026" in h for h in view.table[0][2:7])
    assert view.table[-1][:2] == ("PE", "Perú")
    assert ("BAGUA", "Amazonas", "40") in view.provinces and not view.provinces_none
    assert dict(view.popups)["PE-LIM"].endswith("sin CEM")


def test_the_shipped_figures_match_a_count_by_hand():
    """CEM rows of Amazonas and its women, counted straight from the files."""
    with open(ROOT / "data" / "centros.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    cems = sum(1 for r in rows if r["tipo"] == "CEM" and r["ubigeo"].startswith("01"))
    with open(ROOT / "data" / "censo_2025.csv", encoding="utf-8") as f:
        women = next(int(r["mujeres"]) for r in csv.DictReader(line for line in f if not line.startswith("#"))
                     if r["ubigeo"] == "01")
    found = availability(read_centres(ROOT / "data" / "centros.csv"), read_census(ROOT / "data" / "censo_2025.csv"))
    amazonas = next(u for u in found.units if u.code == "PE-AMA")
    assert (amazonas.centres["CEM"], amazonas.women) == (cems, women) == (9, 233011)
    assert found.total.women == 17_292_074 and found.total.centres["CEM"] == 436
    assert found.provinces_without_cem == ()  # every one of the 196 provinces has a CEM in the 2026 directory


def test_census_problems_are_all_reported_with_their_line():
    text = census_text("0103,provincia,X,10,4,5\n01,departamento,AGAIN,2,1,1\n9,distrito,Y,1,1,0\n")
    with pytest.raises(CensusError) as caught:
        parse_census(text, "censo.csv")
    message = str(caught.value)
    assert "mujeres + hombres (9) no es el total (10)" in message
    assert "el ubigeo 01 está repetido" in message
    assert "'9' no es el ubigeo de un distrito" in message
    assert "las provincias del departamento 01 suman 104 mujeres" in message


def test_census_without_a_department_is_refused():
    text = "\n".join(line for line in census_text().splitlines() if not line.startswith("25,")) + "\n"
    with pytest.raises(CensusError, match="faltan las filas de los ubigeos 25"):
        parse_census(text)


def test_census_is_an_input_with_its_option():
    entry = INPUTS["census"]
    assert (entry.option, entry.local, entry.packaged) == ("--censo", "data/censo_2025.csv", "censo_2025.csv")
    assert (ROOT / "src" / "mimpmap" / "data" / "censo_2025.csv").read_bytes() == \
        (ROOT / "data" / "censo_2025.csv").read_bytes()


@pytest.mark.parametrize("content, code, words", [
    ("# año: 2025\n# fuente: x\ncodigo,nombre,poblacion\n", 2, "parece un archivo de población"),
    ("# año: 2025\n# fuente: x\nubigeo,nombre,mujeres\n01,A,1\n", 1, "línea 3: la cabecera no es la de un archivo del censo"),
])
def test_check_refuses_a_wrong_census_file(tmp_path, content, code, words):
    bad = tmp_path / "censo.csv"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--censo", str(bad)])
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output


def test_index_table_and_workbook_sheet():
    from mimpmap import load
    from mimpmap.availview import SHEET
    from mimpmap.html.pages import render_index
    from mimpmap.readers import SPREADSHEETS
    from mimpmap.readers.xlsx import assemble
    from mimpmap.workbook import workbook_bytes

    atlas = load().atlas
    html = render_index(atlas)
    assert 'id="disponibilidad"' in html and "Mujeres por CEM (censo 2025)" in html
    assert "17\u00a0292\u00a0074" in html and "Todas las provincias del censo 2025" in html
    raw = workbook_bytes(atlas.data, extra=((SHEET, atlas.index.availability.table),))
    sheets = SPREADSHEETS[".xlsx"](raw, "cobertura.xlsx")
    assert sheets[SHEET][1][:3] == ("PE-AMA", "Amazonas", 9)
    assemble(sheets)  # the workbook still reads back as coverage: the sheet is skipped


def test_choropleth_popups_say_the_centres_and_women_per_cem(shipped):
    from mimpmap.html.pages import Renderer
    from mimpmap.html.text import js_json

    units = {u.code: u for u in shipped.atlas.choropleth.units}
    line = units["PE-AMA"].available
    assert line.startswith("9 CEM") and "(Directorio MIMP 2026)" in line and line.endswith(
        "mujeres por CEM (censo 2025)")
    assert line == dict(shipped.atlas.index.availability.popups)["PE-AMA"]
    data = Renderer(shipped.atlas).count_data(shipped.atlas.choropleth)
    assert data["units"]["PE-AMA"]["available"] == line
    assert js_json(line) in Renderer(shipped.atlas).choropleth()


def _more_women_in_chachapoyas(tmp_path) -> Path:
    """The shipped census with ten more women in Chachapoyas (district, province and department)."""
    lines = (ROOT / "data" / "censo_2025.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.split(",")[0] in ("01", "0101", "010101"):
            cells = line.rstrip("\n").split(",")
            cells[3], cells[4] = str(int(cells[3]) + 10), str(int(cells[4]) + 10)
            lines[i] = ",".join(cells) + "\n"
    copy = tmp_path / "censo.csv"
    copy.write_text("".join(lines), encoding="utf-8")
    return copy


def test_a_changed_census_redraws_the_choropleth_and_the_summaries_only(tmp_path):
    import mimpmap
    from mimpmap.build import BuildOptions, keys, plan

    options = BuildOptions(formats=("html", "pdf"))

    def keyed(census=None) -> dict[str, str]:
        atlas = mimpmap.load(census=census).atlas
        return keys(atlas, plan(atlas, options), options)

    before, after = keyed(), keyed(_more_women_in_chachapoyas(tmp_path))
    changed = {n for n in before if before[n] != after[n]}
    assert {"cobertura.html", "index.html", "atlas.pdf"} <= changed
    assert not any(n.startswith("servicios/") for n in changed)
