"""Workbooks (issue 13): export the coverage file to .xlsx, read it back with --data, import it to YAML.
Every field of the model survives the trip; a mistake in a cell is reported by sheet, row and column;
the maps from the YAML, the workbook and the imported YAML are the same bytes."""

from __future__ import annotations

import difflib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mimpmap import model
from mimpmap.cli import main
from mimpmap.errors import DataError
from mimpmap.readers import read_document
from mimpmap.readers import xlsx as layout
from mimpmap.workbook import WorkbookChangedError, dump, export_workbook, import_workbook, workbook_bytes

from .conftest import DATA, GEO, MINIMAL

#: A file that gives every field of the model at least once (the test below checks it does).
EVERY_FIELD = """\
# Cabecera de prueba
# segunda línea

title: Prueba completa
publisher: "MIMP: prueba"
source: Fuente de prueba, con coma
programs:
  - {id: aurora, short_name: AURORA, name: Programa AURORA, description: Qué hace el programa.}
  - {id: dipam, short_name: DIPAM, name: Dirección de Personas Adultas Mayores}
services:
  - id: cai
    program: aurora
    name: Centros de Atención Institucional
    short_name: CAI
    description: "Servicio de prueba: con dos puntos y #almohadilla."
    coverage: [Ayacucho, 8, PE-LMA, Callao]
    coverage_text: Ayacucho, Cusco, Lima Metropolitana y Callao
    centres:
      total: 4
      label: CAI
      breakdown_title: Tipo CAI
      breakdown:
        - {type: Regulares, count: 3}
        - {type: "Comisaría, anexo", count: 1}
      sites:
        - {name: CAI Cusco, province: Cusco, district: Cusco, department: Cusco, count: 3,
           location: [-13.5319, -71.9675]}
        - {name: CAI Callao, province: Callao, district: Callao, department: Callao}
    activities: [Taller uno., "Taller dos: avanzado."]
    periods:
      - {label: Año 2020, note: 1/, from: 2020-01, to: 2020-12, months_closed: [2020-04, 2020-05]}
      - {label: Ene - Oct 2021, note: a/, from: 2021-01, to: 2021-10, months_closed: 2}
      - {label: Nov 2021, months: 1}
    figures:
      - unit: casos
        values: [1726, {value: 2075, note: a/}, 0]
      - unit: acciones preventivas
        kind: prevencion
        values: [10, 20, 3]
      - unit: atenciones
        kind: atencion
        values: [1, 2, 3]
    notes: [Una nota., Otra nota.]
    footnotes:
      - {mark: 1/, text: Cerrado dos meses.}
      - {mark: a/, text: Cifra preliminar.}
    source: Fuente del servicio
  - id: mi60
    program: dipam
    name: Servicio Mi60+
    description: Otro servicio.
    coverage: nacional
"""


