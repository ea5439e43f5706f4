"""Hostile or mistaken coverage and population inputs (issue 25, items 7, 8 and 11; issue 22, items 9 to 11):
YAML 1.1's surprises, workbooks with a stale dimension, entities, cut XML or huge cells, and files given
for the wrong input. Each ends at once with a Spanish message that names the place, or reads as meant."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mimpmap import yamlout
from mimpmap.cli import main
from mimpmap.errors import DataError
from mimpmap.model import parse_coverage
from mimpmap.readers import yaml as yaml_reader

from .conftest import GEO, MINIMAL, clean_centres


def read(text: str):
    return yaml_reader.parse(text).data


# --- YAML 1.2: what YAML 1.1 reads as numbers, dates or booleans is text -------------------------------

def test_a_time_in_the_values_is_not_read_as_base_60(yaml_file):
    path = yaml_file(MINIMAL.replace("values: [1726, 2075]", "values: [1726, 10:30]"))
    result = CliRunner().invoke(main, ["check", "--data", str(path), "--geo", str(GEO)])
    assert result.exit_code == 1, result.output  # YAML 1.1 read 630 and said "Todo correcto"
    assert "línea 13" in result.output and "'10:30': debe ser un número entero" in result.output


@settings(max_examples=60, deadline=None)
@given(st.one_of(
    st.from_regex(r"[1-9][0-9]?(:[0-5][0-9]){1,2}(\.[0-9]+)?", fullmatch=True),  # sexagesimal
    st.sampled_from(["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n", "Y", "N", "="]),
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"[1-9][0-9]{0,2}(_[0-9]{3})+", fullmatch=True),  # 1_000
    st.from_regex(r"0b[01]+", fullmatch=True),
))
def test_what_only_yaml_1_1_reads_as_something_else_is_text(text):
    assert read(f"a: {text}\nb: [{text}]") == {"a": text, "b": [text]}


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=6))
def test_integers_are_decimal_whatever_their_leading_zeros(number, zeros):
    text = "0" * zeros + str(number)
    assert read(f"a: {text}") == {"a": number}  # YAML 1.1 read 012 as octal 10


@pytest.mark.parametrize("text, value", [
    ("true", True), ("False", False), ("~", None), ("null", None), ("", None), ("1.5", 1.5), ("1e3", 1000.0),
    ("-.inf", float("-inf")), ("0o17", 15), ("0x1F", 31), ("+12", 12), ("'012'", "012"), ("2020-01", "2020-01"),
])
def test_the_core_schema_reads_its_own_forms(text, value):
    assert read(f"a: {text}") == {"a": value}


@pytest.mark.parametrize("text", ["!!int 10:30", "!!bool yes", "!!float 1:30", "!!timestamp 2020-01-01",
                                  "!!binary aGk=", "!!set {a}"])
def test_explicit_tags_outside_the_core_schema_are_refused_at_their_line(text):
    with pytest.raises(DataError, match="línea 2, columna 4"):
        yaml_reader.parse(f"x: 1\na: {text}\n")


def test_a_day_where_a_month_is_meant_gets_the_month_to_write():
    with pytest.raises(DataError, match="'?2020-01-01'?: escriba solo año y mes, p. ej. 2020-01"):
        parse_coverage(MINIMAL.replace("{label: Año 2020}", "{label: Año 2020, from: 2020-01-01}"))


def test_yes_is_a_description_not_a_boolean():
    data = parse_coverage(MINIMAL.replace("description: Servicio de prueba.", "description: yes"))
    assert data.services[0].description == "yes"


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.sampled_from(["1e3", "0o17", "0x1F", "1E-5", ".5", "yes", "10:30", "2020-01-01", "~", "+1"]),
                 st.from_regex(r"[-+]?[0-9]{1,4}([.][0-9]*)?([eE][-+]?[0-9]{1,2})?", fullmatch=True)))
def test_the_yaml_writer_quotes_what_mimpmap_would_read_as_a_number(text):
    """The writer (import) writes plain only what every reader, mimpmap's YAML 1.2 among them, reads back."""
    data = {"title": text, "source": "s", "programs": [{"id": "p", "short_name": text, "name": "n"}]}
    back = read(yamlout.coverage_yaml({**data, "services": []}, "# cabecera"))
    assert {k: back[k] for k in data} == data


# --- workbooks ----------------------------------------------------------------------------------------

SERVICES_XML = "xl/worksheets/sheet4.xml"  # the 'servicios' sheet of an exported workbook
ENTITIES = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>')


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The shipped coverage exported as a workbook: its 'servicios' sheet is sheet4.xml, 20 rows."""
    from mimpmap.workbook import export_workbook

    from .conftest import DATA

    path = tmp_path_factory.mktemp("libro") / "cobertura.xlsx"
    export_workbook(DATA, path)
    return path


def patched(book, tmp_path, member: str, edit, name: str = "libro.xlsx"):
    """A copy of ``book`` with the zip member ``member``'s text changed by ``edit``."""
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, edit(data.decode("utf-8")).encode("utf-8") if info.filename == member else data)
    return path


