"""`mimpmap build`: what it writes, determinism, atomicity, --service, and the committed maps/."""

import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap.build import BuildOptions, build
from mimpmap.formats import parse_formats
from mimpmap.cli import main
from mimpmap.errors import UsageError

from .conftest import COMMITTED_FORMATS, DATA, GEO, MINIMAL, ROOT


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


@pytest.fixture(scope="module")
def minimal_drawn(tmp_path_factory):
    """MINIMAL's pages and small PNG images (60 dpi), built once for the tests that start from them."""
    where = tmp_path_factory.mktemp("minimal")
    (where / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")
    out = where / "maps"
    result = run("build", "--data", where / "coverage.yaml", "--geo", GEO, "--out", out, "--format", "html,png",
                 "--dpi", "60")
    assert result.exit_code == 0, result.output
    return out, result


def copy_of(built, target: Path) -> Path:
    """A copy of the module's build at ``target``, for a test that changes it: as if built there."""
    import shutil

    shutil.copytree(built[0], target)
    return target


def test_writes_every_page(built):
    out, result = built
    files = tree(out)
    assert "cobertura.html" in files and "index.html" in files and "atlas.html" in files
    assert sorted(f for f in files if f.startswith("servicios/")) == sorted(
        f"servicios/{sid}.html" for sid in (
            "cem", "cai", "linea-100", "chat-100", "sau", "hrt", "estrategia-rural", "car-nna", "car-pam",
            "car-pcd", "educadores-de-calle", "cedif", "can", "acogida-temporal-nna", "acogida-temporal-pam",
            "acogida-temporal-pcd", "adopciones", "upe", "mi60",
        )
    )
    # with the data: datos/servicios/, centros.csv, the two of availability, and brechas.html and its CSV
    assert "49 archivos escritos" in result.output
    assert "servicios/cai.html" in result.output  # a line per file
    assert not [f for f in files if f.endswith(".tmp")]


def test_deterministic(built, tmp_path):
    out, _ = built
    assert run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path).exit_code == 0
    assert tree(tmp_path) == tree(out)


def test_bad_data_leaves_previous_maps_untouched(built, yaml_file, tmp_path):
    target = copy_of(built, tmp_path / "maps")
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


