"""The notebook API: `mimpmap.load()` and what a notebook does with its result."""

import folium
import pandas as pd
import pytest
from matplotlib.figure import Figure

import mimpmap

from .conftest import DATA, GEO


def test_public_api():
    assert set(mimpmap.__all__) >= {"load", "Coverage", "MimpmapError", "DataError", "GeoError", "UnknownPlaceError"}
    assert mimpmap.__version__ != "0+unknown"
    assert issubclass(mimpmap.UnknownPlaceError, ValueError) and issubclass(mimpmap.DataError, mimpmap.MimpmapError)


def test_load_defaults_from_the_working_directory(monkeypatch):
    monkeypatch.chdir(DATA.parents[1])
    cov = mimpmap.load()
    assert len(cov.services) == 19 and len(cov.units) == 26


def test_load_defaults_to_the_packaged_data_anywhere(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no data/ or geo/ here: the copies shipped in the package are used
    cov = mimpmap.load()
    assert len(cov.services) == 19 and len(cov.units) == 26


def test_notebook_session(shipped):
    cov = shipped
    m = cov.choropleth()
    assert isinstance(m, folium.Map)
    html = m._repr_html_()  # what Jupyter shows inline
    assert "iframe" in html and len(html) > 10_000
    assert isinstance(cov.service_map("cai"), folium.Map)
    assert "iframe" in cov._repr_html_()

    fig = cov.static_map()
    assert isinstance(fig, Figure)
    width, _ = fig.get_size_inches() * fig.dpi
    assert width >= 1800
    assert isinstance(cov.static_map("mi60"), Figure)
    assert isinstance(cov.static_map(id="cai", dpi=50), Figure)
    assert isinstance(cov.service_map(id="cai"), folium.Map)


def test_table(shipped):
    table = shipped.table()
    assert isinstance(table, pd.DataFrame)
    assert table.shape == (26, 3 + 19 + 2)
    assert table.loc["PE-LMA", "servicios"] == 18
    assert table.loc["PE-CUS", "cai"] and not table.loc["PE-LOR", "cai"]
    assert table.loc["PE-LIM", "nombre"] == "Lima Provincias"
    assert (table["servicios"] == table[[s.id for s in shipped.services]].sum(axis=1)).all()
    assert table["poblacion"].sum() == 29_381_884  # INEI, censo 2017
    assert table.loc["PE-LMA", "poblacion"] == 8_574_974


def test_unknown_service(shipped):
    with pytest.raises(mimpmap.UnknownServiceError, match="los válidos son"):
        shipped.service_map("nada")


def test_bad_input_raises_library_errors(tmp_path):
    with pytest.raises(mimpmap.InputFileError):
        mimpmap.load(data=tmp_path / "no.yaml", geo=GEO)
    with pytest.raises(mimpmap.InputFileError):
        mimpmap.load(data=DATA, geo=tmp_path / "no.geojson")
    bad = tmp_path / "mal.yaml"
    bad.write_text("title: [", encoding="utf-8")
    with pytest.raises(mimpmap.DataError):
        mimpmap.load(data=bad, geo=GEO)
    with pytest.raises(mimpmap.InputErrors) as both:  # every file's problem, in one go
        mimpmap.load(data=bad, geo=tmp_path / "no.geojson")
    assert len(both.value.errors) == 2 and both.value.exit_code == 2
