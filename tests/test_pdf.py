"""The PDF atlas: its pages, text, fonts, bookmarks and bytes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from mimpmap.formats import Job
from mimpmap.pdf import ATLAS_FILE, outputs, render_atlas

from .conftest import GEO, MINIMAL

pytestmark = pytest.mark.skipif(not GEO.exists(), reason="geo/peru_departamentos.geojson is not there yet")
pypdf = pytest.importorskip("pypdf")

POPPLER = "pdftotext and pdffonts are not installed: apt-get install poppler-utils"


@pytest.fixture(scope="module")
def atlas(shipped):
    return shipped.atlas


@pytest.fixture(scope="module")
def small(small_atlas):
    """The atlas of one service (:data:`MINIMAL`): a few pages, quick to draw, for what any atlas shows
    alike (the date, the paper size, the availability table of every department). Its undated PDF
    atlas of each paper size is drawn once (``small_pdf``), also for test_gapmaps."""
    return small_atlas


@pytest.fixture(scope="module")
def pdf_file(shipped_maps):
    """The shipped atlas's PDF as ``render_atlas(atlas)`` draws it (undated, A4): the one of the shipped
    maps built once per run (``shipped_maps``, which test_build compares with maps/). Read only."""
    return shipped_maps / ATLAS_FILE


@pytest.fixture(scope="module")
def pdf(pdf_file) -> bytes:
    return pdf_file.read_bytes()


def poppler(tool: str, *args) -> str:
    if shutil.which(tool) is None:
        pytest.skip(POPPLER)
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Text without its white space: lines wrap anywhere on a page."""
    return re.sub(r"\s+", "", text)


def test_a4_pages_a_cover_the_overviews_the_table_and_a_page_per_service(pdf, atlas):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 21 and len(reader.pages) >= len(atlas.services) + 4
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert reader.metadata.title == atlas.title


def test_every_service_name_and_source_is_text(pdf_file, atlas):
    text = squeeze(poppler("pdftotext", "-enc", "UTF-8", pdf_file, "-"))
    for service in atlas.services:
        assert squeeze(service.title) in text, service.id
        if service.service_source:
            assert squeeze(service.service_source) in text, service.id
        for note in service.footnotes:
            assert squeeze(note.text) in text, service.id
    assert squeeze(atlas.choropleth.static_source) in text
    for row in atlas.index.summary:  # the table of services
        assert squeeze(row.coverage) in text and (row.latest is None or squeeze(row.latest) in text)


def test_pages_are_numbered(pdf_file, pdf):
    total = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    last = poppler("pdftotext", "-f", total, "-l", total, pdf_file, "-")
    assert f"Página {total} de {total}" in last


def test_every_font_is_embedded(pdf_file):
    rows = poppler("pdffonts", pdf_file).splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object-id generation
        assert emb == "yes", row
    assert not any("Type 3" in row for row in rows)  # TrueType: text stays text


def test_outline_has_one_entry_per_service_under_its_program(pdf, pdf_file, atlas):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    top, services = [], []
    outline = reader.outline
    for i, item in enumerate(outline):
        if isinstance(item, list):
            services += [(outline[i - 1].title, child.title, reader.get_destination_page_number(child))
                         for child in item]
        else:
            top.append(item.title)
    assert [title for _, title, _ in services] == [s.title for s in atlas.services]
    assert [program for program, _, _ in services] == [s.program.short for s in atlas.services]
    assert top[:6] == ["Portada", atlas.choropleth.header.title, "Los 19 servicios del MIMP, uno por mapa",
                       "La población que alcanzan los servicios del MIMP", "Resumen de los servicios",
                       "Disponibilidad por departamento"]
    # Each bookmark opens its service's page (poppler reads the text: pypdf takes seconds for these pages).
    texts = poppler("pdftotext", "-enc", "UTF-8", pdf_file, "-").split("\f")
    for (_, title, page), service in zip(services, atlas.services):
        assert squeeze(service.title) in squeeze(texts[page]), title