def write(tmp_path: Path, text: str, name: str = "coverage.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def exported(tmp_path: Path, text: str = EVERY_FIELD) -> tuple[Path, Path]:
    source = write(tmp_path, text)
    book = tmp_path / "libro.xlsx"
    export_workbook(source, book)
    return source, book


def edit(book: Path, sheet: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(book)
    wb[sheet][cell] = value
    wb.save(book)


def problems(book: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        model.read_coverage(book)
    return info.value.problems


# --- every field, both ways --------------------------------------------------------------------------

def _fields_given(value, model_class, found: set) -> None:
    """Record ``Class.field`` for each field a dumped value gives, walking the model's classes."""
    if isinstance(value, list):
        for item in value:
            _fields_given(item, model_class, found)
        return
    if not isinstance(value, dict) or model_class is None:
        return
    for name, info in model_class.model_fields.items():
        key = info.alias or name
        if key in value:
            found.add(f"{model_class.__name__}.{name}")
            inner = [a for a in _walk_args(info.annotation) if isinstance(a, type) and issubclass(a, model._Model)]
            _fields_given(value[key], inner[0] if inner else None, found)


def _walk_args(tp):
    from typing import get_args

    yield tp
    for arg in get_args(tp):
        yield from _walk_args(arg)


def test_the_fixture_gives_every_field_of_the_model():
    data = model.parse_coverage(EVERY_FIELD)
    found: set[str] = set()
    _fields_given(dump(data), model.CoverageFile, found)
    every = set()
    for cls in (model.CoverageFile, model.Program, model.Service, model.Centres, model.CentreType, model.Site,
                model.Period, model.Figure, model.Value, model.Footnote):
        every |= {f"{cls.__name__}.{name}" for name in cls.model_fields}
    assert every - found == set(), "add these fields to EVERY_FIELD (and to the workbook)"


@pytest.mark.parametrize("text", [EVERY_FIELD, DATA.read_text(encoding="utf-8")], ids=["every-field", "shipped"])
def test_every_field_round_trips_through_the_workbook(tmp_path, text):
    source, book = exported(tmp_path, text)
    original = model.read_coverage(source)
    document = read_document(book)
    assert document.problems == ()
    again = model.validate(document, book)
    assert dump(again) == dump(original)
    assert again.codes == original.codes


def test_every_field_round_trips_through_import(tmp_path):
    source, book = exported(tmp_path)
    target = tmp_path / "nuevo.yaml"
    result = import_workbook(book, target)
    assert result.written
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Cabecera de prueba\n# segunda línea\n")  # the header comments are kept
    assert dump(model.read_coverage(target)) == dump(model.read_coverage(source))
    assert "  - {label: Año 2020, note: 1/, from: 2020-01, to: 2020-12, months_closed: [2020-04, 2020-05]}" in text
    assert "    coverage: [Ayacucho, 8, PE-LMA, Callao]" in text
    assert "        values: [1726, {value: 2075, note: a/}, 0]" in text


def test_the_shipped_file_comes_back_in_its_own_layout(tmp_path):
    _, book = exported(tmp_path, DATA.read_text(encoding="utf-8"))
    target = tmp_path / "coverage.yaml"
    target.unlink()
    import_workbook(book, target)
    text, shipped = target.read_text(encoding="utf-8"), DATA.read_text(encoding="utf-8")
    assert text.split("\ntitle:")[0].startswith(shipped.split("\ntitle:")[0].rstrip())
    for line in ("    centres: {total: 4, label: CAI}", "  # " + "-" * 64 + " INABIF",
                 "        - {type: Regulares, count: 245}", "      - {label: Ene – Oct 2021, from: 2021-01, to: 2021-10}",
                 "    coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]"):
        assert line in text
    same = set(text.splitlines()) & set(shipped.splitlines())
    assert len(same) > 0.55 * len(shipped.splitlines())  # long texts are folded again at other words


# --- the workbook itself -----------------------------------------------------------------------------

def test_the_workbook_has_the_sheets_headers_lists_and_frozen_rows(tmp_path):
    _, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["léame", "general", "programas", "servicios", "periodos", "cifras", "centros", "desglose",
                       "sedes", "notas"]
    services = wb["servicios"]
    assert [c.value for c in services[1]] == ["id", "programa", "nombre", "sigla", "descripción", "cobertura",
                                               "texto de cobertura", "fuente"]
    assert services.freeze_panes == "A2" and wb["cifras"].freeze_panes == "B2"
    assert services["F2"].value == "Ayacucho, 8, PE-LMA, Callao"
    lists = {str(dv.sqref): dv.formula1 for dv in services.data_validations.dataValidation}
    assert lists["B2:B1000"] == "=programas!$A$2:$A$1000"
    departments = {str(dv.sqref): dv.formula1 for dv in wb["sedes"].data_validations.dataValidation}["E2:E1000"]
    assert departments.startswith("=listas!$A$2")
    readme = "\n".join(str(c.value) for row in wb["léame"].iter_rows() for c in row if c.value)
    assert all(f"\n{sheet.name}\n" in f"\n{readme}\n" or sheet.name in readme for sheet in layout.SHEETS)
    assert "cobertura: 'nacional' o departamentos separados por comas" in readme
    assert wb["_mimpmap"].sheet_state == "veryHidden"
    assert services.column_dimensions["E"].width > services.column_dimensions["B"].width


def test_the_same_data_give_the_same_bytes(tmp_path):
    data = model.read_coverage(DATA)
    first, second = workbook_bytes(data), workbook_bytes(data)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2021, 1, 1, 0, 0, 0)}
    assert "2021-01-01T00:00:00Z" in core and str(datetime.now().year) + "-" not in core.replace("2021-01-01", "")


# --- mistakes in a workbook ------------------------------------------------------------------------------

def test_a_misspelt_department_names_sheet_row_and_column(tmp_path):
    _, book = exported(tmp_path)
    edit(book, "servicios", "F2", "Ayacuchoo, Cusco")
    (message,) = problems(book)
    assert message.startswith("hoja 'servicios', fila 2, columna 'cobertura': ")
    assert "'Ayacuchoo' no es un departamento del Perú; ¿quiso decir 'Ayacucho'?" in message


def test_a_bad_workbook_exits_1_and_leaves_the_maps_alone(tmp_path):
    _, book = exported(tmp_path, MINIMAL)
    out = tmp_path / "maps"
    assert CliRunner().invoke(main, ["build", "--data", str(book), "--geo", str(GEO), "--out", str(out),
                                     "--service", "cai"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(book, "cifras", "D2", "mil")
    result = CliRunner().invoke(main, ["build", "--data", str(book), "--geo", str(GEO), "--out", str(out)])
    assert result.exit_code == 1
    assert "hoja 'cifras', fila 2, columna 'valor 1'" in result.output and "'mil'" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("sheet,cell,value,expected", [
    ("periodos", "A2", "caii", "hoja 'periodos', fila 2, columna 'servicio': el servicio 'caii' no está en la hoja "
                               "'servicios'; ¿quiso decir 'cai'?"),
    ("servicios", "B2", "auror", "hoja 'servicios', fila 2, columna 'programa': servicio 'cai': el programa 'auror' "
                                 "no existe"),
    ("sedes", "F2", -3, "hoja 'sedes', fila 2, columna 'cantidad': servicio 'cai': -3: no puede ser negativo"),
    ("sedes", "G2", 40.0, "hoja 'sedes', fila 2, columna 'latitud': servicio 'cai': [40.0, -71.9675] está "
                          "fuera del Perú"),
    ("periodos", "D2", "2020-13", "hoja 'periodos', fila 2, columna 'desde': servicio 'cai': '2020-13' no es un "
                                  "mes"),
    ("notas", "B2", "comentario", "hoja 'notas', fila 2, columna 'clase': 'comentario'; escriba actividad, nota o "
                                  "nota al pie"),
    ("desglose", "C3", 2, "hoja 'centros', fila 2: servicio 'cai': el desglose suma 3 + 2"),
    ("servicios", "I1", "color", "hoja 'servicios', fila 1: columna desconocida 'color'"),
    ("servicios", "I2", "suelto", "hoja 'servicios', fila 2: la celda I2 tiene datos pero su columna no tiene título"),
])
def test_mistakes_are_located_in_the_workbook(tmp_path, sheet, cell, value, expected):
    _, book = exported(tmp_path)
    edit(book, sheet, cell, value)
    assert any(expected in p for p in problems(book)), problems(book)


def test_a_missing_title_is_missing_from_the_general_sheet(tmp_path):
    _, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["general"].delete_rows(2)
    wb.save(book)
    assert problems(book) == ["hoja 'general', campo 'título': falta este campo obligatorio"]


def test_an_unknown_sheet_is_named_with_the_closest(tmp_path):
    _, book = exported(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["cifras"].title = "cifra"
    wb.save(book)
    assert any("hoja 'cifra': hoja desconocida; ¿quiso decir 'cifras'?" in p for p in problems(book))


def test_spreadsheet_habits_are_read_as_meant(tmp_path):
    """A month typed into a cell becomes a date; a count may be stored as 12.0 or as text."""
    source, book = exported(tmp_path)
    edit(book, "periodos", "D2", datetime(2020, 1, 1))
    edit(book, "centros", "B2", 4.0)
    edit(book, "desglose", "C2", "3")
    edit(book, "cifras", "C4", "Atención")
    assert dump(model.read_coverage(book)) == dump(model.read_coverage(source))


def test_workbooks_with_macros_or_that_unpack_too_far_are_refused(tmp_path, monkeypatch):
    _, book = exported(tmp_path)
    raw = book.read_bytes()
    macro = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(macro, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/vbaProject.bin", b"\0" * 10)
    with pytest.raises(DataError, match="tiene macros"):
        model.read_coverage(macro)
    monkeypatch.setattr(layout, "MAX_UNPACKED", 10_000)
    with pytest.raises(DataError, match="descomprimido"):
        model.read_coverage(book)
    text = tmp_path / "texto.xlsx"
    text.write_text("id,nombre\n", encoding="utf-8")
    with pytest.raises(DataError, match="no es un libro .xlsx"):
        model.read_coverage(text)


# --- import: never lose changes ----------------------------------------------------------------------

def test_import_refuses_to_overwrite_a_yaml_changed_since_the_export(tmp_path):
    source, book = exported(tmp_path)
    edit(book, "servicios", "C2", "Centros de Atención Institucional (editado)")
    source.write_text(source.read_text(encoding="utf-8").replace("Prueba completa", "Prueba cambiada"),
                      encoding="utf-8")
    edited_by_hand = source.read_bytes()
    with pytest.raises(WorkbookChangedError, match="cambió desde que se exportó"):
        import_workbook(book, source)
    assert source.read_bytes() == edited_by_hand
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 1 and "--force" in result.output and source.read_bytes() == edited_by_hand
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source), "--force"])
    assert result.exit_code == 0, result.output
    assert model.read_coverage(source).service("cai").name == "Centros de Atención Institucional (editado)"


def test_import_again_after_more_edits_in_the_workbook(tmp_path):
    source, book = exported(tmp_path)
    for n, name in enumerate(("Uno", "Dos")):
        edit(book, "servicios", "C2", name)
        assert import_workbook(book, source).written, n
        assert model.read_coverage(source).service("cai").name == name
    assert not import_workbook(book, source).written  # nothing new: the file is left alone
    with source.open("a", encoding="utf-8") as f:
        f.write("# una línea a mano\n")
    assert not import_workbook(book, source).written  # still nothing new to write: the line stays
    edit(book, "servicios", "C2", "Tres")
    with pytest.raises(WorkbookChangedError):  # the file changed by hand since the last import
        import_workbook(book, source)
    assert source.read_text(encoding="utf-8").endswith("# una línea a mano\n")


def test_import_does_not_overwrite_a_yaml_the_workbook_did_not_come_from(tmp_path):
    _, book = exported(tmp_path)
    other = write(tmp_path, MINIMAL, "otro.yaml")
    with pytest.raises(WorkbookChangedError, match="se exportó de 'coverage.yaml', no de '.*otro.yaml'"):
        import_workbook(book, other)
    assert other.read_text(encoding="utf-8") == MINIMAL


def test_texts_that_look_like_formulas_stay_texts(tmp_path):
    source, book = exported(tmp_path, MINIMAL.replace("Servicio de prueba.", "'=1+1'"))
    wb = openpyxl.load_workbook(book)
    assert wb["servicios"]["E2"].data_type == "s" and wb["servicios"]["E2"].value == "=1+1"
    assert model.read_coverage(book).service("cai").description == "=1+1"


def test_an_invalid_workbook_is_not_imported(tmp_path):
    source, book = exported(tmp_path)
    before = source.read_bytes()
    edit(book, "servicios", "F2", "Ayacuchoo")
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 1 and "¿quiso decir 'Ayacucho'?" in result.output
    assert source.read_bytes() == before


def test_export_and_import_commands(tmp_path):
    source = write(tmp_path, EVERY_FIELD)
    book = tmp_path / "libro.xlsx"
    result = CliRunner().invoke(main, ["export", str(book), "--data", str(source)])
    assert result.exit_code == 0 and f"Escrito {book}" in result.output and "2 servicios" in result.output
    assert CliRunner().invoke(main, ["check", "--data", str(book), "--geo", str(GEO)]).exit_code == 0
    result = CliRunner().invoke(main, ["export", str(tmp_path / "libro.csv"), "--data", str(source)])
    assert result.exit_code == 2 and "debe terminar en .xlsx" in result.output
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(tmp_path / "x.json")])
    assert result.exit_code == 1 and "debe ser .yaml o .yml" in result.output


