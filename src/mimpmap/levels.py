"""Geographic levels: the units a map paints, their codes and names, and how coarser files merge them.

A :class:`Level` is data, not drawing: its units (code, UBIGEO, name, department), the other names
people give them, the *merges* a coarser boundary file may make (a file that does not split Lima draws
Lima Metropolitana and Lima Provincias as one unit, ``PE-LIM+LMA``), the units too small to see on a
map of the whole country (drawn in an inset), where Peru is, and a point known to lie inside each unit
(its capital, shipped in ``data/capitales.csv``). :mod:`mimpmap.places` turns names into units of a
level, :mod:`mimpmap.geography` keys boundary files to them, and renderers ask the level what to
enlarge. A level also owns its words (:class:`Noun`: "departamento"/"departamentos", masculine; a
province level says "provincia"/"provincias", feminine), the title of its inset and its default data
files, so that every phrase and every default takes them from the level.

:data:`LEVELS` is the registry, name → level; :data:`DEPARTMENTS` is the one level today and
:data:`DEFAULT_LEVEL` the level maps are drawn at unless told. A province level is another
:class:`Level` and one more entry in :data:`LEVELS`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Mapping

from .provinces import PROVINCE_ALIASES, PROVINCE_TABLE
from .text import join_words


@dataclass(frozen=True)
class Unit:
    """One unit a map paints. ``iso`` is its code (ISO 3166-2 for departments)."""

    iso: str
    ubigeo: str
    nombre: str
    departamento: str


#: The column of the data formats (the centres' CSV, the workbook's sheet of sites, the units' table)
#: that holds a place's department, the same as :attr:`Unit.departamento`. Written here once: it is
#: format, read and written by people, not a word of a level.
DEPARTMENT_COLUMN = "departamento"


@dataclass(frozen=True)
class Noun:
    """How Spanish names one unit of a level and many of them, with the words its gender takes.

    >>> Noun("provincia", "provincias", feminine=True).none
    'ninguna provincia'
    """

    one: str
    many: str
    feminine: bool = False
    #: the adjective, plural: "límites departamentales", "límites provinciales"
    adjectives: str = ""

    def _gendered(self, masculine: str, feminine: str) -> str:
        return feminine if self.feminine else masculine

    @property
    def title(self) -> str:
        """The singular as a column heading: "Departamento"."""
        return self.one[:1].upper() + self.one[1:]

    @property
    def a(self) -> str:
        """"un departamento", "una provincia"."""
        return f"{self._gendered('un', 'una')} {self.one}"

    @property
    def the(self) -> str:
        """"el departamento", "la provincia"."""
        return f"{self._gendered('el', 'la')} {self.one}"

    @property
    def the_many(self) -> str:
        """"los departamentos", "las provincias"."""
        return f"{self._gendered('los', 'las')} {self.many}"

    @property
    def of_the(self) -> str:
        """"del departamento", "de la provincia"."""
        return f"{self._gendered('del', 'de la')} {self.one}"

    @property
    def none(self) -> str:
        """"ningún departamento", "ninguna provincia"."""
        return f"{self._gendered('ningún', 'ninguna')} {self.one}"

    @property
    def single(self) -> str:
        """"un solo departamento", "una sola provincia"."""
        return f"{self._gendered('un solo', 'una sola')} {self.one}"

    @property
    def many_title(self) -> str:
        """The plural at the start of a sentence: "Departamentos"."""
        return self.many[:1].upper() + self.many[1:]

    @property
    def to_which(self) -> str:
        """The relative after "a" that agrees with the plural: "a los que", "a las que"."""
        return self._gendered("a los que", "a las que")

    def named(self, name: str) -> str:
        """One unit by its name, as a heading or a name on a page: "Provincia de Urubamba"."""
        return f"{self.title} de {name}"

    def the_named(self, names) -> str:
        """Units by their names in a sentence: "la provincia de Cusco", "las provincias de Cusco y Urubamba"."""
        names = list(names)
        return f"{self.the if len(names) == 1 else self.the_many} de {join_words(names)}"

    @property
    def to_which_one(self) -> str:
        """The relative after "a" that agrees with the singular: "al que", "a la que"."""
        return self._gendered("al que", "a la que")

    @property
    def the_others(self) -> str:
        """"los demás", "las demás"."""
        return self._gendered("los demás", "las demás")

    @property
    def it(self) -> str:
        """The pronoun after a preposition: "llegan a él", "llegan a ella"."""
        return self._gendered("él", "ella")

    @property
    def none_of_its(self) -> str:
        """"ninguno de sus departamentos", "ninguna de sus provincias"."""
        return f"{self._gendered('ninguno', 'ninguna')} de sus {self.many}"

    @property
    def whole(self) -> str:
        """"todo el departamento", "toda la provincia"."""
        return f"{self._gendered('todo el', 'toda la')} {self.one}"


@dataclass(frozen=True)
class Files:
    """A level's default data files: their names in a project folder's ``geo/`` (boundaries) and
    ``data/`` (population), and among the package's data, and the field of the shipped boundary file
    that names each unit (a file named by it needs no word on which field was chosen)."""

    boundaries: str
    population: str
    key: str = "iso_3166_2"


@dataclass(frozen=True)
class Merge:
    """Atomic units a coarser boundary file may draw as one feature, and the unit that feature is.

    ``core`` is the member whose capital tells a merged feature (it holds it) from ``rest`` (which
    does not); a feature named for the whole (``names``, ``ubigeo``) beside a ``core`` feature is
    ``rest``. ``whole_words`` is how :meth:`Level.describe` says "all members".
    """

    members: tuple[str, ...]
    code: str
    nombre: str
    ubigeo: str
    core: str
    rest: str
    names: tuple[str, ...]
    whole_words: str


@dataclass(frozen=True)
class Capital:
    """A point known to lie inside a unit (its capital city), lon/lat in WGS84."""

    code: str
    name: str
    lon: float
    lat: float


#: What :func:`normalize` makes a space of (compiled once: reading a centres file folds ~10,000 names).
_NOT_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 14)  # a centres file folds ~10,000 names, most of them repeated
def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = decomposed if decomposed.isascii() else "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", plain.casefold()).strip())


def normalize(text: str) -> str:
    """Fold a place name for comparison: no accents, lower case, single spaces, no punctuation."""
    return _folded(str(text))


class Level:
    """A geographic level: its units and everything that is true of them whatever draws them."""

    def __init__(self, noun: Noun, units: tuple[Unit, ...], *, aliases: Mapping[str, tuple[str, ...]],
                 merges: tuple[Merge, ...] = (), inset: tuple[str, ...] = (), inset_title: str = "",
                 extent: tuple[float, float, float, float], capitals: str | dict[str, Capital] | None = None,
                 files: Files | None = None, prefixes: tuple[str, ...] = (), parent: Level | None = None,
                 parents: Mapping[str, str] | None = None, notes: tuple[str, ...] = (),
                 finer: str = "unidades más pequeñas", key_examples: str = "", example: str = ""):
        self.noun = noun  #: the level's words ("departamento"/"departamentos"), for every phrase
        self.name = noun.one  #: its name in :data:`LEVELS`
        self.units = units
        self.aliases = aliases
        self.merges = merges
        self.inset = inset  #: units too small for a country-scale map: enlarged in an inset
        self.inset_title = inset_title  #: the inset's title when the file has its units apart
        self.files = files  #: its default data files (``None``: none shipped)
        #: words before a name that do not change which unit it is ("departamento de"): patterns over
        #: the normalized name (:func:`normalize`), each followed by a space
        self.prefixes = prefixes
        self.extent = extent  #: (lon min, lat min, lon max, lat max) of the country, with a margin
        self._capitals = capitals  # a file in mimpmap/data (read when first needed), or the points
        self.codes: tuple[str, ...] = tuple(u.iso for u in units)
        self.by_code: dict[str, Unit] = {u.iso: u for u in units}
        #: the coarser level this one divides (the departments, for provinces), and unit code → the
        #: code of the parent's unit it lies in (Lima's province 1501 → Lima Metropolitana)
        self.parent = parent
        self.parents: Mapping[str, str] = MappingProxyType(dict(parents or {}))
        #: what a reader of this level's figures should know (a unit the boundaries do not draw apart)
        self.notes = notes
        #: what a file of smaller units is ("provincias o distritos"), and fields that name this level's
        #: units in INEI's files ("NOMBDEP o CCDD"), for the message that refuses such a file
        self.finer = finer
        self.key_examples = key_examples
        #: the code of a unit the messages show how to write ("0813": "Cusco/Urubamba"), if any
        self.example = example

    def __repr__(self) -> str:
        return f"<Level {self.name}: {len(self.units)} unidades>"

    def unit(self, code: str) -> Unit:
        """The atomic unit of ``code`` (a :class:`KeyError` for a merged or unknown code)."""
        return self.by_code[code]

    def order(self, code: str) -> int:
        """Where a unit (or a merge, by its first member) comes in the level's order."""
        merge = self.merge_by_code.get(code)
        return self.codes.index(merge.members[0] if merge else code)

    # --- merges ------------------------------------------------------------------------------

    @cached_property
    def merge_by_code(self) -> dict[str, Merge]:
        return {m.code: m for m in self.merges}

    def merge_of(self, members: tuple[str, ...]) -> Merge | None:
        """The merge whose members are exactly ``members`` (in any order), else ``None``."""
        wanted = set(members)
        return next((m for m in self.merges if set(m.members) == wanted), None)

    def merge_containing(self, code: str) -> Merge | None:
        return next((m for m in self.merges if code in m.members), None)

    def name_of(self, codes: tuple[str, ...]) -> str:
        """The name of what ``codes`` stand for: a unit's own name, or a merge's ("Lima")."""
        merge = self.merge_of(codes) if len(codes) > 1 else None
        return merge.nombre if merge else self.by_code[codes[0]].nombre

    def feature_row(self, members: tuple[str, ...]) -> dict:
        """Code, name, department and UBIGEO of the feature standing for ``members``."""
        merge = self.merge_of(members) if len(members) > 1 else None
        if merge:
            return {"code": merge.code, "nombre": merge.nombre, DEPARTMENT_COLUMN: self.by_code[merge.core].departamento,
                    "ubigeo": merge.ubigeo}
        unit = self.by_code[members[0]]
        return {"code": unit.iso, "nombre": unit.nombre, DEPARTMENT_COLUMN: unit.departamento,
                "ubigeo": unit.ubigeo}

    # --- the level above ---------------------------------------------------------------------

    def parent_of(self, code: str) -> str:
        """The code of the parent level's unit ``code`` lies in ("0801" → "PE-CUS")."""
        return self.parents[code]

    def children(self, parent_codes) -> tuple[str, ...]:
        """This level's units inside the parent's units ``parent_codes``, in this level's order."""
        wanted = set(parent_codes)
        return tuple(c for c in self.codes if self.parents.get(c) in wanted)

    def rolled_up(self, codes) -> dict[str, bool]:
        """Parent unit code → whether ``codes`` hold all its units (``True``) or only some (``False``)."""
        codes = set(codes)
        touched = {self.parents[c] for c in codes}
        return {p: set(self.children((p,))) <= codes for p in sorted(touched, key=self.parent.order)}

    def _parent_names(self, unit: Unit) -> set[str]:
        """The names of the parent unit ``unit`` lies in, for "Cusco/Urubamba"."""
        code = self.parents[unit.iso]
        return {unit.departamento, self.parent.by_code[code].nombre, *self.parent.aliases.get(code, ())}

    # --- names -------------------------------------------------------------------------------

    @cached_property
    def prefix(self) -> re.Pattern:
        """The words before a name that do not change which unit it is, as one pattern."""
        return re.compile("^(?:" + "|".join(f"{p} " for p in self.prefixes) + ")" if self.prefixes else "(?!)")

    @cached_property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Normalised name, code or UBIGEO → unit codes. A merge's names mean all its members."""
        index: dict[str, tuple[str, ...]] = {}
        for unit in self.units:
            for key in (normalize(unit.nombre), normalize(unit.iso), unit.iso.split("-")[-1].lower(), unit.ubigeo):
                index[key] = (unit.iso,)
            if self.parent is not None:  # "Cusco/Urubamba": the parent's name, then the unit's
                for name in self._parent_names(unit):
                    index[f"{normalize(name)} {normalize(unit.nombre)}"] = (unit.iso,)
        for code, names in self.aliases.items():
            for name in names:
                index[normalize(name)] = (code,)
        for merge in self.merges:
            for name in (merge.nombre, *merge.names, merge.code):
                index[normalize(name)] = merge.members
            # The whole's UBIGEO (INEI's "15") names the whole even where a member shares it.
            index[merge.ubigeo] = merge.members
        return index

    def known_names(self) -> list[str]:
        """The names a suggestion may offer: each unit's own name, then each merge's."""
        return [u.nombre for u in self.units] + [m.nombre for m in self.merges]

    def describe(self, codes, parts: Mapping[str, tuple[str, ...]] | None = None) -> str:
        """Codes in Spanish words: "A nivel nacional", or "Ayacucho, Callao, Cusco y Lima Metropolitana".

        ``parts``: unit code → the names of the finer units reached in it, for the units reached only in
        part, said with them: "Ayacucho y Cusco (solo Calca y Urubamba)"."""
        codes, parts = set(codes), parts or {}
        if codes >= set(self.codes) and not parts:
            return "A nivel nacional"
        names = []
        for merge in self.merges:
            if set(merge.members) <= codes and not parts.keys() & set(merge.members):
                names.append(merge.whole_words)
                codes -= set(merge.members)
        names += [f"{self.by_code[c].nombre} ({self.partial_words((), {c: parts[c]})})" if c in parts
                  else self.by_code[c].nombre for c in codes]
        return join_words(sorted(names, key=normalize))

    def partial_words(self, reached, parts: Mapping[str, tuple[str, ...]] | None = None) -> str:
        """How a unit reached only in part says which part: "solo Lima Metropolitana" (a merged unit's
        members ``reached``), "solo Calca y Urubamba" (``parts``: unit code → the finer units reached).
        Where a finer unit has the name of the unit it lies in, the finer units are said with their noun,
        so that the part is not read as the whole: "solo la provincia de Cusco", "solo las provincias de
        Cusco y Urubamba"."""
        parts = parts or {}
        whole = [c for c in reached if c not in parts]
        if not parts:
            return "solo " + self.describe(whole)
        names = [self.by_code[c].nombre for c in whole]
        finer = sorted((n for found in parts.values() for n in found), key=normalize)
        own = {normalize(n) for c in parts for n in (self.by_code[c].nombre, self.by_code[c].departamento)}
        inner = finer_level(self)
        if inner is not None and own & {normalize(n) for n in finer}:
            return "solo " + join_words([*sorted(names, key=normalize), inner.noun.the_named(finer)])
        return "solo " + join_words(sorted(names + finer, key=normalize))

    # --- places on the ground ----------------------------------------------------------------

    @cached_property
    def capitals(self) -> dict[str, Capital]:
        """Unit code → a point inside it (its capital), from the packaged CSV or as given."""
        if not isinstance(self._capitals, str):
            return dict(self._capitals or {})
        text = (files("mimpmap") / "data" / self._capitals).read_text(encoding="utf-8")
        rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))))
        return {r["code"]: Capital(r["code"], r["capital"], float(r["lon"]), float(r["lat"])) for r in rows}

    @property
    def inset_centre(self) -> tuple[float, float] | None:
        """Where the inset is centred when no inset unit is in a file: the first inset unit's capital."""
        capital = self.capitals.get(self.inset[0]) if self.inset else None
        return (capital.lon, capital.lat) if capital else None


