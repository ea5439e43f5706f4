"""What code draws an output: a module and every module of the package it imports, at any depth.

An output's key holds the digest of its renderer's code (:meth:`Code.digest`), not of the whole
package: a comment in ``cli.py`` redraws nothing, one in an HTML module redraws no image. The description
layer (``views/``) is imported by every renderer, so a change there still redraws them all, but for the web
pages' fixed words (``views/web.py``), which only the HTML renderers import.

Imports are read from the source text with a pattern rather than parsed (a parse of the package takes
longer than a whole build with nothing to do). The pattern may take a line of a docstring for an import,
which only widens a closure (more is redrawn, never less); ``tests/test_codegraph.py`` checks that it
finds every import the parser finds. Assets beside a module (``html/assets/*.js`` for
``html/assets.py``) count as that module's code.

This module imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Collection, Iterable

#: The package this module belongs to, and its folder.
PACKAGE = __name__.rpartition(".")[0]
ROOT = Path(__file__).resolve().parent
#: Files that are code (scripts and styles included); the package's ``data/`` is input, not code.
SUFFIXES = (".py", ".js", ".css", ".html", ".txt")

#: Where a statement may start with ``from`` or ``import`` (found first: a scan this simple is fast),
#: and the statement read from there.
_START = re.compile(rb"^[ \t]*(?=from[ \t]|import[ \t])", re.MULTILINE)
_IMPORT = re.compile(rb"from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*)")


class Code:
    """The code of the package at ``root`` (named ``package``): each module's own files, read when a
    closure first reaches it (a build reads about two thirds of them), and the modules it imports."""

    def __init__(self, root: Path = ROOT, package: str = PACKAGE):
        self.root, self.package = Path(root), package
        #: Module → its files (its source first, then its assets).
        self.files: dict[str, list[Path]] = {}
        for path in sorted(p for p in self.root.rglob("*") if p.suffix in SUFFIXES and "__pycache__" not in p.parts
                           and p.relative_to(self.root).parts[0] != "data" and p.is_file()):
            self.files.setdefault(self._module(path), []).append(path)
        for paths in self.files.values():
            paths.sort(key=lambda p: p.suffix != ".py")
        self._read: dict[str, tuple[bytes, set[str]]] = {}

    def imports(self, module: str) -> set[str]:
        """The package's modules that ``module`` imports."""
        return self._module_code(module)[1]

    def _module_code(self, module: str) -> tuple[bytes, set[str]]:
        """The hash of ``module``'s files and the modules it imports, read once."""
        if module not in self._read:
            paths, digest, found = self.files.get(module, []), hashlib.sha256(), set()
            for path in paths:
                raw = path.read_bytes()
                digest.update(path.relative_to(self.root).as_posix().encode() + b"\0" + raw + b"\0")
                if path.suffix == ".py":
                    found = _imports(module, path.name == "__init__.py", raw, self.files.keys())
            self._read[module] = (digest.digest() if paths else b"-", found)
        return self._read[module]

    def _module(self, path: Path) -> str:
        """The module a file belongs to: ``x/y.py`` is ``x.y``; an asset in ``x/y/`` belongs to ``x.y``
        (the module of that name, else the package ``x/y/__init__.py``)."""
        parts = list(path.relative_to(self.root).parts)
        if path.suffix == ".py":
            parts[-1] = path.stem
            if parts[-1] == "__init__":
                parts.pop()
        else:
            parts.pop()
        return ".".join([self.package, *parts])

    def closure(self, modules: Iterable[str]) -> set[str]:
        """``modules`` and every module of the package they import, at any depth."""
        seen: set[str] = set()
        todo = list(modules)
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            todo.extend(self.imports(module))
        return seen

    def digest(self, *modules: str) -> str:
        """A hash of the code of ``modules`` and of all they import."""
        total = hashlib.sha256()
        for module in sorted(self.closure(modules)):
            total.update(module.encode() + b"\0" + self._module_code(module)[0] + b"\0")
        return total.hexdigest()[:16]


def _imports(module: str, package_init: bool, raw: bytes, known: Collection[str]) -> set[str]:
    """The package's modules that the source ``raw`` of ``module`` imports (relative or absolute)."""
    package = module if package_init else module.rpartition(".")[0]
    found = set()
    raw = raw.replace(b"\\\n", b" ")
    statements = (_IMPORT.match(raw, start.end()) for start in _START.finditer(raw))
    for base, names, plain in (m.groups() for m in statements if m):
        if plain is not None:  # import a.b, c as d
            found.update(_names(plain))
            continue
        dots = len(base) - len(base.lstrip(b"."))
        target = base[dots:].decode()
        if dots:
            anchor = package.split(".")[: len(package.split(".")) - dots + 1]
            target = ".".join(anchor + ([target] if target else []))
        imported = {f"{target}.{w}" for w in _names(names)}
        found.update(m for m in imported if m in known)  # `from .views import atlas`: the module, not what the package defines
        if any(m not in known for m in imported):
            found.add(target)
    return {m for m in found if m in known and m != module}


def _names(text: bytes) -> list[str]:
    """``a.b`` and ``c`` of ``(a.b, c as d)``."""
    pieces = text.strip(b"()").replace(b"\n", b" ").split(b",")
    return [piece.split()[0].decode() for piece in pieces if piece.split()]
