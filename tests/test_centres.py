"""The centres file: data/centros.csv as shipped, its script, and the reader's checks (mimpmap.centres)."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mimpmap.centre_places import unit_of
from mimpmap.centres import COLUMNS, parse_centres, phones, read_centres
from mimpmap.errors import CentresError, DataError, MimpmapError
from mimpmap.geography import read_boundaries

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "centros.csv"
PACKAGED = ROOT / "src" / "mimpmap" / "data" / "centros.csv"
GEO = ROOT / "geo" / "peru_departamentos.geojson"
SOURCE = Path(os.environ.get("MIMPMAP_CENTRES_SOURCE", "/work/shared/sources/mimp_directorio_2026.json"))
NEEDS_SOURCE = pytest.mark.skipif(
    not SOURCE.is_file(), reason=f"source {SOURCE} absent: set MIMPMAP_CENTRES_SOURCE to the path of the MIMP "
                                 "directory JSON (Rodasluis/Indicadores-ENDES, site/data/directorio.json at ffe1e19)")

HEAD = "# año: 2026\n# fuente: prueba\n" + ",".join(COLUMNS) + "\n"
BAGUA = "CEM,comisaría,Cem Comisaría Bagua,010201,Amazonas,Bagua,Bagua,Av. Heroes Del Cenepa N° 1000,932854358,-5.638914,-78.531048\n"
CUSCO = "SAU,,SAU Cusco,080106,Cusco,Cusco,Santiago,Av. Antonio Lorena S/N,999052750,-13.527611,-71.982122\n"


@pytest.fixture(scope="module")
def boundaries():
    return read_boundaries(GEO)


@pytest.fixture(scope="module")
def shipped(boundaries):
    return read_centres(CSV, boundaries)


def refused(text: str, boundaries=None) -> list[str]:
    with pytest.raises(CentresError) as caught:
        parse_centres(text, "centros.csv", boundaries)
    return caught.value.problems


# --- the shipped file --------------------------------------------------------------------------------


def test_the_shipped_file_has_the_directory_s_519_sites_and_29_shelters(shipped):
    # The 519 is the source's 548 sites less its 29 shelters (CEM 436, SAR 68, SAU 8, CAI 7).
    assert len(shipped.sites) == 519
    assert shipped.by_kind() == {"CEM": 436, "SAR": 68, "SAU": 8, "CAI": 7, "HRT": 29}
    assert sum(shipped.shelters.values()) == 29 and len(shipped.shelters) == 23  # none in Ica nor Lambayeque
    assert shipped.shelters["15"] == 3 and shipped.shelters["04"] == 3
    assert (shipped.year, shipped.source.startswith("MIMP, Consolidado Directorio Nacional 2026")) == (2026, True)
    # 516 with both coordinates (the source's figure), less CEM Grocio Prado's point in the sea.
    assert sum(c.located for c in shipped.sites) == 516 and len(shipped.placed) == 515
    assert [c.nombre for c in shipped.unlocated] == ["Kosñipata", "Bernal", "PIAS Ucayali I"]
    assert {c.subtipo for c in shipped.sites if c.tipo == "CEM"} == {"regular", "comisaría", "centro de salud"}


def test_shipped_shelter_rows_carry_nothing_but_their_department():
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    shelters = [r for r in rows if r["tipo"] == "HRT"]
    assert len(shelters) == 29
    for r in shelters:
        assert re.fullmatch(r"\d\d", r["ubigeo"]) and r["departamento"]
        assert not any(v for k, v in r.items() if k not in ("tipo", "ubigeo", "departamento"))


@NEEDS_SOURCE
def test_no_shelter_name_or_phone_of_the_source_is_in_the_shipped_file():
    text = CSV.read_text(encoding="utf-8")
    digits = re.sub(r"\D", "", text)
    shelters = [s for s in json.loads(SOURCE.read_bytes())["servicios"] if s["tipo"] == "HRT"]
    assert len(shelters) == 29
    for s in shelters:
        assert s["nombre"] not in text
        for number in re.findall(r"\d[\d ]{5,}\d", s["telefono"]):
            assert re.sub(r"\D", "", number) not in digits


def test_cem_grocio_prado_is_warned_about_and_not_placed(shipped):
    warned = [w for w in shipped.warnings if "Grocio Prado" in w]
    assert len(warned) == 1
    assert "Cem Comisaría Emilio Roman Saravia Garcia" in warned[0] and "18 km de Ica" in warned[0]
    assert "en el mar o fuera del Perú" in warned[0] and warned[0].startswith("línea 235:")
    (doubt,) = shipped.astray
    assert doubt.centre.distrito == "Grocio Prado" and doubt.centre not in shipped.placed


def test_the_shipped_file_warns_of_the_names_and_addresses_that_name_another_district(shipped):
    text = "\n".join(shipped.warnings)
    assert "«Cem Regular Huamachuco» lleva el nombre de Huamachuco (130901), pero su ubigeo es 130902 (Chugay)" in text
    assert "«Cem Regular Ancon» lleva el nombre de Ancon (150102)" in text
    assert "la dirección de SAR «Tapo» nombra Huancano, el distrito 110502" in text
    assert "SAU «SAU Madre De Dios» está en el mismo punto que CEM «Cem Regular Madre De Dios»" in text
    assert len(shipped.warnings) == 7


def test_the_packaged_copy_is_the_same_file():
    assert PACKAGED.read_bytes() == CSV.read_bytes()


def test_the_readme_records_the_sha256_of_the_file():
    assert hashlib.sha256(CSV.read_bytes()).hexdigest() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def _script():
    spec = importlib.util.spec_from_file_location("build_centros", ROOT / "scripts" / "build_centros.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@NEEDS_SOURCE
def test_the_script_is_deterministic_and_makes_the_shipped_file(tmp_path, capsys):
    script = _script()
    assert script.main([str(SOURCE), "--output", str(tmp_path / "a.csv")]) == 0
    assert script.main([str(SOURCE), "--output", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes() == CSV.read_bytes()
    assert "519 centres and 29 shelters" in capsys.readouterr().out


def test_the_script_stops_on_another_source(tmp_path, capsys):
    other = tmp_path / "directorio.json"
    other.write_text('{"servicios": []}', encoding="utf-8")
    assert _script().main([str(other), "--output", str(tmp_path / "out.csv")]) == 1
    assert "sha256" in capsys.readouterr().err and not (tmp_path / "out.csv").exists()


# --- refused -----------------------------------------------------------------------------------------


def test_a_shelter_with_an_address_is_refused_naming_the_row_and_why_without_quoting_it():
    problems = refused(HEAD + BAGUA + "HRT,,,05,Ayacucho,,,Jr. Secreto 123,,,\n")
    assert len(problems) == 1
    assert problems[0].startswith("línea 5: un HRT (Hogar de Refugio Temporal) es confidencial")
    assert "direccion" in problems[0] and "Secreto" not in problems[0]


def test_a_shelter_with_a_name_phone_position_or_district_is_refused_with_each_column():
    problems = refused(HEAD + "HRT,,Casa Secreta,050111,Ayacucho,Huamanga,Santiago de Pischa,,999999999,-13.1,-74.2\n")
    text = "\n".join(problems)
    assert "nombre, provincia, distrito, telefono, lat y lon" in text
    assert "un HRT lleva solo las 2 cifras de su departamento ('05')" in text
    assert "Casa Secreta" not in text and "Pischa" not in text and "999999999" not in text


def test_an_unknown_type_is_refused_with_its_row_and_the_known_ones():
    (problem,) = refused(HEAD + BAGUA + BAGUA.replace("CEM,comisaría,", "CEMM,,"))
    assert problem.startswith("línea 5: columna 'tipo': 'CEMM' no es un tipo de centro; escriba CEM (")


@pytest.mark.parametrize("ubigeo, words", [
    ("0102", "no es un ubigeo; escriba las 6 cifras de su distrito"),
    ("260101", "no es de ningún departamento"),
    ("010001", "no es el ubigeo de un distrito"),
    ("01020x", "no es un ubigeo"),
])
def test_a_bad_ubigeo_is_refused_with_its_row(ubigeo, words):
    (problem,) = refused(HEAD + BAGUA.replace("010201", ubigeo))
    assert problem.startswith("línea 4: columna 'ubigeo':") and words in problem


def test_a_ubigeo_a_spreadsheet_stripped_of_its_leading_zero_is_read():
    centres = parse_centres(HEAD + BAGUA.replace("010201", "10201"))
    assert centres.sites[0].ubigeo == "010201"


@pytest.mark.parametrize("lat, lon, hint", [
    ("40.4168", "-3.7038", ""),
    ("-78.531048", "-5.638914", "¿están lat y lon intercambiadas?"),
    ("5.638914", "78.531048", "¿falta el signo menos?"),
])
def test_a_point_outside_peru_is_refused_with_its_row(lat, lon, hint):
    (problem,) = refused(HEAD + BAGUA.replace("-5.638914,-78.531048", f"{lat},{lon}"))
    assert problem.startswith(f"línea 4: el punto (lat {lat}, lon {lon}) está fuera del Perú") and hint in problem


def test_half_a_position_and_a_bad_number_are_refused():
    problems = refused(HEAD + BAGUA.replace(",-78.531048", ",") + CUSCO.replace("-71.982122", "oeste"))
    assert problems == [
        "línea 4: hay 'lat' pero falta 'lon'; escriba las dos coordenadas o ninguna",
        "línea 5: columna 'lon': 'oeste' no es un número; escriba grados decimales (p. ej. -12.0464 para lat, "
        "-77.0428 para lon)",
    ]


def test_every_problem_is_reported_at_once_each_with_its_row():
    # line 1 is the source, 2 the header: the rows are lines 3 to 8
    text = ("# fuente: prueba\n" + ",".join(COLUMNS) + "\n" + BAGUA + BAGUA
            + CUSCO.replace("SAU,", "XYZ,") + CUSCO.replace("080106", "99")
            + CUSCO.replace("SAU Cusco", "SAU Cusco 2").replace("Cusco,Cusco,", "Puno,Cusco,")
            + CUSCO.replace("SAU Cusco", "SAU Cusco 3").replace("999052750", "llamar"))
    problems = refused(text)
    assert [p.split(":")[0] for p in problems] == ["línea 4", "línea 5", "línea 6", "línea 7", "línea 8",
                                                    "falta la línea '# año"]
    assert "está repetido (ya estaba en la línea 3)" in problems[0]
    assert "'XYZ' no es un tipo de centro" in problems[1]
    assert "'99' no es un ubigeo; escriba las 6 cifras de su distrito (p. ej. 010201)" in problems[2]
    assert "'Puno' no es el departamento del ubigeo 080106 (Cusco)" in problems[3]
    assert "'llamar' no es un teléfono" in problems[4]


def test_two_names_for_one_district_are_refused():
    (problem,) = refused(HEAD + CUSCO + CUSCO.replace("SAU Cusco", "CEM Otro").replace("Santiago", "Wanchaq")
                         .replace("SAU,", "CAI,"))
    assert problem == ("línea 5: columna 'distrito': el distrito 080106 se llama «Santiago» en la línea 4 y «Wanchaq» "
                       "aquí; corrija el nombre o el ubigeo")


def test_an_unknown_column_a_missing_one_and_no_metadata_are_refused():
    problems = refused("tipo,nombre,ubigeo,lat,longitud\n" + "CEM,X,010201,-5.6,-78.5\n")
    assert problems[0] == "línea 1: la columna 5 ('longitud') no es una columna de centros; ¿quiso decir 'lon'?"
    assert problems[1].startswith("línea 1: faltan en la cabecera las columnas lon")
    assert any(p.startswith("falta la línea '# fuente: …'") for p in problems)


def test_an_unknown_subtype_is_refused_with_the_known_ones():
    (problem,) = refused(HEAD + BAGUA.replace("comisaría", "hospital"))
    assert "'hospital' no es un subtipo de CEM; escriba 'regular', 'comisaría' o 'centro de salud'" in problem


def test_the_errors_are_the_project_s():
    with pytest.raises(CentresError) as caught:
        parse_centres(HEAD)
    assert isinstance(caught.value, DataError) and isinstance(caught.value, ValueError)
    assert caught.value.exit_code == 1 and "no tiene centros" in str(caught.value)


def test_an_unreadable_file_is_an_input_file_error(tmp_path):
    with pytest.raises(MimpmapError) as caught:
        read_centres(tmp_path / "no.csv")
    assert caught.value.exit_code == 2 and "--centros" in str(caught.value)
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEAD + BAGUA).encode("latin-1"))
    with pytest.raises(CentresError, match="no está en UTF-8"):
        read_centres(latin)


# --- accepted, with warnings -------------------------------------------------------------------------


def test_a_semicolon_file_with_a_decimal_comma_reads():
    text = HEAD.replace(",", ";") + BAGUA.replace("-5.638914,-78.531048", '"-5,638914";"-78,531048"').replace(",", ";")
    text = text.replace('"-5;638914";"-78;531048"', "-5,638914;-78,531048")
    (centre,) = parse_centres(text).sites
    assert (centre.lat, centre.lon, centre.subtipo) == (-5.638914, -78.531048, "comisaría")


def test_a_point_far_from_its_department_is_warned_and_not_placed(boundaries):
    centres = parse_centres(HEAD + BAGUA + CUSCO.replace("-13.527611,-71.982122", "-12.0464,-77.0428"),
                            boundaries=boundaries)
    (warning,) = centres.warnings
    assert warning.startswith("línea 5: SAU «SAU Cusco» (Santiago, Cusco): su punto (lat -12.0464, lon -77.0428) "
                              "queda a ") and "km de Cusco, dentro de Lima Metropolitana" in warning
    assert [c.nombre for c in centres.placed] == ["Cem Comisaría Bagua"]


def test_without_boundaries_no_point_is_doubted_and_a_note_says_so():
    centres = parse_centres(HEAD + CUSCO.replace("-13.527611,-71.982122", "-12.0464,-77.0428"))
    assert centres.astray == () and len(centres.placed) == 1
    assert any("no se comprobó" in n for n in centres.notes)


def test_a_centre_without_coordinates_is_listed_and_never_placed():
    centres = parse_centres(HEAD + BAGUA.replace("-5.638914,-78.531048", ","))
    assert centres.placed == () and len(centres.unlocated) == 1
    assert "1 centro sin coordenadas no se dibuja en los mapas: CEM «Cem Comisaría Bagua» (línea 4)" in centres.notes


def test_units_split_lima_as_the_map_does():
    assert (unit_of("150132"), unit_of("150716"), unit_of("070106"), unit_of("080106")) == \
        ("PE-LMA", "PE-LIM", "PE-CAL", "PE-CUS")


def test_phones_are_their_digits():
    assert phones("994 839 886 / +51 14197260") == ("994839886", "+5114197260")
    assert phones("") == ()


def test_the_same_sheet_reads_from_a_workbook_with_its_rows_named(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "centros"
    sheet.append(["# año: 2026"])
    sheet.append(["# fuente: prueba"])
    sheet.append(list(COLUMNS))
    sheet.append(["CEM", "regular", "Cem Regular Bagua", 10201, "Amazonas", "Bagua", "Bagua", "Jr. Lores", 994839908,
                  -5.638138, -78.529975])
    sheet.append(["HRT", None, None, 1, "Amazonas", None, None, "Calle 1", None, None, None])
    book.save(tmp_path / "centros.xlsx")
    with pytest.raises(CentresError) as caught:
        read_centres(tmp_path / "centros.xlsx")
    (problem,) = caught.value.problems
    assert problem.startswith("hoja centros, fila 5: un HRT (Hogar de Refugio Temporal) es confidencial")
    sheet.delete_rows(5)
    book.save(tmp_path / "centros.xlsx")
    (centre,) = read_centres(tmp_path / "centros.xlsx").sites
    assert (centre.ubigeo, centre.telefono, centre.lat) == ("010201", "994839908", -5.638138)


_cells = st.text(alphabet=st.sampled_from(list("CEMHRTSAU0123456789-.,;\"# \nabcñ")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cells, max_size=12), max_size=5))
def test_any_text_is_read_or_refused_never_crashes(rows):
    text = HEAD + "\n".join(",".join(cells) for cells in rows)
    try:
        parse_centres(text)
    except CentresError:
        pass
