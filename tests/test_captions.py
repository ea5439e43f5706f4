"""The words to paste with each figure in a document (issue 22.4): a caption and an alternative text
in a .txt file beside each image, worded by the description of the map, keyed like any output."""

from __future__ import annotations

from dataclasses import replace

from mimpmap.build import BuildOptions, build, keys, plan
from mimpmap.views.report import (ALT_LABEL, CAPTION_LABEL, choropleth_caption, mosaic, mosaic_caption, people_caption,
                                  people_chart, service_caption)


def texts(atlas, formats=("png", "svg")) -> dict[str, bytes]:
    return {i.name: i for i in plan(atlas, BuildOptions(formats=formats)) if i.name.endswith(".txt")}


def test_every_image_has_its_words_beside_it_once(shipped):
    atlas = shipped.atlas
    items = plan(atlas, BuildOptions(formats=("png", "svg")))
    names = [i.name for i in items]
    assert len(names) == len(set(names))  # PNG and SVG share one file
    images = {n.rsplit(".", 1)[0] for n in names if n.endswith(".svg")}
    assert {n.rsplit(".", 1)[0] for n in names if n.endswith(".txt")} == images
    assert "servicios/cai.txt" in texts(atlas, ("svg",))  # an SVG-only build has them too
    assert not texts(atlas, ("html",))


def test_the_words_are_the_descriptions(shipped):
    atlas = shipped.atlas
    files = {name: item.render().decode("utf-8") for name, item in texts(atlas).items()}
    cai = atlas.service("cai")
    assert files["servicios/cai.txt"] == service_caption(cai, atlas.inset_title).text
    assert files["cobertura.txt"] == choropleth_caption(atlas.choropleth, atlas.inset_title).text
    assert files["mosaico.txt"] == mosaic_caption(mosaic(atlas), atlas.services).text
    assert files["poblacion.txt"] == people_caption(people_chart(atlas)).text
    caption, alt = service_caption(cai, atlas.inset_title).caption, service_caption(cai).alt
    for words in (cai.table_caption, cai.coverage_words, cai.static_source, cai.static_notes[0]):
        assert words in caption
    for words in (cai.aria_label, cai.reach, cai.coverage_words):
        assert words in alt
    text = files["servicios/cai.txt"]
    assert text.startswith(CAPTION_LABEL) and f"\n\n{ALT_LABEL}\n" in text and text.endswith(".\n")
    every = mosaic_caption(mosaic(atlas), atlas.services).alt
    assert all(f"{s.display_name}, {s.coverage_words}" in every for s in atlas.services)
    assert "AURORA: CEM, A nivel nacional; CAI, " in every and "UA: Adopciones" in every
    assert "UA, 100,0\u00a0%" in people_caption(people_chart(atlas)).alt
    mi60 = service_caption(atlas.service("mi60")).alt
    assert "2 puntos en el mapa" in mi60  # the centres drawn as dots


def test_a_caption_is_keyed_by_what_it_says(shipped):
    atlas = shipped.atlas
    options = BuildOptions(formats=("png", "svg"))
    before = keys(atlas, plan(atlas, options), options)
    cai = atlas.service("cai")

    def changed(**fields) -> set[str]:
        other = replace(atlas, services=tuple(replace(s, **fields) if s is cai else s for s in atlas.services))
        after = keys(other, plan(other, options), options)
        return {name for name in before if name.endswith(".txt") and after[name] != before[name]}

    assert changed(coverage_words="Cusco") >= {"servicios/cai.txt", "mosaico.txt"}
    assert "servicios/cai.txt" in changed(static_source="Fuente: otra")
    assert changed(description="Otra descripción, que la figura no dice.") == set()


def test_a_build_writes_them_in_utf_8(shipped, tmp_path):
    # The build's own writing of the file: CAI's caption alone (its images and the summaries only cost time).
    build(shipped.atlas, tmp_path, BuildOptions(formats=("svg",), services=("cai",),
                                                only=frozenset({"servicios/cai.txt"})))
    text = (tmp_path / "servicios" / "cai.txt").read_text(encoding="utf-8")
    assert "Centros de Atención Institucional" in text and "Texto alternativo" in text
