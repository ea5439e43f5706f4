"""The coverage file: the shipped transcription of the seed, and every kind of bad input."""

import json

import pytest
from hypothesis import given, strategies as st

from mimpmap import DataError, UnknownServiceError, places
from mimpmap.errors import InputFileError
from mimpmap.levels import DEPARTMENTS
from mimpmap.model import parse_coverage, read_coverage
from mimpmap.schema import json_schema

from .conftest import DATA, MINIMAL, ROOT

IDS = [
    "cem", "cai", "linea-100", "chat-100", "sau", "hrt", "estrategia-rural", "car-nna", "car-pam", "car-pcd",
    "educadores-de-calle", "cedif", "can", "acogida-temporal-nna", "acogida-temporal-pam",
    "acogida-temporal-pcd", "adopciones", "upe", "mi60",
]


@pytest.fixture(scope="module")
def data():
    return read_coverage(DATA)


def test_every_service_of_the_seed(data):
    assert [s.id for s in data.services] == IDS
    assert [p.short_name for p in data.programs] == ["AURORA", "INABIF", "DGA", "DPE", "DIPAM"]
    by_program = {p.id: [s.id for s in data.services if s.program == p.id] for p in data.programs}
    assert by_program["aurora"] == IDS[:7]
    assert by_program["dga"] == ["adopciones"] and by_program["dpe"] == ["upe"] and by_program["dipam"] == ["mi60"]


def test_titles_add_the_abbreviation_only_when_it_says_something_new(data):
    titles = {s.id: s.title for s in data.services}
    assert titles["cai"] == "Centros de Atención Institucional (CAI)"
    assert titles["linea-100"] == data.service("linea-100").name  # no short name
    assert data.service("mi60").abbreviation is None  # "Mi60+" is already in its name
    assert titles["mi60"] == data.service("mi60").name
    assert data.service("adopciones").abbreviation == "UA"


NATIONAL = {"cem", "linea-100", "chat-100", "hrt", "car-nna", "educadores-de-calle", "cedif", "adopciones", "upe"}


@pytest.mark.parametrize("sid,codes", [
    ("cai", {"PE-AYA", "PE-CUS", "PE-LMA", "PE-CAL"}),
    ("sau", {"PE-ARE", "PE-AYA", "PE-CUS", "PE-HUC", "PE-LAL", "PE-LMA", "PE-MDD", "PE-PUN"}),
    ("car-pam", {"PE-LMA"}), ("car-pcd", {"PE-LMA", "PE-ARE"}), ("can", {"PE-LMA"}),
    ("acogida-temporal-nna", {"PE-LMA"}), ("acogida-temporal-pam", {"PE-LMA"}),
    ("acogida-temporal-pcd", {"PE-LMA"}), ("mi60", {"PE-LMA", "PE-ANC"}),
])
def test_listed_coverage(data, sid, codes):
    assert set(data.codes[sid]) == codes
    assert "PE-LIM" not in codes  # Lima Metropolitana never paints Huaral or Cañete


def test_national_and_rural(data):
    for s in data.services:
        assert s.national == (s.id in NATIONAL)
        if s.national:
            assert set(data.codes[s.id]) == set(DEPARTMENTS.codes)
    rural = set(data.codes["estrategia-rural"])
    assert len(rural) == 22
    assert not rural & {"PE-LMA", "PE-LIM", "PE-CAL", "PE-SAM"}


def _values(service, unit):
    fig = next(f for f in service.figures if f.unit == unit)
    return [v.value for v in fig.values]