#: Where a point in Peru may lie, (lon min, lat min, lon max, lat max): the country's extreme points
#: (latitude −18.35 to −0.04, longitude −81.33 to −68.65) with a small margin. A point outside is not
#: in Peru (or has its latitude and longitude swapped).
PERU_POINTS = (-81.5, -18.5, -68.5, 0.1)

#: The 26 map units, in UBIGEO order. Source: ISO 3166-2:PE and INEI's UBIGEO codes.
_DEPARTMENT_UNITS: tuple[Unit, ...] = (
    Unit("PE-AMA", "01", "Amazonas", "Amazonas"),
    Unit("PE-ANC", "02", "Áncash", "Áncash"),
    Unit("PE-APU", "03", "Apurímac", "Apurímac"),
    Unit("PE-ARE", "04", "Arequipa", "Arequipa"),
    Unit("PE-AYA", "05", "Ayacucho", "Ayacucho"),
    Unit("PE-CAJ", "06", "Cajamarca", "Cajamarca"),
    Unit("PE-CAL", "07", "Callao", "Callao"),
    Unit("PE-CUS", "08", "Cusco", "Cusco"),
    Unit("PE-HUV", "09", "Huancavelica", "Huancavelica"),
    Unit("PE-HUC", "10", "Huánuco", "Huánuco"),
    Unit("PE-ICA", "11", "Ica", "Ica"),
    Unit("PE-JUN", "12", "Junín", "Junín"),
    Unit("PE-LAL", "13", "La Libertad", "La Libertad"),
    Unit("PE-LAM", "14", "Lambayeque", "Lambayeque"),
    Unit("PE-LMA", "1501", "Lima Metropolitana", "Lima"),
    Unit("PE-LIM", "15", "Lima Provincias", "Lima"),
    Unit("PE-LOR", "16", "Loreto", "Loreto"),
    Unit("PE-MDD", "17", "Madre de Dios", "Madre de Dios"),
    Unit("PE-MOQ", "18", "Moquegua", "Moquegua"),
    Unit("PE-PAS", "19", "Pasco", "Pasco"),
    Unit("PE-PIU", "20", "Piura", "Piura"),
    Unit("PE-PUN", "21", "Puno", "Puno"),
    Unit("PE-SAM", "22", "San Martín", "San Martín"),
    Unit("PE-TAC", "23", "Tacna", "Tacna"),
    Unit("PE-TUM", "24", "Tumbes", "Tumbes"),
    Unit("PE-UCA", "25", "Ucayali", "Ucayali"),
)

