"""The directory's centres on the printed maps (issue 21, "Print"): the PNG/SVG and atlas PDF pages of CEM,
SAU, CAI and Estrategia Rural draw their points by kind with a legend and the points' source and year;
never a shelter, never a doubtful point; a change of the centres redraws those images and the PDF alone."""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from xml.etree import ElementTree

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from mimpmap import colors
from mimpmap.centremaps import LOOKS, SOURCE_LINE
from mimpmap.cli import main
from mimpmap.mpl.centres import ALPHA
from mimpmap.static import render_static

from .conftest import GEO, MINIMAL


SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cem_svg(shipped) -> str:
    return render_static(shipped.atlas, "cem", fmt="svg").decode("utf-8")


def words(svg: str) -> str:
    """The text of ``svg``, its lines joined by spaces (a wrapped paragraph is a text per line)."""
    root = ElementTree.fromstring(svg.encode("utf-8"))
    return " ".join("".join(t.itertext()).strip() for t in root.iter(f"{SVG}text"))


def marks(svg: str, group: str) -> Counter:
    """How many markers each ``<group>-<n>`` collection of ``svg`` draws, by ``n``."""
    found = Counter()
    for g in ElementTree.fromstring(svg.encode("utf-8")).iter(f"{SVG}g"):
        n = re.fullmatch(rf"{group}-(\d+)", g.get("id", ""))
        if n:
            found[int(n.group(1))] += sum(1 for _ in g.iter(f"{SVG}use"))
    return found


def test_the_cem_svg_draws_one_marker_per_placed_cem_and_none_astray(shipped, cem_svg):
    placed = [c for c in shipped.centres.placed if c.tipo == "CEM"]
    astray = [a.centre for a in shipped.centres.astray if a.centre.tipo == "CEM"]
    assert sum(marks(cem_svg, "centres").values()) == len(placed) == 435  # 436 CEM less Grocio Prado's
    assert any("Saravia" in c.nombre for c in astray)
    assert "No se dibuja 1 centro: Cem Comisaría Emilio Roman Saravia Garcia" in words(cem_svg)  # said, not placed


def test_the_inset_draws_the_points_inside_it(shipped, cem_svg):
    inset = sum(marks(cem_svg, "centres-inset").values())
    lima = [c for c in shipped.centres.placed if c.tipo == "CEM" and c.ubigeo[:4] in ("1501", "0701")]
    assert inset >= len(lima) > 30


def test_the_legend_names_each_kind_and_the_notes_the_source_and_year(shipped, cem_svg):
    for kind in ("regular", "comisaría", "centro de salud"):
        assert f"{LOOKS[('CEM', kind)][1]}</text>" in cem_svg
    text = words(cem_svg)
    assert "Centros (Directorio MIMP 2026)" in text  # the legend's title: the layer's name
    assert "Directorio MIMP 2026: 436 centros" in text
    assert "El resumen del MIMP cuenta 426 CEM (cifras hasta Ene – Oct 2021)" in text  # both dates
    assert SOURCE_LINE.format(source=shipped.centres.source) in text


def test_every_text_is_at_least_7_pt_at_a4_text_width(cem_svg):
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", cem_svg)]
    assert sizes and min(sizes) >= 7


def test_shelters_are_never_drawn_and_other_services_have_no_centres(shipped, cem_svg):
    hrt = render_static(shipped.atlas, "hrt", fmt="svg").decode("utf-8")
    linea = render_static(shipped.atlas, "linea-100", fmt="svg").decode("utf-8")
    for svg in (hrt, linea):
        assert not marks(svg, "centres") and "Directorio MIMP" not in words(svg)
    assert "HRT" not in cem_svg.replace("HRT)", "")


@pytest.mark.parametrize("service, kinds", [("estrategia-rural", {"SAR"}), ("sau", {"SAU"}), ("cai", {"CAI"})])
def test_the_other_pages_draw_their_own_kinds(shipped, service, kinds):
    svg = render_static(shipped.atlas, service, fmt="svg").decode("utf-8")
    placed = [c for c in shipped.centres.placed if c.tipo in kinds]
    assert sum(marks(svg, "centres").values()) == len(placed) > 0


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], float)