@pytest.mark.parametrize("sid,periods,unit,values", [
    ("cem", ["Año 2020", "Ene – Oct 2021"], "Casos atendidos por violencia", [114495, 136782]),
    ("cem", ["Año 2020", "Ene – Oct 2021"], "Actividades en atención por violencia", [2678220, 4198273]),
    ("cem", ["Año 2020", "Ene – Oct 2021"], "acciones preventivas", [76135, 80533]),
    ("cai", ["Año 2020", "Ene - Oct 2021"], "casos de usuarios", [1726, 2075]),
    ("linea-100", ["Año 2019", "Ene - Oct 2021"], "Consultas telefónicas atendidas", [235791, 171973]),
    ("chat-100", ["Año 2019", "Ene - Oct 2021"], "consultas", [17406, 9404]),
    ("sau", ["Año 2020", "Ene - Oct 2021"], "casos", [6311, 5009]),
    ("estrategia-rural", ["Año 2020", "Ene - Oct 2021"], "Casos derivados", [2204, 2301]),
    ("car-nna", ["Año 2020", "Ene - Oct 2021"], "Usuarias/os atendidas/os", [2527, 2456]),
    ("car-pam", ["Año 2019", "Ene - Oct 2021"], "Usuarias/os atendidas/os", [304, 317]),
    ("car-pcd", ["Año 2019", "Ene - Oct 2021"], "Usuarias/os atendidas/os", [400, 411]),
    ("educadores-de-calle", ["Año 2020", "Ene - Oct 2021"], "Usuarias/os atendidas/os", [6795, 9191]),
    ("can", ["Año 2020", "Ene - Oct 2021"], "Usuarias/os atendidas/os", [43, 45]),
    ("acogida-temporal-nna", ["Mar - Dic 2020", "Ene - Oct 2021"], "Niñas, niños y adolescentes atendidas/os", [166, 244]),
    ("acogida-temporal-pam", ["Mar - Dic 2020", "Ene - Oct 2021"], "Personas Adultas Mayores", [123, 152]),
    ("acogida-temporal-pcd", ["Mar - Dic 2020", "Ene - Oct 2021"], "Personas con Discapacidad", [12, 28]),
    ("adopciones", ["Año 2020", "Ene - Oct 2021"], "Niñas, niños y adolescentes adoptadas/os", [101, 118]),
    ("upe", ["Año 2020", "Ene - Oct 2021"],
     "Niñas, niños y adolescentes ingresados al servicio de Protección Especial", [17608, 22085]),
    ("mi60", ["Año 2020", "Ene - Oct 2021"], "Personas adultas mayores en situación de riesgo atendidas", [4, 727]),
])
def test_figures_with_their_periods(data, sid, periods, unit, values):
    s = data.service(sid)
    assert [p.label for p in s.periods] == periods
    assert _values(s, unit) == values


def test_cem_preventive_people(data):
    cem = data.service("cem")
    fig = next(f for f in cem.figures if f.unit == "personas sensibilizadas e informadas")
    assert [v.value for v in fig.values] == [1145193, 827342] and fig.kind == "prevencion"


@pytest.mark.parametrize("sid,total,breakdown", [
    ("cem", 426, {"Regulares": 245, "Comisaría": 180, "Centro de Salud": 1}),
    ("car-nna", 53, {"Básico": 35, "Especializados": 12, "Urgencia": 6}),
    ("car-pam", 3, {"Básico": 3}), ("car-pcd", 7, {"Básico": 6, "Especializados": 1}),
    ("cai", 4, {}), ("sau", 8, {}), ("hrt", 20, {}), ("estrategia-rural", 54, {}),
    ("educadores-de-calle", 53, {}), ("cedif", 24, {}), ("can", 1, {}), ("acogida-temporal-nna", 2, {}),
    ("acogida-temporal-pam", 2, {}), ("acogida-temporal-pcd", 1, {}), ("adopciones", 11, {}), ("upe", 25, {}),
    ("mi60", 2, {}),
])
def test_centres(data, sid, total, breakdown):
    c = data.service(sid).centres
    assert c.total == total
    assert {b.type: b.count for b in c.breakdown} == breakdown


def test_footnotes_and_notes(data):
    marks = {s.id: [f.mark for f in s.footnotes] for s in data.services}
    assert marks["cem"] == ["1/"] and marks["cai"] == ["2/"] and marks["cedif"] == ["4/"]
    assert marks["educadores-de-calle"] == ["3/", "a/"]
    edc = data.service("educadores-de-calle")
    assert edc.periods[0].note == "3/" and edc.figures[0].values[1].note == "a/"
    assert "031-2021-MIMP" in edc.footnotes[1].text and "esencial" in edc.footnotes[1].text
    assert "abril, mayo y junio" in data.service("cem").footnotes[0].text
    assert "noviembre" in data.service("acogida-temporal-pcd").notes[0]
    assert "marzo" in data.service("acogida-temporal-nna").notes[0]