# Other spellings people use, beyond each unit's own name (accents and case never matter).
_DEPARTMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "PE-ANC": ("Ancash", "Ancachs"),
    "PE-CUS": ("Cuzco",),
    "PE-CAL": ("El Callao", "Provincia Constitucional del Callao", "Callao Region"),
    "PE-LMA": ("Lima Metropolitana", "Lima Metro", "Lima Province", "Provincia de Lima",
               "Municipalidad Metropolitana de Lima", "Lima Cercado"),
    "PE-LIM": ("Lima Provincias", "Lima Provincia", "Región Lima", "Region de Lima", "Lima Region", "Lima Sur Chico",
               "Provincias de Lima", "Departamento de Lima sin Lima Metropolitana"),
    "PE-MDD": ("Madre Dios",),
    "PE-SAM": ("San Martin",),
    "PE-LAL": ("Libertad",),
}

#: Lima, the department: Lima Metropolitana (the province of Lima, INEI's 1501) and Lima Provincias
#: (the rest). INEI's department code 15 is the whole; Lima Provincias has no code of its own.
LIMA = Merge(
    members=("PE-LMA", "PE-LIM"), code="PE-LIM+LMA", nombre="Lima", ubigeo="15", core="PE-LMA", rest="PE-LIM",
    names=("Departamento de Lima", "Lima Departamento", "Lima y Lima Metropolitana"),
    whole_words="Lima (departamento)",
)

