"""The README's two set-up commands exist, and CI runs exactly its test command; ARCHITECTURE.md's
worked examples are the tests' code (issue 20), and its toy format builds."""

import re

from mimpmap.formats import Format, Output

from .conftest import ROOT


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_has_a_build_and_a_test_command():
    build, test = readme_commands()[:2]
    assert "mimpmap build" in build and "pip install" in build
    assert "pytest" in test and "pip install" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
    assert "apt-get install -y -qq chromium" in ci


def test_build_command_uses_the_committed_formats():
    from .test_build import COMMITTED_FORMATS

    assert f"--format {','.join(COMMITTED_FORMATS)}" in readme_commands()[0]


def test_the_build_command_installs_only_what_building_needs():
    """Issue 22.14: the build command installed the test tools (a 661 MB environment)."""
    build, test = readme_commands()[:2]
    assert "pip install -q -e . &&" in build and "[test]" not in build
    assert '-e ".[test]"' in test


def test_the_readme_has_the_windows_lines_and_the_zip_route():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv\\Scripts\\mimpmap build" in text and ".venv\\Scripts\\pip install -q -e ." in text
    assert "Download ZIP" in text


def test_the_readme_says_what_a_build_ends_with(tmp_path):
    from click.testing import CliRunner

    from mimpmap.cli import main

    from .conftest import DATA, GEO

    result = CliRunner().invoke(main, ["build", "--data", DATA, "--geo", GEO, "--out", tmp_path / "maps",
                                       "--format", "html"])
    last = result.output.splitlines()[-1].replace(str(tmp_path / "maps"), "maps")
    assert result.exit_code == 0 and last.startswith("Abra maps/index.html")
    assert last in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_test_command_runs_on_every_core():
    """One core takes ~7.5 minutes for the suite, over the 5-minute budget; pytest-xdist spreads it. Each
    process starts with a half of the tests in their order (the browser's in one, which builds the site
    it opens once), and one that is done takes over tests the other has not reached (worksteal)."""
    assert readme_commands()[1].endswith("pytest -n auto --dist worksteal")
    assert "pytest-xdist" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# --- ARCHITECTURE.md's worked examples ------------------------------------------------------------

# --- toy-format: start ---
def outputs(atlas, fmt, job):
    """The toy format's one file: the title of each map of the build, a line each."""
    titles = tuple(spec.header.title for spec in job.maps)
    yield Output("titulos.txt", lambda: "\n".join(titles).encode("utf-8"), titles)


TITLES = Format("titulos", "los títulos de los mapas, uno por línea", __name__)
# --- toy-format: end ---


def test_a_format_added_to_the_table_builds_its_file(tmp_path, monkeypatch, shipped):
    from mimpmap.build import BuildOptions, build
    from mimpmap.formats import FORMATS

    monkeypatch.setitem(FORMATS, "titulos", TITLES)
    build(shipped.atlas, tmp_path, BuildOptions(formats=("titulos",)))
    lines = (tmp_path / "titulos.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [shipped.atlas.choropleth.header.title, *(s.header.title for s in shipped.atlas.services)]


def architecture_examples() -> list[tuple[str, str]]:
    """ARCHITECTURE.md's Python blocks, each with the test file it is taken from (the comment above it)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    return re.findall(r"<!-- (tests/[\w/]+\.py) -->\n```python\n(.+?)\n```", text, re.S)


def code_lines(text: str) -> str:
    """The lines of ``text`` without their indent or the blank ones: a block quoted from inside a test."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def test_the_architecture_examples_are_the_tests_code():
    examples = architecture_examples()
    assert {path for path, _ in examples} == {"tests/test_layers.py", "tests/test_inputs.py", "tests/test_levels.py",
                                              "tests/test_docs.py"}
    for path, code in examples:
        assert code_lines(code) in code_lines((ROOT / path).read_text(encoding="utf-8")), path


def test_the_layer_example_is_the_toy_layer_test_registers():
    """The layer shown is exactly the one ``tests/test_layers.py`` registers and checks."""
    source = (ROOT / "tests" / "test_layers.py").read_text(encoding="utf-8")
    toy = re.search(r"# --- toy-layer: start ---\n(.+?)# --- toy-layer: end ---", source, re.S).group(1)
    assert code_lines(toy) in [code_lines(code) for _, code in architecture_examples()]
    assert "ARCHITECTURE.md" in (ROOT / "README.md").read_text(encoding="utf-8")