def test_sources_activities_and_sites(data):
    assert "AURORA" in data.service("cem").source
    assert data.service("chat-100").source.startswith("Dirección de Asistencia Técnica")
    assert data.service("mi60").source == "Dirección de Personas Adultas Mayores – DIPAM"
    assert data.service("car-nna").source is None  # the seed gives none: invent nothing
    assert len(data.service("cedif").activities) == 6
    sites = data.service("mi60").centres.sites
    assert [(x.province, x.district) for x in sites] == [("Lima", "Lima"), ("Santa", "Chimbote")]
    for s in data.services:
        assert s.description and s.name


# --- bad input ---------------------------------------------------------------------------------

def problems_of(text):
    with pytest.raises(DataError) as info:
        parse_coverage(text, "x.yaml")
    return info.value.problems


def test_unknown_place_names_service_position_and_suggestion():
    (msg,) = problems_of(MINIMAL.replace("[Ayacucho, Cusco", "[Ayacuchoo, Cusco"))
    assert "servicio 'cai', coverage n.º 1" in msg and "'Ayacuchoo'" in msg and "¿quiso decir 'Ayacucho'?" in msg
    assert msg.startswith("línea 10: ")


def test_all_problems_in_one_run():
    text = MINIMAL.replace("[Ayacucho, Cusco", "[Ayacuchoo, Cuzko") + """\
  - id: cai
    program: nadie
    name: Otro
    description: d
    coverage: []
"""
    problems = problems_of(text)
    joined = "\n".join(problems)
    assert "coverage n.º 1" in joined and "coverage n.º 2" in joined
    assert "la cobertura está vacía" in joined
    assert "servicio 'cai' está repetido" in joined
    assert "el programa 'nadie' no existe" in joined
    assert len(problems) >= 4


@pytest.mark.parametrize("old,new,expected", [
    ("values: [1726, 2075]", "values: [-1726, 2075]", "no puede ser negativo"),
    ("values: [1726, 2075]", "values: [1726.5, 2075]", "debe ser un número entero"),
    ("values: [1726, 2075]", "values: ['1 726', 2075]", "'1 726': debe ser un número entero"),
    ("values: [1726, 2075]", "values: [1726]", "la cifra n.º 1 ('casos') tiene 1 valor y hay 2 periodos"),
    ("    coverage: [", "    coverage_: [", "'coverage_': campo desconocido"),
    ("    name: Centros de Atención Institucional\n", "", "servicio 'cai', name: falta este campo obligatorio"),
    ("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]", "coverage: todo", "escriba 'nacional'"),
    ("- id: cai", "- id: CAI Nuevo", "solo minúsculas"),
    ("{label: Año 2020}", "{label: Año 2020, note: 9/}", "la nota '9/' no está en footnotes"),
])
def test_bad_values(old, new, expected):
    assert old in MINIMAL
    problems = problems_of(MINIMAL.replace(old, new))
    assert any(expected in p for p in problems), problems


def test_centre_breakdown_must_add_up():
    text = MINIMAL + "    centres: {total: 5, label: CAI, breakdown: [{type: A, count: 2}, {type: B, count: 2}]}\n"
    assert any("2 + 2" in p and "total: 5" in p for p in problems_of(text))


def test_yaml_syntax_error_points_at_the_open_bracket():
    (msg,) = problems_of("title: x\nprograms: [a\nservices: 2\n")
    assert msg.startswith("línea 2, columna 11: ") and "'[' abierto aquí no se cierra" in msg


def test_not_a_mapping():
    assert "mapa YAML" in problems_of("- a\n- b\n")[0]


