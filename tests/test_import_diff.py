"""`import` changes only what changed in the workbook (issue 22, item 3): the rest of the YAML file stays
byte for byte (its folded texts, quotes, anchors, comments), so that a reviewer sees one line for one cell."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import openpyxl
import yaml
import pytest
from click.testing import CliRunner

from mimpmap import model, yamledit, yamlout, yamltree
from mimpmap.errors import DataError
from mimpmap.cli import main
from mimpmap.workbook import WorkbookChangedError, dump, export_workbook, import_workbook

from .conftest import DATA

SHIPPED = DATA.read_text(encoding="utf-8")


def exported(tmp_path: Path, text: str = SHIPPED, name: str = "libro.xlsx") -> tuple[Path, Path]:
    source = tmp_path / "coverage.yaml"
    if not source.exists():
        source.write_text(text, encoding="utf-8")
    book = tmp_path / name
    export_workbook(source, book)
    return source, book


def edit(book: Path, sheet: str, where: dict, **cells) -> None:
    """Set ``cells`` (header=value, spaces as underscores) in the rows of ``sheet`` whose cells match ``where``;
    with ``where=None``, append a row."""
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    values = {k.replace("_", " "): v for k, v in cells.items()}
    if where is None:
        ws.append([values.get(h) for h in headers])
    else:
        rows = [row for row in ws.iter_rows(min_row=2) if all(row[headers.index(h)].value == v for h, v in where.items())]
        assert rows, (sheet, where)
        for row in rows:
            for header, value in values.items():
                row[headers.index(header)].value = value
    wb.save(book)


def delete_rows(book: Path, service: str) -> None:
    """Every row of ``service`` removed from every sheet (as a person deletes a service)."""
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        column = "id" if ws.title == "servicios" else "servicio"
        if column in headers:
            for n in reversed(range(2, ws.max_row + 1)):
                if ws.cell(n, headers.index(column) + 1).value == service:
                    ws.delete_rows(n)
    wb.save(book)


def changes(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]


def imported(book: Path, source: Path) -> str:
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 0, result.output
    assert dump(model.read_coverage(source)) == dump(model.read_coverage(book))  # it reads as the workbook
    return result.output


# --- through the workbook ------------------------------------------------------------------------------

def test_the_same_data_leave_the_file_byte_for_byte(tmp_path):
    source, book = exported(tmp_path)
    assert not import_workbook(book, source).written
    assert not import_workbook(book, source, force=True).written
    assert source.read_text(encoding="utf-8") == SHIPPED


def test_one_changed_figure_is_one_changed_line(tmp_path):
    source, book = exported(tmp_path)
    edit(book, "cifras", {"servicio": "cai", "valor 2": 2075}, valor_2=2300)
    output = imported(book, source)
    assert "Escrito" in output and "Aviso" not in output
    assert changes(SHIPPED, source.read_text(encoding="utf-8")) == [
        "-         values: [1726, 2075]", "+         values: [1726, 2300]"]


def test_a_changed_description_changes_its_own_lines_only(tmp_path):
    source, book = exported(tmp_path)
    old = model.read_coverage(source).service("cai").description
    edit(book, "servicios", {"id": "cai"}, descripción=old.replace("varones adultos", "varones adultos y jóvenes"))
    imported(book, source)
    assert changes(SHIPPED, source.read_text(encoding="utf-8")) == [
        "-       Es un servicio de intervención con varones adultos, que han sido sentenciados por actos de",
        "+       Es un servicio de intervención con varones adultos y jóvenes, que han sido sentenciados por actos",
        "-       violencia familiar y que son remitidos por el juez de paz y/o juzgado de familia para su",
        "+       de violencia familiar y que son remitidos por el juez de paz y/o juzgado de familia para su"]


def test_a_department_added_to_a_coverage_list(tmp_path):
    source, book = exported(tmp_path)
    edit(book, "servicios", {"id": "cai"}, cobertura="Ayacucho, Cusco, Lima Metropolitana, Callao, Puno",
         texto_de_cobertura="Ayacucho, Cusco, Lima Metropolitana, Callao y Puno")
    imported(book, source)
    assert changes(SHIPPED, source.read_text(encoding="utf-8")) == [
        "-     coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]",
        "+     coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao, Puno]",
        "-     coverage_text: Ayacucho, Cusco, Lima Metropolitana y Callao",
        "+     coverage_text: Ayacucho, Cusco, Lima Metropolitana, Callao y Puno"]


def test_a_service_added_is_only_added_lines(tmp_path):
    source, book = exported(tmp_path)
    edit(book, "servicios", None, id="nuevo", programa="dipam", nombre="Servicio nuevo",
         descripción="Un servicio de prueba.", cobertura="Puno")
    edit(book, "periodos", None, servicio="nuevo", etiqueta="Año 2020")
    edit(book, "periodos", None, servicio="nuevo", etiqueta="Ene - Oct 2021")
    edit(book, "cifras", None, servicio="nuevo", unidad="personas atendidas", valor_1=10, valor_2=12)
    imported(book, source)
    text = source.read_text(encoding="utf-8")
    assert text.startswith(SHIPPED)  # after the last service, DIPAM's, and nothing else changed
    assert text[len(SHIPPED):] == ("\n  - id: nuevo\n    program: dipam\n    name: Servicio nuevo\n    description: >-\n"
                                   "      Un servicio de prueba.\n    coverage: [Puno]\n    periods:\n"
                                   "      - {label: Año 2020}\n      - {label: Ene - Oct 2021}\n    figures:\n"
                                   "      - unit: personas atendidas\n        values: [10, 12]\n")


def test_a_service_deleted_is_only_its_lines(tmp_path):
    source, book = exported(tmp_path)
    delete_rows(book, "cai")
    imported(book, source)
    removed = changes(SHIPPED, source.read_text(encoding="utf-8"))
    assert all(line.startswith("- ") for line in removed)
    cai = SHIPPED[SHIPPED.index("  - id: cai\n"):SHIPPED.index("  - id: linea-100\n")]
    assert sorted(removed) == sorted("- " + line for line in cai.splitlines())  # its lines and one blank line


def test_an_alias_given_its_own_text_is_written_out_and_said(tmp_path):
    source, book = exported(tmp_path)
    edit(book, "servicios", {"id": "acogida-temporal-pam"}, descripción="Un texto propio del servicio PAM.")
    output = imported(book, source)
    assert "Aviso" in output and "el alias *acogida se escribió con su texto" in output
    assert changes(SHIPPED, source.read_text(encoding="utf-8")) == [
        "-     description: *acogida", "+     description: >-", "+       Un texto propio del servicio PAM."]


def test_an_anchor_changed_with_all_its_aliases_is_changed_once(tmp_path):
    source, book = exported(tmp_path)
    for service in ("acogida-temporal-nna", "acogida-temporal-pam", "acogida-temporal-pcd"):
        edit(book, "servicios", {"id": service}, descripción="Un texto común de los tres servicios.")
    output = imported(book, source)
    assert "Aviso" not in output
    text = source.read_text(encoding="utf-8")
    assert text.count("description: *acogida\n") == 2 and "description: &acogida >-\n" in text
    assert [line for line in changes(SHIPPED, text) if line.startswith("+ ")] == [
        "+       Un texto común de los tres servicios."]


def test_end_of_line_comments_and_quotes_stay(tmp_path):
    noted = SHIPPED.replace("        values: [1726, 2075]\n", "        values: [1726, 2075]  # informe de 2021\n") \
                   .replace("    coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]\n",
                            "    coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]  # según el MIMP\n")
    source, book = exported(tmp_path, noted)
    edit(book, "cifras", {"servicio": "cai", "valor 2": 2075}, valor_2=2300)
    edit(book, "servicios", {"id": "cai"}, cobertura="Ayacucho, Cusco, Lima Metropolitana, Callao, Puno",
         texto_de_cobertura="Ayacucho, Cusco, Lima Metropolitana, Callao y Puno")
    edit(book, "general", {"campo": "fuente"}, valor="MIMP, Intervenciones: resumen")
    imported(book, source)
    assert changes(noted, source.read_text(encoding="utf-8")) == [
        '- source: "MIMP, Intervenciones del Ministerio de la Mujer y Poblaciones Vulnerables – MIMP a nivel nacional"',
        '+ source: "MIMP, Intervenciones: resumen"',
        "-     coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]  # según el MIMP",
        "+     coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao, Puno]  # según el MIMP",
        "-     coverage_text: Ayacucho, Cusco, Lima Metropolitana y Callao",
        "+     coverage_text: Ayacucho, Cusco, Lima Metropolitana, Callao y Puno",
        "-         values: [1726, 2075]  # informe de 2021",
        "+         values: [1726, 2300]  # informe de 2021"]


def test_a_file_it_cannot_change_in_place_is_rewritten_whole_and_said(tmp_path):
    flow = ('{title: Prueba, source: "MIMP, prueba", programs: [{id: aurora, short_name: AURORA, name: AURORA}],\n'
            ' services: [{id: cai, program: aurora, name: CAI, description: Prueba., coverage: [Cusco]}]}\n')
    source, book = exported(tmp_path, flow)
    edit(book, "servicios", {"id": "cai"}, nombre="Centros")
    output = imported(book, source)
    assert "Aviso" in output and "se escribió entero" in output
    assert "    name: Centros\n" in source.read_text(encoding="utf-8")


def test_only_the_workbook_that_wrote_the_file_may_import_again(tmp_path):
    source, book = exported(tmp_path)
    _, other = exported(tmp_path, name="otro.xlsx")  # the same export, by someone else
    edit(book, "servicios", {"id": "cai"}, nombre="Uno")
    imported(book, source)
    edit(book, "servicios", {"id": "cai"}, nombre="Dos")  # more edits in the same workbook: fine
    imported(book, source)
    edit(other, "servicios", {"id": "sau"}, nombre="Otro")  # would undo 'Dos' without a word
    with pytest.raises(WorkbookChangedError, match="cambió desde que se exportó"):
        import_workbook(other, source)
    assert model.read_coverage(source).service("cai").name == "Dos"


def test_without_the_record_of_the_last_import_it_asks_for_force(tmp_path, monkeypatch):
    source, book = exported(tmp_path)
    monkeypatch.setenv("MIMPMAP_CACHE", str(tmp_path / "cache"))
    edit(book, "servicios", {"id": "cai"}, nombre="Uno")
    imported(book, source)
    assert (tmp_path / "cache" / "importaciones.json").is_file()  # the record, not a line in the YAML
    monkeypatch.setenv("MIMPMAP_CACHE", str(tmp_path / "otra"))  # another computer, a cleared cache
    edit(book, "servicios", {"id": "cai"}, nombre="Dos")
    with pytest.raises(WorkbookChangedError):
        import_workbook(book, source)
    assert import_workbook(book, source, force=True).written


def test_a_cache_that_cannot_be_written_does_not_stop_the_import(tmp_path, monkeypatch):
    source, book = exported(tmp_path)
    (tmp_path / "archivo").write_text("no es una carpeta", encoding="utf-8")
    monkeypatch.setenv("MIMPMAP_CACHE", str(tmp_path / "archivo"))
    edit(book, "servicios", {"id": "cai"}, nombre="Uno")
    imported(book, source)
    assert model.read_coverage(source).service("cai").name == "Uno"


# --- the splice, on data --------------------------------------------------------------------------------

def spliced(change) -> yamledit.Spliced:
    new = dump(model.parse_coverage(SHIPPED))
    change(new)
    result = yamledit.splice(SHIPPED, yamlout.reader(SHIPPED).data, new)
    assert dump(model.parse_coverage(result.text)) == new
    return result


def service(data: dict, sid: str) -> dict:
    return next(s for s in data["services"] if s["id"] == sid)


def new_service(sid: str, program: str) -> dict:
    return {"id": sid, "program": program, "name": "Servicio nuevo", "description": "Prueba.", "coverage": ["Puno"]}


def test_a_new_service_goes_in_its_programs_group():
    def add(program):
        def change(data):
            at = next(i for i, s in enumerate(data["services"]) if s["program"] == "inabif")
            data["services"].insert(at, new_service("nuevo", program))
        return spliced(change).text

    separator = "  # " + "-" * 64 + " INABIF\n"
    assert separator + "  - id: nuevo\n" in add("inabif")  # the first of INABIF: after its separator
    assert "      Prueba.\n    coverage: [Puno]\n\n" + separator + "  - id: car-nna\n" in add("aurora")  # AURORA's last


def test_a_removed_service_takes_its_groups_separator_only_when_the_group_is_empty():
    without_cem = spliced(lambda data: data["services"].remove(service(data, "cem"))).text
    assert "  # " + "-" * 64 + " AURORA\n  - id: cai\n" in without_cem
    result = spliced(lambda data: data["services"].remove(service(data, "mi60")))
    assert "DIPAM\n" not in result.text.split("services:")[1] and result.text.endswith("values: [17608, 22085]\n")
    assert result.lost[0].startswith("línea 484: # La fuente no da una línea de cobertura")


def test_a_changed_kind_of_value_is_written_in_place():
    result = spliced(lambda data: service(data, "cai")["figures"][0]["values"][1].update(note="2/"))
    assert changes(SHIPPED, result.text) == ["-         values: [1726, 2075]",
                                             "+         values: [1726, {value: 2075, note: 2/}]"]
    grown = spliced(lambda data: service(data, "cai")["centres"].update(
        breakdown_title="Tipo", breakdown=[{"type": "Regulares", "count": 4}]))
    assert changes(SHIPPED, grown.text)[0] == "-     centres: {total: 4, label: CAI}"


def test_a_file_saved_with_windows_line_breaks_keeps_them():
    windows = SHIPPED.replace("\n", "\r\n")
    new = dump(model.parse_coverage(SHIPPED))
    service(new, "cai")["short_name"] = "CAI-2"
    new["services"].append(new_service("nuevo", "dipam"))
    text = yamledit.splice(windows, yamlout.reader(windows).data, new).text
    assert text.count("\n") == text.count("\r\n") and dump(model.parse_coverage(text)) == new
    assert changes(windows, text)[:2] == ["-     short_name: CAI", "+     short_name: CAI-2"]


LITTLE = """\
title: 'Prueba con ''comillas'''
publisher:
source: !!str MIMP
programs:
  - {id: aurora, short_name: AURORA, name: Programa AURORA}
