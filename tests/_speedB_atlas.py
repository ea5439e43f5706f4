"""The atlas of one service (:data:`~tests.conftest.MINIMAL`, with the default centres, census and district
points) and its PDF atlas, undated, drawn once per test process and paper size: test_pdf and test_gapmaps
read the same bytes instead of drawing them again (a PDF atlas is its every page drawn)."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from unittest import mock

from .conftest import GEO, MINIMAL


def small_atlas(tmp_path_factory):
    """The one-service atlas, read from a copy of :data:`MINIMAL` in a folder of ``tmp_path_factory``."""
    return _small_atlas(tmp_path_factory.getbasetemp())


def small_pdf(tmp_path_factory, size: str = "a4") -> bytes:
    """:func:`small_atlas` as a PDF atlas on the paper of ``size``, without ``SOURCE_DATE_EPOCH``."""
    return _small_pdf(tmp_path_factory.getbasetemp(), size)


@functools.lru_cache(maxsize=None)
def _small_atlas(base: Path):
    import mimpmap

    folder = base / "speedB-small"
    folder.mkdir(exist_ok=True)
    data = folder / "coverage.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    return mimpmap.load(data, GEO).atlas


@functools.lru_cache(maxsize=None)
def _small_pdf(base: Path, size: str) -> bytes:
    from mimpmap.pdf import render_atlas

    with mock.patch.dict(os.environ):
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        return render_atlas(_small_atlas(base), size=size)
