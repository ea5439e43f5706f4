"""The province level (issue 24): its units and their departments, its boundary file, its population
from the 2025 census, and the rule for a name that is both a province and a department."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from mimpmap import AmbiguousPlaceError, UnknownPlaceError, places
from mimpmap.census import read_census
from mimpmap.errors import CensusError, ImplausibleBoundariesError
from mimpmap.geography import default_geo_path, read_boundaries
from mimpmap.levels import DEPARTMENTS, LEVELS, LIMA, PROVINCES, PUTUMAYO, normalize

ROOT = Path(__file__).resolve().parents[1]
CENSUS = read_census(ROOT / "data" / "censo_2025.csv")
CENSUS_PROVINCES = {p.ubigeo: p for p in CENSUS.places.values() if len(p.ubigeo) == 4}
#: The names the census gives a department and one of its provinces alike (Callao's only province and
#: Lima Metropolitana mean the same land either way: not ambiguous).
SHARED = ("Arequipa", "Cajamarca", "Cusco", "Huancavelica", "Huánuco", "Ica", "Junín", "Lambayeque", "Lima",
          "Loreto", "Pasco", "Piura", "Puno", "San Martín", "Tacna", "Tumbes", "Ucayali")


@pytest.fixture(scope="module")
def boundaries():
    return read_boundaries(level=PROVINCES)


# --- 1. the level ------------------------------------------------------------------------------


def test_the_level_is_registered_with_its_words_and_files():
    assert LEVELS["provincia"] is PROVINCES and repr(PROVINCES) == "<Level provincia: 196 unidades>"
    noun = PROVINCES.noun
    assert (noun.a, noun.none, noun.the_many, noun.adjectives) == ("una provincia", "ninguna provincia",
                                                                   "las provincias", "provinciales")
    assert PROVINCES.files.boundaries == "peru_provincias.geojson" and PROVINCES.parent is DEPARTMENTS
    assert PROVINCES.inset == ("1501", "0701") and PROVINCES.inset_title == DEPARTMENTS.inset_title


def test_units_are_the_census_provinces_with_accents():
    assert PROVINCES.codes == tuple(CENSUS_PROVINCES)  # 196, in UBIGEO order, Putumayo included
    for unit in PROVINCES.units:
        # Only accents, ñ and case were added to the census's names ("FERRENAFE" → "Ferreñafe").
        assert normalize(unit.nombre) == normalize(CENSUS_PROVINCES[unit.ubigeo].nombre), unit
        assert unit.iso == unit.ubigeo
    names = {u.ubigeo: u.nombre for u in PROVINCES.units}
    assert (names["0402"], names["1402"], names["1607"], names["0508"], names["1003"]) == (
        "Camaná", "Ferreñafe", "Datem del Marañón", "Paucar del Sara Sara", "Dos de Mayo")
    assert len({normalize(n) for n in names.values()}) == 196  # no two provinces share a name


def test_each_province_lies_in_its_department_level_unit():
    """Lima's province 1501 is Lima Metropolitana, its other nine Lima Provincias; Callao's one province
    is Callao; every other province its department's unit."""
    assert PROVINCES.parent_of("1501") == LIMA.core == "PE-LMA"
    assert {PROVINCES.parent_of(f"15{n:02}") for n in range(2, 11)} == {LIMA.rest}
    assert PROVINCES.parent_of("0701") == "PE-CAL" and PROVINCES.children(["PE-CAL"]) == ("0701",)
    assert PROVINCES.parent_of("0813") == "PE-CUS" and PROVINCES.unit("0813").departamento == "Cusco"
    assert PROVINCES.unit("1505").departamento == "Lima" and PROVINCES.unit("1505").nombre == "Cañete"
    counts = {code: len(PROVINCES.children([code])) for code in DEPARTMENTS.codes}
    assert counts["PE-LMA"] == 1 and counts["PE-LIM"] == 9 and counts["PE-CUS"] == 13 and min(counts.values()) == 1
    assert sum(counts.values()) == 196  # the children of the 26 units part the provinces
    for code in PROVINCES.codes:
        assert DEPARTMENTS.unit(PROVINCES.parent_of(code)).ubigeo[:2] == code[:2]


def test_rolled_up_says_whole_or_part_of_each_department():
    cusco = PROVINCES.children(["PE-CUS"])
    assert PROVINCES.rolled_up(["0813"]) == {"PE-CUS": False}
    assert PROVINCES.rolled_up([*cusco, "0701", "1501", "1502"]) == {"PE-CAL": True, "PE-CUS": True,
                                                                     "PE-LMA": True, "PE-LIM": False}


# --- 2. loading its boundaries -------------------------------------------------------------------


def test_the_default_file_is_the_levels_own():
    assert default_geo_path(PROVINCES).name == "peru_provincias.geojson"
    assert default_geo_path().name == "peru_departamentos.geojson"  # the departments' is unchanged