services:
  - id: a
    program: aurora
    name: A  # nombre corto
    description: |
      Línea uno.
      Línea dos.
    coverage: [Cusco]
"""


def test_literal_quoted_tagged_and_empty_values_keep_their_style():
    new = dump(model.parse_coverage(LITTLE))
    new.update(title="Otra 'vez'", publisher="MIMP", source="Otra fuente")
    new["services"][0].update(name="B", description="Línea uno.\nLínea tres.")
    text = yamledit.splice(LITTLE, yamlout.reader(LITTLE).data, new).text
    assert changes(LITTLE, text) == ["- title: 'Prueba con ''comillas'''", "+ title: 'Otra ''vez'''", "- publisher:",
                                     "+ publisher: MIMP", "- source: !!str MIMP", "+ source: Otra fuente",
                                     "-     name: A  # nombre corto", "+     name: B  # nombre corto",
                                     "-       Línea dos.", "+       Línea tres."]
    assert dump(model.parse_coverage(text)) == new


def test_a_program_name_with_a_line_break_stays_in_its_separator_comment():
    new = dump(model.parse_coverage(SHIPPED))
    new["programs"].append({"id": "nuevo", "short_name": "UNO\nDOS", "name": "Programa nuevo"})
    new["services"].append(new_service("nuevo", "nuevo"))
    text = yamledit.splice(SHIPPED, yamlout.reader(SHIPPED).data, new).text
    assert "  # " + "-" * 64 + " UNO DOS\n  - id: nuevo\n" in text  # the comment stays one line
    with pytest.raises(DataError, match="una sola línea"):  # and the name itself is refused, at its line
        model.parse_coverage(text)


def test_a_list_emptied_is_written_as_an_empty_list():
    result = spliced(lambda data: service(data, "hrt")["notes"].clear())
    assert changes(SHIPPED, result.text) == [
        "-     notes:", "+     notes: []", "-       - La fuente no publica cifras de atención de este servicio."]


def test_a_program_or_service_written_alone_has_its_lines_in_the_whole_file():
    """The splice takes what it adds inside a program or a service from that entry written alone
    (yamlout.entry_yaml): the same lines, at the same columns, as in the whole file."""
    data = dump(model.parse_coverage(SHIPPED))
    service(data, "cai")["notes"] = ["Una nota", "yes"]
    whole = yamlout.coverage_yaml(data)
    for section in ("programs", "services"):
        for n in range(len(data[section])):
            alone = yamlout.entry_yaml(data, section, n)
            assert alone.startswith(f"{section}:\n  - ") and "\n" + alone[len(section) + 2:] in whole
            assert yamltree.find(yamltree.compose(alone), (section, 0))[2].kind == "mapping"


def test_items_added_removed_and_moved_anywhere_read_back():
    """Lists changed at random (an item removed, copied elsewhere, two swapped): the file reads as the new data."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    base = dump(model.parse_coverage(SHIPPED))
    old = yamlout.reader(SHIPPED).data
    lists = [path for path, _ in _containers(base) if isinstance(_at(base, path), list) and _at(base, path)]

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(lists), st.sampled_from(["del", "copy", "swap"]), st.randoms()),
                    min_size=1, max_size=3))
    def check(changes_):
        new = copy.deepcopy(base)
        # The deepest lists first: a change moves only its own list's items, so every path drawn still
        # leads where it did (a swap of two services first would make 'services[18].coverage' another's).
        for path, how, rng in sorted(changes_, key=lambda change: -len(change[0])):
            items = _at(new, path)
            if not items:
                continue
            i = rng.randrange(len(items))
            if how == "del":
                items.pop(i)
            elif how == "copy":
                item = copy.deepcopy(items[i])
                if isinstance(item, dict) and "id" in item:
                    item["id"] += f"-{rng.randrange(1000)}"
                items.insert(rng.randrange(len(items) + 1), item)
            else:
                j = rng.randrange(len(items))
                items[i], items[j] = items[j], items[i]
        result = yamledit.splice(SHIPPED, old, new)
        assert yamledit.same(yamledit.plain(yamlout.reader(result.text).data), new)

    check()