def test_missing_and_directory_are_input_file_errors(tmp_path):
    with pytest.raises(InputFileError, match="no existe el archivo") as info:
        read_coverage(tmp_path / "nada.yaml")
    assert info.value.exit_code == 2 and isinstance(info.value, OSError)
    folder = tmp_path / "carpeta.yaml"
    folder.mkdir()
    with pytest.raises(InputFileError, match="es una carpeta"):
        read_coverage(folder)


def test_an_encoding_error_names_its_line_and_column(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: x\nsource: Año".encode("latin-1"))
    with pytest.raises(DataError) as info:
        read_coverage(bad)
    (msg,) = info.value.problems
    assert msg.startswith("línea 2, columna 10: el byte 0xF1 no es UTF-8") and "byte 1" not in msg


def test_unknown_service_lists_valid_ids(data):
    with pytest.raises(UnknownServiceError) as info:
        data.service("caii")
    assert "cai" in str(info.value) and "mi60" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_committed_schema_in_sync():
    committed = (ROOT / "data" / "coverage.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "regenerate with: mimpmap schema -o data/coverage.schema.json"
    schema = json.loads(committed)
    assert schema["$defs"]["Service"]["additionalProperties"] is False
    assert {"id", "name", "description", "coverage"} <= set(schema["$defs"]["Service"]["required"])


def test_editors_schema_accepts_the_shipped_data_and_rejects_bad_data():
    """What an editor validates with (the YAML's `$schema` line) agrees with `mimpmap check`."""
    import jsonschema
    import yaml

    validator = jsonschema.Draft202012Validator(json.loads(json_schema()))
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(doc)) == []
    doc["services"][1]["figures"][0]["values"][0] = -1
    doc["services"][1]["coverage_"] = doc["services"][1].pop("coverage")
    messages = [e.message for e in validator.iter_errors(doc)]
    assert any("-1" in m for m in messages) and any("coverage_" in m for m in messages)


def test_cross_entry_problems_once_each_with_their_line():
    text = MINIMAL + """\
  - id: cai
    program: nadie
    name: Otro
    description: d
    coverage: [Cusco]
"""
    problems = problems_of(text)
    repeated = [p for p in problems if "está repetido" in p]
    assert repeated == ["línea 14: servicio 'cai' está repetido (el servicio n.º 2); cada id debe ser único"]
    unknown = [p for p in problems if "no existe" in p]
    assert unknown == ["línea 15: servicio 'cai': el programa 'nadie' no existe; los programas son: aurora"]


@pytest.mark.parametrize("text,expected", [
    ("title: x\nsource: y\nprograms: []\nservices: []\n", "services: la lista está vacía"),
    (MINIMAL.replace("{id: aurora,", "{id: [aurora],"), "programs n.º 1, id: ['aurora']: debe ser un texto"),
    (MINIMAL.replace("[Ayacucho, Cusco", "[true, Cusco"), "True no es un nombre ni un código de departamento"),
    (MINIMAL.replace("[Ayacucho, Cusco", "[100, Cusco"), "'100' no es un departamento ni una provincia del Perú"),
    (MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]", "coverage: {a: 1}"),
     "no es una cobertura; escriba 'nacional'"),
    (MINIMAL.replace("program: aurora", "program: !!binary aGk="), "esta etiqueta ('!...') no está permitida"),
    (MINIMAL.replace("label: Año 2020", "label: 2020"), "label: 2020: debe ser un texto; escríbalo"),
    (MINIMAL + "    1: x\n", "una clave debe ser un nombre de campo"),
])
def test_odd_shapes_are_clear_problems(text, expected):
    assert any(expected in p for p in problems_of(text))


def test_unreadable_path(tmp_path):
    (tmp_path / "f.yaml").write_text("x", encoding="utf-8")
    with pytest.raises(InputFileError, match="no se puede leer"):
        read_coverage(tmp_path / "f.yaml" / "x.yaml")


def test_a_key_written_twice_is_a_problem():
    (msg,) = problems_of(MINIMAL + "    coverage: [Puno]\n")
    assert msg.startswith("línea 14") and "la clave 'coverage' está repetida (ya estaba en la línea 10)" in msg


