"""The shape of the package (issue 8): data flows one way, with no import circle, and the renderers
draw descriptions without reading the join."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mimpmap"
#: The modules that draw a description: they may not read the join (coverage.py) themselves.
RENDERERS = ("mimpmap.html", "mimpmap.static", "mimpmap.mosaic", "mimpmap.charts", "mimpmap.pdf", "mimpmap.mpl",
             "mimpmap.tables", "mimpmap.captions")


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.lru_cache(maxsize=None)
def _parsed(text: str) -> ast.Module:
    """The tree of a module's text, parsed once for every check of this file (they only read it)."""
    return ast.parse(text)


def parse(path: Path) -> ast.Module:
    return _parsed(path.read_text(encoding="utf-8"))


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes inside an ``if TYPE_CHECKING:`` block of ``tree`` (either branch)."""
    return {id(inner) for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for part in (*node.body, *node.orelse) for inner in ast.walk(part)}


def imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, at any level of the file (type hints aside)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = parse(path)
    hints = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from .views import atlas`
    return {m for m in found if m in modules and m != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports(p, modules) for p in paths}


def test_the_graph_is_read(graph):
    assert "mimpmap.views.atlas" in graph["mimpmap.html.base"]
    assert "mimpmap.coverage" in graph["mimpmap.views.context"]


def test_no_import_circle(graph):
    # Package __init__ files are left out as targets: importing mimpmap.x runs mimpmap/__init__.py
    # first, but that is Python's loading order, not a dependency of x on the package's API.
    edges = {m: {t for t in targets if not PACKAGE.joinpath(*t.split(".")[1:], "__init__.py").is_file()}
             for m, targets in graph.items()}
    circles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, "import circles: " + "; ".join(" → ".join(c) for c in circles)


def test_renderers_draw_descriptions_not_the_join(graph):
    offenders = {m: sorted(t for t in targets if t in ("mimpmap.coverage", "mimpmap.notebook"))
                 for m, targets in graph.items() if m.startswith(RENDERERS)}
    assert not {m: t for m, t in offenders.items() if t}, offenders


def test_the_join_knows_no_renderer(graph):
    views = [m for m in graph if m.startswith("mimpmap.views")]
    assert len(views) >= 8, views  # the check can fail
    for module in ("mimpmap.coverage", "mimpmap.model", "mimpmap.geography", *views):
        assert not [t for t in graph[module] if t.startswith(RENDERERS)], module


def test_views_are_built_only_inside_views(graph):
    """The views' shared context (the join as the views read it) stays inside ``views/``: the renderers,
    the build and the notebook get finished descriptions from :func:`mimpmap.views.atlas.describe`."""
    users = sorted(m for m, targets in graph.items() if "mimpmap.views.context" in targets)
    assert users and all(m.startswith("mimpmap.views.") for m in users), users


def test_the_marks_are_the_views_vocabulary(graph):
    """``views.marks`` and ``views.words`` are the bottom of the views: the vocabulary and the phrases
    every view shares import no view (else a view's change would reach every other)."""
    for module in ("mimpmap.views.marks", "mimpmap.views.words"):
        inside = sorted(t for t in graph[module] if t.startswith("mimpmap.views.") and t != "mimpmap.views.marks")
        assert inside == [], (module, inside)


# --- public seams, no module state (issue 20) ----------------------------------------------------------


def _private(name: str) -> bool:
    """``_name``, not ``__dunder__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined(tree: ast.AST) -> set[str]:
    """Every name a module defines: functions, classes, assigned names and attributes, import aliases."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _imported_module(node: ast.ImportFrom, path: Path, root: Path) -> str:
    """The module an ``import from`` names, absolute (``mimpmap.static`` for ``from .static``)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if not node.level:
        return node.module or ""
    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(anchor + ([node.module] if node.module else []))


#: Private attributes of a library's objects that the package sets and reads as that library asks (each
#: with where and why); they are the library's names, not a module's of the package.
LIBRARY_PRIVATES = {
    # branca names an element by `_name` (its id prefix): html/elements.py sets it on each element, as
    # folium's own do; html/ids.py, the one module that touches branca's element tree, reads it.
    "_name": "branca",
}


def private_reach(root: Path = PACKAGE) -> list[str]:
    """Where a module of the package at ``root`` uses a private name of another: imports it (``from .static
    import _Page``) or reaches it as an attribute of something other than ``self``/``cls``
    (``renderer._header``, ``static._LAST``) when the module does not define that name itself."""
    paths = sorted(root.rglob("*.py"))
    trees = {p: parse(p) for p in paths}
    defined = {p: _defined(t) for p, t in trees.items()}
    package = root.name
    found = []
    for path, tree in trees.items():
        elsewhere = {n for p, names in defined.items() if p != path for n in names if _private(n)}
        where = path.relative_to(root.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and _imported_module(node, path, root).split(".")[0] == package:
                found += [f"{where}:{node.lineno} imports {a.name}" for a in node.names if _private(a.name)]
            elif (isinstance(node, ast.Attribute) and _private(node.attr) and node.attr in elsewhere
                  and node.attr not in defined[path] and node.attr not in LIBRARY_PRIVATES
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{where}:{node.lineno} reaches {ast.unparse(node)}")
    return found


def test_no_private_name_is_used_from_another_module():
    """Modules talk through public names: a ``_name`` is its module's own business (issue 20)."""
    assert private_reach() == []


def test_the_private_reach_check_finds_both_kinds(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "toolkit.py").write_text("class _Page:\n    def _header(self):\n        return self._x\n")
    (package / "user.py").write_text(
        "from .toolkit import _Page\n\n\ndef draw(page):\n    return page._header(), page.__class__\n")
    (package / "fine.py").write_text("class A:\n    def _own(self):\n        return self._header\n")
    assert private_reach(package) == ["pkg/user.py:1 imports _Page", "pkg/user.py:5 reaches page._header"]


_MUTABLE_CALLS = ("dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque")


def _mutable(value: ast.AST | None) -> bool:
    """A ``dict``, ``list`` or ``set`` made by a display, a comprehension or a constructor call."""
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name in _MUTABLE_CALLS
    return False


def module_state(root: Path = PACKAGE) -> dict[str, int]:
    """Module-level mutable containers of the package (``module:NAME`` → line): assignments of a dict,
    list or set at the top of a module (inside a top-level ``if``/``try`` too), where any caller could
    change what every other caller sees."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        tree = parse(path)
        body = list(tree.body)
        while body:
            node = body.pop(0)
            if isinstance(node, (ast.If, ast.Try)):
                body += node.body + node.orelse + getattr(node, "finalbody", []) + [
                    s for h in getattr(node, "handlers", []) for s in h.body]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _mutable(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        found[f"{module_name(path, root)}:{target.id}"] = node.lineno
    return found


def id_calls(root: Path = PACKAGE) -> dict[str, int]:
    """``id()`` calls of the package, by module (a cache keyed by ``id()`` outlives what it keys)."""
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "id":
                found[module_name(path, root)] = found.get(module_name(path, root), 0) + 1
    return found


#: Module-level dicts, lists and sets there are today, each with what it is. The list may only shrink:
#: a new one fails the test (keep state on an object: a build's Session, a renderer), and an entry
#: whose name is gone must be deleted. A constant table can be made read-only instead
#: (``types.MappingProxyType``, a ``frozenset`` or a tuple), which the test does not count.
MODULE_STATE = {
    "mimpmap.errors:_OS_REASONS": "a constant table: OS errors in Spanish",
    "mimpmap.inputs:INPUTS": "the registry of input files, filled once at import",
    "mimpmap.readers.boundaries:SIDECARS": "a constant table: the files read beside a boundary file",
    "mimpmap.readers.boundaries:_GEOJSON_TYPES": "a constant set: the types a GeoJSON document starts with",
    "mimpmap.readers.yaml:CORE_SCHEMA": "a constant table: YAML 1.2 core schema's scalars",
    "mimpmap.readers.yaml:_CORE": "a constant table: those scalars' compiled patterns",
    "mimpmap.readers.yaml:_WHAT": "a constant table: scalar kinds in Spanish",
    "mimpmap.workers:COST": "a constant table: rough costs of an output by format",
    "mimpmap.formats:FORMATS": "the registry of output formats, filled once at import",
    "mimpmap.html.text:_JS_UNSAFE": "a constant table: characters escaped in inline JavaScript",
    "mimpmap.layout:DATA_FILES": "a constant table: the names of the data downloads",
    "mimpmap.levels:_DEPARTMENT_ALIASES": "a constant table: other spellings of the departments",
    "mimpmap.model:_MESSAGES": "a constant table: pydantic error types in Spanish",
    "mimpmap.model:_SHOWS_INPUT": "a constant set: the error types whose message shows the value",
    "mimpmap.periods:_NAMES": "a constant table: Spanish month abbreviations",
    "mimpmap.readers.comments:_KEY_SPELLING": "a constant table: a CSV input's metadata keys as written",
    "mimpmap.centres:DEPARTMENT_NAMES": "a constant table: the departments by ubigeo, for the centres' checks",
    "mimpmap.centres:KINDS": "a constant table: the types of centre and their names",
    "mimpmap.readers:SPREADSHEETS": "the registry of spreadsheet readers, filled once at import",
    "mimpmap.readers:READERS": "the registry of input readers, filled once at import",
    "mimpmap.readers.xlsx:GENERAL_FIELDS": "a constant table: the workbook's 'general' sheet",
    "mimpmap.readers.xlsx:KINDS": "a constant table: figure kinds as the workbook writes them",
    "mimpmap.readers.xlsx:CLASSES": "a constant table: note classes as the workbook writes them",
    "mimpmap.tables:SERVICE_COLUMNS": "a constant table: the columns of servicios.csv",
    "mimpmap.text:_MONTHS": "a constant table: Spanish month names",
    "mimpmap.yamlout:ORDER": "a constant table: the order of each YAML entry's keys",
    "mimpmap.yamlout:FOLDED": "a constant set: the texts always folded",
    "mimpmap.yamlout:FOLDED_IF_LONG": "a constant set: the texts folded when long",
    "mimpmap.yamlout:_BREAKS": "a constant table: characters YAML reads as line breaks",
}


def test_no_new_module_level_state():
    found = {name for name in module_state() if not name.endswith(":__all__")}
    assert sorted(found - MODULE_STATE.keys()) == [], "new module-level state: keep it on an object"
    assert sorted(MODULE_STATE.keys() - found) == [], "gone: delete these entries from MODULE_STATE"


#: Modules that call ``id()``, and why no cache of theirs outlives what it keys (a cache keyed by
#: ``id()`` that does can hand an object's value to another object made later at the same address).
ID_CALLS = {
    "mimpmap.html.ids": "a map of one call, of elements the page being rendered holds",
    "mimpmap.manifest": "the memo of one build's keys, which keeps each value it keys",
    "mimpmap.readers.yaml": "a walk of one YAML document's nodes, which the document holds",
    "mimpmap.yamledit": "one edit's anchored nodes, which the editor's composed document holds",
}


def test_no_cache_is_keyed_by_id():
    assert sorted(id_calls()) == sorted(ID_CALLS)


def test_the_module_state_checks_find_what_they_look_for(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cache.py").write_text(
        "import types\nTABLE = types.MappingProxyType({})\nif True:\n    _CACHE: dict = {}\n_LAST = [None]\n"
        "SEEN = set()\n\n\ndef get(x):\n    return _CACHE.get(id(x))\n")
    assert module_state(package) == {"pkg.cache:_CACHE": 4, "pkg.cache:_LAST": 5, "pkg.cache:SEEN": 6}
    assert id_calls(package) == {"pkg.cache": 1}
    (package / "state.py").write_text("N = 0\n\n\ndef bump():\n    global N\n    N += 1\n")
    assert global_statements(package) == ["pkg/state.py:5 global N"]


def global_statements(root: Path = PACKAGE) -> list[str]:
    """The package's ``global`` statements, as ``path:line global names``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Global):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} global {', '.join(node.names)}")
    return found


#: ``global`` statements there are today; the list may only shrink.
GLOBALS: dict[str, int] = {}


def test_no_global_statement():
    counts: dict[str, int] = {}
    for line in global_statements():
        path = line.split(":", 1)[0]
        counts[path] = counts.get(path, 0) + 1
    assert counts == GLOBALS, "no `global`: keep state on an object that is passed along"


def long_code(root: Path = PACKAGE, module_lines: int = 600, function_lines: int = 60) -> dict[str, int]:
    """Modules over ``module_lines`` lines and functions over ``function_lines`` (``module`` or
    ``module:Class.function`` → its lines)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = module_name(path, root)
        if text.count("\n") > module_lines:
            found[name] = text.count("\n")
        tree = _parsed(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                owner = parents.get(node)
                qualified = f"{owner.name}.{node.name}" if isinstance(owner, ast.ClassDef) else node.name
                if length > function_lines:
                    found[f"{name}:{qualified}"] = length
    return found


#: What is longer today; the list may only shrink (issue 20 splits these).
LONG_CODE = {"mimpmap.readers.xlsx:_Assembler._children", "mimpmap.population:_Reader._rows"}


def test_modules_fit_in_a_readers_head():
    """No module over 600 lines, no function over 60, but those of :data:`LONG_CODE`."""
    assert sorted(long_code().keys() - LONG_CODE) == []
    assert sorted(LONG_CODE - long_code().keys()) == [], "now short: delete these entries from LONG_CODE"


# --- the level's words (issue 20) --------------------------------------------------------------

#: Where "departamento" may still be written: the level itself (issue 20's target: at most 5 such
#: literals everywhere else; the views/ package counts since its phrases took the level's words).
LEVEL_WORDS_HOME = ("levels.py",)
NOT_YET_COUNTED = ()
#: How many string literals outside those may say "departamento" (today none: each phrase takes the
#: level's words, :class:`mimpmap.levels.Noun`, and each data column its one constant).
MAX_DEPARTMENT_LITERALS = 0


def department_literals(root: Path, skip: tuple[str, ...]) -> list[str]:
    """``file:line`` of each string literal (f-string parts included, docstrings not) saying "departamento"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in skip or any(relative.startswith(s) for s in skip if s.endswith("/")):
            continue
        tree = parse(path)
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found += [f"{relative}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and "departamento" in node.value.casefold()]
    return found


def test_phrases_take_the_level_words():
    found = department_literals(PACKAGE, LEVEL_WORDS_HOME + NOT_YET_COUNTED)
    assert len(found) <= MAX_DEPARTMENT_LITERALS, f"say the level's words (levels.Noun) instead: {found}"


def test_the_level_words_check_finds_what_it_looks_for(tmp_path):
    (tmp_path / "views").mkdir()
    (tmp_path / "a.py").write_text('"""El departamento (a docstring)."""\nX = f"cada {n} Departamento"\n'
                                   'Y = "provincia"\n', encoding="utf-8")
    (tmp_path / "views" / "b.py").write_text('Z = "departamentos"\n', encoding="utf-8")
    (tmp_path / "levels.py").write_text('W = "departamento"\n', encoding="utf-8")
    assert department_literals(tmp_path, ("levels.py",)) == ["a.py:2", "views/b.py:1"]
    assert department_literals(tmp_path, ("levels.py", "views/")) == ["a.py:2"]
