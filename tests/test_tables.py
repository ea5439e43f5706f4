"""The data beside the maps (issue 13): datos/cobertura.csv, datos/servicios.csv and datos/cobertura.xlsx,
written with the pages, deterministic, and linked from the index and every page."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from mimpmap import model
from mimpmap.cli import main
from mimpmap.layout import DATA_FILES, service_data_file
from mimpmap.views.service import service_rows
from mimpmap.readers import xlsx as xlsx_reader
from mimpmap.tables import csv_bytes, service_table, unit_rows
from mimpmap.workbook import dump

from .conftest import DATA, GEO


def rows_of(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    result = CliRunner().invoke(main, ["build", "--data", str(DATA), "--geo", str(GEO), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_units_csv_has_a_row_per_unit_and_a_column_per_service(built, shipped):
    rows = rows_of((built / DATA_FILES["units"]).read_bytes())
    ids = [s.id for s in shipped.services]
    assert rows[0] == ["código", "nombre", "ubigeo", *ids, "servicios", "población"]
    assert len(rows) == 1 + len(shipped.units)
    by_code = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    ayacucho, puno = by_code["PE-AYA"], by_code["PE-PUN"]
    assert ayacucho["nombre"] == "Ayacucho" and ayacucho["ubigeo"] == "05"
    assert ayacucho["cai"] == "1" and puno["cai"] == "0" and by_code["PE-ANC"]["mi60"] == "1"
    for row in by_code.values():
        assert int(row["servicios"]) == sum(int(row[i]) for i in ids)
        assert int(row["servicios"]) == int(shipped.counts[row["código"]])
    assert sum(int(r["población"]) for r in by_code.values()) == shipped.population.total


def test_services_csv_is_the_service_rows(built, shipped):
    rows = rows_of((built / DATA_FILES["services"]).read_bytes())
    records = service_rows(shipped.data, shipped.population)
    assert rows[0][:4] == ["id", "nombre", "nombre corto", "programa"]
    assert [r[0] for r in rows[1:]] == [r["id"] for r in records]
    cai = dict(zip(rows[0], rows[2]))
    assert cai["cobertura (códigos ISO)"] == "PE-AYA, PE-CAL, PE-CUS, PE-LMA" and cai["nacional"] == "no"
    assert cai["unidades"] == "4" and cai["población alcanzada"] == str(records[1]["population_reached"])


def test_the_workbook_beside_the_maps_is_the_data(built):
    document = xlsx_reader.read((built / DATA_FILES["workbook"]).read_bytes(), "cobertura.xlsx")
    assert dump(model.validate(document)) == dump(model.read_coverage(DATA))


def test_two_builds_give_the_same_bytes(built, tmp_path):
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["build", "--data", str(DATA), "--geo", str(GEO), "--out", str(again)]).exit_code == 0
    for name in DATA_FILES.values():
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


def test_the_index_and_every_page_link_the_data(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'id="descargar">Descargar datos</h2>' in index
    for name in DATA_FILES.values():
        assert f'href="{name}"' in index and (built / name).is_file()
    assert 'Todos los datos: <a href="datos/cobertura.xlsx" download>' in (built / "cobertura.html").read_text("utf-8")
    for page in (built / "servicios").glob("*.html"):
        assert 'Todos los datos: <a href="../datos/cobertura.xlsx" download>' in page.read_text(encoding="utf-8")


def test_each_service_page_links_its_own_rows(built, shipped):
    """datos/servicios/<id>.csv: the table under the service's map, linked from its page (issue 22)."""
    for service in shipped.atlas.services:
        page = (built / "servicios" / f"{service.id}.html").read_text(encoding="utf-8")
        assert f'<a href="../datos/servicios/{service.id}.csv" download>Datos del mapa (CSV)</a>' in page
        rows = rows_of((built / service_data_file(service.id)).read_bytes())
        assert rows[0] == ["código", "nombre", "ubigeo", "llega el servicio", "población"]
        assert [r[3] for r in rows[1:]] == [u.cell for u in service.units]
    cai = {r[0]: r for r in rows_of((built / service_data_file("cai")).read_bytes())}
    assert cai["PE-AYA"][3] == "Sí" and cai["PE-PUN"][3] == "No" and cai["PE-AYA"][4] == "616176"


def test_without_population_the_column_is_left_out(shipped):
    from dataclasses import replace

    bare = replace(shipped.atlas, population=None)
    assert unit_rows(bare)[0][-1] == "servicios"
    assert "población alcanzada" not in service_table(bare)[0]


def test_the_atlas_of_a_boundary_file_that_merges_lima(tmp_path):
    """With Lima drawn whole, a service of Lima Metropolitana alone reaches it (partly): 1, and counted."""
    import geopandas as gpd

    import mimpmap

    g = gpd.read_file(GEO)
    path = tmp_path / "lima.geojson"
    g.dissolve("departamento").reset_index()[["departamento", "geometry"]].to_file(path)
    atlas = mimpmap.load(DATA, path).atlas
    rows = unit_rows(atlas)
    lima = dict(zip(rows[0], next(r for r in rows if r[1] == "Lima")))
    assert lima["car-pam"] == 1 and lima["servicios"] == sum(lima[s.id] for s in atlas.services)
    assert len(rows) == 1 + 25 and lima["población"] > 9_000_000


def test_csv_quotes_what_needs_quoting():
    raw = csv_bytes([["a", "b"], ['con, coma', 'con "comillas"']])
    assert raw == '\ufeffa,b\r\n"con, coma","con ""comillas"""\r\n'.encode("utf-8")
