"""Shared fixtures. Tests run from the repository root's files, whatever the working directory."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from pathlib import Path
from typing import Callable
from unittest import mock

import pytest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every worker builds its own
    fcntl = None

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"

#: The formats the committed maps/ are built with (see README).
COMMITTED_FORMATS = ("html", "png", "svg", "pdf")

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


#: A centres file without doubts (the shipped directory warns of its doubtful points): for tests of a
#: clean ``check`` ("Todo correcto.") that are about other inputs.
CLEAN_CENTRES = ("# año: 2026\n# fuente: MIMP, prueba\ntipo,subtipo,nombre,ubigeo,departamento,lat,lon\n"
                 "CAI,,C.A.I. Lima,150101,Lima,-12.05,-77.04\n")


def clean_centres(folder: Path) -> Path:
    """:data:`CLEAN_CENTRES` written in ``folder``."""
    path = folder / "centros-limpio.csv"
    path.write_text(CLEAN_CENTRES, encoding="utf-8")
    return path


def pytest_configure(config):
    """A test process keeps what it loads and builds to its end (libraries, session fixtures, caches):
    with Python's default thresholds the collector walks all of it again every few tests, about a tenth
    of a run's CPU (timed with ``gc.callbacks``). Here its full passes come ten times more rarely; young
    objects are collected as usual. (The ``mimpmap`` program does its own: ``cli.run``.)"""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


@pytest.fixture(autouse=True)
def _import_records(tmp_path_factory, monkeypatch):
    """What `import` remembers (in the user's cache folder) goes to a temporary folder in every test."""
    monkeypatch.setenv("MIMPMAP_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _builds_in_their_own_process_under_xdist(monkeypatch):
    """Under xdist (the README's ``-n auto``) every core already runs tests: a build renders in its own
    process, as on a one-core machine, unless its test asks for workers (``jobs=2``). Forked workers
    would only add their start-up to a busy machine. Without xdist, builds fork as they do for users."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from mimpmap import workers

        count = workers.count
        monkeypatch.setattr(workers, "count", lambda jobs, parts, todo: count(1 if jobs is None else jobs, parts, todo))


@pytest.fixture(scope="session")
def shipped():
    """The shipped coverage joined to the shipped geography (read once per session)."""
    import mimpmap

    return mimpmap.load(DATA, GEO)


def shared_temp(tmp_path_factory) -> Path:
    """The run's temporary folder that every xdist worker shares (each worker's own is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name`` that ``make(folder)`` fills, made once per run in :func:`shared_temp`.

    Under xdist the first worker to ask makes it while another that asks too waits on a lock (only
    then: a worker that finds it made takes it without locking), and every worker reads the same
    folder; the tests only read it (one that changes it works on a copy). A marker written only after
    ``make`` succeeds tells a finished folder from one cut short by a worker that died or failed: that
    one is made again. Without ``fcntl`` (Windows) every worker makes its own."""
    if fcntl is None:  # pragma: no cover - Windows
        out = tmp_path_factory.mktemp("own") / name
        make(out)
        return out
    root = shared_temp(tmp_path_factory)
    out, done = root / name, root / f"{name}.done"
    if done.exists():
        return out
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            make(out)
            done.touch()
    return out


@contextlib.contextmanager
def undated():
    """Without ``SOURCE_DATE_EPOCH`` for a while: the PDF atlas is undated, as the committed one."""
    with mock.patch.dict(os.environ):
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        yield


@pytest.fixture(scope="session")
def shipped_maps(request, tmp_path_factory) -> Path:
    """The shipped maps as committed in maps/: :data:`COMMITTED_FORMATS`, default dpi (300) and paper
    (A4), the PDF atlas undated (without ``SOURCE_DATE_EPOCH``). Built once per run (:func:`built_once`)
    for test_build's comparison with maps/, test_pdf's atlas and the browser tests' pages. Read only."""

    def make(out: Path) -> None:
        from mimpmap.build import BuildOptions, build

        atlas = request.getfixturevalue("shipped").atlas  # only the worker that builds needs it
        # With a worker process per core, xdist or not: the browser tests, the comparison with maps/ and
        # the PDF's tests wait for these maps, and a worker that waits leaves its core idle.
        with undated():
            build(atlas, out, BuildOptions(formats=COMMITTED_FORMATS, jobs=os.cpu_count() or 1))

    return built_once(tmp_path_factory, "shipped-maps", make)


@pytest.fixture(scope="session")
def small_atlas(tmp_path_factory):
    """The atlas of one service (:data:`MINIMAL`, with the default centres, census and district points),
    read once per test process."""
    import mimpmap

    data = tmp_path_factory.mktemp("small") / "coverage.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    return mimpmap.load(data, GEO).atlas


@pytest.fixture(scope="session")
def small_pdf(small_atlas):
    """``small_pdf(size="a4")``: :func:`small_atlas`'s PDF atlas on that paper, undated (without
    ``SOURCE_DATE_EPOCH``), drawn once per test process and size: test_pdf and test_gapmaps read the same
    bytes instead of drawing them again (a PDF atlas is its every page drawn)."""
    from mimpmap.pdf import render_atlas

    drawn: dict[str, bytes] = {}

    def pdf(size: str = "a4") -> bytes:
        if size not in drawn:
            with undated():
                drawn[size] = render_atlas(small_atlas, size=size)
        return drawn[size]

    return pdf


@pytest.fixture
def yaml_file(tmp_path):
    """Write a coverage YAML into tmp_path and return its path."""

    def make(text: str = MINIMAL, name: str = "coverage.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