@pytest.mark.parametrize("department,expected", [
    ("Narnia", "'Narnia' no es un departamento del Perú"),
    ("Puno", "'Puno' no está en la cobertura del servicio"),
])
def test_site_department_is_checked(department, expected):
    text = MINIMAL + (
        "    centres:\n      total: 1\n      label: CAI\n      sites:\n"
        f"        - {{name: Centro, province: P, district: D, department: {department}}}\n"
    )
    assert any(expected in p and "centres, sites n.º 1, department" in p for p in problems_of(text))


# --- hostile values and "all problems at once" -------------------------------------------------------

@pytest.mark.parametrize("digits", [10, 309])
def test_counts_past_what_a_ministry_publishes_are_refused_with_their_line(digits):
    (msg,) = problems_of(MINIMAL.replace("values: [1726, 2075]", "values: [1726, 1%s]" % ("0" * digits)))
    assert msg.startswith("línea 13: servicio 'cai', figures n.º 1, values n.º 2: ") and "demasiado grande" in msg
    assert len(msg) < 200  # the number is described, not printed in full


def test_the_largest_count_accepted():
    from mimpmap.model import MAX_COUNT

    assert parse_coverage(MINIMAL.replace("values: [1726, 2075]", f"values: [1726, {MAX_COUNT}]"))
    assert problems_of(MINIMAL.replace("values: [1726, 2075]", f"values: [1726, {MAX_COUNT + 1}]"))


@pytest.mark.parametrize("field,line", [
    ("name: Centros de Atención Institucional", 8), ("description: Servicio de prueba.", 9),
    ("unit: casos", 13), ("label: Año 2020", 11), ("short_name: AURORA", 4),
])
def test_control_characters_are_refused_in_every_text_field(field, line):
    key, _, value = field.partition(": ")
    (msg,) = problems_of(MINIMAL.replace(field, f'{key}: "{value}\\e]0;pwned\\a"'))
    assert msg.startswith(f"línea {line}: ") and f"{key}: contiene un carácter de control" in msg
    assert "\x1b" not in msg and "\\x1b" in msg


def test_bidirectional_overrides_are_refused_too():
    (msg,) = problems_of(MINIMAL.replace("name: Centros de Atención Institucional", 'name: "\\u202ECentros"'))
    assert "name: contiene un carácter de control" in msg


def test_a_control_character_in_an_id_never_reaches_the_message():
    (msg,) = problems_of(MINIMAL.replace("- id: cai", '- id: "cai\\e[2J"'))
    assert "\x1b" not in msg and "solo minúsculas" in msg


def test_a_schema_error_does_not_hide_a_site_department_error():
    text = MINIMAL.replace("values: [1726, 2075]", "values: [-1, 2075]") + (
        "    centres:\n      total: 1\n      label: CAI\n      sites:\n"
        "        - {name: C, province: P, district: D, department: Puno}\n")
    problems = problems_of(text)
    assert len(problems) == 2
    assert "no puede ser negativo" in problems[0]
    assert problems[1].startswith("línea 18: ") and "'Puno' no está en la cobertura" in problems[1]


def test_every_repeated_key_is_named_with_both_lines():
    text = MINIMAL.replace("    program: aurora\n", "    program: aurora\n    name: x\n") + "    coverage: [Puno]\n"
    assert problems_of(text) == [
        "línea 9: la clave 'name' está repetida (ya estaba en la línea 8); deje solo una",
        "línea 15: la clave 'coverage' está repetida (ya estaba en la línea 11); deje solo una",
    ]


def test_repeated_keys_do_not_hide_other_problems():
    text = MINIMAL.replace("    program: aurora\n", "    program: aurora\n    name: x\n")
    problems = problems_of(text.replace("[Ayacucho,", "[Ayacuchoo,").replace("[1726,", "[-1726,"))
    assert len(problems) == 3
    assert "repetida" in problems[0] and "Ayacuchoo" in problems[2] and "negativo" in problems[1]


def test_an_invalid_program_id_gives_one_message_not_one_per_service():
    text = MINIMAL.replace("{id: aurora,", "{id: AURORA,") + MINIMAL[MINIMAL.index("  - id: cai"):].replace(
        "id: cai", "id: cai-dos")
    (msg,) = problems_of(text)
    assert msg == "línea 4: programa 'AURORA', id: solo minúsculas, dígitos y guiones (p. ej. 'linea-100')"


