"""The views: the description of every output, built once from the join and drawn by every renderer.

:func:`mimpmap.views.atlas.describe` turns a :class:`~mimpmap.coverage.Coverage` into an
:class:`~mimpmap.views.atlas.Atlas`: the choropleth, one service map per service and the index, each
with its titles, every unit's status, colour and words, its legend, figures, notes and source; the pages
made for reports (the mosaic, the population charts, the PDF atlas's cover, the captions) are derived from
it. The renderers (``html/`` with folium, ``static`` with matplotlib, and every later format) only draw
these descriptions: none of them reads the coverage or words anything that depends on the data. Every
phrase a reader sees about the data is written here, once, so the HTML page, the PNG/SVG and the PDF
cannot disagree.

One module per output kind (:mod:`.choropleth`, :mod:`.service`, :mod:`.index`, :mod:`.report`,
:mod:`.atlas`), each made of the small vocabulary of :mod:`.marks`, with the phrases several of them share
in :mod:`.words` and the web pages' fixed words in :mod:`.web`. Each view is built from one read-only
:class:`~mimpmap.views.context.Context` (the coverage, its level and population, the words shared).

The descriptions are plain frozen dataclasses of strings and numbers; the one heavy field is the
boundary geometry (:attr:`~mimpmap.views.atlas.Atlas.boundaries`), which every map shares.
"""