def test_a_page_shows_the_availability_table_and_its_notes(pdf_file, pdf, atlas):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    view = atlas.index.availability
    mark = next(item for item in reader.outline if not isinstance(item, list) and item.title == view.title)
    n = reader.get_destination_page_number(mark) + 1
    text = squeeze(poppler("pdftotext", "-f", n, "-l", n, "-enc", "UTF-8", pdf_file, "-"))
    assert all(squeeze(cell) in text for cell in view.head)
    for row in (*view.rows, view.total):  # each row whole, in its order
        assert squeeze("".join(row)) in text, row
    for note in (view.caption, *view.notes):
        assert squeeze(note) in text, note
    assert "disponibilidad" in squeeze(poppler("pdftotext", "-f", 1, "-l", 1, pdf_file, "-")).lower()


def test_same_inputs_same_bytes(small, small_pdf, monkeypatch):
    # Drawn twice in one process (what a first drawing caches must not change a second: the first is
    # small_pdf's, of the same atlas); the shipped atlas's bytes are checked against maps/ by test_build
    # and in another process below.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = small_pdf()
    assert render_atlas(small) == first
    assert b"CreationDate" not in first


def test_source_date_epoch_dates_the_cover_and_the_file(small, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01 00:00 UTC
    # Without the maps of the provinces (a third of the drawing): the date is what is checked.
    reader = pypdf.PdfReader(io.BytesIO(render_atlas(replace(small, brechas=None))))
    assert "Generado el 1 de diciembre de 2025" in reader.pages[0].extract_text()
    assert reader.metadata.creation_date.year == 2025


def test_outputs_only_for_a_whole_build(atlas):
    assert [item.name for item in outputs(atlas, "pdf", Job(maps=atlas.maps, whole=True))] == ["atlas.pdf"]
    assert list(outputs(atlas, "pdf", Job(maps=(atlas.service("cai"),), whole=False))) == []


def test_other_paper_sizes(small, small_pdf, tmp_path):
    # Letter paper on an atlas without the maps of the provinces (a third of its drawing): the paper is
    # what is checked.
    reader = pypdf.PdfReader(io.BytesIO(render_atlas(replace(small, brechas=None), size="carta")))
    assert [round(float(v)) for v in reader.pages[0].mediabox.upper_right] == [612, 792]  # US letter
    slides = tmp_path / "diapositivas.pdf"
    slides.write_bytes(small_pdf("diapositiva"))
    width, height = (float(v) for v in pypdf.PdfReader(slides).pages[5].mediabox.upper_right)
    assert width > height
    # The availability notes do not fit under the table on a slide: they go on a page of their own (the
    # cover names the table too).
    view = small.index.availability
    texts = [squeeze(t) for t in poppler("pdftotext", "-enc", "UTF-8", slides, "-").split("\f")[1:]]
    pages = [t for t in texts if squeeze(view.title) in t]
    assert len(pages) == 2 and squeeze(view.total[-1]) in pages[0] and squeeze(view.notes[-1]) in pages[1]


def test_the_table_of_services_takes_pages_of_about_the_same_length(atlas):
    from mimpmap.views.index import summary_cells
    from mimpmap.pdf import table_pages
    from mimpmap.mpl.typeset import SIZES, Page

    rows = [summary_cells(r) for r in atlas.index.summary]
    assert [len(p) for p in table_pages(rows, Page.paper(SIZES["a4"]))] == [len(rows)]
    pages = table_pages(rows * 3, Page.paper(SIZES["a4"]))
    assert len(pages) > 1 and sum(map(len, pages)) == 3 * len(rows)
    assert min(map(len, pages)) >= 0.6 * max(map(len, pages))  # no page left with a row or two


def test_same_bytes_in_another_process(tmp_path, small_pdf, monkeypatch):
    # The small atlas (every kind of page: the shipped one's bytes are checked against maps/ by test_build,
    # also drawn in other processes).
    import hashlib
    import sys

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = tmp_path / "coverage.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    code = (
        "import hashlib, mimpmap; from mimpmap.pdf import render_atlas; "
        f"print(hashlib.sha256(render_atlas(mimpmap.load({str(data)!r}, {str(GEO)!r}).atlas)).hexdigest())"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == hashlib.sha256(small_pdf()).hexdigest()
