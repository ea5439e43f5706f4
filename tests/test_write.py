"""Writing a set of outputs as one change: all or nothing, across failures and kills, nothing left behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mimpmap import write
from mimpmap.errors import OutputError
from mimpmap.write import STAGING, recover, write_all, write_text

OLD = {"cobertura.html": b"old map", "index.html": b"old index", "servicios/cai.html": b"old cai",
       "servicios/sau.html": b"old sau"}
NEW = {"cobertura.html": b"new map", "index.html": b"new index", "servicios/cai.html": b"new cai",
       "servicios/sau.html": b"new sau", "miniaturas/servicios/cai.png": b"new thumbnail"}


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: a file's bytes, or what else it is (so folders count too)."""
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        name = str(p.relative_to(folder))
        out[name] = "link" if p.is_symlink() else p.read_bytes() if p.is_file() else "folder" if p.is_dir() else "other"
    return out


def files(root: Path, contents: dict[str, bytes]) -> dict[Path, bytes]:
    return {root / name: data for name, data in contents.items()}


@pytest.fixture
def maps(tmp_path) -> Path:
    root = tmp_path / "maps"
    write_all(files(root, OLD), root)
    return root


def expected(contents: dict[str, bytes]) -> dict[str, bytes | str]:
    folders = {str(Path(n).parents[i]) for n in contents for i in range(len(Path(n).parents) - 1)}
    return {**{f: "folder" for f in folders}, **contents}


def test_writes_a_new_set_and_returns_what_it_wrote(tmp_path):
    root = tmp_path / "a" / "maps"
    assert write_all(files(root, NEW), root) == sorted(files(root, NEW))
    assert tree(root) == expected(NEW)
    assert stat.S_IMODE((root / "index.html").stat().st_mode) == 0o644


def test_relative_paths_and_the_default_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    written = write_all({Path("maps/index.html"): b"i", Path("maps/servicios/cai.html"): b"c"})
    assert written == [Path("maps/index.html"), Path("maps/servicios/cai.html")]  # the keys given
    assert write_text(Path("schema.json"), "{}") == Path("schema.json")
    assert (tmp_path / "schema.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps", "schema.json"]  # no staging left


def test_unchanged_files_are_not_rewritten(maps):
    for p in maps.rglob("*.html"):
        os.utime(p, ns=(1, 1))
    written = write_all(files(maps, {**OLD, "servicios/cai.html": b"new cai"}), maps)
    assert written == [maps / "servicios" / "cai.html"]
    assert sorted(str(p.relative_to(maps)) for p in maps.rglob("*.html") if p.stat().st_mtime_ns != 1) == [
        "servicios/cai.html"]
    assert write_all(files(maps, OLD | {"servicios/cai.html": b"new cai"}), maps) == []


def fail_on(monkeypatch, name: str, victim: Path, error: int = errno.EPERM) -> None:
    """Make ``os.<name>`` fail with ``error`` when its last argument is ``victim``."""
    original = getattr(os, name)

    def flaky(*args, **kwargs):
        if Path(args[-1]) == victim:
            raise OSError(error, os.strerror(error), str(victim))
        return original(*args, **kwargs)

    monkeypatch.setattr(os, name, flaky)


@pytest.mark.parametrize("victim", ["cobertura.html", "servicios/sau.html", "miniaturas/servicios/cai.png"])
def test_one_target_that_cannot_be_replaced_changes_nothing(maps, monkeypatch, victim):
    before = tree(maps)
    fail_on(monkeypatch, "replace", maps / victim)
    with pytest.raises(OutputError, match=f"no se pudo escribir '{maps / victim}': operación no permitida"
                                          ".*no se cambió ningún archivo"):
        write_all(files(maps, NEW), maps)
    assert tree(maps) == before  # no new file kept, no temporary, no staging, no new folder