def test_nacional_in_brackets_suggests_the_plain_word():
    (msg,) = problems_of(MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]",
                                         "coverage: [nacional]"))
    assert "como cobertura (en YAML, coverage: nacional, sin corchetes)" in msg and "Tacna" not in msg


def test_an_empty_coverage_name_is_one_message():
    (msg,) = problems_of(MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]",
                                         "coverage: ['']"))
    assert msg == "línea 10: servicio 'cai', coverage: elemento 1: está vacío; escriba un departamento o quite el elemento"


def test_a_single_department_without_brackets_is_shown_as_a_list():
    (msg,) = problems_of(MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]",
                                         "coverage: Cusco"))
    assert "escriba una lista: [Cusco]" in msg


# --- coverage_text names the same units as coverage ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "Ayacucho, Cusco, Lima Metropolitana y Callao",
    "En Ayacucho, Cuzco, Lima (la capital) y el Callao.",
    "Callao, Lima Metropolitana, Ayacucho y Cusco",
])
def test_coverage_text_that_agrees(text):
    assert parse_coverage(MINIMAL + f"    coverage_text: {text}\n").service("cai").coverage_text == text


def test_coverage_text_that_names_other_units_shows_both_lists():
    (msg,) = problems_of(MINIMAL + "    coverage_text: Ayacucho, Cusco y Puno\n")
    assert msg.startswith("línea 14: servicio 'cai', coverage_text: ")
    assert "nombra Ayacucho, Cusco y Puno" in msg
    assert "la cobertura tiene Ayacucho, Callao, Cusco y Lima Metropolitana" in msg


def test_coverage_text_with_a_word_that_is_no_place():
    (msg,) = problems_of(MINIMAL + "    coverage_text: Ayacucho, Cusco, Lima Metropolitana, Callao y Narnia\n")
    assert "'Narnia' no es un departamento" in msg and msg.startswith("línea 14")


def test_national_coverage_text():
    national = MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]", "coverage: nacional")
    assert parse_coverage(national + "    coverage_text: A nivel nacional\n")
    (msg,) = problems_of(national + "    coverage_text: Cusco\n")
    assert "nombra Cusco, pero la cobertura tiene A nivel nacional" in msg


def test_lima_alone_in_the_text_is_the_lima_of_the_coverage():
    from mimpmap.places import named_units

    assert named_units("en Lima", {"PE-LMA"}) == ({"PE-LMA"}, [])
    assert named_units("Lima y Cusco") == ({"PE-LMA", "PE-LIM", "PE-CUS"}, [])
    assert named_units("Lima Metropolitana (Lima) y Áncash (Chimbote, provincia del Santa)") == (
        {"PE-LMA", "PE-ANC"}, [])


def test_every_shipped_coverage_text_agrees_with_its_coverage(data):
    from mimpmap.places import named_units

    for s in data.services:
        assert s.coverage_text, s.id
        assert named_units(s.coverage_text, set(data.codes[s.id]))[0] == set(data.codes[s.id]), s.id


def test_a_document_built_in_code_is_validated_without_a_locator():
    from mimpmap.model import validate
    from mimpmap.readers import Document

    nested: list = []
    for _ in range(3000):
        nested = [nested]
    with pytest.raises(DataError) as info:
        validate(Document({"title": nested}))
    assert info.value.problems[0] == "title: un valor muy anidado: debe ser un texto; escríbalo entre comillas"
    assert "services: falta este campo obligatorio" in info.value.problems