def test_service_option_rebuilds_that_map_and_the_summaries(tmp_path, yaml_file):
    """Issue 9: add Puno to cai and change a figure; --service cai updates cai, the index, the
    choropleth (and its PNG) and the one-file atlas, and leaves every other service's page alone."""
    target = tmp_path / "maps"
    data = yaml_file(MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau"))
    assert run("build", "--data", data, "--geo", GEO, "--out", target, "--format", "html,png", "--dpi", "50").exit_code == 0
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    for p in before:
        os.utime(p, ns=(1, 1))
    edited = yaml_file(data.read_text(encoding="utf-8").replace("Callao]", "Callao, Puno]", 1)
                       .replace("[1726, 2075]", "[1726, 2150]", 1))
    result = run("build", "--data", edited, "--geo", GEO, "--out", target, "--service", "CAI")
    assert result.exit_code == 0, result.output
    changed = sorted(str(p.relative_to(target)) for p in before if p.stat().st_mtime_ns != 1)
    assert changed == [".mimpmap-build.json", "atlas.html", "cobertura.html", "cobertura.png", "cobertura.txt",
                       "datos/cobertura.csv", "datos/cobertura.xlsx", "datos/servicios.csv", "datos/servicios/cai.csv",
                       "index.html",
                       "miniaturas/cobertura.png", "miniaturas/mosaico.png", "miniaturas/poblacion.png",
                       "miniaturas/servicios/cai.png", "mosaico.png", "mosaico.txt", "poblacion.png", "poblacion.txt",
                       "servicios/cai.html", "servicios/cai.png",
                       "servicios/cai.txt"]  # Puno's people: the population charts change too
    assert "2150" in (target / "index.html").read_text(encoding="utf-8")
    puno = next(line for line in (target / "cobertura.html").read_text(encoding="utf-8").split("<tr>")
                if "<th scope=\"row\">Puno</th>" in line)
    assert '<td class="mm-num">1</td>' in puno
    assert (target / "cobertura.png").read_bytes() != before[target / "cobertura.png"]
    assert "4 archivos de" not in result.output  # sau did not change: nothing is left stale


def test_stale_outputs_are_reported_until_rebuilt(tmp_path, yaml_file):
    target = tmp_path / "maps"
    data = yaml_file(MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau"))
    assert run("build", "--data", data, "--geo", GEO, "--out", target).exit_code == 0
    text = data.read_text(encoding="utf-8")
    sau_at = text.index("id: sau")
    edited = yaml_file(text[:sau_at] + text[sau_at:].replace("[1726, 2075]", "[1726, 9999]"))
    for _ in range(2):  # said on every build, not once
        result = run("build", "--data", edited, "--geo", GEO, "--out", target, "--service", "cai")
        assert result.exit_code == 0 and "servicios/sau.html" in result.output
        # sau's page and the files that show its figure with every service's: left to a whole build
        assert "4 archivos de" in result.output and "no muestran los datos actuales" in result.output
    checked = run("check", "--data", edited, "--geo", GEO, "--maps", target)
    assert checked.exit_code == 1 and "servicios/sau.html" in checked.output
    assert run("build", "--data", edited, "--geo", GEO, "--out", target).exit_code == 0
    again = run("build", "--data", edited, "--geo", GEO, "--out", target)
    assert "no muestran" not in again.output and "Nada que hacer" in again.output
    assert run("check", "--data", edited, "--geo", GEO, "--maps", target).exit_code == 0


def test_nothing_to_do_rewrites_nothing(built, tmp_path):
    target = copy_of(built, tmp_path / "maps")
    mtimes = {p: p.stat().st_mtime_ns for p in target.rglob("*") if p.is_file()}
    result = run("build", "--data", DATA, "--geo", GEO, "--out", target)
    assert result.exit_code == 0 and "Nada que hacer" in result.output
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*") if p.is_file()} == mtimes
    (target / "servicios" / "sau.html").write_text("editado a mano", encoding="utf-8")
    redo = run("build", "--data", DATA, "--geo", GEO, "--out", target)
    assert "1 archivo escrito, 48 sin cambios" in redo.output
    assert (target / "servicios" / "sau.html").read_text(encoding="utf-8") != "editado a mano"


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


def test_committed_maps_are_fresh(shipped):
    """maps/ holds the maps of the shipped data, made by this code: its manifest says so for every
    file, and no file was changed since. Regenerate with the README's build command."""
    from mimpmap.build import orphans, stale

    committed = ROOT / "maps"
    out_of_date = stale(shipped.atlas, committed, BuildOptions(formats=COMMITTED_FORMATS))
    extra = orphans(shipped.atlas, committed)
    assert not out_of_date and not extra, (
        f"maps/ está desactualizado ({len(out_of_date)} archivos: {out_of_date[:5]}; sobran: {extra[:5]}); "
        "regenérelo con: mimpmap build --format html,png,svg"
    )


def test_committed_maps_are_what_this_machine_draws(shipped_maps):
    """Byte for byte, for the files drawn by the same library versions as the committed ones (the
    manifest records them): HTML with the same folium, images with the same matplotlib, fonttools (it
    subsets the fonts of PDF pages) and pyproj (it projects them), thumbnails with the same Pillow too.
    What this code draws is ``shipped_maps``: the shipped data built with the committed formats, once
    per run for this test, test_pdf and the browser tests."""
    from mimpmap import manifest

    committed = ROOT / "maps"
    drawn_with = manifest.Manifest.read(committed).drawn_with
    here = manifest.versions()
    same = {lib: drawn_with.get(lib) == here.get(lib) for lib in here}

    def comparable(name: str) -> bool:
        if name.endswith(".html"):
            return same["folium"] and same["branca"]
        drawing = same["matplotlib"] and same["fonttools"] and same["pyproj"]
        return drawing and (same["pillow"] or not name.startswith("miniaturas/"))

    fresh = {n: b for n, b in tree(shipped_maps).items() if n != manifest.NAME and comparable(n)}
    if not fresh:
        pytest.skip(f"maps/ was drawn with {drawn_with}; this machine has {here}: pip install those versions")
    differ = sorted(name for name, data in fresh.items() if tree_get(committed, name) != data)
    assert not differ, f"maps/ difiere de lo que dibuja este código: {differ[:5]}"


def tree_get(folder: Path, name: str) -> bytes | None:
    path = folder / name
    return path.read_bytes() if path.is_file() else None


def test_html_rebuild_keeps_linking_earlier_images(minimal_drawn, tmp_path, yaml_file):
    data = yaml_file(MINIMAL)  # one service: the index links its images as it does those of every service
    target = copy_of(minimal_drawn, tmp_path / "maps")  # built with --format html,png --dpi 60
    with_images = (target / "index.html").read_bytes()
    assert b'src="miniaturas/cobertura.png"' in with_images and b'src="miniaturas/servicios/cai.png"' in with_images
    assert run("build", "--data", data, "--geo", GEO, "--out", target).exit_code == 0
    assert (target / "index.html").read_bytes() == with_images


def test_failure_while_writing_leaves_every_earlier_file(built, tmp_path):
    target = copy_of(built, tmp_path / "maps")
    (target / "cobertura.html").write_text("antes", encoding="utf-8")
    (target / "servicios" / "sau.html").unlink()
    (target / "servicios" / "sau.html").mkdir()  # a target that cannot be replaced
    before = tree(target)
    result = run("build", "--data", DATA, "--geo", GEO, "--out", target)
    assert result.exit_code == 1 and "es una carpeta" in result.output and "Traceback" not in result.output
    assert tree(target) == before  # cobertura.html was not replaced either
    assert not [p for p in target.rglob("*") if p.name.endswith(".tmp")]


def test_maps_of_services_no_longer_in_the_data_are_reported_and_pruned(yaml_file, tmp_path):
    (tmp_path / "servicios").mkdir()
    stray = tmp_path / "servicios" / "retirado.html"
    stray.write_text("un mapa de antes", encoding="utf-8")
    two = yaml_file(MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau"))
    assert run("build", "--data", two, "--geo", GEO, "--out", tmp_path).exit_code == 0
    result = run("build", "--data", yaml_file(MINIMAL), "--geo", GEO, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "ya no están en los datos" in result.output and "retirado.html" in result.output
    assert "servicios/sau.html" in result.output and "--prune" in result.output
    assert stray.read_text(encoding="utf-8") == "un mapa de antes"  # told about, not deleted
    pruned = run("build", "--data", yaml_file(MINIMAL), "--geo", GEO, "--out", tmp_path, "--prune")
    assert pruned.exit_code == 0 and "Borrados" in pruned.output
    assert not (tmp_path / "servicios" / "sau.html").exists()  # made by mimpmap: gone
    assert stray.read_text(encoding="utf-8") == "un mapa de antes"  # not made by mimpmap: kept


def test_a_plain_rebuild_keeps_the_images_in_the_folder_up_to_date(minimal_drawn, yaml_file, tmp_path):
    target = copy_of(minimal_drawn, tmp_path / "maps")  # built with --format html,png --dpi 60
    # the index shows the small copies and offers the big PNG for download
    index = (target / "index.html").read_text(encoding="utf-8")
    assert '<img src="miniaturas/servicios/cai.png"' in index and 'href="servicios/cai.png" download' in index
    assert (target / "miniaturas" / "servicios" / "cai.png").is_file()
    assert (target / "miniaturas" / "cobertura.png").is_file()

    changed = run("build", "--data", yaml_file(MINIMAL.replace("1726", "1800")), "--geo", GEO, "--out", target,
                  "--dpi", "60")
    assert changed.exit_code == 0 and "Aviso" not in changed.output
    assert "servicios/cai.png" in changed.output and "cobertura.png" not in changed.output


def test_the_index_links_only_images_that_are_there(minimal_drawn, yaml_file, tmp_path):
    target = copy_of(minimal_drawn, tmp_path / "maps")  # built with --format html,png --dpi 60
    (target / "miniaturas" / "servicios" / "cai.png").unlink()  # an older build had no thumbnails
    (target / ".mimpmap-build.json").unlink()  # nor a manifest: the folder's images are kept as found
    added = MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau")
    assert run("build", "--data", yaml_file(added), "--geo", GEO, "--out", target).exit_code == 0
    index = (target / "index.html").read_text(encoding="utf-8")
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
    args = ["build", "--service", "cai", "--data", DATA, "--geo", GEO, "--out", tmp_path / "maps"]
    result = run(*(["-q", *args] if where == "before" else [*args, "-q"]))
    assert result.exit_code == 0, result.output
    # -q: only errors and warnings (here: the other services' pages and rows of data are not in the folder yet)
    assert result.output.startswith("Aviso: 36 archivos de") and "faltan" in result.output
    assert "archivos escritos" not in result.output and "servicios/cai.html  (" not in result.output
    args[-1] = tmp_path / "again"  # beside the first maps: never inside them
    assert "servicios/cai.html  (" in run(*args).output  # and the next run is not quiet


def test_thumbnails_come_from_a_drawing_no_finer_than_the_default(shipped):
    # A fine --dpi (up to 1200: 12000 px, gigabytes to decode) is not what the thumbnail is made from.
    # The PNG format's outputs for CAI's map alone (a build would draw the summaries at that dpi too).
    import io

    from PIL import Image

    from mimpmap.formats import FORMATS, Job

    def drawn(dpi: int) -> dict:
        job = Job(maps=(shipped.atlas.service("cai"),), whole=False, dpi=dpi)
        return {o.name: o.render() for o in FORMATS["png"].outputs(shipped.atlas, job)}

    # 400 dpi (less to draw than 600) is finer than the default all the same.
    fine, default = drawn(400), drawn(300)
    assert Image.open(io.BytesIO(fine["servicios/cai.png"])).width == 2520  # 16 cm at 400 dpi
    thumb = "miniaturas/servicios/cai.png"
    assert fine[thumb] == default[thumb]


# --- speed: what a build loads, what it redraws, and rendering in several processes --------------

NOTHING_HEAVY = """
import sys
from mimpmap.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code or 0
print(code, ",".join(m for m in ("geopandas", "folium", "matplotlib", "shapely", "pandas") if m in sys.modules))
"""


def loaded_by(*args, code: int = 0) -> list[str]:
    """The heavy libraries `mimpmap ARGS` imported, in a process of its own that ends with ``code``."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", NOTHING_HEAVY, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ended, _, loaded = done.stdout.strip().rpartition("\n")[2].partition(" ")
    assert ended == str(code), done.stdout + done.stderr
    return [m for m in loaded.split(",") if m]


def loaded_by_build(out: Path) -> list[str]:
    """The heavy libraries `mimpmap build` imported building into ``out``."""
    return loaded_by("-q", "build", "--data", DATA, "--geo", GEO, "--out", out)


def test_a_build_with_nothing_to_do_imports_no_heavy_library(built, tmp_path):
    out, _ = built
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert loaded_by_build(out) == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes
    # The check can fail: a build with something to do loads them.
    assert {"geopandas", "folium"} <= set(loaded_by_build(tmp_path / "nuevo"))


def test_check_maps_of_a_folder_a_build_would_leave_alone_loads_no_renderer(built, yaml_file):
    """`check --maps` knows a folder is current as a build does (its fingerprint), without planning the
    outputs: planning imports every renderer (matplotlib, folium: ~1.5 s of a 3.5 s check)."""
    out, _ = built
    assert not {"matplotlib", "folium"} & set(loaded_by("check", "--data", DATA, "--geo", GEO, "--maps", out))
    # Other data: the outputs are planned and keyed, one by one.
    assert "folium" in loaded_by("check", "--data", yaml_file(MINIMAL), "--geo", GEO, "--maps", out, code=1)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """``keyed(text)``: the keys of the HTML, PNG and SVG outputs of a whole build of the coverage ``text``.
    Each text is loaded once for the module (the tests below change MINIMAL in the same ways)."""
    import mimpmap
    from mimpmap.build import keys, plan

    found: dict[str, dict[str, str]] = {}

    def keys_of(text: str) -> dict[str, str]:
        if text not in found:
            path = tmp_path_factory.mktemp("keyed") / "coverage.yaml"
            path.write_text(text, encoding="utf-8")
            atlas = mimpmap.load(path, GEO).atlas
            options = BuildOptions(formats=("html", "png", "svg"))
            found[text] = keys(atlas, plan(atlas, options), options)
        return dict(found[text])

    return keys_of


def test_the_mosaic_is_stale_only_when_what_it_draws_changes(keyed):
    before = keyed(MINIMAL)
    mosaic = {n for n in before if "mosaico" in n}
    assert mosaic == {"mosaico.png", "mosaico.svg", "miniaturas/mosaico.png", "mosaico.txt"}

    def changed(text: str) -> set[str]:
        after = keyed(text)
        return {n for n in before if before[n] != after[n]}

    # A figure is on the service's own map, not on the mosaic.
    figure = changed(MINIMAL.replace("values: [1726, 2075]", "values: [1726, 2150]"))
    assert "servicios/cai.png" in figure and "servicios/cai.svg" in figure and not figure & mosaic
    # What the mosaic draws: the units a service reaches, its name, its program's name.
    for old, new in (("Cusco, Lima", "Cusco, Puno, Lima"), ("name: Centros de Atención Institucional", "name: CAI"),
                     ("short_name: AURORA", "short_name: AURORA-MIMP")):
        assert mosaic <= changed(MINIMAL.replace(old, new)), new


#: The maps whose images the several-processes test draws: one of each kind (the choropleth, the mosaic,
#: the population charts, the gaps' map) and two services' (one with the directory's centres); every page
#: and data file too. The other services' images are drawn as these are: leaving them out only saves time.
DRAWN_IN_PROCESSES = ("cobertura", "mosaico", "poblacion", "brechas", "servicios/cem", "servicios/cai")


def test_several_processes_render_the_bytes_of_one(tmp_path, shipped):
    # Fonts opened before the workers are forked (by an earlier render in this process) are not shared
    # with them: FreeType reads through a file offset that forked processes share. The images the
    # workers draw measure text with those fonts, and must come out as those of one process.
    import multiprocessing

    from mimpmap import workers
    from mimpmap.build import plan
    from mimpmap.formats import IMAGES
    from mimpmap.static import render_static, text_width

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here: builds render in one process")
    options = BuildOptions(formats=("html", "png", "svg"), dpi=40)
    todo = plan(shipped.atlas, options, tmp_path / "uno")
    assert workers.count(2, workers.groups(todo), todo) == 2  # the parallel path is the one taken
    # A map's images are rendered together (they share a drawing), the costliest first.
    groups = [[todo[i].name for i in g] for g in workers.groups(todo)]
    assert sorted(next(g for g in groups if "servicios/cai.png" in g)) == [
        "miniaturas/servicios/cai.png", "servicios/cai.png", "servicios/cai.svg", "servicios/cai.txt"]
    assert len(groups[0]) == 4 and len(groups[-1]) == 1
    assert "mosaico.png" in groups[0]  # every service on one page: the longest, so the first
    only = frozenset(i.name for i in todo if i.format not in IMAGES or workers.map_of(i.name) in DRAWN_IN_PROCESSES)
    some = [i for i in todo if i.name in only]
    assert workers.count(2, workers.groups(some), some) == 2  # still the parallel path
    render_static(shipped.atlas, "cai", dpi=20)
    assert text_width("Loreto", 7) > 0  # the fonts are open in this process
    build(shipped.atlas, tmp_path / "uno", replace(options, jobs=1, only=only))
    build(shipped.atlas, tmp_path / "dos", replace(options, jobs=2, only=only))
    drawn = tree(tmp_path / "uno")
    assert {n for n in drawn if n.endswith(".svg")} == {f"{m}.svg" for m in DRAWN_IN_PROCESSES}
    assert tree(tmp_path / "dos") == drawn


def test_a_failure_in_a_worker_process_writes_nothing(tmp_path, monkeypatch, shipped):
    import multiprocessing

    from mimpmap import static

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here: builds render in one process")

    def boom(self):
        raise RuntimeError("falla simulada")

    monkeypatch.setattr(static.Drawing, "svg", boom)
    with pytest.raises(RuntimeError, match="falla simulada"):
        build(shipped.atlas, tmp_path / "maps", BuildOptions(formats=("png", "svg"), dpi=30, jobs=2))
    assert not (tmp_path / "maps").exists()


def test_a_service_image_is_stale_only_when_what_it_draws_changes(keyed):
    before = keyed(MINIMAL)
    images = {"servicios/cai.png", "servicios/cai.svg", "miniaturas/servicios/cai.png"}

    def changed(old: str, new: str) -> set[str]:
        after = keyed(MINIMAL.replace(old, new))
        return {n for n in before if before[n] != after[n]}

    # The description is on the web page, not on the image.
    described = changed("Servicio de prueba.", "Otro servicio de prueba.")
    assert "servicios/cai.html" in described and not described & images
    # What the image draws: figures, units reached, name, source, periods.
    for old, new in (("values: [1726, 2075]", "values: [1726, 2150]"), ("Cusco, Lima", "Cusco, Puno, Lima"),
                     ("name: Centros de Atención Institucional", "name: CAI"), ("source: MIMP, prueba", "source: MIMP"),
                     ("label: Año 2020", "label: Año 2019")):
        assert images <= changed(old, new), new
    # The choropleth's image shows the counts: a service reaching one more unit changes it.
    assert "cobertura.png" in changed("Cusco, Lima", "Cusco, Puno, Lima")


def test_keys_of_a_build_are_those_of_each_output_alone(shipped):
    """The plain forms shared between the outputs of one build (a memo) give each output the key it
    has when hashed alone, and a changed description still changes its outputs' keys."""

    from mimpmap import manifest as mf
    from mimpmap.build import keys, plan

    options = BuildOptions(formats=("html", "png", "svg"))
    items = plan(shipped.atlas, options)
    shared = keys(shipped.atlas, items, options)
    for item in items[:12]:
        shows = item.shows() if callable(item.shows) else item.shows
        assert mf.digest(shows) == mf.digest(shows, memo={}), item.name
    memo = {}
    spec = shipped.atlas.service("cai")
    first = mf.digest(spec, memo=memo)
    assert mf.digest(replace(spec, title=spec.title + " bis"), memo=memo) != first
    assert mf.digest(spec, memo=memo) == first == mf.digest(spec)
    assert len(set(shared.values())) == len(shared)  # every output its own key


def test_check_maps_tells_a_missing_folder_and_missing_files_from_stale_ones(built, tmp_path):
    absent = run("check", "--data", DATA, "--geo", GEO, "--maps", tmp_path / "mpas")
    assert absent.exit_code == 1 and "no existe" in absent.output and "desactualizado" not in absent.output
    target = copy_of(built, tmp_path / "maps")
    (target / "servicios" / "cai.html").unlink()
    checked = run("check", "--data", DATA, "--geo", GEO, "--maps", target)
    assert checked.exit_code == 1 and f"falta: {target}/servicios/cai.html" in checked.output
    assert "desactualizado" not in checked.output and "falta 1 archivo;" in checked.output


def test_a_fresh_build_is_current_for_check_maps(minimal_drawn, yaml_file):
    """The index links the files the same build writes (the atlas page, the images): its key must
    say so, or the folder a build has just written would be reported stale."""
    target, _ = minimal_drawn  # built with --format html,png --dpi 60; check only reads it
    checked = run("check", "--data", yaml_file(MINIMAL), "--geo", GEO, "--maps", target)
    assert checked.exit_code == 0 and "está al día" in checked.output, checked.output


def test_a_build_keeps_the_folders_dpi_and_size_and_check_asks_for_them(tmp_path, yaml_file):
    """Like its formats, a folder keeps the dpi and page size its images were drawn with: a plain
    build redraws a changed map as the others are, and check --maps judges them as drawn."""
    from PIL import Image

    data, target = yaml_file(MINIMAL), tmp_path / "maps"
    assert run("build", "--data", data, "--geo", GEO, "--out", target, "--format", "png", "--dpi", "60",
               "--size", "diapositiva").exit_code == 0
    assert run("check", "--data", data, "--geo", GEO, "--maps", target).exit_code == 0
    edited = yaml_file(MINIMAL.replace("1726", "1800"))
    assert run("build", "--data", edited, "--geo", GEO, "--out", target).exit_code == 0
    image = Image.open(target / "servicios" / "cai.png")
    assert round(image.info["dpi"][0]) == 60 and image.width > image.height  # a slide, at 60 dpi
    assert run("check", "--data", edited, "--geo", GEO, "--maps", target).exit_code == 0
    bigger = run("build", "--data", edited, "--geo", GEO, "--out", target, "--dpi", "70")
    assert bigger.exit_code == 0 and "servicios/cai.png" in bigger.output  # given, it changes them all
    assert round(Image.open(target / "servicios" / "cai.png").info["dpi"][0]) == 70


def test_options_a_tampered_manifest_records_are_not_used(minimal_drawn, tmp_path, yaml_file):
    import json

    data, target = yaml_file(MINIMAL), copy_of(minimal_drawn, tmp_path / "maps")  # html and png at 60 dpi
    manifest = target / ".mimpmap-build.json"
    book = json.loads(manifest.read_text(encoding="utf-8"))
    book["options"] = {"dpi": 100000, "size": "../../x", "cdn": "sí", "tiles": 3}
    manifest.write_text(json.dumps(book), encoding="utf-8")
    result = run("build", "--data", data, "--geo", GEO, "--out", target)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    from PIL import Image

    assert round(Image.open(target / "servicios" / "cai.png").info["dpi"][0]) == 300  # the default, not 100000


def test_the_build_keeps_no_state_of_its_own():
    """No ``global`` in the build's modules: the work reaches the worker processes through the objects
    they are forked with (issue 20)."""
    import ast

    for module in ("build", "workers", "folder", "codegraph", "inputs", "manifest", "write"):
        tree = ast.parse((ROOT / "src" / "mimpmap" / f"{module}.py").read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Global)], module