def test_every_polygon_joins_a_census_province(boundaries):
    assert list(boundaries.frame.index) == list(CENSUS_PROVINCES) and boundaries.missing == []
    assert boundaries.unresolved == [] and not boundaries.merged
    assert boundaries.frame.loc["0813", "nombre"] == "Urubamba"
    assert boundaries.frame.loc["1501", "departamento"] == "Lima"


def test_putumayo_is_drawn_apart_in_the_shipped_file(boundaries):
    """The shipped file draws Putumayo with the 2016 districts it was made of; Maynas keeps the rest."""
    capital = PROVINCES.capitals["1608"]
    putumayo, maynas = (boundaries.frame.geometry[c] for c in ("1608", "1601"))
    assert shapely.intersects_xy(putumayo, capital.lon, capital.lat)
    assert not shapely.intersects_xy(maynas, capital.lon, capital.lat)
    assert not any("Putumayo" in note for note in boundaries.notes)


def test_a_2016_file_draws_putumayo_inside_maynas(tmp_path):
    """A file of before 2014 (195 provinces): its Maynas holds Putumayo's capital, and is read as both."""
    shipped = gpd.read_file(ROOT / "geo" / "peru_provincias.geojson")
    old = shipped.assign(ubigeo=shipped["ubigeo"].replace({"1608": "1601"})).dissolve("ubigeo", as_index=False)
    old[["ubigeo", "geometry"]].to_file(path := tmp_path / "provincias_2016.geojson")
    read = read_boundaries(path, level=PROVINCES)
    assert len(read.frame) == 195 and read.missing == [] and read.merged == [PUTUMAYO.code]
    assert read.frame.loc[PUTUMAYO.code, "members"] == ("1601", "1608")
    assert read.frame.loc[PUTUMAYO.code, "departamento"] == "Loreto"
    assert ("El archivo no separa Putumayo de Maynas: Maynas y Putumayo se dibuja como una sola provincia "
            "(1601+1608)") in read.notes


@pytest.mark.parametrize("key", ["ubigeo", "departamento", None])
def test_a_file_of_departments_is_not_taken_for_provinces(key):
    """18 departments share a province's name ("Cusco"): without the check their polygons were read as
    those provinces, and the rest dropped."""
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(ROOT / "geo" / "peru_departamentos.geojson", key=key, level=PROVINCES)
    assert "de 26 polígonos son departamentos según el campo" in str(err.value)
    assert ("parece un archivo de departamentos, no de provincias; indique el archivo de provincias con --geo "
            "(el de mimpmap es geo/peru_provincias.geojson)") in str(err.value)


def test_a_file_of_smaller_units_is_named_for_what_it_is(tmp_path):
    shipped = gpd.read_file(ROOT / "geo" / "peru_provincias.geojson")
    shipped["provincia"] = [f"DISTRITO {n}" if n % 10 else name for n, name in enumerate(shipped["provincia"])]
    shipped[["provincia", "geometry"]].to_file(path := tmp_path / "distritos.geojson")
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(path, level=PROVINCES)
    assert "parece un archivo de distritos, no de provincias" in str(err.value)
    assert "un campo que diga la provincia de cada polígono (p. ej. NOMBPROV o IDPROV)" in str(err.value)


# --- 3. population ---------------------------------------------------------------------------------


def test_province_population_adds_up_to_each_department():
    population = CENSUS.population(PROVINCES)
    total, women = population.by_unit(), population.by_unit("mujeres")
    assert population.level is PROVINCES and population.year == 2025
    by_department = defaultdict(lambda: [0, 0])
    for code in PROVINCES.codes:
        by_department[code[:2]][0] += total[code]
        by_department[code[:2]][1] += women[code]
    departments = {p.ubigeo: p for p in CENSUS.places.values() if len(p.ubigeo) == 2}
    assert len(departments) == 25 and set(by_department) == set(departments)
    for code, (people, its_women) in by_department.items():
        assert (people, its_women) == (departments[code].total, departments[code].mujeres), code
    assert (population.total, sum(women.values())) == (34_157_732, 17_292_074)
    assert total["1608"] == CENSUS.places["1608"].total > 0  # Putumayo is counted as itself


def test_department_level_population_from_the_census_splits_lima():
    provinces, departments = CENSUS.population(PROVINCES), CENSUS.population(DEPARTMENTS)
    assert departments.by_unit()["PE-LMA"] == CENSUS.places["1501"].total == 10_142_492
    assert departments.by_unit()["PE-LIM"] == 1_014_908
    for code in DEPARTMENTS.codes:
        assert departments.of([code], "mujeres") == provinces.of(PROVINCES.children([code]), "mujeres"), code
    assert departments.total == 34_157_732