def test_the_png_shows_the_dots_in_their_colour(shipped):
    """Dots of each common CEM kind are seen on the blue of the covered units, in their colour at
    :data:`ALPHA` over it; with the map's own colours alone none would be."""
    image = np.asarray(Image.open(io.BytesIO(render_static(shipped.atlas, "cem", dpi=150))).convert("RGB"), float)
    for kind in ("regular", "comisaría"):
        dot = ALPHA * rgb(LOOKS[("CEM", kind)][0]) + (1 - ALPHA) * rgb(colors.COVERED)
        assert (np.abs(image - dot).max(axis=2) < 12).sum() > 500, kind


# --- what a change of the centres redraws ------------------------------------------------------------

#: Three services with centres of their own (cem, sau, cai) and one without.
COVERAGE = MINIMAL.replace("    name: Centros", "    short_name: CAI\n    name: Centros") + "".join(
    MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", f"id: {sid}").replace(
        "    name: Centros de Atención Institucional", f"    short_name: {short}\n    name: Servicio {short}")
    for sid, short in (("cem", "CEM"), ("sau", "SAU"), ("otro", "OTRO")))
CENTRES = ("# año: 2026\n# fuente: MIMP, prueba\ntipo,subtipo,nombre,ubigeo,departamento,lat,lon\n"
           "CEM,regular,CEM Lima,150101,Lima,-12.05,-77.04\n"
           "CEM,comisaría,CEM Cusco,080101,Cusco,-13.53,-71.97\n"
           "SAU,,SAU Ayacucho,050101,Ayacucho,-13.16,-74.22\n"
           "CAI,,CAI Lima,150101,Lima,-12.06,-77.03\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def build(where, centres: str):
    """``build`` of png, svg and pdf into ``where/maps`` with ``centres``: the maps it wrote (every
    file's time is set far back before it), not its manifest or data downloads."""
    data, path, out = where / "coverage.yaml", where / "centros.csv", where / "maps"
    data.write_text(COVERAGE, encoding="utf-8")
    path.write_text(centres, encoding="utf-8")
    for file in out.rglob("*"):
        if file.is_file():
            os.utime(file, ns=(1, 1))
    result = run("build", "--data", data, "--geo", GEO, "--centros", path, "--out", out,
                 "--format", "png,svg,pdf", "--dpi", "50")
    assert result.exit_code == 0, result.output
    return sorted(name for p in out.rglob("*") if p.is_file() and p.stat().st_mtime_ns != 1
                  and not (name := str(p.relative_to(out))).startswith((".", "datos/")))


def test_moving_a_centre_redraws_its_service_images_and_the_atlas_and_nothing_else(tmp_path):
    first = build(tmp_path, CENTRES)
    assert {"servicios/cem.svg", "servicios/otro.svg", "cobertura.png", "atlas.pdf"} <= set(first)
    cem = CENTRES.replace("-13.53,-71.97", "-13.50,-71.90")
    # A CEM is also a dot of both maps of the provinces, and changes the distances of one (issue 24); the
    # other's text (which provinces have a CEM, how far the rest are) stays as it was.
    assert build(tmp_path, cem) == ["atlas.pdf", "brechas-disponibilidad.png", "brechas-disponibilidad.svg",
                                    "brechas.png", "brechas.svg", "brechas.txt", "miniaturas/brechas-disponibilidad.png",
                                    "miniaturas/brechas.png", "miniaturas/servicios/cem.png", "servicios/cem.png",
                                    "servicios/cem.svg"]
    sau = cem.replace("-13.16,-74.22", "-14.0,-74.0")
    assert build(tmp_path, sau) == ["atlas.pdf", "miniaturas/servicios/sau.png", "servicios/sau.png",
                                    "servicios/sau.svg"]
    assert build(tmp_path, sau.replace("CAI Lima", "CAI de Lima")) == []  # a name is not on the images
