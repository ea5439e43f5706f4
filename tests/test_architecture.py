"""The shape of the package (issue 8): data flows one way, with no import circle, and the renderers
draw descriptions without reading the join."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mimpmap"
#: The modules that draw a description: they may not read the join (coverage.py) themselves.
RENDERERS = ("mimpmap.html", "mimpmap.static", "mimpmap.pdf", "mimpmap.tables")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, at any level of the file (type hints aside)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from . import maps`
    return {m for m in found if m in modules and m != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports(p, modules) for p in paths}


def test_the_graph_is_read(graph):
    assert "mimpmap.maps" in graph["mimpmap.html.base"]
    assert "mimpmap.coverage" in graph["mimpmap.maps"]


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
    for module in ("mimpmap.coverage", "mimpmap.maps", "mimpmap.model", "mimpmap.geography"):
        assert not [t for t in graph[module] if t.startswith(RENDERERS)], module