#: Peru's 24 departments, Callao, and Lima split in two.
DEPARTMENTS = Level(
    Noun("departamento", "departamentos", adjectives="departamentales"), _DEPARTMENT_UNITS, aliases=_DEPARTMENT_ALIASES,
    merges=(LIMA,), inset=("PE-LMA", "PE-CAL"), inset_title="Lima Metropolitana y Callao",
    extent=(-84.0, -21.0, -66.0, 2.0), capitals="capitales.csv",
    files=Files(boundaries="peru_departamentos.geojson", population="population.csv"),
    # "en Cusco", "el departamento de Cusco", "depto. de Cusco", "Región Cusco", "GORE Cusco"
    prefixes=("en", "el departamento de", "departamento de", r"depto\.? de", r"dpto\.? de", "region",
              "gobierno regional de", "gore"),
    finer="provincias o distritos", key_examples="NOMBDEP o CCDD",
)


def _department_of(ubigeo: str) -> str:
    """The department-level unit a province lies in: Lima's province (1501) is Lima Metropolitana,
    Lima's other provinces are Lima Provincias, and every other province its department (Callao's one
    province, 0701, is Callao)."""
    if ubigeo[:2] == LIMA.ubigeo:
        return LIMA.core if ubigeo == DEPARTMENTS.unit(LIMA.core).ubigeo else LIMA.rest
    return next(u.iso for u in DEPARTMENTS.units if u.ubigeo == ubigeo[:2])


