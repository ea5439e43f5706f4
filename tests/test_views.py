"""The views package (issue 20): the pages made for reports are described once per atlas, and a
changed atlas describes its own."""

from __future__ import annotations

from dataclasses import replace

from mimpmap.manifest import digest
from mimpmap.views.report import mosaic, people_chart, report_files


def test_the_report_pages_are_described_once_per_atlas(shipped):
    atlas = shipped.atlas
    assert atlas.mosaic is atlas.mosaic and atlas.people_chart is atlas.people_chart
    assert digest(atlas.mosaic) == digest(mosaic(atlas))
    assert digest(atlas.people_chart) == digest(people_chart(atlas))
    assert report_files(atlas).mosaic_text == atlas.mosaic.static_subtitle


def test_a_changed_atlas_describes_its_own_report_pages(shipped):
    atlas = shipped.atlas
    first = atlas.mosaic  # described before the change: must not be carried over
    other = replace(atlas, period="Año 2030", population=None)
    assert other.mosaic is not first and other.mosaic.header.sub == "Año 2030"
    assert atlas.people_chart is not None and other.people_chart is None
