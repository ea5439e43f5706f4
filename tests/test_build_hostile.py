"""A hostile output folder (issue 25): links, pipes, foreign journals and manifests, a second build,
signals. Every case ends in seconds with a Spanish message and no traceback, touches nothing outside
the folder, and leaves the earlier maps as they were."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap import folder as safe
from mimpmap import write
from mimpmap.cli import main
from mimpmap.manifest import NAME as MANIFEST
from mimpmap.write import STAGING

from .conftest import GEO, MINIMAL, clean_centres

SECOND = MINIMAL + """\
  - id: sau
    program: aurora
    name: Servicio de Atención Urgente
    description: Otro servicio de prueba.
    coverage: [Lima Metropolitana]
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@contextmanager
def deadline(seconds: int = 60):
    """Fail (rather than hang the suite) if the block takes longer than ``seconds``."""
    def expired(number, frame):
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def inputs(folder: Path) -> tuple:
    """The inputs of the folder's maps: its data file, the shipped boundaries and a one-line centres file
    (the shipped directory's validation and maps would be most of each build, and are not what these
    tests look at)."""
    return "--data", folder / "coverage.yaml", "--geo", GEO, "--centros", folder / "centros-limpio.csv"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A folder built from two services (and its data files), copied for each test."""
    base = tmp_path_factory.mktemp("pristine")
    (base / "coverage.yaml").write_text(SECOND, encoding="utf-8")
    clean_centres(base)
    done = run("build", *inputs(base), "--out", base / "maps")
    assert done.exit_code == 0, done.output
    return base


@pytest.fixture
def maps(pristine, tmp_path):
    shutil.copytree(pristine / "maps", tmp_path / "maps", symlinks=True)
    for name in ("coverage.yaml", "centros-limpio.csv"):
        shutil.copy(pristine / name, tmp_path / name)
    return tmp_path / "maps"


def build(maps: Path, *more):
    with deadline():
        return run("build", *inputs(maps.parent), "--out", maps, *more)


def check(maps: Path):
    with deadline():
        return run("check", *inputs(maps.parent), "--maps", maps)


def clean(result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (TimeoutError, AssertionError))


# --- links: never followed out of the folder (25.5) ---------------------------------------------


def test_prune_never_deletes_through_a_linked_services_folder(maps):
    elsewhere = maps.parent / "elsewhere"
    (maps / "servicios").rename(elsewhere)
    (maps / "servicios").symlink_to(elsewhere)
    before = tree(elsewhere)
    (maps.parent / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")  # 'sau' dropped
    result = build(maps, "--prune")
    clean(result, 1)
    assert "servicios' es un enlace simbólico" in result.output
    assert tree(elsewhere) == before  # sau.html is still there: nothing read, written or deleted through it


def test_a_linked_services_folder_is_neither_listed_nor_read(maps):
    from mimpmap.build import orphans
    from mimpmap.manifest import Manifest

    import mimpmap

    atlas = mimpmap.load(maps.parent / "coverage.yaml", GEO).atlas
    elsewhere = maps.parent / "elsewhere"
    shutil.copytree(maps / "servicios", elsewhere)
    (elsewhere / "viejo.html").write_text("de otro", encoding="utf-8")
    shutil.rmtree(maps / "servicios")
    (maps / "servicios").symlink_to(elsewhere)
    assert orphans(atlas, maps) == []
    assert not Manifest.read(maps).intact(maps, "servicios/cai.html")  # its bytes are not read through the link


def bounded(*args) -> subprocess.CompletedProcess:
    """``mimpmap ARGS`` in a process of its own, stopped after 120 s and with at most 4 GB of memory:
    a read of /dev/zero cannot be interrupted from within."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    try:
        return subprocess.run([sys.executable, "-m", "mimpmap", *map(str, args)], capture_output=True, text=True,
                              timeout=120, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mimpmap {' '.join(map(str, args))} hangs")


def test_a_link_or_pipe_in_place_of_an_output_ends_build_and_check(maps, tmp_path):
    os.unlink(maps / "index.html")
    os.mkfifo(maps / "index.html")
    os.unlink(maps / "atlas.html")
    (maps / "atlas.html").symlink_to("/dev/zero")
    checked = bounded("check", *inputs(maps.parent), "--maps", maps)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert "index.html" in checked.stdout and "atlas.html" in checked.stdout
    built = bounded("build", *inputs(maps.parent), "--out", maps)
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert "es una tubería" in built.stderr or "enlace simbólico" in built.stderr


def test_a_manifest_naming_files_outside_or_pipes_is_not_followed(maps, tmp_path):
    outside = tmp_path / "secreto.txt"
    outside.write_text("no es de mimpmap", encoding="utf-8")
    os.mkfifo(maps / "tuberia.html")
    book = json.loads((maps / MANIFEST).read_text(encoding="utf-8"))
    book["outputs"]["tuberia.html"] = {"key": "x", "sha256": "y"}
    book["outputs"]["../secreto.txt"] = {"key": "x", "sha256": "y"}
    (maps / MANIFEST).write_text(json.dumps(book), encoding="utf-8")
    before = {n: d for n, d in tree(maps).items() if n != MANIFEST}
    result = build(maps)
    clean(result, 0)
    assert "está dañado o no es de mimpmap" in result.output  # the manifest is ignored, the maps redrawn
    assert {n: d for n, d in tree(maps).items() if n != MANIFEST} == before
    assert outside.read_text(encoding="utf-8") == "no es de mimpmap"
    clean(check(maps), 0)


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, '{"outputs": []}', "[]", '{"outputs": {"a": 1}}',
                                     "\x00\xff", '{"formats": "html", "outputs": {}}'])
