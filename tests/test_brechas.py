"""Who is far from help (issue 24): the district points as an input (``--distritos``, ``--umbrales``),
computed once per build, and the :class:`~mimpmap.views.brechas.Brechas` spec its outputs show."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.access import THRESHOLDS_KM, parse_thresholds
from mimpmap.cli import main
from mimpmap.errors import UsageError
from mimpmap.inputs import INPUTS
from mimpmap.views import brechas as view

from .conftest import ROOT
from .test_access import POINTS, plain_loop

#: Checked by hand against the files: Caravelí (the largest share beyond 50 km), Condorcanqui, Cusco.
HELD_OUT = ("0403", "0104", "0801")


def rows(path: Path, **where) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [r for r in csv.DictReader(lines) if all(r[k] == v for k, v in where.items())]


@pytest.fixture(scope="module")
def atlas(shipped):
    """The shipped atlas (conftest's ``shipped``, read once per session)."""
    return shipped.atlas


@pytest.fixture(scope="module")
def spec(atlas):
    return atlas.brechas


# --- the input ---------------------------------------------------------------------------------


def test_district_points_are_an_input_with_their_option_and_thresholds():
    entry = INPUTS["districts"]
    assert (entry.option, entry.local) == ("--distritos", "geo/peru_distritos_puntos.csv")
    assert [o.flag for o in entry.options] == ["--umbrales"]
    assert ",".join(str(int(t)) for t in THRESHOLDS_KM) in entry.options[0].help  # the help says the default
    shown = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--distritos ARCHIVO" in shown and "--umbrales KM,KM" in shown


def test_the_packaged_copy_is_the_project_file():
    from mimpmap.inputs import packaged

    assert packaged("districts").read_bytes() == POINTS.read_bytes()


@pytest.mark.parametrize("text, expected", [(None, THRESHOLDS_KM), ("10", (10.0,)), ("100, 5,12.5", (5.0, 12.5, 100.0)),
                                            ("50,50", (50.0,))])
def test_thresholds_are_read_sorted(text, expected):
    assert parse_thresholds(text) == expected


@pytest.mark.parametrize("text", ["", "a,b", "0", "-5,10", "25;50", "1,2,3,4,5,6,7", "inf"])
def test_bad_thresholds_name_the_option(text):
    with pytest.raises(UsageError, match="--umbrales"):
        parse_thresholds(text)


def test_the_thresholds_reach_the_spec():
    import mimpmap

    spec = mimpmap.load(thresholds="10,30").atlas.brechas
    assert spec.thresholds == (10.0, 30.0) and spec.threshold_words == ("10 km", "30 km")
    assert spec.map_threshold == 1  # no 50 km: the middle one
    assert "mujeres a más de 30 km de un CEM (línea recta)" in spec.table[0]


def test_access_is_computed_once_per_atlas(monkeypatch):
    import mimpmap
    from mimpmap import access

    calls = []
    real = access.access
    monkeypatch.setattr(view, "access", lambda *a, **k: calls.append(1) or real(*a, **k))
    atlas = mimpmap.load().atlas
    assert atlas.brechas is not None and atlas.index is not None
    assert len(calls) == 1


def invoke(tmp_path, *args):
    out = tmp_path / "maps"
    return CliRunner().invoke(main, ["build", "--out", str(out), *map(str, args)]), out


def test_a_bad_points_file_is_refused_with_its_line_and_nothing_is_written(tmp_path):
    bad = tmp_path / "puntos.csv"
    bad.write_text(POINTS.read_text(encoding="utf-8").replace("010101,CHACHAPOYAS,0101,-77.85770",
                                                              "010101,CHACHAPOYAS,0101,-7785770"), encoding="utf-8")
    result, out = invoke(tmp_path, "--distritos", bad)
    assert result.exit_code == 1, result.output
    assert f"{bad}" in result.output and "línea 7" in result.output and "no es un punto del Perú" in result.output
    assert "Traceback" not in result.output and not (out / "index.html").exists()


def test_a_census_district_without_a_point_is_named_with_the_file(tmp_path):
    short = tmp_path / "puntos.csv"
    short.write_text("".join(line for line in POINTS.read_text(encoding="utf-8").splitlines(keepends=True)
                             if not line.startswith("250305,")), encoding="utf-8")
    result, out = invoke(tmp_path, "--distritos", short)
    assert result.exit_code == 1, result.output
    assert f"{short}: 1 distrito del censo no tiene punto (250305)" in result.output
    assert "Traceback" not in result.output and not (out / "index.html").exists()


def test_bad_thresholds_are_a_usage_error(tmp_path):
    result, _ = invoke(tmp_path, "--umbrales", "cerca")
    assert result.exit_code == 2 and "--umbrales 'cerca'" in result.output


def test_check_says_the_points_and_what_is_counted():
    result = CliRunner().invoke(main, ["check", "--umbrales", "10,20"])
    assert result.exit_code == 0, result.output
    assert "Distritos: " in result.output and "(1892 puntos; mujeres a más de 10 km y 20 km de un CEM, en línea recta)" \
        in result.output


def test_a_missing_points_file_is_named(tmp_path):
    result, _ = invoke(tmp_path, "--distritos", tmp_path / "no.csv")
    assert result.exit_code == 2 and "no.csv" in result.output and "Traceback" not in result.output


# --- the spec, against the files read by hand --------------------------------------------------


@pytest.mark.parametrize("code", HELD_OUT)
def test_held_out_provinces_match_a_count_by_hand(atlas, spec, code):
    gap = next(p for p in spec.provinces if p.code == code)
    women = int(rows(ROOT / "data" / "censo_2025.csv", ubigeo=code)[0]["mujeres"])
    cems = sum(r["ubigeo"].startswith(code) for r in rows(ROOT / "data" / "centros.csv", tipo="CEM"))
    assert (gap.women, gap.cems) == (women, cems)
    assert gap.women_per_cem == pytest.approx(women / cems, rel=0.01)
    from mimpmap.centres import read_centres
    from mimpmap.geography import read_boundaries

    total, beyond = plain_loop(code, {"CEM"}, 50.0, read_centres(ROOT / "data" / "centros.csv", read_boundaries()))
    assert total == women
    assert gap.shares[1] == pytest.approx(beyond / women, abs=0.01)
    assert gap.beyond[1] > 0 or code == "0801"


def test_a_province_row_names_it_with_accents_and_its_department(spec):
    caraveli = next(p for p in spec.provinces if p.code == "0403")
    assert (caraveli.name, caraveli.department) == ("Caravelí", "Arequipa")
    assert caraveli.cells[:2] == ("Caravelí", "Arequipa") and len(caraveli.cells) == len(spec.head)
    assert caraveli.tip.startswith("Caravelí (Arequipa): 28\u00a0304 mujeres; 1 CEM;")
    assert spec.worst(1) == (caraveli,)


def test_departments_and_peru_add_up(spec):
    assert len(spec.provinces) == 196 and len(spec.departments) == 26
    assert spec.national.women == 17_292_074 == sum(p.women for p in spec.provinces)
    assert spec.national.cems == sum(d.cems for d in spec.departments) == 436
    for i in range(len(spec.thresholds)):
        assert spec.national.beyond[i] == sum(p.beyond[i] for p in spec.provinces) == sum(
            d.beyond[i] for d in spec.departments)


def test_every_sentence_says_straight_line_and_its_sources(spec):
    assert "línea recta" in spec.straight_line
    assert all(w in spec.leaves_out for w in ("carreteras", "ríos", "montañas", "tiempo de viaje"))
    assert "centroide" in spec.points and "posición media" in spec.points
    assert "censo 2025" in spec.sources and "Directorio MIMP 2026" in spec.sources
    assert spec.notes == (spec.straight_line, spec.leaves_out, spec.points, spec.sources)


def test_the_layers_colour_every_province_and_the_legend_names_each_class(spec):
    per_cem, far = spec.layers
    assert (per_cem.key, far.key) == ("por_cem", "lejos")
    for layer in spec.layers:
        assert [code for code, _ in layer.fills] == [p.code for p in spec.provinces]
        assert {fill for _, fill in layer.fills} <= {s.color for s in layer.web_legend.swatches}
    shares = dict(far.fills)
    assert shares["0403"] == far.legend.swatches[-1].color  # 72,8 %: more than half
    assert shares["0801"] == far.legend.swatches[0].color  # nobody beyond 50 km


def test_no_census_districts_no_brechas(tmp_path):
    import mimpmap

    from .test_availability import census_text

    census = tmp_path / "censo.csv"
    census.write_text(census_text(), encoding="utf-8")
    assert mimpmap.load(census=census).atlas.brechas is None


# --- the downloads and the index -----------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("brechas") / "maps"
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_csv_has_spanish_headers_and_a_row_per_province_unit_and_peru(built, spec):
    raw = (built / "datos" / "brechas.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0][:7] == ["nivel", "código", "nombre", "departamento", "mujeres (censo 2025)",
                            "CEM (Directorio MIMP 2026)", "mujeres por CEM"]
    assert table[0][7:9] == ["mujeres a más de 25 km de un CEM (línea recta)", "proporción a más de 25 km"]
    levels = [row[0] for row in table[1:]]
    assert levels.count("provincia") == 196 and levels.count("departamento") == 26 and levels[-1] == "país"
    caraveli = next(row for row in table if row[1] == "0403")
    assert caraveli[2:6] == ["Caravelí", "Arequipa", "28304", "1"] and caraveli[9:11] == ["20598", "0.7277"]


def test_the_csv_is_formula_safe():
    from mimpmap.tables import csv_bytes

    assert csv_bytes([["=HYPERLINK(1)", 3]]).decode("utf-8-sig") == "'=HYPERLINK(1),3\r\n"


def test_the_workbook_has_the_sheet_and_still_reads_back(built):
    from mimpmap.readers import SPREADSHEETS
    from mimpmap.readers.xlsx import assemble

    sheets = SPREADSHEETS[".xlsx"]((built / "datos" / "cobertura.xlsx").read_bytes(), "cobertura.xlsx")
    rows = sheets[view.SHEET]
    assert rows[0][:3] == ("nivel", "código", "nombre") and len(rows) == 224
    assert rows[-1][:3] == ("país", "PE", "Perú")
    assemble(sheets)  # the sheet is skipped: the workbook still reads back as coverage


def test_the_index_lists_the_farthest_provinces_and_peru_with_links(built, spec):
    html = (built / "index.html").read_text(encoding="utf-8")
    start = html.index('<section aria-labelledby="brechas">')
    section = html[start:html.index("</section>", start)]
    assert section.count('<th scope="row">') == 11  # ten provinces and Peru
    assert '<th scope="row">Caravelí</th><td data-label="Departamento">Arequipa</td>' in section
    assert "20\u00a0598 (72,8\u00a0%)" in section and '<th scope="row">Perú</th>' in section
    assert 'href="brechas.html"' in section
    assert 'href="datos/brechas.csv" download' in section
    assert "línea recta" in section and "carreteras" in section


def test_a_build_with_thresholds_other_than_50_km_draws_the_middle_one(tmp_path):
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--umbrales", "5,30,200"])
    assert result.exit_code == 0 and "Campo detectado" not in result.output  # the provinces' file is the level's own
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "A más de 30 km de un CEM" in html and "A más de 50 km" not in html


# --- the page --------------------------------------------------------------------------------------


def test_the_page_is_written_whole_offline_with_the_provinces_and_its_words(built, spec):
    from mimpmap.html.text import esc

    html = (built / "brechas.html").read_text(encoding="utf-8")
    assert '<script src="http' not in html and "<link rel=\"stylesheet\" href=\"http" not in html
    assert html.count("MM.countLayer(geometry_0, JSON.parse(") == 2 and html.count("L.layerGroup();") == 1  # the second drawn when chosen
    assert '"code":"0403","nombre":"Caravelí"' in html  # the province geometry, not the departments'
    for words in (spec.straight_line, spec.leaves_out, spec.points, spec.summary, spec.table_caption):
        assert esc(words) in html
    assert esc(spec.sources) in html and "Fuente: " in html
    assert html.count('<tr><th scope="row">') == 196 + 1 + 26  # the provinces, Peru and the department units
    assert '<a href="datos/brechas.csv" download>' in html


#: brechas.html's size budget (bytes). With the province file's geometry (11,045 vertices, 237 KB of GeoJSON)
#: the page weighed 703,225 B; the page's own simplified geometry brings it under 600 KB. A service page
#: weighs about 450 KB, which this one cannot reach: without any geometry it weighs about 465 KB (the CEMs'
#: directory and the tables of 196 provinces). The margin is for new centres and provinces' words, not for
#: the file's full geometry coming back.
PAGE_BUDGET = 610_000


def test_the_page_stays_within_its_size_budget(built):
    assert (built / "brechas.html").stat().st_size <= PAGE_BUDGET


def test_the_pages_provinces_are_simplified_as_one_coverage_and_the_print_keeps_the_file(atlas):
    import shapely

    from mimpmap.geography import read_boundaries
    from mimpmap.html.brechas import WEB_GRID, web_provinces
    from mimpmap.levels import PROVINCES
    from mimpmap.session import Session
    from mimpmap.static import province_renderer

    frame = read_boundaries(level=PROVINCES).frame
    web = web_provinces(frame)
    geoms = web.geometry.values
    assert list(web.index) == list(frame.index) and not shapely.is_empty(geoms).any()
    assert shapely.coverage_is_valid(geoms)  # neighbours edge to edge: no gap, no overlap
    before, after = (int(shapely.get_num_coordinates(g.geometry.values).sum()) for g in (frame, web))
    assert after < 0.6 * before
    xy = shapely.get_coordinates(geoms) / WEB_GRID
    assert abs(xy - xy.round()).max() < 1e-6  # on the page's grid: three decimals
    # The printed maps draw the file's provinces, not the page's.
    printed = province_renderer(atlas, Session()).geometry.units
    assert int(shapely.get_num_coordinates(printed.geometry.values).sum()) == before


def test_atlas_html_does_not_show_brechas(built):
    assert "brechas" not in (built / "atlas.html").read_text(encoding="utf-8").lower()


def test_a_build_without_census_districts_writes_no_page(tmp_path):
    from .test_availability import census_text

    census = tmp_path / "censo.csv"
    census.write_text(census_text(), encoding="utf-8")
    result, out = invoke(tmp_path, "--censo", census)
    assert result.exit_code == 0, result.output
    assert not (out / "brechas.html").exists() and not (out / "datos" / "brechas.csv").exists()
    assert 'href="brechas.html"' not in (out / "index.html").read_text(encoding="utf-8")