def test_ctrl_c_while_applying_rolls_back(maps, monkeypatch):
    before, original, calls = tree(maps), os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 4:  # the journal, two targets, then Ctrl-C
            raise KeyboardInterrupt
        return original(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all(files(maps, NEW), maps)
    assert tree(maps) == before


def test_a_failing_roll_back_does_not_hide_the_error_and_the_next_run_finishes_it(maps, monkeypatch):
    before = tree(maps)
    original = os.replace

    def failing(src, dst):
        if Path(dst) == maps / "servicios" / "sau.html":
            raise PermissionError(errno.EPERM, "Operation not permitted")
        if Path(src).parent.name == "old":  # the roll back cannot restore a backup either
            raise OSError(errno.EIO, "Input/output error")
        return original(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match="operación no permitida.*la próxima ejecución de mimpmap la restaurará"):
        write_all(files(maps, NEW), maps)
    monkeypatch.undo()
    assert (maps / STAGING / "journal").exists() and tree(maps) != before
    recover(maps)
    assert tree(maps) == before


def test_a_protected_file_changes_nothing(maps):
    victim = maps / "servicios" / "sau.html"
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", victim], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here (needs chattr, ext4-like disk and CAP_LINUX_IMMUTABLE)")
    try:
        before = tree(maps)
        with pytest.raises(OutputError, match=f"'{victim}': operación no permitida .*chattr"):
            write_all(files(maps, NEW), maps)
        assert tree(maps) == before
        subprocess.run(["chattr", "-i", victim], check=True)
        subprocess.run(["chattr", "+i", maps / "servicios"], check=True)  # a protected folder
        with pytest.raises(OutputError, match="servicios': la carpeta no admite escritura; .*chattr"):
            write_all(files(maps, NEW), maps)
        assert tree(maps) == before
    finally:
        subprocess.run(["chattr", "-i", victim, maps / "servicios"], capture_output=True)


CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from mimpmap.write import write_all
    root, name, nth = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    calls, original = [], getattr(os, name)
    def killing(*args, **kwargs):
        calls.append(args)
        if len(calls) == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    setattr(os, name, killing)
    write_all({root / n: d.encode() for n, d in eval(sys.argv[4]).items()}, root)