# --- the maps are the same, whichever the input ---------------------------------------------------------

def test_yaml_workbook_and_imported_yaml_draw_the_same_maps(tmp_path):
    import mimpmap
    from mimpmap.html.pages import Renderer

    source, book = exported(tmp_path, DATA.read_text(encoding="utf-8"))
    imported = tmp_path / "importado.yaml"
    import_workbook(book, imported)
    pages = []
    for path in (source, book, imported):
        renderer = Renderer(mimpmap.load(path, GEO).atlas)
        pages.append((renderer.choropleth(), renderer.service("mi60"), renderer.service("educadores-de-calle")))
    assert pages[0] == pages[1] == pages[2]
    assert "Ayacucho" in pages[0][0]


@pytest.mark.skipif(not __import__("shutil").which("soffice"),
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path):
    import subprocess

    source, book = exported(tmp_path)
    out = tmp_path / "libreoffice"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(out), str(book)], check=True, capture_output=True, timeout=120,
                   env={**__import__("os").environ, "HOME": str(tmp_path)})
    saved = out / book.name
    assert saved.read_bytes() != book.read_bytes()
    assert dump(model.read_coverage(saved)) == dump(model.read_coverage(source))
    edit(saved, "servicios", "C2", "Editado en LibreOffice")
    assert import_workbook(saved, source).written  # the hidden sheet survived: the import knows its origin


