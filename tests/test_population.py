"""The population file: the shipped census figures, what a service's units hold, and every bad file."""

from __future__ import annotations

import csv
import os

import pytest

from mimpmap import DataError, UnknownPlaceError
from mimpmap.errors import InputFileError, PopulationError
from mimpmap.levels import DEPARTMENTS, LIMA
from mimpmap.population import MAX_BYTES, parse_population, read_population

from .conftest import ROOT

CSV = ROOT / "data" / "population.csv"
PACKAGED = ROOT / "src" / "mimpmap" / "data" / "population.csv"
INEI_TOTAL_2017 = 29_381_884  # INEI, Censos Nacionales 2017: población censada, fila «Total»
INEI_LIMA_2017 = 9_485_405  # the same table's row «Lima»: the whole department


def shipped_rows() -> dict[str, int]:
    """The shipped file read with nothing but the csv module: code → count (the total row apart)."""
    lines = [line for line in CSV.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return {row["codigo"]: int(row["poblacion"]) for row in csv.DictReader(lines)}


@pytest.fixture(scope="module")
def population():
    return read_population(CSV)


# --- the shipped figures ---------------------------------------------------------------------


def test_the_units_add_up_to_the_national_census_total(population):
    rows = shipped_rows()
    units = {code: n for code, n in rows.items() if code != "PE"}
    assert set(units) == set(DEPARTMENTS.codes)
    assert sum(units.values()) == INEI_TOTAL_2017
    assert rows["PE"] == INEI_TOTAL_2017
    assert population.total == INEI_TOTAL_2017
    assert population.year == 2017 and "INEI" in population.source and "2017" in population.source


def test_lima_metropolitana_and_lima_provincias_make_the_lima_department(population):
    rows = shipped_rows()
    assert rows["PE-LMA"] == 8_574_974  # «Provincia de Lima 3/»
    assert rows["PE-LIM"] == 910_431  # «Región Lima 4/»
    assert rows["PE-LMA"] + rows["PE-LIM"] == INEI_LIMA_2017
    assert population.of(LIMA.members) == INEI_LIMA_2017


def test_the_packaged_copy_is_the_same_file():
    assert PACKAGED.read_bytes() == CSV.read_bytes()


def test_the_default_is_the_working_directory_file_else_the_packaged_copy(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    assert read_population().path == CSV.relative_to(ROOT)
    monkeypatch.chdir(tmp_path)  # no data/ here
    packaged = read_population()
    assert packaged.path.name == "population.csv" and packaged.path.parent.name == "data"
    assert packaged.path.resolve() != CSV.resolve()
    assert packaged.total == INEI_TOTAL_2017


def test_the_data_readme_names_the_source_and_the_lima_rows():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for needle in ("jmcastagnetto/covid-19-peru-data", "datos/inei-pob_03.csv", "Provincia de Lima 3/",
                   "Región Lima 4/", "29 381 884", "Censos Nacionales 2017"):
        assert needle in readme


# --- reach -----------------------------------------------------------------------------------

CAI = ("PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA")


def test_reach_of_the_cai_units(population):
    rows = shipped_rows()
    expected = rows["PE-AYA"] + rows["PE-CAL"] + rows["PE-CUS"] + rows["PE-LMA"]
    reach = population.reach(CAI)
    assert reach.reached == expected == 11_391_171  # the figure issue 10 quotes for cai
    assert reach.not_reached == INEI_TOTAL_2017 - expected
    assert reach.total == INEI_TOTAL_2017
    assert reach.share == pytest.approx(expected / INEI_TOTAL_2017)
    assert f"{reach.share * 100:.1f}" == "38.8"
    assert reach.group is None and reach.group_used == "poblacion" and not reach.group_missing
    assert population.of(CAI) == expected


def test_a_national_service_reaches_everyone_and_codes_count_once(population):
    reach = population.reach(DEPARTMENTS.codes)
    assert (reach.reached, reach.not_reached, reach.share) == (INEI_TOTAL_2017, 0, 1.0)
    assert population.of(["PE-CUS", "PE-CUS"]) == population.of("PE-CUS") == shipped_rows()["PE-CUS"]
    assert population.reach([]).reached == 0 and population.reach([]).share == 0.0


def test_a_group_the_file_lacks_falls_back_to_the_total_and_says_so(population):
    assert population.groups == ()
    reach = population.reach(CAI, group="mujeres")
    assert reach.reached == population.of(CAI)
    assert reach.group == "mujeres" and reach.group_used == "poblacion" and reach.group_missing


def test_only_map_unit_codes_are_counted(population):
    with pytest.raises(UnknownPlaceError, match="PE-CUZ"):
        population.of(["PE-CUZ"])
    with pytest.raises(UnknownPlaceError):
        population.reach([LIMA.code])  # a 25-unit file's code: ask for its two units


# --- files with groups, other separators -----------------------------------------------------


def _with_women(share: float = 0.5) -> str:
    rows = shipped_rows()
    lines = ["# año: 2017", "# fuente: prueba", "# fuente mujeres: prueba de grupos", "codigo,nombre,poblacion,mujeres"]
    for unit in DEPARTMENTS.units:
        lines.append(f"{unit.iso},{unit.nombre},{rows[unit.iso]},{int(rows[unit.iso] * share)}")
    return "\n".join(lines) + "\n"


def test_a_group_column_with_its_source_is_used(tmp_path):
    path = tmp_path / "pob.csv"
    path.write_text(_with_women(), encoding="utf-8")
    population = read_population(path)
    rows = shipped_rows()
    assert population.groups == ("mujeres",)
    assert population.sources["mujeres"] == "prueba de grupos"
    reach = population.reach(CAI, group="Mujeres")
    assert reach.reached == sum(int(rows[c] * 0.5) for c in CAI)
    assert reach.group_used == "mujeres" and not reach.group_missing
    assert reach.total == sum(int(rows[u.iso] * 0.5) for u in DEPARTMENTS.units)
    assert population.by_unit("mujeres")["PE-CUS"] == int(rows["PE-CUS"] * 0.5)


def test_semicolons_a_bom_names_ubigeo_and_inei_spaced_digits_are_read():
    rows = shipped_rows()
    lines = ["# año: 2017", "# fuente: prueba", "codigo;nombre;poblacion"]
    for unit in DEPARTMENTS.units:
        code = {"PE-CUS": "Cuzco", "PE-LIM": "Lima Provincias"}.get(unit.iso, unit.ubigeo)
        spaced = f"{rows[unit.iso]:,}".replace(",", " ")
        lines.append(f'{code};{unit.nombre};"{spaced}"')
    population = parse_population("\ufeff" + "\n".join(lines))
    assert population.by_unit() == {u.iso: rows[u.iso] for u in DEPARTMENTS.units}


# --- bad files: every problem, with its line ---------------------------------------------------


def shipped_lines() -> list[str]:
    return CSV.read_text(encoding="utf-8").splitlines()


def line_of(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def problems_of(text: str) -> list[str]:
    with pytest.raises(PopulationError) as info:
        parse_population(text, "pob.csv")
    assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith("pob.csv: ")
    return info.value.problems


def test_a_file_without_puno_is_refused_naming_puno():
    lines = [line for line in shipped_lines() if not line.startswith("PE-PUN,")]
    assert problems_of("\n".join(lines)) == ["falta la fila de Puno (PE-PUN); añádala con su población"]


def test_every_problem_is_reported_at_once_with_its_line():
    lines = shipped_lines()
    at = {code: line_of(lines, code + ",") for code in ("PE-CUS", "PE-AYA", "PE-ICA", "PE-TAC", "PE-PUN")}
    lines[at["PE-CUS"] - 1] = "Cuzcoo,Cusco,1205527"  # unknown unit
    lines[at["PE-AYA"] - 1] = "PE-AYA,Ayacucho,-616176"  # negative
    lines[at["PE-ICA"] - 1] = "PE-ICA,Ica,850.765"  # not a whole number
    lines[at["PE-TAC"] - 1] = "PE-AMA,Amazonas,379384"  # duplicate (and Tacna missing)
    lines[at["PE-PUN"] - 1] = "PE-PUN,Puno,"  # empty
    problems = problems_of("\n".join(lines))
    amazonas = line_of(lines, "PE-AMA,")
    assert problems == [
        f"línea {at['PE-AYA']}: columna 'poblacion': '-616176' no puede ser negativo",
        f"línea {at['PE-CUS']}: columna 'codigo': 'Cuzcoo' no es un departamento del Perú; ¿quiso decir 'Cusco'?",
        f"línea {at['PE-ICA']}: columna 'poblacion': '850.765' no es un número entero; escríbalo sin puntos ni "
        "comas (p. ej. 379384)",
        f"línea {at['PE-PUN']}: columna 'poblacion': falta el valor; escriba la cifra (0 si no hay nadie)",
        f"línea {at['PE-TAC']}: Amazonas (PE-AMA) está repetido (ya estaba en la línea {amazonas}); deje una sola fila",
        "falta la fila de Cusco (PE-CUS); añádala con su población",
        "falta la fila de Tacna (PE-TAC); añádala con su población",
    ]


def test_a_total_row_that_disagrees_with_the_sum():
    lines = shipped_lines()
    total = line_of(lines, "PE,")
    lines[total - 1] = "PE,Perú (total),29381885"
    assert problems_of("\n".join(lines)) == [
        f"línea {total}: fila de total, columna 'poblacion': dice 29381885 y las filas suman 29381884 "
        "(diferencia -1); corrija el total o la fila que no coincide"
    ]
    lines.append("TOTAL,,29381884")
    assert f"línea {len(lines)}: hay otra fila de total (ya estaba en la línea {total}); deje una sola" in \
        problems_of("\n".join(lines))


def test_a_total_row_is_not_checked_against_rows_already_wrong():
    lines = shipped_lines()
    cusco = line_of(lines, "PE-CUS,")
    lines[cusco - 1] = "PE-CUS,Cusco,1.205.527"
    problems = problems_of("\n".join(lines))
    assert len(problems) == 1 and problems[0].startswith(f"línea {cusco}: columna 'poblacion': '1.205.527'")


def test_lima_whole_a_name_for_another_code_and_a_wrong_column_count():
    lines = shipped_lines()
    lma, lim, ica, tacna = (line_of(lines, c + ",") for c in ("PE-LMA", "PE-LIM", "PE-ICA", "PE-TAC"))
    lines[lma - 1] = "Lima,Lima,9485405"
    del lines[lim - 1]
    lines[ica - 1] = "PE-ICA,Cusco,850765"  # before Lima: its line does not move
    lines[tacna - 2] = "PE-TAC,Tacna,329332,12"  # after Lima Provincias: one line up
    problems = problems_of("\n".join(lines))
    assert problems[:3] == [
        f"línea {ica}: el nombre 'Cusco' no corresponde al código 'PE-ICA' (Ica); corrija uno de los dos",
        f"línea {lma}: 'Lima' es todo el departamento de Lima; dé una fila para cada parte, con su código: "
        "PE-LMA (Lima Metropolitana) y PE-LIM (Lima Provincias)",
        f"línea {tacna - 1}: tiene 4 valores y la cabecera 3 columnas (codigo, nombre, poblacion); "
        "revise los separadores",
    ]
    assert problems[3:] == [
        "falta la fila de Lima Metropolitana (PE-LMA); añádala con su población",
        "falta la fila de Lima Provincias (PE-LIM); añádala con su población",
    ]  # and not Tacna's: its row is there, only unreadable


def test_a_group_column_without_source_and_a_source_without_column():
    text = _with_women().replace("# fuente mujeres: prueba de grupos", "# fuente mujers: prueba de grupos")
    source_line = line_of(text.splitlines(), "# fuente mujers")
    assert problems_of(text) == [
        f"línea {source_line}: '# fuente mujers:' es la fuente de una columna que la cabecera no tiene; "
        "¿quiso decir 'mujeres'?",
        f"línea {source_line + 1}: la columna 'mujeres' no tiene fuente; añada una línea '# fuente mujeres: …' "
        "o quite la columna",
    ]


def test_a_group_larger_than_the_total_of_its_row():
    lines = _with_women(share=0.5).splitlines()
    cusco = line_of(lines, "PE-CUS,")
    lines[cusco - 1] = "PE-CUS,Cusco,1205527,1205528"
    assert problems_of("\n".join(lines)) == [
        f"línea {cusco}: columna 'mujeres': 1205528 es más que la población total de la fila (1205527); "
        "revise las dos cifras"
    ]


def test_the_header_and_the_metadata_lines():
    lines = shipped_lines()
    header = line_of(lines, "codigo,")
    lines[header - 1] = "codgo,nombre,poblacion_2017,60+"
    lines[line_of(lines, "# año") - 1] = "# año: 20017"
    problems = problems_of("\n".join(lines))
    assert problems == [
        "línea 2: '20017' no es un año; escriba p. ej. '# año: 2017'",
        f"línea {header}: '60+': un nombre de columna solo lleva letras sin tilde, dígitos y '_' "
        "(p. ej. 'mujeres', '0_17', '60_mas')",
        f"línea {header}: falta la columna 'codigo' en la cabecera; ¿quiso decir 'codgo'?",
        f"línea {header}: falta la columna 'poblacion' en la cabecera; ¿quiso decir 'poblacion_2017'?",
    ]


def test_missing_year_and_source_and_a_misspelt_key():
    lines = [line for line in shipped_lines() if not line.startswith(("# año", "# fuente"))]
    lines.insert(0, "# fuentes: INEI")
    assert problems_of("\n".join(lines)) == [
        "línea 1: '# fuentes:' no es una clave conocida; ¿quiso decir '# fuente:'?",
        "falta la línea '# año: …' con el año de las cifras (p. ej. '# año: 2017') antes de la cabecera",
        "falta la línea '# fuente: …' que dice de dónde sale la columna 'poblacion' (institución, cuadro, "
        "censo o año)",
    ]


def test_an_empty_file():
    assert problems_of("# año: 2017\n# fuente: x\n\n")[0].startswith("el archivo no tiene datos")


# --- files that are not population files -------------------------------------------------------


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(InputFileError, match="no existe el archivo .*--population"):
        read_population(tmp_path / "no.csv")
    with pytest.raises(InputFileError, match="es una carpeta"):
        read_population(tmp_path)
    big = tmp_path / "big.csv"
    big.write_bytes(CSV.read_bytes() + b"#" * MAX_BYTES)
    with pytest.raises(InputFileError, match=r"ocupa más de 1 MB .*no parece un archivo de población"):
        read_population(big)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(CSV.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(PopulationError, match="no está en UTF-8"):
        read_population(latin)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="no es un archivo normal"):
        read_population(fifo)
