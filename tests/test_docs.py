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