# --- the YAML writer: any text comes back as itself --------------------------------------------------

def _texts():
    from hypothesis import strategies as st

    plain = st.characters(blacklist_categories=("Cc", "Cs"))
    return st.text(plain, min_size=1, max_size=300).map(str.strip).filter(bool)


def test_the_yaml_writer_writes_any_text_so_that_it_reads_back():
    import yaml
    from hypothesis import given, settings

    from mimpmap import yamlout

    @settings(max_examples=150, deadline=None)
    @given(_texts(), _texts(), _texts(), _texts())
    def check(name, description, label, note):
        data = {"title": name, "source": label, "programs": [{"id": "p", "short_name": label, "name": name}],
                "services": [{"id": "s", "program": "p", "name": name, "description": description,
                              "coverage": [label, 8], "coverage_text": description,
                              "periods": [{"label": label, "note": note, "from": "2020-01"}],
                              "figures": [{"unit": name, "values": [{"value": 1, "note": note}, {"value": 2}]}],
                              "notes": [description], "footnotes": [{"mark": note, "text": description}]}]}
        read = yaml.safe_load(yamlout.coverage_yaml(data, "# cabecera"))
        assert read["services"][0]["figures"][0].pop("values") == [{"value": 1, "note": note}, 2]
        data["services"][0]["figures"][0].pop("values")
        assert read == data

    check()