def test_a_census_without_the_provinces_is_refused():
    text = (ROOT / "data" / "censo_2025.csv").read_text(encoding="utf-8")
    from mimpmap.census import parse_census

    lines = [line for line in text.splitlines() if ",provincia," not in line or line.startswith(("15", "0701"))]
    census = parse_census("\n".join(lines) + "\n", "censo.csv")
    with pytest.raises(CensusError) as err:
        census.population(PROVINCES)
    assert "faltan las filas de las provincias 0101 (Chachapoyas)" in str(err.value)


# --- 4. names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHARED)
def test_a_bare_name_of_a_province_and_a_department_is_refused(name):
    with pytest.raises(AmbiguousPlaceError) as err:
        places.resolve(name, PROVINCES)
    province = next(u for u in PROVINCES.units if u.nombre == name)
    department = DEPARTMENTS.name_of(places.resolve(name))
    assert str(err.value) == (
        f"'{name}' es a la vez una provincia y un departamento: escriba '{province.departamento}/{name}' para la "
        f"provincia de {name}, o 'departamento de {department}' para las provincias del departamento de "
        f"{department} ({len(PROVINCES.children(places.resolve(name)))})")
    # Each way the message offers is read as it says.
    assert places.resolve(f"{province.departamento}/{name}", PROVINCES) == (province.iso,)
    assert places.resolve(f"departamento de {department}", PROVINCES) == PROVINCES.children(places.resolve(name))
    assert places.resolve(f"provincia de {name}", PROVINCES) == (province.iso,)


def test_lima_reads():
    with pytest.raises(AmbiguousPlaceError) as err:
        places.resolve("lima", PROVINCES)
    assert "'Lima/Lima' para la provincia de Lima" in str(err.value) and "(10)" in str(err.value)
    assert places.resolve("Lima Metropolitana", PROVINCES) == ("1501",)  # both readings: the same land
    assert places.resolve("Lima Provincias", PROVINCES) == tuple(f"15{n:02}" for n in range(2, 11))
    assert places.resolve("Lima Provincias/Huaura", PROVINCES) == places.resolve("Lima/Huaura", PROVINCES) == ("1508",)
    assert places.resolve("15", PROVINCES) == tuple(f"15{n:02}" for n in range(1, 11))
    assert places.resolve("Callao", PROVINCES) == places.resolve("07", PROVINCES) == ("0701",)


def test_codes_and_department_names():
    assert places.resolve("0801", PROVINCES) == ("0801",)  # a province's own code, never its department
    assert places.resolve("080100", PROVINCES) == ("0801",)
    assert places.resolve(813, PROVINCES) == places.resolve("81300", PROVINCES) == ("0813",)  # a number lost its 0
    assert places.lookup(100, PROVINCES) is None
    assert places.lookup(813) is None and places.lookup("150") is None  # names no department
    assert places.resolve("08", PROVINCES) == places.resolve("PE-CUS", PROVINCES) == PROVINCES.children(["PE-CUS"])
    assert places.resolve("Amazonas", PROVINCES) == PROVINCES.children(["PE-AMA"])  # no province of that name
    assert places.resolve("Alto Amazonas", PROVINCES) == ("1602",)
    assert places.resolve("Cuzco/Urubamba", PROVINCES) == places.resolve("urubamba", PROVINCES) == ("0813",)
    assert places.resolve("Nazca", PROVINCES) == ("1103",)
    assert places.resolve("Cusco") == ("PE-CUS",)  # the departments read as before


def test_an_unknown_province_suggests_names():
    with pytest.raises(UnknownPlaceError) as err:
        places.resolve("Urubambaa", PROVINCES)
    assert str(err.value) == "'Urubambaa' no es una provincia del Perú; ¿quiso decir 'Urubamba' o 'Utcubamba'?"
    with pytest.raises(UnknownPlaceError):
        places.resolve("Cusco/Huaura", PROVINCES)  # Huaura is in Lima


@given(st.sampled_from(PROVINCES.units))
def test_every_province_resolves_by_department_and_name(unit):
    assert places.resolve(f"{unit.departamento}/{unit.nombre}", PROVINCES) == (unit.iso,)
    assert places.resolve(unit.ubigeo, PROVINCES) == (unit.iso,)
    if unit.nombre not in SHARED:
        assert places.resolve(unit.nombre.upper(), PROVINCES) == (unit.iso,)


def test_the_boundary_file_names_fold_to_the_units():
    """The shipped file's own names (capitals, no accents) are the units', read one by one."""
    features = json.loads((ROOT / "geo" / "peru_provincias.geojson").read_text(encoding="utf-8"))["features"]
    for feature in features:
        props = feature["properties"]
        assert places.lookup(props["provincia"], PROVINCES) == (props["ubigeo"],)