""")


@pytest.mark.parametrize("name, nth, outcome", [
    ("fsync", 3, "old"),  # while staging
    ("replace", 1, "old"),  # the journal, before it is in place
    ("replace", 4, "rolled back"),  # applying: 2 of 5 files already new
    ("replace", 6, "rolled back"),  # applying: all but the last
    ("unlink", 1, "rolled back"),  # every file new, the journal not yet deleted
    ("rmdir", 1, "new"),  # committed, the staging folder not yet deleted
])
def test_a_killed_write_is_rolled_back_or_completed_by_the_next_run(maps, name, nth, outcome, caplog):
    before = tree(maps)
    new = {n: d.decode() for n, d in NEW.items()}
    child = subprocess.run([sys.executable, "-c", CHILD, maps, name, str(nth), repr(new)], capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert (maps / STAGING).exists()  # killed half way
    if (name, nth) == ("replace", 4):
        assert tree(maps) not in (before, expected(NEW))  # a mix, until...
    recover(maps)
    assert tree(maps) == (expected(NEW) if outcome == "new" else before)
    assert ("quedó interrumpida y se deshizo" in caplog.text) == (outcome == "rolled back")  # said when files went back


def test_recover_deletes_temporaries_of_earlier_runs(maps):
    old_style = [maps / ".cobertura.html.k3j9_x0a.tmp", maps / "servicios" / ".cai.html.abcdefgh.tmp"]
    for p in old_style:
        p.write_bytes(b"half")
    (maps / STAGING / "new").mkdir(parents=True)  # staged, never journalled
    (maps / STAGING / "new" / "0").write_bytes(b"half")
    recover(maps)
    assert [p.exists() for p in old_style] == [False, True] and not (maps / STAGING).exists()
    write_all({maps / "servicios" / "cai.html": OLD["servicios/cai.html"]}, maps)  # unchanged, but
    assert not list(maps.rglob("*.tmp"))  # writing into a folder sweeps it
    assert tree(maps) == expected(OLD)


def test_a_hostile_staging_folder_is_neither_followed_nor_obeyed(maps, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (maps / STAGING).symlink_to(elsewhere)
    recover(maps)
    assert not (maps / STAGING).exists() and elsewhere.is_dir()
    victim = tmp_path / "victim.html"
    victim.write_bytes(b"keep")
    (maps / STAGING / "new").mkdir(parents=True)
    (maps / STAGING / "journal").write_text('{"files": [["../victim.html", false]], "folders": []}')
    with pytest.raises(OutputError, match="revise .* y borre"):
        recover(maps)
    assert victim.read_bytes() == b"keep"


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device", "folder"])
def test_targets_that_are_not_regular_files_are_refused_and_left_alone(maps, tmp_path, kind):
    victim = maps / "servicios" / "sau.html"
    victim.unlink()
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not mimpmap's")
    if kind == "symlink":
        victim.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(victim)
    elif kind == "folder":
        victim.mkdir()
    else:
        try:
            os.mknod(victim, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
        except PermissionError:
            pytest.skip("making a device node needs root")
    before = tree(maps)
    words = {"symlink": "es un enlace simbólico; mimpmap no reemplaza enlaces", "fifo": "es una tubería",
             "device": "es un dispositivo", "folder": "es una carpeta"}[kind]
    with pytest.raises(OutputError, match=words):
        write_all(files(maps, NEW), maps)
    assert tree(maps) == before and outside.read_bytes() == b"not mimpmap's"
    if kind == "device":
        assert stat.S_ISCHR(os.lstat(victim).st_mode)


def test_a_symlinked_folder_is_not_written_through(maps, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(maps / "servicios")
    (maps / "servicios").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="servicios' es un enlace simbólico"):
        write_all(files(maps, NEW), maps)
    assert not list(elsewhere.iterdir())


def test_a_device_as_a_single_output_is_refused(tmp_path):
    fifo = tmp_path / "full"
    os.mkfifo(fifo)  # stands for schema -o /dev/full
    with pytest.raises(OutputError, match="es una tubería"):
        write_text(fifo, "{}")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("when", ["staging", "applying"])
def test_a_full_disk_leaves_no_new_folders(tmp_path, monkeypatch, when):
    root = tmp_path / "new" / "maps"
    if when == "staging":
        real_write = os.write
        written = []

        def filling(fd, data):
            written.append(len(data))
            if len(written) == 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", filling)
    else:  # the folders exist by then
        fail_on(monkeypatch, "replace", root / "miniaturas" / "servicios" / "cai.png", errno.ENOSPC)
    with pytest.raises(OutputError, match="no queda espacio en el disco; no se cambió ningún archivo"):
        write_all(files(root, NEW), root)
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_does_not_undo_a_running_one(maps):
    import fcntl

    fd = os.open(maps, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="otra ejecución de mimpmap está escribiendo"):
            write_all(files(maps, NEW), maps)
    finally:
        os.close(fd)
    assert write_all(files(maps, NEW), maps)


@pytest.mark.parametrize("error, words", [(errno.EROFS, "el disco es de solo lectura"),
                                          (errno.EACCES, "permiso denegado"), (errno.EDQUOT, "se agotó la cuota"),
                                          (errno.EIO, "error de lectura o escritura del disco")])
def test_an_os_error_names_the_file_and_its_cause_in_spanish(maps, monkeypatch, error, words):
    before = tree(maps)
    fail_on(monkeypatch, "replace", maps / "servicios" / "cai.html", error)
    with pytest.raises(OutputError, match=f"'{maps}/servicios/cai.html': {words}.*; no se cambió ningún archivo"):
        write_all(files(maps, NEW), maps)
    assert tree(maps) == before


def test_bad_names_and_folders_are_output_errors(tmp_path):
    long_name = tmp_path / ("x" * 300 + ".html")
    with pytest.raises(OutputError, match="el nombre es demasiado largo"):
        write_all({long_name: b"x"}, tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="no se puede escribir en .*file/maps"):
        write_all({blocker / "maps" / "index.html": b"x"}, blocker / "maps")
    with pytest.raises(ValueError):
        write_all({tmp_path / "elsewhere.html": b"x"}, tmp_path / "maps")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    assert write.STAGING not in os.listdir(tmp_path)
