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
from mimpmap.errors import ImplausibleBoundariesError
from mimpmap.geography import read_boundaries
from mimpmap.levels import DEPARTMENTS, LIMA, Capital, Level, Merge, Unit

# --- the department level ----------------------------------------------------------------------


def test_department_level_units_and_codes():
    assert len(DEPARTMENTS.units) == 26 and DEPARTMENTS.codes[14:16] == ("PE-LMA", "PE-LIM")
    assert DEPARTMENTS.unit("PE-CUS").nombre == "Cusco"
    with pytest.raises(KeyError):
        DEPARTMENTS.unit(LIMA.code)  # a merge is not an atomic unit
    assert DEPARTMENTS.name == "departamento" and repr(DEPARTMENTS) == "<Level departamento: 26 unidades>"


def test_places_names_are_the_department_level():
    assert places.UNITS is DEPARTMENTS.units and places.ALL_CODES is DEPARTMENTS.codes
    assert places.UNIT_BY_ISO is DEPARTMENTS.by_code
    assert places.LIMA_CODES == LIMA.members and places.LIMA_DEPARTMENT == "PE-LIM+LMA"


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
    "zona",
    (Unit("PE-N", "01", "Norte", "Norte"), Unit("PE-SO", "02", "Suroeste", "Sur"),
     Unit("PE-SE", "03", "Sureste", "Sur")),
    aliases={"PE-N": ("Zona Norte",)},
    merges=(Merge(members=("PE-SO", "PE-SE"), code="PE-S", nombre="Sur", ubigeo="09", core="PE-SO",
                  rest="PE-SE", names=("Zona Sur",), whole_words="Sur (entero)"),),
    extent=(-84.0, -21.0, -66.0, 2.0),
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
    assert any("El archivo no separa Suroeste de Sureste: Sur se dibuja como un solo zona (PE-S)" in n
               for n in b.notes)


def test_another_level_checks_its_own_capitals(tmp_path):
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(tmp_path, ["Norte", "Sureste", "Suroeste"], [NORTH, SOUTHWEST, SOUTHEAST]), level=TOY)
    assert "Suroeste no contiene su capital: Oesteña" in str(err.value)
    assert isinstance(err.value, GeoError)
