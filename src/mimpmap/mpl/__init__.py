"""The matplotlib toolkit of the print renderers (:mod:`mimpmap.static`, :mod:`mimpmap.mosaic`,
:mod:`mimpmap.charts`, :mod:`mimpmap.pdf`): what each of them draws with, written once.

* :mod:`.typeset`: the style, the page sizes, a page's geometry, text sizes, measuring and wrapping text;
* :mod:`.geometry`: the boundaries projected for print, with their label points and the inset's window;
* :mod:`.marks`: what is drawn on a page: units, hatching, legend swatches, labels, header and footer;
* :mod:`.files`: a drawing saved as PNG, SVG and the index's thumbnail, with deterministic bytes.
"""
