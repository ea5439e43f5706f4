import pytest

from mimpmap import UnknownPlaceError, places
from mimpmap.levels import DEPARTMENTS

# Every place spelling the seed uses, with the units it must mean.
SEED_SPELLINGS = {
    "Ayacucho": ("PE-AYA",), "Cusco": ("PE-CUS",), "Lima Metropolitana": ("PE-LMA",), "Callao": ("PE-CAL",),
    "Arequipa": ("PE-ARE",), "Huánuco": ("PE-HUC",), "La Libertad": ("PE-LAL",), "Madre de Dios": ("PE-MDD",),
    "Puno": ("PE-PUN",), "Amazonas": ("PE-AMA",), "Ancash": ("PE-ANC",), "Apurímac": ("PE-APU",),
    "Cajamarca": ("PE-CAJ",), "Huancavelica": ("PE-HUV",), "Ica": ("PE-ICA",), "Junín": ("PE-JUN",),
    "Lambayeque": ("PE-LAM",), "Loreto": ("PE-LOR",), "Moquegua": ("PE-MOQ",), "Pasco": ("PE-PAS",),
    "Piura": ("PE-PIU",), "Tacna": ("PE-TAC",), "Tumbes": ("PE-TUM",), "Ucayali": ("PE-UCA",),
    "En Lima Metropolitana": ("PE-LMA",), "Santa": None, "Chimbote": None,
}


@pytest.mark.parametrize("name,codes", [(k, v) for k, v in SEED_SPELLINGS.items() if v])
def test_seed_spellings(name, codes):
    assert places.resolve(name) == codes


@pytest.mark.parametrize("name,code", [
    ("Cuzco", "PE-CUS"), ("CUSCO", "PE-CUS"), ("cusco", "PE-CUS"), ("Áncash", "PE-ANC"), ("ANCASH", "PE-ANC"),
    ("HUANUCO", "PE-HUC"), ("Junin", "PE-JUN"), ("San Martin", "PE-SAM"), ("SAN MARTÍN", "PE-SAM"),
    ("Provincia Constitucional del Callao", "PE-CAL"), ("El Callao", "PE-CAL"), ("Apurimac", "PE-APU"),
    ("  madre   de dios ", "PE-MDD"), ("Departamento de Piura", "PE-PIU"), ("Región Tacna", "PE-TAC"),
    ("Puno.", "PE-PUN"),
])
def test_variants(name, code):
    assert places.resolve(name) == (code,)


def test_lima_semantics():
    assert set(places.resolve("Lima")) == {"PE-LMA", "PE-LIM"}
    assert set(places.resolve("LIMA")) == {"PE-LMA", "PE-LIM"}
    assert places.resolve("Lima Metropolitana") == ("PE-LMA",)
    assert places.resolve("Lima Provincias") == ("PE-LIM",)
    assert places.resolve("Región Lima") == ("PE-LIM",)
    assert places.resolve("Region Lima") == ("PE-LIM",)


@pytest.mark.parametrize("code,iso", [
    ("PE-CUS", "PE-CUS"), ("pe-cus", "PE-CUS"), ("08", "PE-CUS"), ("8", "PE-CUS"), (8, "PE-CUS"),
    ("080000", "PE-CUS"), ("80000", "PE-CUS"), ("1501", "PE-LMA"), ("150100", "PE-LMA"), ("PE-LMA", "PE-LMA"), ("PE-LIM", "PE-LIM"),
    ("07", "PE-CAL"), ("25", "PE-UCA"),
])
def test_codes(code, iso):
    assert places.resolve(code) == (iso,)


def test_ubigeo_15_is_the_whole_department():
    assert set(places.resolve("15")) == {"PE-LMA", "PE-LIM"}


@pytest.mark.parametrize("typo,suggestion", [
    ("Ayacuchoo", "Ayacucho"), ("Cuzko", "Cusco"), ("Arequpa", "Arequipa"), ("Huanucoo", "Huánuco"),
    ("Lima Metropolitan", "Lima Metropolitana"), ("Moqegua", "Moquegua"),
])
def test_near_misses_suggest(typo, suggestion):
    with pytest.raises(UnknownPlaceError) as info:
        places.resolve(typo)
    assert suggestion in info.value.suggestions
    assert f"'{typo}'" in str(info.value) and f"¿quiso decir '{info.value.suggestions[0]}'" in str(info.value)


def test_unknown_place_is_also_value_error():
    with pytest.raises(ValueError):
        places.resolve("Atlántida")
    assert places.lookup("Atlántida") is None
    assert places.lookup("99") is None


def test_units_table():
    assert len(DEPARTMENTS.units) == 26
    assert len({u.ubigeo for u in DEPARTMENTS.units}) == 26
    assert DEPARTMENTS.by_code["PE-LMA"].departamento == "Lima"
    assert DEPARTMENTS.by_code["PE-LIM"].departamento == "Lima"
    assert DEPARTMENTS.by_code["PE-LMA"].ubigeo == "1501"


def test_describe():
    assert places.describe(DEPARTMENTS.codes) == "A nivel nacional"
    assert places.describe(["PE-AYA", "PE-CUS", "PE-LMA", "PE-CAL"]) == "Ayacucho, Callao, Cusco y Lima Metropolitana"
    assert places.describe(["PE-LMA", "PE-LIM", "PE-ARE"]) == "Arequipa y Lima (departamento)"
    assert places.describe(["PE-ANC"]) == "Áncash"


@pytest.mark.parametrize("value", ["100", 100, "1502", "150101", "2017", "26", "0", True, False, "", "Lima Metropolitanaa"])
def test_numbers_and_values_that_name_no_department(value):
    assert places.lookup(value) is None


def test_lima_provincia_is_never_lima_metropolitana():
    assert places.lookup("Lima Provincia") == ("PE-LIM",)
    assert places.lookup("Lima Province") == ("PE-LMA",)  # Natural Earth's English name of the province
