"""The README's two set-up commands exist, and CI runs exactly its test command."""

import re

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
    """One core takes ~7.5 minutes for the suite, over the 5-minute budget; pytest-xdist spreads it."""
    assert readme_commands()[1].endswith("pytest -n auto")
    assert "pytest-xdist" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