def check_data(path):
    """``check`` of the coverage ``path``; the centres, a one-line file beside it (the shipped directory's
    validation is most of a check, and not what these tests look at)."""
    centres = clean_centres(path.parent)
    return CliRunner().invoke(main, ["check", "--data", str(path), "--geo", str(GEO), "--centros", str(centres)])


def test_a_row_below_a_stale_dimension_is_read(book, tmp_path):
    """A tool added a row without updating <dimension>: openpyxl's read-only mode stopped at it."""
    stale = patched(book, tmp_path, SERVICES_XML, lambda t: t.replace('<dimension ref="A1:H20"', '<dimension ref="A1:B19"'))
    assert '<dimension ref="A1:B19"' in __import__("zipfile").ZipFile(stale).read(SERVICES_XML).decode()
    services = parse_services(stale)
    assert services[-1].id == "mi60" and len(services) == 19 and services[-1].description


def parse_services(path):
    from mimpmap.model import read_coverage

    return read_coverage(path).services


@pytest.mark.parametrize("prolog, body, words", [
    (ENTITIES, "&f;", "declara entidades XML"),  # a billion laughs, smaller
    ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>', "&e;", "declara entidades XML"),  # XXE
])
def test_entities_in_a_workbook_are_refused(book, tmp_path, prolog, body, words):
    bad = patched(book, tmp_path, SERVICES_XML, lambda t: prolog + t.replace("<t>id</t>", f"<t>{body}</t>", 1))
    result = check_data(bad)
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output
    assert "guárdelo de nuevo como .xlsx" in result.output


