"""Fuzzing the coverage file: mutations of the shipped YAML either validate or raise a DataError with
a Spanish message, fast. Never another exception, never a hang. A fixed budget keeps the suite quick
and the same on every run (derandomized)."""

from __future__ import annotations

import copy
import datetime
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mimpmap import DataError
from mimpmap.errors import UNSAFE_CHARACTERS
from mimpmap.model import CoverageData, parse_coverage, validate
from mimpmap.readers import Document
from mimpmap.readers import yaml as yaml_reader

from .conftest import DATA

SHIPPED = DATA.read_text(encoding="utf-8")
#: What a mutation may type: YAML's punctuation, whitespace, controls, digits, accents.
ALPHABET = st.sampled_from(list("[]{}:,-&*!|>'\"#%@`? \t\n\\0123456789aéñ") + ["\x1b", "\x00", "\u202e", "\x85"])
VALUES = st.sampled_from([
    "[]", "{}", "null", "~", "true", "-5", "1.5", ".inf", ".nan", "[a, b]", "{a: 1}", "''", '"\\e[2J"',
    "nacional", "[nacional]", "['']", "1" + "0" * 400, "9" * 5000, "0x" + "f" * 900, "2020-01-01",
    "&x [*x]", "*nada", "!!binary aGk=", "!!python/object:os.system x", "? [a]\n  : b", "|\n  a\n  b",
    "[Cusco, Narnia]", "Lima y Puno", "2020-13", "[2020-04, 2020-04]", "{label: x, from: 2021-05, to: 2020-01}",
])
BUDGET = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutation(draw, text: str) -> str:
    kind = draw(st.sampled_from(["edit", "delete", "swap", "duplicate", "indent"]))
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "edit":
        line = lines[i]
        j = draw(st.integers(0, len(line)))
        k = draw(st.integers(j, min(len(line), j + 5)))
        lines[i] = line[:j] + draw(st.text(ALPHABET, max_size=6)) + line[k:]
    elif kind == "delete":
        del lines[i:i + draw(st.integers(1, 8))]
    elif kind == "swap" and ": " in lines[i]:
        key, _, _ = lines[i].partition(": ")
        lines[i] = f"{key}: {draw(VALUES)}\n"
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[i].lstrip(" ")
    return "".join(lines)


@st.composite
def mutated(draw) -> str:
    text = SHIPPED
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mutation(text))
    return text


def outcome(make) -> CoverageData | DataError:
    started = time.perf_counter()
    try:
        result = make()
    except DataError as exc:
        result = exc
        assert exc.problems and all(problem.strip() for problem in exc.problems)
        assert not UNSAFE_CHARACTERS.search(str(exc)), str(exc)
        assert "Traceback" not in str(exc)
    assert time.perf_counter() - started < 10  # no input hangs the reader (not a speed target)
    return result


@BUDGET
@given(mutated())
def test_mutated_coverage_file_validates_or_says_why(text):
    result = outcome(lambda: parse_coverage(text, "coverage.yaml"))
    if isinstance(result, DataError):
        assert not any(word in str(result) for word in ("found ", "expected ", "while ", "Traceback")), result


@BUDGET
@given(st.integers(0, len(SHIPPED.encode()) - 1), st.binary(min_size=1, max_size=4))
def test_byte_edits_validate_or_say_why(at, junk):
    raw = SHIPPED.encode()
    outcome(lambda: validate(yaml_reader.read(raw[:at] + junk + raw[at + len(junk):], "x.yaml")))


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**1200),
    st.floats(allow_nan=True, allow_infinity=True), st.text(ALPHABET, max_size=8), st.text(max_size=8),
    st.binary(max_size=4), st.dates(), st.just(datetime.datetime(2020, 1, 1)),
    st.sampled_from(["nacional", "Cusco", "2020-04", "Año 2020", "1/", "aurora", ""]),
)
PLAIN = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["id", "label", "from", "to", "value", "coverage", "x", "months_closed"]) | st.integers(),
    inner, max_size=3), max_leaves=8)


def _paths(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, path + (key,))


SHIPPED_DOC = yaml_reader.parse(SHIPPED).data
SHIPPED_PATHS = [p for p in _paths(SHIPPED_DOC) if p]


def _has(node, key) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _set(doc, path: tuple, value) -> None:
    """Put ``value`` at ``path`` if earlier swaps left that path in place."""
    parent = doc
    for key in path[:-1]:
        if not _has(parent, key):
            return
        parent = parent[key]
    if _has(parent, path[-1]):
        parent[path[-1]] = value


@BUDGET
@given(st.lists(st.tuples(st.sampled_from(SHIPPED_PATHS), PLAIN), min_size=1, max_size=3))
def test_plain_documents_with_swapped_values_validate_or_say_why(swaps):
    """What any reader (a workbook, later) might hand the model: any value anywhere."""
    doc = copy.deepcopy(SHIPPED_DOC)
    for path, value in swaps:
        _set(doc, path, value)
    outcome(lambda: validate(Document(doc)))


def test_the_shipped_file_is_the_fuzzer_seed():
    assert isinstance(outcome(lambda: parse_coverage(SHIPPED)), CoverageData)
