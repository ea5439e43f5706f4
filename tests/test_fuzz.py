"""Fuzzing the coverage file: mutations of the shipped YAML either validate or raise a DataError with
a Spanish message, fast. Never another exception, never a hang. A fixed budget keeps the suite quick
and the same on every run (derandomized)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mimpmap import DataError
from mimpmap.errors import UNSAFE_CHARACTERS
from mimpmap.model import CoverageData, parse_coverage, validate
from mimpmap.readers import yaml as yaml_reader

from .conftest import DATA

SHIPPED = DATA.read_text(encoding="utf-8")
LINES = SHIPPED.splitlines(keepends=True)
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
    assert time.perf_counter() - started < 2
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


def test_the_shipped_file_is_the_fuzzer_seed():
    assert isinstance(outcome(lambda: parse_coverage(SHIPPED)), CoverageData)
