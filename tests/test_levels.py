"""Geographic levels: the department level's data, and a second level that needs no other module.

The toy level below stands for a future province level: three made-up units in Peru, two of which a
coarser file may merge. Names resolve through :mod:`mimpmap.places` and boundary files are read
through :mod:`mimpmap.geography` with no change to either: only the level differs.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from mimpmap import GeoError, UnknownPlaceError, places
from mimpmap.errors import ImplausibleBoundariesError, PopulationError
from mimpmap.geography import read_boundaries
from mimpmap.levels import (DEFAULT_LEVEL, DEPARTMENTS, LEVELS, LIMA, PROVINCES, Capital, Level, Merge, Noun,
                             Unit)
from mimpmap.population import parse_population

# --- the department level ----------------------------------------------------------------------


def test_department_level_units_and_codes():
    assert len(DEPARTMENTS.units) == 26 and DEPARTMENTS.codes[14:16] == ("PE-LMA", "PE-LIM")
    assert DEPARTMENTS.unit("PE-CUS").nombre == "Cusco"
    with pytest.raises(KeyError):
        DEPARTMENTS.unit(LIMA.code)  # a merge is not an atomic unit
    assert DEPARTMENTS.name == "departamento" and repr(DEPARTMENTS) == "<Level departamento: 26 unidades>"


def test_levels_are_a_registry_and_departments_the_default():
    assert LEVELS == {"departamento": DEPARTMENTS, "provincia": PROVINCES} and DEFAULT_LEVEL is DEPARTMENTS
    with pytest.raises(TypeError):
        LEVELS["zona"] = DEPARTMENTS  # read-only: a new level is an entry in levels.py
    assert not hasattr(places, "UNITS") and not hasattr(places, "ALL_CODES")  # no department constant there


def test_department_words():
    noun = DEPARTMENTS.noun
    assert (noun.one, noun.many, noun.title, noun.adjectives) == ("departamento", "departamentos", "Departamento",
                                                                   "departamentales")
    assert (noun.a, noun.the, noun.the_many, noun.of_the, noun.none, noun.single, noun.whole) == (
        "un departamento", "el departamento", "los departamentos", "del departamento", "ningún departamento",
        "un solo departamento", "todo el departamento")
    assert DEPARTMENTS.inset_title == "Lima Metropolitana y Callao"
    assert (DEPARTMENTS.files.boundaries, DEPARTMENTS.files.population) == ("peru_departamentos.geojson",
                                                                           "population.csv")


def test_feminine_words():
    noun = Noun("provincia", "provincias", feminine=True)
    assert (noun.a, noun.the, noun.the_many, noun.of_the, noun.none, noun.single, noun.whole) == (
        "una provincia", "la provincia", "las provincias", "de la provincia", "ninguna provincia",
        "una sola provincia", "toda la provincia")


def test_lima_merge():
    assert DEPARTMENTS.merge_of(("PE-LIM", "PE-LMA")) is LIMA  # any order
    assert DEPARTMENTS.merge_of(("PE-LMA",)) is None
    assert DEPARTMENTS.merge_containing("PE-LIM") is LIMA and DEPARTMENTS.merge_containing("PE-CUS") is None
    assert DEPARTMENTS.name_of(LIMA.members) == "Lima" and DEPARTMENTS.name_of(("PE-LMA",)) == "Lima Metropolitana"
    assert DEPARTMENTS.feature_row(LIMA.members) == {"code": "PE-LIM+LMA", "nombre": "Lima",
                                                     "departamento": "Lima", "ubigeo": "15"}
    assert DEPARTMENTS.feature_row(("PE-CAL",))["ubigeo"] == "07"
    assert DEPARTMENTS.order(LIMA.code) == DEPARTMENTS.order("PE-LMA") < DEPARTMENTS.order("PE-LIM")


def test_describe():
    assert DEPARTMENTS.describe(DEPARTMENTS.codes) == "A nivel nacional"
    assert DEPARTMENTS.describe(["PE-LMA", "PE-LIM", "PE-ARE"]) == "Arequipa y Lima (departamento)"
    assert DEPARTMENTS.describe(["PE-LMA", "PE-CAL"]) == "Callao y Lima Metropolitana"


def test_partial_words():
    assert DEPARTMENTS.partial_words(["PE-LMA"]) == "solo Lima Metropolitana"


def test_inset_units_and_centre():
    assert DEPARTMENTS.inset == ("PE-LMA", "PE-CAL")
    lon, lat = DEPARTMENTS.inset_centre
    assert (lon, lat) == (DEPARTMENTS.capitals["PE-LMA"].lon, DEPARTMENTS.capitals["PE-LMA"].lat)
    assert -77.1 < lon < -76.9 and -12.1 < lat < -12.0  # central Lima


def test_capitals_are_read_from_the_package():
    capitals = DEPARTMENTS.capitals
    assert set(capitals) == set(DEPARTMENTS.codes)
    assert capitals["PE-LIM"] == Capital("PE-LIM", "Huacho", -77.60584, -11.11718)


# --- a second level ----------------------------------------------------------------------------

TOY = Level(
    Noun("zona", "zonas", feminine=True),
    (Unit("PE-N", "01", "Norte", "Norte"), Unit("PE-SO", "02", "Suroeste", "Sur"),
     Unit("PE-SE", "03", "Sureste", "Sur")),
    aliases={"PE-N": ("Zona Norte",)},
    merges=(Merge(members=("PE-SO", "PE-SE"), code="PE-S", nombre="Sur", ubigeo="09", core="PE-SO",
                  rest="PE-SE", names=("Zona Sur",), whole_words="Sur (entero)"),),
    extent=(-84.0, -21.0, -66.0, 2.0), prefixes=("la zona", "zona de"),
    capitals={"PE-N": Capital("PE-N", "Norteña", -75.0, -5.0), "PE-SO": Capital("PE-SO", "Oesteña", -76.0, -14.0),
              "PE-SE": Capital("PE-SE", "Esteña", -70.0, -14.0)},
)
NORTH, SOUTHWEST, SOUTHEAST = shapely.box(-80, -10, -70, 0), shapely.box(-80, -18, -73, -10), shapely.box(-73, -18, -68, -10)


def test_names_resolve_in_another_level():
    assert places.resolve("zona norte", level=TOY) == ("PE-N",)
    assert places.resolve("Sur", level=TOY) == ("PE-SO", "PE-SE")
    assert places.resolve("0200", level=TOY) == ("PE-SO",)
    assert places.lookup("Cusco", level=TOY) is None
    with pytest.raises(UnknownPlaceError) as err:
        places.resolve("Nortte", level=TOY)
    assert err.value.suggestions == ["Norte"]
    assert places.describe(["PE-SO", "PE-SE"], level=TOY) == "Sur (entero)"


def test_another_level_speaks_its_own_words():
    """Lookup, describe and the errors of a level built here, with no other module changed."""
    assert places.lookup("la zona Norte", level=TOY) == ("PE-N",)  # the level's own prefixes
    assert places.lookup("el departamento de Norte", level=TOY) is None  # not the departments'
    assert places.describe(["PE-N", "PE-SE"], level=TOY) == "Norte y Sureste"
    assert places.describe(TOY.codes, level=TOY) == "A nivel nacional"
    assert places.known_names(TOY) == ["Norte", "Suroeste", "Sureste", "Sur"]
    assert str(places.unknown_place("Oeste", TOY)) == "'Oeste' no es una zona del Perú; ¿quiso decir 'Suroeste'?"
    assert places.named_units("nacional", level=TOY) == (set(TOY.codes), [])
    # A merge's name alone stands for the members the coverage has, as "Lima" does for departments.
    assert places.named_units("Norte y Sur", {"PE-N", "PE-SO"}, level=TOY) == ({"PE-N", "PE-SO"}, [])
    assert places.named_units("Norte y Oeste", level=TOY) == ({"PE-N"}, ["Oeste"])


def test_population_is_keyed_by_the_level():
    text = ("# año: 2020\n# fuente: inventada\ncodigo,poblacion\nNorte,10\nPE-SO,20\n03,30\n")
    population = parse_population(text, level=TOY)
    assert population.by_unit() == {"PE-N": 10, "PE-SO": 20, "PE-SE": 30} and population.level is TOY
    assert population.reach(["PE-SO", "PE-SE"]).reached == 50
    with pytest.raises(PopulationError) as err:
        parse_population("# año: 2020\n# fuente: inventada\ncodigo,poblacion\nNorte,10\nSur,50\n", level=TOY)
    assert "'Sur' es toda la zona de Sur; dé una fila para cada parte" in str(err.value)
    assert "falta la fila de Suroeste (PE-SO)" in str(err.value)


def write(tmp_path, names, geoms):
    path = tmp_path / "zonas.geojson"
    gpd.GeoDataFrame({"zona": names}, geometry=geoms, crs=4326).to_file(path)
    return path


def test_boundaries_of_another_level(tmp_path):
    b = read_boundaries(write(tmp_path, ["Norte", "Suroeste", "Sureste"], [NORTH, SOUTHWEST, SOUTHEAST]), level=TOY)
    assert list(b.frame.index) == ["PE-N", "PE-SO", "PE-SE"] and b.level is TOY
    assert b.lima_split and b.merged == [] and b.missing == []


def test_a_coarser_file_merges_by_the_level_rules(tmp_path):
    b = read_boundaries(write(tmp_path, ["Norte", "Sur"], [NORTH, SOUTHWEST.union(SOUTHEAST)]), level=TOY)
    assert list(b.frame.index) == ["PE-N", "PE-S"] and b.merged == ["PE-S"] and not b.lima_split
    assert b.frame.loc["PE-S", "members"] == ("PE-SO", "PE-SE") and b.frame.loc["PE-S", "ubigeo"] == "09"
    assert any("El archivo no separa Suroeste de Sureste: Sur se dibuja como una sola zona (PE-S)" in n
               for n in b.notes)


def test_another_level_checks_its_own_capitals(tmp_path):
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(tmp_path, ["Norte", "Sureste", "Suroeste"], [NORTH, SOUTHWEST, SOUTHEAST]), level=TOY)
    assert "Suroeste no contiene su capital: Oesteña" in str(err.value)
    assert isinstance(err.value, GeoError)


def test_a_feminine_level_agrees_in_every_gendered_phrase():
    """The views' phrases that follow the noun ("a las que llega", "en las demás", "ninguna de sus")."""
    from mimpmap.levels import Noun

    noun = Noun("provincia", "provincias", feminine=True)
    assert (noun.to_which, noun.the_others, noun.none_of_its, noun.it, noun.many_title) == (
        "a las que", "las demás", "ninguna de sus provincias", "ella", "Provincias")
    masculine = Noun("departamento", "departamentos")
    assert (masculine.to_which, masculine.the_others, masculine.none_of_its, masculine.it) == (
        "a los que", "los demás", "ninguno de sus departamentos", "él")