def test_import_keeps_the_comments_inside_the_yaml_at_their_lines(tmp_path):
    """A note in the YAML (where a figure or a coordinate comes from) has no cell in the workbook:
    the import puts it back before its line, in its service; one whose line is gone is named."""
    shipped = DATA.read_text(encoding="utf-8")
    _, book = exported(tmp_path, shipped)
    target = tmp_path / "coverage.yaml"
    assert import_workbook(book, target, force=True).lost_comments == ()
    text = target.read_text(encoding="utf-8")
    inner = [line for line in shipped.splitlines()[20:] if line.strip().startswith("#")]
    assert inner and all(line in text.splitlines() for line in inner)
    mi60 = text[text.index("- id: mi60"):]
    assert mi60.index("# La fuente no da una línea de cobertura") < mi60.index("coverage: [")
    assert mi60.index("# location: coordenadas") < mi60.index("- {name: Servicio Mi60+ - Lima")
    assert model.parse_coverage(text) is not None and dump(model.parse_coverage(text)) == dump(model.read_coverage(DATA))

    second = tmp_path / "dos"
    second.mkdir()
    source, book = exported(second, MINIMAL.replace("    coverage:", "    # según el informe de 2021\n    coverage:", 1))
    edit(book, "servicios", "F2", "Ayacucho, Cusco")  # the line edited in the workbook: its note stays
    again = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert again.exit_code == 0 and "no se conservó" not in again.output, again.output
    assert "    # según el informe de 2021\n    coverage:" in source.read_text(encoding="utf-8")