def _province_units() -> tuple[Unit, ...]:
    """The census's 196 provinces; a province's code is its UBIGEO ("0801")."""
    named = (entry.split(" ", 1) for entry in PROVINCE_TABLE)
    return tuple(Unit(code, code, nombre, DEPARTMENTS.unit(_department_of(code)).departamento) for code, nombre in named)


_PROVINCE_UNITS = _province_units()


#: Putumayo (1608) was made in 2014 from Maynas (1601): a boundary file of before (INEI's of 2016) draws
#: it inside Maynas. Such a file's Maynas holds Putumayo's capital and is read as both, one unit; the
#: shipped file draws Putumayo apart (the 2016 districts it was made of).
PUTUMAYO = Merge(
    members=("1601", "1608"), code="1601+1608", nombre="Maynas y Putumayo", ubigeo="1601+1608", core="1608",
    rest="1601", names=("Maynas con Putumayo",), whole_words="Maynas y Putumayo",
)

#: Peru's 196 provinces (INEI, Census 2025), each inside a unit of :data:`DEPARTMENTS`.
PROVINCES = Level(
    Noun("provincia", "provincias", feminine=True, adjectives="provinciales"), _PROVINCE_UNITS,
    aliases=PROVINCE_ALIASES, merges=(PUTUMAYO,), inset=("1501", "0701"), inset_title=DEPARTMENTS.inset_title,
    extent=DEPARTMENTS.extent, capitals="capitales_provincias.csv",
    files=Files(boundaries="peru_provincias.geojson", population="censo_2025.csv", key="ubigeo"),
    # "en Urubamba", "la provincia de Urubamba", "prov. de Urubamba"
    prefixes=("en", "la provincia de", "provincia de", r"prov\.? de"),
    parent=DEPARTMENTS, parents={u.iso: _department_of(u.ubigeo) for u in _PROVINCE_UNITS},
    finer="distritos", key_examples="NOMBPROV o IDPROV", example="0813",
    notes=("Putumayo (1608) se creó en 2014 con distritos de Maynas (1601); los límites de 2016 lo dibujan "
           "con los distritos de los que se formó, y un archivo que no lo separa, junto con Maynas.",),
)

#: Every level, by name. A new level is one :class:`Level` and one entry here.
LEVELS: Mapping[str, Level] = MappingProxyType({level.name: level for level in (DEPARTMENTS, PROVINCES)})
#: The level coverage is written in and maps are drawn at, unless told.
DEFAULT_LEVEL: Level = DEPARTMENTS


def finer_level(level: Level) -> Level | None:
    """The level of :data:`LEVELS` that divides ``level`` (the provinces, for the departments), if any."""
    return next((inner for inner in LEVELS.values() if inner.parent is level), None)
