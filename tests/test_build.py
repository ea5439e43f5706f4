"""`mimpmap build`: what it writes, determinism, atomicity, --service, and the committed maps/."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.build import BuildOptions, build
from mimpmap.formats import parse_formats
from mimpmap.cli import main
from mimpmap.errors import UsageError

from .conftest import DATA, GEO, MINIMAL, ROOT

#: The formats the committed maps/ are built with (see README).
COMMITTED_FORMATS = ("html", "png", "svg", "pdf")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    result = run("build", "--data", DATA, "--geo", GEO, "--out", out)
    assert result.exit_code == 0, result.output
    return out, result


def test_writes_every_page(built):
    out, result = built
    files = tree(out)
    assert "cobertura.html" in files and "index.html" in files
    assert sorted(f for f in files if f.startswith("servicios/")) == sorted(
        f"servicios/{sid}.html" for sid in (
            "cem", "cai", "linea-100", "chat-100", "sau", "hrt", "estrategia-rural", "car-nna", "car-pam",
            "car-pcd", "educadores-de-calle", "cedif", "can", "acogida-temporal-nna", "acogida-temporal-pam",
            "acogida-temporal-pcd", "adopciones", "upe", "mi60",
        )
    )
    assert "21 archivos escritos" in result.output
    assert "servicios/cai.html" in result.output  # a line per file
    assert not [f for f in files if f.endswith(".tmp")]


def test_deterministic(built, tmp_path):
    out, _ = built
    assert run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path).exit_code == 0
    assert tree(tmp_path) == tree(out)


def test_bad_data_leaves_previous_maps_untouched(built, yaml_file, tmp_path):
    out, _ = built
    target = tmp_path / "maps"
    assert run("build", "--data", DATA, "--geo", GEO, "--out", target).exit_code == 0
    before = tree(target)
    bad = yaml_file(MINIMAL.replace("Cusco", "Cuzko"))
    result = run("build", "--data", bad, "--geo", GEO, "--out", target)
    assert result.exit_code == 1 and "Cuzko" in result.output and "Traceback" not in result.output
    assert tree(target) == before


def test_renderer_failure_writes_nothing(tmp_path, monkeypatch, shipped):
    from mimpmap.html import pages

    def boom(self, service):
        if service.id == "mi60":
            raise RuntimeError("falla simulada")
        return original(self, service)

    original = pages.Renderer.service
    monkeypatch.setattr(pages.Renderer, "service", boom)
    with pytest.raises(RuntimeError):
        build(shipped.atlas, tmp_path / "maps")
    assert not (tmp_path / "maps").exists()


def test_service_option_rebuilds_only_that_map(tmp_path, yaml_file):
    target = tmp_path / "maps"
    assert run("build", "--data", DATA, "--geo", GEO, "--out", target).exit_code == 0
    old = {p: p.stat().st_mtime_ns for p in target.rglob("*.html")}
    for p in old:
        os.utime(p, ns=(1, 1))
    result = run("build", "--data", DATA, "--geo", GEO, "--out", target, "--service", "cai", "--service", "sau")
    assert result.exit_code == 0, result.output
    changed = sorted(str(p.relative_to(target)) for p in target.rglob("*.html") if p.stat().st_mtime_ns != 1)
    assert changed == ["servicios/cai.html", "servicios/sau.html"]
    assert "2 archivos escritos" in result.output


def test_unknown_service_is_a_usage_error_listing_valid_ids(tmp_path):
    result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path / "m", "--service", "caii")
    assert result.exit_code == 2
    assert "caii" in result.output and "cai, linea-100" in result.output
    assert not (tmp_path / "m").exists()


def test_formats():
    assert parse_formats("svg,html") == ("html", "svg")
    with pytest.raises(UsageError, match="'jpg'"):
        parse_formats("html,jpg")
    assert run("build", "--format", "jpg").exit_code == 2


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", "--data", DATA, "--geo", GEO, "--out", blocker / "maps")
    assert result.exit_code == 1 and "no se puede escribir" in result.output and "Traceback" not in result.output


#: The matplotlib the committed PNG/SVG were drawn with: another release draws other bytes.
MAPS_MATPLOTLIB = "3.11.2"
#: The Pillow that made the committed thumbnails (miniaturas/): another may resample differently.
MAPS_PILLOW = "13.0.0"


def test_committed_maps_are_fresh(tmp_path, shipped):
    """maps/ holds the maps of the shipped data. Regenerate with the README's build command."""
    import matplotlib
    import PIL

    committed = ROOT / "maps"
    build(shipped.atlas, tmp_path, BuildOptions(formats=COMMITTED_FORMATS))
    fresh = tree(tmp_path)
    same_matplotlib = matplotlib.__version__ == MAPS_MATPLOTLIB
    same_pillow = PIL.__version__ == MAPS_PILLOW

    def comparable(name: str) -> bool:
        if name.endswith(".html"):
            return True
        return same_matplotlib and (same_pillow or not name.startswith("miniaturas/"))

    compared = [name for name in fresh if comparable(name)]
    if len(compared) < len(fresh):
        import warnings

        warnings.warn(f"images of maps/ not compared: drawn with matplotlib {MAPS_MATPLOTLIB} and Pillow "
                      f"{MAPS_PILLOW}, this is matplotlib {matplotlib.__version__} and Pillow {PIL.__version__}")
    stale = sorted(name for name in compared if tree_get(committed, name) != fresh[name])
    extra = sorted(set(tree(committed)) - set(fresh))
    assert not stale and not extra, (
        f"maps/ está desactualizado ({len(stale)} archivos distintos: {stale[:5]}; sobran: {extra[:5]}); "
        "regenérelo con: mimpmap build --format html,png,svg,pdf"
    )


