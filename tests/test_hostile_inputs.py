"""Hostile or mistaken coverage and population inputs (issue 25, items 7, 8 and 11; issue 22, items 9 to 11):
YAML 1.1's surprises, workbooks with a stale dimension, entities, cut XML or huge cells, and files given
for the wrong input. Each ends at once with a Spanish message that names the place, or reads as meant."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mimpmap import yamlout
from mimpmap.cli import main
from mimpmap.errors import DataError
from mimpmap.model import parse_coverage
from mimpmap.readers import yaml as yaml_reader

from .conftest import GEO, MINIMAL


def read(text: str):
    return yaml_reader.parse(text).data


# --- YAML 1.2: what YAML 1.1 reads as numbers, dates or booleans is text -------------------------------

def test_a_time_in_the_values_is_not_read_as_base_60(yaml_file):
    path = yaml_file(MINIMAL.replace("values: [1726, 2075]", "values: [1726, 10:30]"))
    result = CliRunner().invoke(main, ["check", "--data", str(path), "--geo", str(GEO)])
    assert result.exit_code == 1, result.output  # YAML 1.1 read 630 and said "Todo correcto"
    assert "línea 13" in result.output and "'10:30': debe ser un número entero" in result.output


@settings(max_examples=60, deadline=None)
@given(st.one_of(
    st.from_regex(r"[1-9][0-9]?(:[0-5][0-9]){1,2}(\.[0-9]+)?", fullmatch=True),  # sexagesimal
    st.sampled_from(["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n", "Y", "N", "="]),
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"[1-9][0-9]{0,2}(_[0-9]{3})+", fullmatch=True),  # 1_000
    st.from_regex(r"0b[01]+", fullmatch=True),
))
def test_what_only_yaml_1_1_reads_as_something_else_is_text(text):
    assert read(f"a: {text}\nb: [{text}]") == {"a": text, "b": [text]}


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=6))
def test_integers_are_decimal_whatever_their_leading_zeros(number, zeros):
    text = "0" * zeros + str(number)
    assert read(f"a: {text}") == {"a": number}  # YAML 1.1 read 012 as octal 10


@pytest.mark.parametrize("text, value", [
    ("true", True), ("False", False), ("~", None), ("null", None), ("", None), ("1.5", 1.5), ("1e3", 1000.0),
    ("-.inf", float("-inf")), ("0o17", 15), ("0x1F", 31), ("+12", 12), ("'012'", "012"), ("2020-01", "2020-01"),
])
def test_the_core_schema_reads_its_own_forms(text, value):
    assert read(f"a: {text}") == {"a": value}


@pytest.mark.parametrize("text", ["!!int 10:30", "!!bool yes", "!!float 1:30", "!!timestamp 2020-01-01",
                                  "!!binary aGk=", "!!set {a}"])
def test_explicit_tags_outside_the_core_schema_are_refused_at_their_line(text):
    with pytest.raises(DataError, match="línea 2, columna 4"):
        yaml_reader.parse(f"x: 1\na: {text}\n")


def test_a_day_where_a_month_is_meant_gets_the_month_to_write():
    with pytest.raises(DataError, match="'?2020-01-01'?: escriba solo año y mes, p. ej. 2020-01"):
        parse_coverage(MINIMAL.replace("{label: Año 2020}", "{label: Año 2020, from: 2020-01-01}"))


def test_yes_is_a_description_not_a_boolean():
    data = parse_coverage(MINIMAL.replace("description: Servicio de prueba.", "description: yes"))
    assert data.services[0].description == "yes"


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.sampled_from(["1e3", "0o17", "0x1F", "1E-5", ".5", "yes", "10:30", "2020-01-01", "~", "+1"]),
                 st.from_regex(r"[-+]?[0-9]{1,4}([.][0-9]*)?([eE][-+]?[0-9]{1,2})?", fullmatch=True)))
def test_the_yaml_writer_quotes_what_mimpmap_would_read_as_a_number(text):
    """The writer (import) writes plain only what every reader, mimpmap's YAML 1.2 among them, reads back."""
    data = {"title": text, "source": "s", "programs": [{"id": "p", "short_name": text, "name": "n"}]}
    back = read(yamlout.coverage_yaml({**data, "services": []}, "# cabecera"))
    assert {k: back[k] for k in data} == data