def test_the_data_find_a_service_as_the_maps_and_the_command_do():
    """One lookup: the data (notebooks), the maps and the command line accept an id in any case and
    a short name, and suggest the closest id for a typo."""
    from mimpmap.errors import UnknownServiceError
    from mimpmap.model import read_coverage

    data = read_coverage(DATA)
    assert data.service("CAI").id == "cai" and data.service("ER").id == "estrategia-rural"
    with pytest.raises(UnknownServiceError, match="quiso decir 'cai'"):
        data.service("caii")


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment by its recursive definition (the slow, plain way)."""
    from functools import lru_cache

    @lru_cache(maxsize=None)
    def d(i: int, j: int) -> int:
        if not i or not j:
            return i + j
        best = min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            best = min(best, d(i - 2, j - 2) + 1)
        return best

    return d(len(a), len(b))


@given(st.text("abcd", max_size=7), st.text("abcd", max_size=7))
def test_edit_distance_is_optimal_string_alignment(a, b):
    from mimpmap.text import edit_distance

    assert edit_distance(a, b) == _reference_distance(a, b) == edit_distance(b, a)


def test_suggestions_rank_a_swap_before_a_change():
    """Issue 22.1: for 'cia' the nearest id is 'cai' (one swap), not 'can' (two changes)."""
    from mimpmap.text import closest

    assert closest("cia", ["can", "cai", "cem"]) == ["cai"]
    assert closest("cia", ["can", "cem"]) == []  # two changes in three letters: not near
    assert places.suggest("Cuzko") == ["Cusco"] and places.suggest("Ayacuhco") == ["Ayacucho"]
    with pytest.raises(UnknownServiceError, match="¿quiso decir 'cai'?"):
        read_coverage(DATA).service("cia")


def test_an_id_too_long_to_name_a_file_is_refused_by_check():
    """Issue 25.16: a 260-character id passed check and failed build (file name too long)."""
    from mimpmap.model import MAX_ID

    longest = "c" * MAX_ID
    assert parse_coverage(MINIMAL.replace("id: cai", f"id: {longest}")).services[0].id == longest
    for length in (MAX_ID + 1, 260):
        with pytest.raises(DataError) as info:
            parse_coverage(MINIMAL.replace("id: cai", f"id: {'c' * length}"))
        assert f"es demasiado largo: un id tiene como mucho {MAX_ID} caracteres" in str(info.value)
        assert "línea 6" in str(info.value)
    with pytest.raises(DataError, match="demasiado largo"):
        parse_coverage(MINIMAL.replace("id: aurora", f"id: {'a' * 300}").replace("program: aurora",
                                                                              f"program: {'a' * 300}"))


@pytest.mark.parametrize("name", ['"Centros de Atención\\nInstitucional"', '"Centros\\u2028CAI"'])
def test_a_name_with_a_line_break_is_refused_with_its_line(name):
    (msg,) = problems_of(MINIMAL.replace("name: Centros de Atención Institucional", f"name: {name}"))
    assert msg.startswith("línea 8: servicio 'cai', name: ") and "una sola línea" in msg


def test_a_program_short_name_with_a_line_break_is_refused():
    (msg,) = problems_of(MINIMAL.replace("short_name: AURORA", 'short_name: "AUR\\nORA"'))
    assert "programa 'aurora', short_name" in msg and "una sola línea" in msg


def test_an_item_of_a_list_is_named_by_its_place_counted_from_1():
    """As a reader counts the dashes of a YAML list: "figures n.º 1", never "figures[0]"."""
    from mimpmap.locate import where

    doc = {"services": [{"id": "cai"}, {}]}
    assert where(doc, ("services", 0, "figures", 0, "values", 1)) == "servicio 'cai', figures n.º 1, values n.º 2"
    assert where(doc, ("services", 1, "centres", "sites", 2, "department")) == \
        "services n.º 2, centres, sites n.º 3, department"
    assert where(doc, ("services", 0, "coverage", 0), spell=False) == "servicio 'cai'"  # a spreadsheet's cell


def test_a_number_written_as_a_key_is_named_as_written_not_counted():
    from mimpmap.locate import where

    doc = {"services": [{"id": "cai", 1: "x", "figures": [{"values": {0: 5}}]}]}
    assert where(doc, ("services", 0, 1)) == "servicio 'cai', 1"
    assert where(doc, ("services", 0, "figures", 0, "values", 0)) == "servicio 'cai', figures n.º 1, values, 0"
    assert where({"services": {0: {}}}, ("services", 0, "id")) == "services, 0, id"