def test_a_sheet_cut_in_half_names_the_sheet(book, tmp_path):
    cut = patched(book, tmp_path, SERVICES_XML, lambda t: t[: len(t) // 2])
    result = check_data(cut)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "el XML de la hoja 'servicios' está dañado o cortado" in result.output


def test_a_huge_text_packed_small_is_refused_before_it_is_unpacked(book, tmp_path):
    huge = patched(book, tmp_path, SERVICES_XML, lambda t: t.replace("<t>id</t>", "<t>" + "A" * 40_000_000 + "</t>", 1))
    assert huge.stat().st_size < 5 * 1024 * 1024
    result = check_data(huge)
    assert result.exit_code == 1 and "la parte 'xl/worksheets/sheet4.xml'" in result.output
    assert "38 MB descomprimida" in result.output


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_at_its_cell(book, tmp_path):
    """Excel and openpyxl keep 32,767 characters in a cell; a longer text was written by hand."""
    import re

    path = patched(book, tmp_path, SERVICES_XML,
                   lambda t: re.sub(r'(<c r="E3"[^>]*><is><t[^>]*>)', lambda m: m.group(1) + "x" * 40_000, t, count=1))
    result = check_data(path)
    assert result.exit_code == 1
    assert "hoja 'servicios', fila 3: la celda E3 tiene 40\u00a0" in result.output, result.output


def test_a_damaged_ods_is_a_spanish_message(book, tmp_path):
    import zipfile

    from .test_workbook import as_ods

    ods = as_ods(patched(book, tmp_path, "none", str))
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    for name, text in (("cortada.ods", content[: len(content) // 2]),
                       ("entidades.ods", content.replace("?>", "?>" + ENTITIES, 1).replace("<text:p>id<", "<text:p>&f;<", 1))):
        bad = patched(ods, tmp_path, "content.xml", lambda _: text, name)
        result = check_data(bad)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert "no se puede leer la hoja de cálculo" in result.output and "como .ods" in result.output


# --- a file given for the wrong input -------------------------------------------------------------------

def _files():
    from .conftest import DATA, ROOT

    return {
        "cobertura.csv": "\ufeffcódigo,nombre,ubigeo,cem,cai,servicios,población\r\nPE-AMA,Amazonas,01,1,0,1,379384\r\n",
        "servicios.csv": "\ufeffid,nombre,nombre corto,programa,nacional\r\ncem,Centros,CEM,AURORA,sí\r\n",
        "libro.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
        "tabla.csv": "servicio;departamento\ncai;Cusco\n",
        "coverage.yaml": DATA.read_bytes(),
        "cobertura.txt": DATA.read_bytes(),
        "population.csv": (ROOT / "data" / "population.csv").read_bytes(),
        "limites.geojson": GEO.read_bytes(),
        "mapa.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "pagina.html": "<!DOCTYPE html>\n<html lang='es'><body>mapa</body></html>",
    }


@pytest.mark.parametrize("option, name, words", [
    ("--data", "cobertura.csv", ["es la tabla cobertura.csv de los mapas", "no la lee",
                                 "`mimpmap export cobertura.xlsx` da un libro que --data acepta"]),
    ("--data", "servicios.csv", ["es la tabla servicios.csv de los mapas"]),
    ("--data", "libro.xls", ["Excel 97-2003 (.xls)", "guárdelo como .xlsx", "mimpmap export cobertura.xlsx"]),
    ("--data", "tabla.csv", ["no sabe leer los archivos '.csv'", "guárdela como libro .xlsx", "mimpmap export"]),
    ("--data", "cobertura.txt", ["parece un archivo de cobertura (YAML): cámbiele la extensión a .yaml"]),
    ("--data", "population.csv", ["parece un archivo de población (CSV), no un archivo de cobertura",
                                  "(ese archivo va con --population)"]),
    ("--data", "limites.geojson", ["parece un archivo de límites GeoJSON", "(ese archivo va con --geo o --provincias)"]),
    ("--data", "mapa.png", ["parece una imagen PNG, no un archivo de cobertura"]),
    ("--data", "pagina.html", ["parece una página HTML"]),
    ("--population", "coverage.yaml", ["parece un archivo de cobertura (YAML), no un archivo de población",
                                       "(ese archivo va con --data)"]),
    ("--population", "limites.geojson", ["parece un archivo de límites GeoJSON, no un archivo de población"]),
    ("--population", "cobertura.csv", ["parece la tabla cobertura.csv de los mapas", "no un archivo de población"]),
    ("--population", "mapa.png", ["parece una imagen PNG"]),
    ("--geo", "cobertura.csv", ["no un archivo de límites"]),
])
def test_a_file_for_another_input_is_named_once_for_what_it_is(tmp_path, option, name, words):
    from .conftest import DATA

    content = _files()[name]
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    inputs = {"--data": str(DATA), "--geo": str(GEO), "--centros": str(clean_centres(tmp_path)), option: str(path)}
    result = CliRunner().invoke(main, ["check", *[x for pair in inputs.items() for x in pair]])
    assert result.exit_code == 2, result.output
    assert result.output.count("Error:") == 1 and "Traceback" not in result.output
    assert "línea" not in result.output  # not five header problems: one sentence about the file
    for word in words:
        assert word in result.output, result.output


# --- spreadsheet messages in the sheet's own words ----------------------------------------------------

INTERNAL = ("coverage", "figures", "periods", "centres", "sites", "values", "coverage_text", "title", "[0]", "[1]")


@pytest.mark.parametrize("sheet, cell, value, expected", [
    ("servicios", "F3", "Ayacuchoo, Cusco, Lima Metropolitana, Callao",
     "hoja 'servicios', fila 3, columna 'cobertura': servicio 'cai': 'Ayacuchoo' no es un departamento"),
    ("servicios", "G4", "Cusco y Puno", "hoja 'servicios', fila 4, columna 'texto de cobertura': servicio "
                                        "'linea-100': el texto nombra Cusco y Puno, pero la cobertura tiene"),
    ("cifras", "D2", "mil", "hoja 'cifras', fila 2, columna 'valor 1': servicio 'cem': 'mil': debe ser un número"),
    ("periodos", "E2", "2020-13", "hoja 'periodos', fila 2, columna 'hasta': servicio 'cem': '2020-13' no es un mes"),
    ("servicios", "C5", None, "hoja 'servicios', fila 5, columna 'nombre': servicio 'chat-100': falta este campo"),
    ("programas", "A3", None, "hoja 'programas', fila 3, columna 'id': falta este campo obligatorio"),
])
def test_workbook_messages_name_the_cell_and_no_internal_path(book, tmp_path, sheet, cell, value, expected):
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb[sheet][cell] = value
    path = tmp_path / "libro.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as info:
        parse_services(path)
    (message,) = [p for p in info.value.problems if p.startswith(expected[:expected.index(":")])]
    assert message.startswith(expected), message
    assert not any(word in message for word in INTERNAL), message


def test_a_column_the_sheet_lacks_is_named_where_it_would_go(book, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb["servicios"].delete_cols(3)  # 'nombre'
    path = tmp_path / "libro.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as info:
        parse_services(path)
    assert "hoja 'servicios', fila 2, columna 'nombre': servicio 'cem': falta este campo obligatorio" \
        in info.value.problems


def test_yaml_messages_still_spell_the_path(yaml_file):
    with pytest.raises(DataError) as info:
        parse_services(yaml_file(MINIMAL.replace("[Ayacucho,", "[Ayacuchoo,")))
    assert info.value.problems == ["línea 10: servicio 'cai', coverage n.º 1: 'Ayacuchoo' no es un departamento del "
                                   "Perú; ¿quiso decir 'Ayacucho'?"]
