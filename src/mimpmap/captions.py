"""The words to paste beside each figure in a document: a ``.txt`` file beside each image
(``servicios/cai.txt`` beside ``servicios/cai.png``), with the figure's caption and its alternative
text, as the description of the map words them (:func:`mimpmap.views.report.service_caption` and the others).

The image formats write them (see :mod:`mimpmap.formats`): a build that makes PNG and SVG writes them
once, with the first of the two it plans.
"""

from __future__ import annotations

from typing import Iterator

from .formats import Output
from .views.atlas import Atlas
from .views.report import MOSAIC, Caption, choropleth_caption, mosaic_caption, people_caption, service_caption
from .views import gapmaps
from .views.service import ServiceMap

#: The suffix of the files.
SUFFIX = "txt"


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """A caption file per map of the build, and for the mosaic and the population charts in whole
    builds; only with the first image format the build plans (the files are the same for both)."""
    if job.session.once(job, "captions", lambda: fmt) != fmt:
        return
    for spec in job.maps:
        if isinstance(spec, ServiceMap):
            yield _file(spec.key, service_caption(spec, atlas.inset_title))
        else:
            yield _file(spec.key, choropleth_caption(spec, atlas.inset_title))
    if job.whole:
        yield _file(MOSAIC, mosaic_caption(atlas.mosaic, atlas.services))
        people = atlas.people_chart
        if people is not None:
            yield _file(people.key, people_caption(people))
        for gaps in gapmaps.printed_maps(atlas):
            yield _file(gaps.key, gapmaps.caption(atlas, gaps))


def _file(key: str, caption: Caption) -> Output:
    return Output(f"{key}.{SUFFIX}", lambda: caption.text.encode("utf-8"), caption)