def test_a_damaged_manifest_is_treated_as_absent_with_a_warning(maps, content):
    before = {n: d for n, d in tree(maps).items() if n != MANIFEST}
    (maps / MANIFEST).write_bytes(content.encode("latin-1"))
    result = build(maps)
    clean(result, 0)
    assert result.output.count("está dañado o no es de mimpmap") == 1
    assert {n: d for n, d in tree(maps).items() if n != MANIFEST} == before
    assert "Nada que hacer" in build(maps).output  # the manifest written again is sound


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_a_manifest_that_is_a_pipe_or_a_link_ends_build_and_check(maps, tmp_path, kind):
    outside = tmp_path / "fuera.json"
    outside.write_text((maps / MANIFEST).read_text(encoding="utf-8"), encoding="utf-8")
    os.unlink(maps / MANIFEST)
    if kind == "fifo":
        os.mkfifo(maps / MANIFEST)
    else:
        (maps / MANIFEST).symlink_to(outside)
    clean(check(maps), 1)  # no manifest read: no file shows these data
    result = build(maps)
    clean(result, 1)
    assert "tubería" in result.output or "enlace simbólico" in result.output
    assert json.loads(outside.read_text(encoding="utf-8"))["outputs"]


# --- the staging journal (25.9) -------------------------------------------------------------------


@pytest.mark.parametrize("journal", [
    '{"files": [["../../../../etc/passwd", false]], "folders": []}',
    '{"files": [["/etc/passwd", true]], "folders": []}',
    '{"files": [["servicios", "sí"]], "folders": []}',
    '{"files": [["a"]], "folders": []}',
    '{"files": [], "folders": ["../fuera"]}',
    "{dañado",
    "fifo",
])
def test_a_damaged_or_foreign_journal_is_refused_with_how_to_recover(maps, journal):
    staging = maps / STAGING
    (staging / "new").mkdir(parents=True)
    if journal == "fifo":
        os.mkfifo(staging / "journal")
    else:
        (staging / "journal").write_text(journal, encoding="utf-8")
    before = tree(maps)
    result = build(maps)
    clean(result, 1)
    assert "el registro de una escritura interrumpida" in result.output and "borre" in result.output
    assert tree(maps) == before


def test_a_journal_never_rolls_back_through_a_linked_folder(maps, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "cai.html").write_text("de otro", encoding="utf-8")
    shutil.rmtree(maps / "servicios")
    (maps / "servicios").symlink_to(elsewhere)
    (maps / STAGING / "new").mkdir(parents=True)
    (maps / STAGING / "journal").write_text('{"files": [["servicios/cai.html", false]], "folders": []}')
    clean(build(maps), 1)
    assert (elsewhere / "cai.html").read_text(encoding="utf-8") == "de otro"


def test_a_staging_folder_left_after_a_commit_is_removed_by_a_build_with_nothing_to_do(maps):
    (maps / STAGING / "new").mkdir(parents=True)
    (maps / STAGING / "new" / "0").write_bytes(b"committed, not yet cleaned")
    result = build(maps)
    clean(result, 0)
    assert "Nada que hacer" in result.output and not (maps / STAGING).exists()


# --- saving an input during a build (25.10) -------------------------------------------------------