def test_a_comment_whose_line_is_gone_is_named():
    from mimpmap import yamlout

    old = "title: T\nservices:\n  - id: cai\n    # una nota del CAI\n    coverage: [Cusco]\n"
    comments = yamlout.inner_comments(old)
    assert comments == [yamlout.Comment(("# una nota del CAI",), "cai", "coverage:", 4)]
    kept, lost = yamlout.with_comments("title: T\nservices:\n  - id: sau\n    coverage: [Cusco]\n", comments)
    assert lost == comments and "# una nota" not in kept
    kept, lost = yamlout.with_comments("title: T\nservices:\n  - id: cai\n    coverage: [Cusco]\n", comments)
    assert not lost and kept.splitlines()[3] == "    # una nota del CAI"


def test_import_names_a_comment_it_could_not_keep(tmp_path):
    noted = MINIMAL.replace("    name: Centros", "    # la sigla, del informe\n    short_name: CAI\n    name: Centros", 1)
    source, book = exported(tmp_path, noted)
    edit(book, "servicios", "D2", None)  # the short name emptied in the workbook: its line is gone
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 0, result.output
    assert "no se conservó: línea 8: # la sigla, del informe" in result.output and "1 servicio de" in result.output
    assert "la sigla" not in source.read_text(encoding="utf-8")


# --- the same layout in an OpenDocument spreadsheet (.ods, LibreOffice Calc) ---------------------------

