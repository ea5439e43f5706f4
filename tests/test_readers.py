"""Readers: files that are not regular files, hostile YAML (alias bombs, huge numbers, control
characters) and YAML syntax errors, each refused fast with a Spanish message at the line of the mistake."""

from __future__ import annotations

import os
import time

import pytest

from mimpmap import DataError
from mimpmap.errors import InputFileError, MimpmapError
from mimpmap.model import parse_coverage, read_coverage
from mimpmap.readers import READERS, read_document
from mimpmap.readers import yaml as yaml_reader
from mimpmap.readers.files import read_input

#: A refusal that takes longer than this has hung on its input (wall time on a shared, loaded machine;
#: not a speed target: those are in benchmarks/).
HANG_S = 10

from .conftest import DATA, MINIMAL


def problems_of(text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        parse_coverage(text, "x.yaml")
    return info.value.problems


# --- choosing the reader, reading the file -------------------------------------------------------------

def test_yml_is_read_like_yaml(yaml_file):
    assert set(READERS) == {".yaml", ".yml", ".xlsx", ".ods"}
    data = read_coverage(yaml_file(name="cobertura.YML"))
    assert [s.id for s in data.services] == ["cai"]


def test_an_unknown_suffix_names_the_accepted_ones(yaml_file):
    with pytest.raises(InputFileError) as info:
        read_coverage(yaml_file(name="coverage.csv"))
    assert "'.csv'" in str(info.value) and "debe ser .ods, .xlsx, .yaml o .yml" in str(info.value)
    assert info.value.exit_code == 2


def test_the_document_has_a_locator_for_every_path(yaml_file):
    doc = read_document(yaml_file())
    assert doc.data["services"][0]["id"] == "cai" and doc.problems == ()
    assert doc.locator.where(("services", 0, "coverage", 2)) == "línea 10"
    assert doc.locator.where(("services", 0, "figures", 0, "values", 1)) == "línea 13"
    assert doc.locator.where(("services", 7, "nada")) == "línea 5"  # as deep as the file goes


def refused_at_once(path, words: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InputFileError, match=words):
        read_coverage(path)
    assert time.perf_counter() - started < HANG_S


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_without_reading(device, tmp_path):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    link = tmp_path / "coverage.yaml"
    link.symlink_to(device)
    refused_at_once(link, "no es un archivo normal")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "coverage.yaml"
    os.mkfifo(fifo)
    refused_at_once(fifo, "tubería")


def test_a_file_past_the_size_bound_is_refused(tmp_path):
    big = tmp_path / "coverage.yaml"
    big.write_bytes(b"# " + b"x" * 2000 + b"\n")
    with pytest.raises(InputFileError, match="ocupa más de"):
        read_input(big, limit=1000)
    assert read_input(big, limit=5000).startswith(b"# x")


def test_the_shipped_file_is_far_below_the_size_bound():
    from mimpmap.readers import MAX_BYTES

    assert DATA.stat().st_size * 20 < MAX_BYTES


# --- aliases ---------------------------------------------------------------------------------------

def bomb(levels: int = 9) -> str:
    lines = ["  l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return MINIMAL.replace("title: Prueba\n", "title: Prueba\nbomba:\n" + "\n".join(lines) + "\n")


def test_an_alias_bomb_is_refused_fast():
    started = time.perf_counter()
    (msg,) = problems_of(bomb())
    elapsed = time.perf_counter() - started
    assert elapsed < HANG_S, f"{elapsed:.3f} s"  # expanded, its 9**9 items would take minutes
    assert "alias" in msg and "más de 10\u00a0000 elementos" in msg and msg.startswith("línea ")


def test_small_aliases_still_work():
    text = MINIMAL.replace("description: Servicio de prueba.", "description: &d Servicio de prueba.")
    text = text.replace("    periods:", "    notes: [*d, *d]\n    periods:")
    data = parse_coverage(text)
    assert data.service("cai").notes == ["Servicio de prueba.", "Servicio de prueba."]


def test_an_alias_inside_its_own_anchor_is_refused():
    (msg,) = problems_of(MINIMAL + "    notes: &n [a, *n]\n")
    assert msg.startswith("línea 14") and "dentro de su propia ancla" in msg


def test_an_alias_with_no_anchor():
    (msg,) = problems_of(MINIMAL + "    notes: [*nada]\n")
    assert msg.startswith("línea 14, columna 13: ") and "no tiene antes un ancla" in msg


# --- numbers -------------------------------------------------------------------------------------

def test_an_integer_too_long_to_convert_is_refused_with_its_line():
    text = MINIMAL.replace("values: [1726, 2075]", "values: [1726, 2%s]" % ("0" * 5000))
    (msg,) = problems_of(text)
    assert msg.startswith("línea 13, ") and "5001 cifras" in msg


# --- encodings and characters --------------------------------------------------------------------

def test_a_raw_control_character_names_its_line():
    (msg,) = problems_of(MINIMAL.replace("Servicio de prueba.", "Servicio\x1b]0;pwned\x07 de prueba."))
    assert msg.startswith("línea 9: ") and "U+001B" in msg and "\x1b" not in msg


def test_a_byte_order_mark_is_fine():
    assert parse_coverage("\ufeff" + MINIMAL).service("cai")


# --- syntax errors: the line of the mistake, in Spanish ------------------------------------------

ENGLISH = ("found", "expected", "while", "mapping", "scanning", "could not", "character")


@pytest.mark.parametrize("old,new,line,column,words", [
    ("    program: aurora", "\tprogram: aurora", 7, 1, "tabulador"),
    ("    program: aurora", "  \tprogram: aurora", 7, 3, "tabulador"),
    ("values: [1726, 2075]", "values: [1726, 2075", 13, 31, "'[' abierto aquí no se cierra"),
    ("{unit: casos, values: [1726, 2075]}", "{unit: casos, values: [1726, 2075]", 13, 9,
     "'{' abierta aquí no se cierra"),
    ("name: Centros de Atención Institucional", 'name: "Centros de Atención Institucional', 8, 11,
     "comillas abiertas aquí no se cierran"),
    ("name: Centros de Atención Institucional", "name: 'Centros de Atención Institucional", 8, 11,
     "comillas abiertas aquí no se cierran"),
    ("    name: Centros", "   name: Centros", 8, 4, "sangría"),
    ("    name: Centros", "     name: Centros", 8, 10, "sangría"),
    ("    periods:", "  periods:", 11, 3, "sangría"),
    ("description: Servicio de prueba.", "description: @prueba", 9, 18, "comillas"),
    ("description: Servicio de prueba.", 'description: "Servicio \\q"', 9, 28, "escape"),
])
def test_syntax_errors_point_at_the_mistake(old, new, line, column, words):
    assert old in MINIMAL
    (msg,) = problems_of(MINIMAL.replace(old, new, 1))
    assert msg.startswith(f"línea {line}, columna {column}: "), msg
    assert words in msg
    assert not any(word in msg for word in ENGLISH), msg


def test_two_documents_and_unknown_tags():
    (msg,) = problems_of(MINIMAL + "---\ntitle: otro\n")
    assert msg.startswith("línea 14") and "segundo documento" in msg
    (msg,) = problems_of(MINIMAL.replace("name: Centros", "name: !!python/name:os.system Centros"))
    assert msg.startswith("línea 8") and "etiqueta" in msg


def test_every_libyaml_message_has_a_spanish_translation():
    """A mistake libyaml words in a way the table does not know still gets Spanish, with no English."""
    import yaml

    exc = yaml.YAMLError()
    exc.problem, exc.context, exc.problem_mark, exc.context_mark = "something new", None, None, None
    msg = yaml_reader.syntax_message(exc, "")
    assert msg.startswith("el YAML no se puede leer")


@pytest.mark.parametrize("text", ["", "# solo un comentario\n", "- a\n", "42\n", "'texto'\n"])
def test_documents_that_are_not_mappings(text):
    (msg,) = problems_of(text)
    assert "mapa YAML" in msg


def test_every_error_is_a_mimpmap_error(tmp_path):
    for make in (lambda: read_coverage(tmp_path / "no.yaml"), lambda: parse_coverage(bomb())):
        with pytest.raises(MimpmapError):
            make()


@pytest.mark.parametrize("depth", [60, 999, 5000])
def test_deep_nesting_is_refused(depth):
    (msg,) = problems_of(MINIMAL.replace("title: Prueba", "title: " + "[" * depth + "]" * depth))
    assert msg.startswith("línea 1, columna ") and "niveles anidados" in msg


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path):
    bad = tmp_path / "cobertura\x1b[2J.yaml"
    bad.write_text("- a\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_coverage(bad)
    assert "\x1b" not in str(info.value) and "\\x1b[2J" in str(info.value)
    with pytest.raises(InputFileError) as info:
        read_coverage(tmp_path / "no\x07.yaml")
    assert "\x07" not in str(info.value) and "\\x07" in str(info.value)
