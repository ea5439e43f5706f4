"""Shared fixtures. Tests run from the repository root's files, whatever the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"

MINIMAL = """\
title: Prueba
source: MIMP, prueba
programs:
  - {id: aurora, short_name: AURORA, name: Programa AURORA}
services:
  - id: cai
    program: aurora
    name: Centros de Atención Institucional
    description: Servicio de prueba.
    coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]
    periods: [{label: Año 2020}, {label: Ene - Oct 2021}]
    figures:
      - {unit: casos, values: [1726, 2075]}
"""


@pytest.fixture(autouse=True)
def _import_records(tmp_path_factory, monkeypatch):
    """What `import` remembers (in the user's cache folder) goes to a temporary folder in every test."""
    monkeypatch.setenv("MIMPMAP_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def shipped():
    """The shipped coverage joined to the shipped geography (read once per session)."""
    import mimpmap

    return mimpmap.load(DATA, GEO)


@pytest.fixture
def yaml_file(tmp_path):
    """Write a coverage YAML into tmp_path and return its path."""

    def make(text: str = MINIMAL, name: str = "coverage.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