def ods_bytes(sheets: dict[str, list[list]], extra: dict[str, bytes] | None = None,
              mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    """A minimal .ods with these sheets (strings, numbers and dates typed as Calc types them)."""
    from xml.sax.saxutils import escape, quoteattr

    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        if isinstance(value, datetime):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.date().isoformat()}">'
                    f'<text:p>{value.date()}</text:p></table:table-cell>')
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(f"<table:table table:name={quoteattr(name)}>" + "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                   f'manifest:full-path="/" manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path='
                   '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>', zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def as_ods(book: Path, **edits) -> Path:
    """The workbook ``book`` saved as .ods beside it (its hidden sheet too), with cells edited:
    ``servicios_F2="..."``."""
    wb = openpyxl.load_workbook(book, data_only=True)
    for where, value in edits.items():
        sheet, cell = where.rsplit("_", 1)
        wb[sheet][cell] = value
    path = book.with_suffix(".ods")
    path.write_bytes(ods_bytes({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
    return path


def test_an_ods_reads_as_the_workbook_it_was_saved_from(tmp_path):
    source, book = exported(tmp_path, DATA.read_text(encoding="utf-8"))
    ods = as_ods(book)
    assert read_document(ods).data == read_document(book).data
    assert dump(model.read_coverage(ods)) == dump(model.read_coverage(DATA))
    checked = CliRunner().invoke(main, ["check", "--data", str(ods)])
    # the shipped centres warn of their doubtful points (Grocio Prado): "Correcto, con avisos"
    assert checked.exit_code == 0 and "orrecto" in checked.output and "Error" not in checked.output, checked.output
    # imported like the workbook, without --force: the file it was exported from is known (its
    # hidden sheet came along); the same data leave it alone, and a changed cell changes its line only
    shipped = source.read_bytes()
    imported = CliRunner().invoke(main, ["import", str(ods), "--data", str(source)])
    assert imported.exit_code == 0 and "no se cambió" in imported.output, imported.output
    assert source.read_bytes() == shipped
    imported = CliRunner().invoke(main, ["import", str(as_ods(book, servicios_C3="Centros (editado)")),
                                         "--data", str(source)])
    assert imported.exit_code == 0 and "Escrito" in imported.output, imported.output
    changed = [line for line in difflib.ndiff(shipped.decode().splitlines(), source.read_text().splitlines())
               if line[:2] in ("- ", "+ ")]
    assert changed == ["-     name: Centros de Atención Institucional", "+     name: Centros (editado)"]


def test_mistakes_in_an_ods_are_located_as_in_the_workbook(tmp_path):
    _, book = exported(tmp_path)
    ods = as_ods(book, servicios_F2="Ayacuchoo, Cusco", periodos_D2=datetime(2020, 1, 1))
    (message,) = problems(ods)
    assert message.startswith("hoja 'servicios', fila 2, columna 'cobertura': ")
    assert "¿quiso decir 'Ayacucho'?" in message


def test_odss_with_macros_or_that_are_not_spreadsheets_are_refused(tmp_path, monkeypatch):
    _, book = exported(tmp_path)
    sheets = {"general": [["campo", "valor"]]}
    for name, raw, expected in (
        ("macro.ods", ods_bytes(sheets, {"Basic/Standard/Module1.xml": b"<x/>"}), "tiene macros"),
        ("texto.ods", ods_bytes(sheets, mimetype="application/vnd.oasis.opendocument.text"), "no una hoja de cálculo"),
        ("csv.ods", b"id,nombre\n", "no es una hoja de cálculo .ods"),
    ):
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(DataError, match=expected):
            model.read_coverage(path)
    monkeypatch.setattr(layout, "MAX_UNPACKED", 1_000)
    with pytest.raises(DataError, match="descomprimido"):
        model.read_coverage(as_ods(book))


def test_an_ods_named_xlsx_is_told_to_change_its_suffix(tmp_path):
    _, book = exported(tmp_path)
    renamed = tmp_path / "copia.xlsx"
    renamed.write_bytes(as_ods(book).read_bytes())
    with pytest.raises(DataError, match="cámbiele la extensión a .ods"):
        model.read_coverage(renamed)


def test_a_folded_line_that_begins_with_a_hashtag_is_text_not_a_comment(tmp_path):
    hashtag = MINIMAL.replace("    description: Servicio de prueba.\n",
                              "    description: >-\n      Servicio de prueba, con la campaña\n      #NiUnaMenos en redes.\n"
                              "    # una nota de verdad\n")
    source, book = exported(tmp_path, hashtag)
    assert model.read_coverage(source).service("cai").description.endswith("campaña #NiUnaMenos en redes.")
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 0 and "Aviso" not in result.output, result.output
    text = source.read_text(encoding="utf-8")
    assert "\n    # una nota de verdad\n    coverage:" in text
    assert text.count("#NiUnaMenos") == 1  # in the description only, not copied out as a comment
    assert dump(model.read_coverage(source)) == dump(model.parse_coverage(hashtag))


def test_a_swap_of_two_letters_in_the_figures_sheet_suggests_that_service(tmp_path):
    """Issue 22.1: 'cia' in the 'cifras' sheet is CAI with two letters swapped, not CAN."""
    _, book = exported(tmp_path, DATA.read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(book)["cifras"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "cai")
    edit(book, "cifras", f"A{row}", "cia")
    assert any(f"fila {row}, columna 'servicio': el servicio 'cia' no está en la hoja 'servicios'; "
               "¿quiso decir 'cai'?" in p for p in problems(book)), problems(book)
