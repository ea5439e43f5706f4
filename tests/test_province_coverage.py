"""Coverage written per province (issue 24): "Cusco/Urubamba" in a coverage list reaches Cusco in part,
rolls up with the rest of the list, is drawn on the service's page and images, and round-trips through
the workbook; a name alone that is also a department's ("Cusco", "Lima") is the department."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import mimpmap
from mimpmap import AmbiguousPlaceError, DataError, colors, places
from mimpmap.cli import main
from mimpmap.coverage import FULL, NONE, PARTIAL
from mimpmap.levels import DEPARTMENTS, PROVINCES
from mimpmap.model import parse_coverage, read_coverage
from mimpmap.readers import read_document
from mimpmap.workbook import dump, export_workbook, import_workbook

from .conftest import DATA, GEO, MINIMAL

LIST = "coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]"


def with_coverage(entries: str) -> str:
    return MINIMAL.replace(LIST, f"coverage: [{entries}]")


def reached(entries: str) -> tuple[tuple[str, ...], dict]:
    data = parse_coverage(with_coverage(entries), "x.yaml")
    return data.codes["cai"], data.parts.get("cai", {})


# --- reading a list -----------------------------------------------------------------------------------

@pytest.mark.parametrize("entries,codes,parts", [
    ("Cusco/Urubamba", ("PE-CUS",), {"PE-CUS": ("0813",)}),
    ("Ayacucho, Cusco/Urubamba, Cusco/Calca", ("PE-AYA", "PE-CUS"), {"PE-CUS": ("0804", "0813")}),
    ("'0813'", ("PE-CUS",), {"PE-CUS": ("0813",)}),
    ("813", ("PE-CUS",), {"PE-CUS": ("0813",)}),  # a UBIGEO a spreadsheet stored as a number
    ("Urubamba", ("PE-CUS",), {"PE-CUS": ("0813",)}),  # a province's name that is no department's
    ("provincia de Urubamba", ("PE-CUS",), {"PE-CUS": ("0813",)}),
    ("Lima/Huaral, Lima Metropolitana", ("PE-LIM", "PE-LMA"), {"PE-LIM": ("1506",)}),
])
def test_a_province_reaches_its_department_in_part(entries, codes, parts):
    assert reached(entries) == (codes, parts)


@pytest.mark.parametrize("entries,codes", [
    ("Cusco, Cusco/Urubamba", ("PE-CUS",)),  # the whole department and one of its provinces
    (", ".join(f"'{u.ubigeo}'" for u in PROVINCES.units if u.ubigeo.startswith("08")), ("PE-CUS",)),
    ("Lima/Lima", ("PE-LMA",)),  # Lima Metropolitana is the province of Lima, whole
    ("Callao/Callao", ("PE-CAL",)),
])
def test_a_list_rolls_up_to_whole_departments(entries, codes):
    assert reached(entries) == (codes, {})


@pytest.mark.parametrize("name,codes", [
    ("Cusco", ("PE-CUS",)), ("Lima", ("PE-LIM", "PE-LMA")), ("Huancavelica", ("PE-HUV",)), ("Ica", ("PE-ICA",)),
])
def test_a_name_alone_of_a_department_and_a_province_is_the_department(name, codes):
    assert reached(name) == (codes, {})
    province = places.coverage_entry(f"{name}/{name}")  # with its department it is the province
    assert len(province) == 1 and PROVINCES.by_code[province[0]].nombre == name
    # in part, but Lima's: the province of Lima is Lima Metropolitana, whole
    assert reached(f"{name}/{name}") == ((("PE-LMA",), {}) if name == "Lima" else (codes, {codes[0]: province}))
    with pytest.raises(AmbiguousPlaceError):  # where nothing says which is meant, nothing is chosen
        places.resolve(name, PROVINCES)
    assert set(places.resolve(name, PROVINCES, prefer=DEPARTMENTS)) == set(PROVINCES.children(codes))


def test_the_shipped_file_reads_as_departments_did():
    data = read_coverage(DATA)
    assert data.parts == {}
    for service in data.services:
        if not service.national:
            expected = {c for entry in service.coverage for c in places.lookup(entry)}
            assert set(data.codes[service.id]) == expected, service.id


@pytest.mark.parametrize("entry,expected", [
    ("Cusco/Urubambaa", "'Cusco/Urubambaa' no es una provincia del Perú; ¿quiso decir 'Cusco/Urubamba'?"),
    ("Lima/Huarall", "¿quiso decir 'Lima/Huaral'?"),
    ("Puno/Urubamba", "'Puno/Urubamba' no es una provincia del Perú; ¿quiso decir 'Cusco/Urubamba'?"),
    ("Urubambaa", "'Urubambaa' no es un departamento ni una provincia del Perú; ¿quiso decir 'Cusco/Urubamba'"),
    ("Ayacuchoo", "'Ayacuchoo' no es un departamento del Perú; ¿quiso decir 'Ayacucho'?"),
])
def test_an_unknown_province_names_the_line_and_the_fix(entry, expected):
    with pytest.raises(DataError) as info:
        parse_coverage(with_coverage(entry), "x.yaml")
    (message,) = info.value.problems
    assert message.startswith("línea 10: servicio 'cai', coverage n.º 1: ") and expected in message
    if entry != "Ayacuchoo":  # how to write a province, and what the name alone means
        assert ("una provincia se escribe con su departamento, 'Cusco/Urubamba', o con su UBIGEO, '0813'; "
                "'Cusco', sin más, es todo el departamento, y 'Cusco/Cusco', la provincia") in message


def test_the_hint_spells_what_it_says():
    hint = places.writing_hint(DEPARTMENTS, PROVINCES)
    assert places.coverage_entry("Cusco/Urubamba") == places.coverage_entry("0813") == ("0813",)
    assert "'Cusco/Cusco', la provincia" in hint and places.coverage_entry("Cusco/Cusco") == ("0801",)


def test_check_refuses_an_unknown_province(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(with_coverage("Cusco/Urubambaa"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data", str(path), "--geo", str(GEO)])
    assert result.exit_code == 1
    assert "línea 10" in result.output and "¿quiso decir 'Cusco/Urubamba'?" in result.output
    assert "Traceback" not in result.output


def test_coverage_text_may_name_the_provinces():
    text = with_coverage("Ayacucho, Cusco/Urubamba") + "    coverage_text: Ayacucho y Urubamba (Cusco)\n"
    assert parse_coverage(text).parts == {"cai": {"PE-CUS": ("0813",)}}
    with pytest.raises(DataError, match="el texto nombra Ayacucho y Cusco, pero la cobertura tiene "
                                        r"Ayacucho y Cusco \(solo Urubamba\)"):
        parse_coverage(with_coverage("Ayacucho, Cusco/Urubamba") + "    coverage_text: Ayacucho y Cusco\n")


@pytest.mark.parametrize("province,problem", [
    ("Urubamba", None),
    ("Calca", "centres, sites n.º 1, department: la provincia 'Calca' no está en la cobertura del servicio (en Cusco, "
              "solo Urubamba); añada 'Cusco/Calca' a la cobertura o corrija la provincia del centro"),
    ("Ciudad", None),  # a province that is none of the department's is not read (as before provinces)
])
def test_a_centre_in_a_department_reached_in_part_is_in_a_province_reached(province, problem):
    text = with_coverage("Ayacucho, Cusco/Urubamba") + (
        "    centres:\n      total: 1\n      label: CAI\n      sites:\n"
        f"        - {{name: Centro, province: {province}, district: D, department: Cusco}}\n")
    if problem is None:
        assert parse_coverage(text).parts == {"cai": {"PE-CUS": ("0813",)}}
        return
    with pytest.raises(DataError) as info:
        parse_coverage(text)
    (message,) = info.value.problems
    assert message.endswith(problem)


# --- the words -------------------------------------------------------------------------------------------

#: Provinces named as their department is, among others (Lima's is Lima Metropolitana and Callao's is
#: Callao: each whole, never a part).
SAME_NAME = [u for u in PROVINCES.units
             if u.nombre == u.departamento and len(PROVINCES.children((PROVINCES.parent_of(u.iso),))) > 1]


def test_some_provinces_are_named_as_their_department():
    assert {u.nombre for u in SAME_NAME} >= {"Cusco", "Arequipa", "Huancavelica", "Ica", "Tacna"}


@pytest.mark.parametrize("unit", SAME_NAME, ids=lambda u: u.nombre)
def test_a_province_named_as_its_department_is_said_with_its_noun(unit):
    department = PROVINCES.parent_of(unit.iso)
    alone = places.describe((department,), parts={department: (unit.iso,)})
    assert alone == f"{unit.departamento} (solo la provincia de {unit.nombre})"
    other = next(c for c in PROVINCES.children((department,)) if c != unit.iso)
    both = places.describe((department,), parts={department: tuple(sorted((unit.iso, other)))})
    names = " y ".join(sorted((unit.nombre, PROVINCES.by_code[other].nombre), key=places.normalize))
    assert both == f"{unit.departamento} (solo las provincias de {names})"


def test_a_province_of_another_name_is_said_by_its_name():
    assert places.describe(("PE-CUS",), parts={"PE-CUS": ("0813",)}) == "Cusco (solo Urubamba)"
    assert PROVINCES.noun.named("Urubamba") == "Provincia de Urubamba"  # a name on a page


def test_check_and_the_downloads_say_the_province_of_cusco(tmp_path):
    from mimpmap.views.service import service_rows

    path = tmp_path / "c.yaml"
    path.write_text(with_coverage("Ayacucho, Cusco/Cusco"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--data", str(path), "--geo", str(GEO)])
    assert result.exit_code == 0, result.output
    assert "Ayacucho y Cusco (solo la provincia de Cusco) (parcial en 1: solo la provincia de Cusco)" in result.output
    assert "solo Cusco" not in result.output
    cov = mimpmap.load(path, GEO)
    (row,) = service_rows(cov.data, cov.population)
    assert row["coverage_text"] == "Ayacucho y Cusco (solo la provincia de Cusco)"
    spec = cov.atlas.service("cai")
    assert next(u for u in spec.units if u.code == "PE-CUS").cell == "En parte: solo la provincia de Cusco"
    assert [s.label for s in spec.legend.swatches if s.hatch] == ["En parte (solo la provincia de Cusco)"]
    assert [p.name for p in spec.pieces] == ["Provincia de Cusco (Cusco)"]


# --- the maps -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def urubamba(tmp_path_factory):
    """The minimal file with a service that reaches Ayacucho and, in Cusco, Urubamba and Calca."""
    path = tmp_path_factory.mktemp("urubamba") / "c.yaml"
    path.write_text(with_coverage("Ayacucho, Cusco/Urubamba, Cusco/Calca"), encoding="utf-8")
    return mimpmap.load(path, GEO)


def test_the_department_is_partial_on_the_department_maps(urubamba):
    assert urubamba.status.loc["PE-CUS", "cai"] == PARTIAL and urubamba.status.loc["PE-AYA", "cai"] == FULL
    assert urubamba.status.loc["PE-PUN", "cai"] == NONE
    assert urubamba.counts["PE-CUS"] == 1 and urubamba.partial_counts["PE-CUS"] == 1  # counted, marked
    atlas = urubamba.atlas
    cusco = next(u for u in atlas.choropleth.units if u.code == "PE-CUS")
    assert cusco.hatched and cusco.note == "incluye 1 solo Calca y Urubamba"
    assert cusco.cell == "Centros de Atención Institucional (solo Calca y Urubamba)"
    spec = atlas.service("cai")
    assert spec.coverage == "Ayacucho y Cusco (solo Calca y Urubamba)"
    assert next(u for u in spec.units if u.code == "PE-CUS").cell == "En parte: solo Calca y Urubamba"
    assert spec.reach == "En el mapa: llega a 1 de 26 departamentos y en parte a Cusco (solo Calca y Urubamba)."
    assert spec.people.reached == urubamba.population.of(["PE-AYA"])  # Cusco is not counted whole
    assert spec.people.sentence.endswith("No se cuenta Cusco, donde llega solo en parte.")
    assert [p.name for p in spec.pieces] == ["Provincia de Calca (Cusco)", "Provincia de Urubamba (Cusco)"]


def test_the_service_page_draws_the_provinces(urubamba):
    page = urubamba.atlas  # the page's markup, from the renderer the build uses
    from mimpmap.html.pages import Renderer

    html = Renderer(page).service("cai")
    # the "provincias" layer's area mark: each province's code, name, words on hover and outline
    pieces = page.service("cai").pieces
    assert '["areas",{"color":"%s","shapes":[["0804","Provincia de Calca (Cusco)",' % colors.COVERED in html
    assert '["0813","Provincia de Urubamba (Cusco)",%s,' % json.dumps(pieces[1].tip, ensure_ascii=False) in html
    outline = json.loads(pieces[1].outline)
    assert outline["type"] in ("Polygon", "MultiPolygon")
    assert len(html.encode()) < 450_000


def test_the_printed_map_draws_the_provinces(urubamba):
    from mimpmap.static import StaticRenderer

    renderer = StaticRenderer(urubamba.atlas)
    spec = urubamba.atlas.service("cai")
    covered = np.array(Image.open(io.BytesIO(renderer.render(spec, "png", dpi=60))).convert("RGB"))
    bare = np.array(Image.open(io.BytesIO(renderer.render(
        __import__("dataclasses").replace(spec, pieces=()), "png", dpi=60))).convert("RGB"))
    blue = np.array([int(colors.COVERED[i:i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(covered - blue).sum(axis=2) < 30).sum() > (np.abs(bare - blue).sum(axis=2) < 30).sum() + 20


def test_the_downloads_name_the_provinces(urubamba):
    from mimpmap.views.service import service_rows

    (row,) = service_rows(urubamba.data, urubamba.population)
    assert row["coverage"] == ["PE-AYA", "0804", "0813"] and row["units"] == 2
    assert row["coverage_text"] == "Ayacucho y Cusco (solo Calca y Urubamba)"


# --- the workbook ---------------------------------------------------------------------------------------

def test_a_province_coverage_round_trips_through_the_workbook(tmp_path):
    source = tmp_path / "c.yaml"
    source.write_text(with_coverage("Ayacucho, Cusco/Urubamba, '0804'"), encoding="utf-8")
    book = tmp_path / "libro.xlsx"
    export_workbook(source, book)
    original = read_coverage(source)
    from mimpmap.model import validate

    again = validate(read_document(book), book)
    assert (again.codes, again.parts) == (original.codes, original.parts) == (
        {"cai": ("PE-AYA", "PE-CUS")}, {"cai": {"PE-CUS": ("0804", "0813")}})
    target = tmp_path / "nuevo.yaml"
    assert import_workbook(book, target).written
    assert "Cusco/Urubamba" in target.read_text(encoding="utf-8")
    assert dump(read_coverage(target)) == dump(original)


def _blue_pixels(png: bytes) -> int:
    image = np.array(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    blue = np.array([int(colors.COVERED[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - blue).sum(axis=2) < 30).sum())


def test_the_mosaic_draws_the_provinces_with_a_swatch(urubamba):
    import dataclasses

    import matplotlib

    from mimpmap import mosaic
    from mimpmap.mpl.files import save
    from mimpmap.mpl.typeset import STYLE, Page, size_preset
    from mimpmap.static import StaticRenderer
    from mimpmap.views.printed import Shapes

    atlas = urubamba.atlas
    spec = atlas.mosaic
    (tile,) = (t for _, tiles in spec.groups for t in tiles if t.id == "cai")
    # the small map's shapes are its printed map's provinces layer, and the legend names them
    assert tile.shapes == atlas.printed_map(atlas.service("cai")).of(Shapes) and len(tile.shapes[0].outlines) == 2
    labels = [s.label for s in spec.legend.swatches]
    assert labels == ["Llega el servicio", "Provincia a la que llega", "En parte (solo Calca y Urubamba)", "No llega"]
    assert spec.legend.swatches[1].color == colors.COVERED
    renderer = StaticRenderer(atlas)

    def drawn(described) -> bytes:
        with matplotlib.rc_context(STYLE):
            return save(mosaic.draw(renderer, described, Page.figure(size_preset("a4").whole_page), dpi=80), "png", 80)

    bare = dataclasses.replace(spec, groups=tuple(
        (name, tuple(dataclasses.replace(t, shapes=()) for t in tiles)) for name, tiles in spec.groups))
    assert _blue_pixels(drawn(spec)) > _blue_pixels(drawn(bare)) + 10