def test_an_input_saved_during_a_build_is_not_taken_for_the_one_drawn(maps, monkeypatch):
    """The fingerprint is that of the bytes the build read: a file saved (here, half written) between
    the build's first look and its reading leaves maps the next build redraws."""
    from mimpmap import inputs

    data = maps.parent / "coverage.yaml"
    whole = data.read_text(encoding="utf-8")
    data.write_text(whole.replace("1726", "1800"), encoding="utf-8")
    first_look = inputs.digest

    def saved_meanwhile(given):
        seen = first_look(given)
        data.write_text(MINIMAL, encoding="utf-8")  # saved again, 'sau' not yet written back
        return seen

    monkeypatch.setattr(inputs, "digest", saved_meanwhile)
    assert build(maps).exit_code == 0
    monkeypatch.setattr(inputs, "digest", first_look)
    data.write_text(whole.replace("1726", "1800"), encoding="utf-8")  # the save ends
    again = build(maps)
    clean(again, 0)
    assert "Nada que hacer" not in again.output and "servicios/cai.html" in again.output
    clean(check(maps), 0)


# --- a second build of the same folder (25.15) ----------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from mimpmap.folder import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_build_of_a_folder_being_written_is_refused_saying_who(maps):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(maps)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = tree(maps)
        result = build(maps)
        clean(result, 1)
        assert f"proceso {holder.pid}, desde el " in result.output and "está generando los mapas" in result.output
        assert tree(maps) == before
    finally:
        holder.kill()
        holder.wait()
    assert build(maps).exit_code == 0  # released when the holder dies
    assert not (maps / safe.LOCK).exists()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_left_alone(maps, tmp_path):
    target = tmp_path / "fuera"
    target.write_text("intacto", encoding="utf-8")
    (maps / safe.LOCK).symlink_to(target)
    result = build(maps)
    clean(result, 1)
    assert "el cerrojo de la carpeta" in result.output
    assert target.read_text(encoding="utf-8") == "intacto"


def test_a_lock_left_by_a_killed_build_does_not_stop_the_next(maps):
    (maps / safe.LOCK).write_text('{"pid": 1, "since": 0}', encoding="utf-8")
    clean(build(maps), 0)
    assert not (maps / safe.LOCK).exists()


def test_a_build_that_fails_leaves_no_folder_of_its_own(tmp_path, yaml_file):
    bad = yaml_file(MINIMAL.replace("Ayacucho", "Ayacuchoo"))
    result = run("build", "--data", bad, "--geo", GEO, "--out", tmp_path / "nuevo" / "maps")
    clean(result, 1)
    assert not (tmp_path / "nuevo").exists()


# --- signals (25.14) ---------------------------------------------------------------------------------


def test_ctrl_c_once_the_maps_are_written_says_what_was_written(maps, monkeypatch):
    (maps.parent / "coverage.yaml").write_text(SECOND.replace("1726", "1800"), encoding="utf-8")
    real = write.write_all

    def interrupted_after(files, root=None):
        written = real(files, root)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just after the commit
        return written

    monkeypatch.setattr("mimpmap.build.write_all", interrupted_after)
    result = build(maps)
    clean(result, 1)
    assert "servicios/cai.html" in result.output and "archivos escritos" in result.output
    assert "Interrumpido cuando ya se escribían los mapas" in result.output
    monkeypatch.undo()
    assert "Nada que hacer" in build(maps).output


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_during_a_build_with_workers_ends_it_quietly(maps, number):
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        pytest.skip("needs Linux's /proc to see the worker processes")
    (maps.parent / "coverage.yaml").write_text(SECOND.replace("1726", "1800"), encoding="utf-8")
    before = tree(maps)
    # the shipped centres, not the folder's one-line file: every image is drawn again, a build long enough
    # for its workers to be seen before it ends
    args = ["-m", "mimpmap", "build", "--data", maps.parent / "coverage.yaml", "--geo", GEO, "--out", maps,
            "--format", "html,png,svg", "--dpi", "200"]
    build = subprocess.Popen([sys.executable, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.monotonic()
    while len(children(build.pid)) < 2 and build.poll() is None and time.monotonic() - start < 60:
        time.sleep(0.05)
    workers = children(build.pid)
    assert len(workers) >= 2, "the build rendered without workers"
    build.send_signal(number)
    _, err = build.communicate(timeout=60)  # the workers hold the pipe too: ended when they are gone
    stderr = err.decode()
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    if number == signal.SIGTERM:
        assert build.returncode == 1 and "Interrumpido." in stderr
    deadline_ = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline_:
        time.sleep(0.05)
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
    assert {n: d for n, d in tree(maps).items() if n != safe.LOCK} == before


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"