def _containers(value, path=()):
    yield path, value
    for key, item in (value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()):
        yield from _containers(item, path + (key,))


def _at(value, path):
    for part in path:
        value = value[part]
    return value


# --- any change of values: the file reads as the new data, and only their lines change -------------------

def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _leaves(item, path + (n,))
    else:
        yield path, value


def _lines(root, path) -> range:
    """The old lines (0-based) of the value at ``path``: its node's, or its anchor's and aliases'."""
    if path[-1] == "value" and path[-3] == "values":
        path = path[:-1]
    node = yamltree.find(root, path)[2]
    nodes = [n for n in yamltree.walk(root) if node.anchor and n.anchor == node.anchor] or [node]
    return [range(yamltree.line_no(SHIPPED, n.start) - 1, yamltree.line_no(SHIPPED, n.end)) for n in nodes]


def test_any_change_of_values_reads_back_and_touches_only_their_lines():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    base = dump(model.parse_coverage(SHIPPED))
    leaves = [(p, v) for p, v in _leaves(base) if p[-1] != "id"]  # ids are unique: tested apart
    root = yamltree.compose(SHIPPED)
    old = yamlout.reader(SHIPPED).data
    text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=120).map(str.strip) \
        .filter(bool) | st.sampled_from(["yes", "08", "null", "a: b", "- x", "#x", "x #y", "'q'", '"', "uno\ndos",
                                         "[a]", "{b}", "2020-01", "~", "&ancla", "*alias", "@x", "%x", "!x"])

    def value(old_value):
        if isinstance(old_value, bool) or not isinstance(old_value, (int, float)):
            return text
        if isinstance(old_value, float):
            return st.floats(-18, 0, allow_nan=False)
        return st.integers(0, 10**9)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(range(len(leaves))), min_size=1, max_size=4, unique=True).flatmap(
        lambda picks: st.tuples(st.just(picks), st.tuples(*[value(leaves[i][1]) for i in picks]))))
    def check(edits):
        picks, values = edits
        new = copy.deepcopy(base)
        allowed: list[range] = []
        for i, v in zip(picks, values):
            path = leaves[i][0]
            target = new
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = v
            allowed += _lines(root, path)
        result = yamledit.splice(SHIPPED, old, new)
        assert yamledit.same(yamledit.plain(yamlout.reader(result.text).data), new)
        matcher = difflib.SequenceMatcher(None, SHIPPED.splitlines(), result.text.splitlines(), autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            touched = range(i1, i2) if tag != "insert" else [i1 - 1]  # lines inserted go after a line of theirs
            assert tag == "equal" or all(any(n in span for span in allowed) for n in touched), (tag, i1, i2, values)

    check()


@pytest.mark.parametrize("text", ["2020-02-30", "2020-13-01", "2021-01-01 25:00:00"])
def test_a_text_shaped_like_an_impossible_date_is_written_quoted_and_reads_back(text):
    """PyYAML reads 2020-02-30 as a date and fails (ValueError, not a YAMLError): the writer used to end
    in a traceback when a cell held such a text; it now quotes it, as any text that would not read back."""
    data = dump(model.parse_coverage(SHIPPED))
    data["services"][0]["periods"][0]["label"] = text
    written = yamlout.coverage_yaml(data)
    assert f'label: "{text}"' in written
    assert yaml.safe_load(written)["services"][0]["periods"][0]["label"] == text