def tree_get(folder: Path, name: str) -> bytes | None:
    path = folder / name
    return path.read_bytes() if path.is_file() else None


def test_html_rebuild_keeps_linking_earlier_images(tmp_path):
    assert run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path, "--format", "html,png", "--dpi", "60").exit_code == 0
    with_images = (tmp_path / "index.html").read_bytes()
    assert b'src="miniaturas/cobertura.png"' in with_images
    assert run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path).exit_code == 0
    assert (tmp_path / "index.html").read_bytes() == with_images


def test_failure_while_writing_leaves_every_earlier_file(tmp_path):
    target = tmp_path / "maps"
    assert run("build", "--data", DATA, "--geo", GEO, "--out", target).exit_code == 0
    (target / "cobertura.html").write_text("antes", encoding="utf-8")
    (target / "servicios" / "sau.html").unlink()
    (target / "servicios" / "sau.html").mkdir()  # a target that cannot be replaced
    before = tree(target)
    result = run("build", "--data", DATA, "--geo", GEO, "--out", target)
    assert result.exit_code == 1 and "es una carpeta" in result.output and "Traceback" not in result.output
    assert tree(target) == before  # cobertura.html was not replaced either
    assert not [p for p in target.rglob("*") if p.name.endswith(".tmp")]


def test_maps_of_services_no_longer_in_the_data_are_reported_and_kept(yaml_file, tmp_path):
    (tmp_path / "servicios").mkdir()
    stray = tmp_path / "servicios" / "retirado.html"
    stray.write_text("un mapa de antes", encoding="utf-8")
    result = run("build", "--data", yaml_file(MINIMAL), "--geo", GEO, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "ya no están en el archivo de cobertura" in result.output and "retirado.html" in result.output
    assert stray.read_text(encoding="utf-8") == "un mapa de antes"  # told about, never deleted


def test_an_html_only_rebuild_says_which_images_no_longer_match_their_pages(yaml_file, tmp_path):
    data = yaml_file(MINIMAL)
    both = run("build", "--data", data, "--geo", GEO, "--out", tmp_path, "--format", "html,png", "--dpi", "60")
    assert both.exit_code == 0, both.output
    # the index shows the small copies and offers the big PNG for download
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<img src="miniaturas/servicios/cai.png"' in index and 'href="servicios/cai.png" download' in index
    assert (tmp_path / "miniaturas" / "servicios" / "cai.png").is_file()
    assert (tmp_path / "miniaturas" / "cobertura.png").is_file()

    same = run("build", "--data", data, "--geo", GEO, "--out", tmp_path)
    assert same.exit_code == 0 and "Aviso" not in same.output  # same data: the images still match
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == index  # still showing them

    changed = run("build", "--data", yaml_file(MINIMAL.replace("1726", "1800")), "--geo", GEO, "--out", tmp_path)
    assert changed.exit_code == 0
    assert ("la página de cai cambió, pero su imagen PNG no se regeneró; añada --format html,png a la orden"
            in changed.output)
    moved = run("build", "--data", yaml_file(MINIMAL.replace("Ayacucho, ", "")), "--geo", GEO, "--out", tmp_path)
    assert "las páginas de cobertura y cai cambiaron, pero sus imágenes PNG no se regeneraron" in moved.output


def test_the_index_links_only_images_that_are_there(yaml_file, tmp_path):
    data = yaml_file(MINIMAL)
    assert run("build", "--data", data, "--geo", GEO, "--out", tmp_path, "--format", "html,png", "--dpi", "60").exit_code == 0
    (tmp_path / "miniaturas" / "servicios" / "cai.png").unlink()  # an older build had no thumbnails
    added = MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau")
    assert run("build", "--data", yaml_file(added), "--geo", GEO, "--out", tmp_path).exit_code == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<img src="servicios/cai.png"' in index  # the full PNG, for want of its thumbnail
    assert "servicios/sau.png" not in index  # a new service: no image yet, no broken link


def test_thumbnails_of_removed_services_are_reported_too(yaml_file, tmp_path):
    stray = tmp_path / "miniaturas" / "servicios" / "retirado.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"png de antes")
    result = run("build", "--data", yaml_file(MINIMAL), "--geo", GEO, "--out", tmp_path)
    assert "retirado.png" in result.output and stray.read_bytes() == b"png de antes"


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_before_or_after_the_command(tmp_path, where):
    args = ["build", "--service", "cai", "--data", DATA, "--geo", GEO, "--out", tmp_path]
    result = run(*(["-q", *args] if where == "before" else [*args, "-q"]))
    assert result.exit_code == 0, result.output
    assert "1 archivo escrito" in result.output and "servicios/cai.html  (" not in result.output
    assert "servicios/cai.html  (" in run(*args).output  # and the next run is not quiet


def test_thumbnails_come_from_a_drawing_no_finer_than_the_default(tmp_path):
    # A fine --dpi (up to 1200: 12000 px, gigabytes to decode) is not what the thumbnail is made from.
    from PIL import Image

    for dpi in ("600", "300"):
        result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path / dpi, "--service", "cai",
                     "--format", "png", "--dpi", dpi)
        assert result.exit_code == 0, result.output
    assert Image.open(tmp_path / "600" / "servicios" / "cai.png").width == 3780  # 16 cm at 600 dpi
    thumb = Path("miniaturas", "servicios", "cai.png")
    assert (tmp_path / "600" / thumb).read_bytes() == (tmp_path / "300" / thumb).read_bytes()
