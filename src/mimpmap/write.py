"""Write a set of output files as one change: all of them or none, even across a kill.

The protocol, in the output folder ``root`` (``S`` is ``root/.mimpmap-staging``, on the same disk):

1. Check every target (a regular file or absent, below real folders) and drop those whose bytes are
   already on disk. Lock ``root`` against another run.
2. Stage: each new file in ``S/new/<n>``; each file it will replace hard-linked (or copied) to
   ``S/old/<n>``; fsync them all. Killed here: ``root`` is unchanged; the next run deletes ``S``.
3. Journal: ``S/journal`` (the targets, which existed, which folders will be made), fsynced and
   renamed into place. Killed before the rename: as in 2.
4. Apply: make the missing folders, rename each staged file over its target. Killed here: a mix, which
   the next run's ``recover()`` rolls back from the journal (backups renamed back, new files and new
   folders removed): all-old.
5. Commit: fsync the folders, delete the journal (now all-new), then ``S``. Killed after: all-new; the
   next run deletes what is left of ``S``.

An error at any step rolls back at once and raises :class:`OutputError`. If the roll back itself
fails, the journal stays and the next run finishes it. Non-regular targets (links, folders, FIFOs,
devices) are refused before anything is written: they are never written through nor replaced.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import folder as safe
from .errors import OutputError
from .folder import reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None

log = logging.getLogger("mimpmap")

STAGING = ".mimpmap-staging"
#: Temporaries of mimpmap before the journal: ``.cobertura.html.k3j9_x0a.tmp`` (tempfile.mkstemp).
_OLD_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")

def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (unchanged bytes are not rewritten)."""
    write_all({Path(path): data})
    return Path(path)


def write_text(path: Path | str, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_all(files: dict[Path, bytes], root: Path | str | None = None) -> list[Path]:
    """Write ``files`` (paths under ``root``, by default their common folder) as one change.

    Returns the paths written, sorted; the others already held those bytes and were left alone.
    Raises :class:`OutputError` (with nothing changed) when any file cannot be written.
    """
    places = {path: Path(os.path.abspath(path)) for path in files}
    if not places:
        return []
    root = Path(os.path.abspath(root)) if root is not None else Path(
        os.path.commonpath([p.parent for p in places.values()]))
    made = _missing_folders(root)
    try:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"no se puede escribir en '{root}': {reason(exc)}; elija otra carpeta de salida") from None
        with _locked(root):
            _recover(root)
            for folder in {p.parent for p in places.values()}:
                _sweep(folder)
            changed = [path for path in sorted(files) if _needs_writing(places[path], root, files[path])]
            if changed:
                _apply(root, [(places[path], files[path]) for path in changed])
    except BaseException:
        for folder in reversed(made):
            _quietly(os.rmdir, folder)
        raise
    return changed


def recover(root: Path | str) -> None:
    """Finish or undo what a killed run left in the output folder ``root`` (see the module's
    protocol) and delete the temporaries of earlier runs in it (``write_all`` also sweeps the
    folders it writes into)."""
    root = Path(os.path.abspath(root))
    if not root.is_dir():
        return
    with _locked(root):
        _recover(root)


def _apply(root: Path, items: list[tuple[Path, bytes]]) -> None:
    staging = root / STAGING
    existed = [os.path.lexists(target) for target, _ in items]
    folders = sorted({str(f.relative_to(root)) for t, _ in items for f in _missing_folders(t.parent)}, key=len)
    target = root  # what an error message names
    try:
        (staging / "new").mkdir(parents=True)
        (staging / "old").mkdir()
        for n, (target, data) in enumerate(items):
            _write(staging / "new" / str(n), data)
            if existed[n]:
                _back_up(target, staging / "old" / str(n))
        _sync(*(staging / "new" / str(n) for n in range(len(items))), staging / "new", staging / "old")
        target = root
        journal = {"files": [[str(t.relative_to(root)), e] for (t, _), e in zip(items, existed)],
                   "folders": folders}
        _write(staging / "journal.tmp", json.dumps(journal).encode())
        _sync(staging / "journal.tmp")
        os.replace(staging / "journal.tmp", staging / "journal")
        _sync(staging)
        for folder in folders:
            target = root / folder
            os.mkdir(target)
        for n, (target, _) in enumerate(items):
            os.replace(staging / "new" / str(n), target)
        _sync(*{t.parent for t, _ in items}, *{(root / f).parent for f in folders})
        os.unlink(staging / "journal")  # the commit
    except BaseException as exc:
        try:
            _restore(root)
            undone = "no se cambió ningún archivo"
        except Exception:  # the journal stays: the next run finishes the roll back
            undone = "la carpeta quedó a medias y la próxima ejecución de mimpmap la restaurará"
        if isinstance(exc, OSError):
            raise OutputError(f"no se pudo escribir '{target}': {reason(exc)}; {undone}") from None
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _recover(root: Path) -> None:
    if _restore(root):
        log.warning("una escritura anterior en '%s' quedó interrumpida y se deshizo: sus archivos están "
                    "como antes de ella", root)
    _sweep(root)


def _restore(root: Path) -> bool:
    """Roll back an uncommitted journal in ``root``, then delete the staging folder. Whether there
    was a journal to roll back."""
    staging = root / STAGING
    mode = _mode(staging)
    if mode is None:
        return False
    if not stat.S_ISDIR(mode):  # not ours: never followed
        _quietly(os.unlink, staging)
        return False
    journal = _journal(root)
    if journal is not None:
        try:
            for n, (name, existed) in reversed(list(enumerate(journal["files"]))):
                new, old = f"{STAGING}/new/{n}", f"{STAGING}/old/{n}"
                if safe.lstat(root, new) is not None:  # never moved into place
                    continue
                if existed and safe.is_file(root, old):
                    os.replace(root / old, root / name)  # the way to both checked: real folders only
                elif not existed:
                    safe.unlink(root, name)
            for folder in reversed(journal["folders"]):
                _quietly(os.rmdir, root / folder)
            _sync(root, *{(root / name).parent for name, _ in journal["files"]})
            os.unlink(staging / "journal")
        except OSError as exc:
            raise OutputError(f"no se pudo deshacer una escritura interrumpida en '{root}': "
                              f"{reason(exc)}; corrija eso y vuelva a ejecutar mimpmap") from None
    shutil.rmtree(staging, ignore_errors=True)
    return journal is not None


#: The largest journal read: a line per file of a build (some hundred bytes each).
_JOURNAL_BYTES = 4 * 1024 * 1024


def _journal(root: Path) -> dict | None:
    """The journal of an interrupted write in ``root``, if there is one; :class:`OutputError` if it is
    damaged or names anything outside ``root`` (or reached through a link): such a journal is not
    obeyed."""
    name = f"{STAGING}/journal"
    info = safe.lstat(root, name)
    if info is None:
        return None
    raw = safe.read(root, name, _JOURNAL_BYTES) if stat.S_ISREG(info.st_mode) else None
    try:
        journal = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        journal = None
    if not _trusted(root, journal):
        staging = root / STAGING
        raise OutputError(f"'{staging / 'journal'}', el registro de una escritura interrumpida, está dañado o "
                          f"nombra archivos fuera de '{root}': no se usó. Para continuar, revise '{root}' (los "
                          f"archivos de antes de esa escritura están en '{staging / 'old'}') y borre '{staging}'")
    return journal


def _trusted(root: Path, journal: object) -> bool:
    """Whether ``journal`` has the shape :func:`_apply` writes and names only files and folders inside
    ``root``, below real folders (or folders it made)."""
    if not isinstance(journal, dict) or not isinstance(journal.get("files"), list) \
            or not isinstance(journal.get("folders"), list):
        return False
    files, folders = journal["files"], journal["folders"]
    if not all(safe.safe_name(f) for f in folders) or not all(
            isinstance(e, list) and len(e) == 2 and safe.safe_name(e[0]) and isinstance(e[1], bool) for e in files):
        return False
    made = set(folders)
    ways = {"/".join(parts[:depth]) for parts in [n.split("/")[:-1] for n, _ in files] + [f.split("/") for f in folders]
            for depth in range(1, len(parts) + 1)}
    for way in ways:
        info = safe.lstat(root, way)
        if not (info is None and way in made or info is not None and stat.S_ISDIR(info.st_mode)):
            return False
    return True


def _needs_writing(target: Path, root: Path, data: bytes) -> bool:
    """Whether ``target`` must be written: False when it holds ``data``; OutputError when it is not
    a regular file, lies below something that is not a real folder, or its folder is read-only."""
    if root not in target.parents:
        raise ValueError(f"{target} is not inside the output folder {root}")
    folder = root
    for part in target.relative_to(root).parts[:-1]:
        folder = folder / part
        mode = _mode(folder)
        if mode is None:
            break
        if not stat.S_ISDIR(mode):
            raise _refusal(folder, mode, f"no se puede escribir '{target}': ")
    mode = _mode(target)
    if mode is not None and not stat.S_ISREG(mode):
        raise _refusal(target, mode)
    if os.path.isdir(target.parent) and not os.access(target.parent, os.W_OK):
        raise OutputError(f"no se puede escribir en '{target.parent}': la carpeta no admite escritura; cambie "
                          "sus permisos (o quite su chattr +i) o elija otra carpeta de salida")
    return mode is None or safe.read(root, target.relative_to(root).as_posix(), len(data)) != data


def _refusal(path: Path, mode: int, head: str = "") -> OutputError:
    """Why ``path`` (a target, or a folder on the way to one, named in ``head``) cannot be written."""
    if stat.S_ISLNK(mode):
        why = "es un enlace simbólico; mimpmap no reemplaza enlaces ni escribe a través de ellos: bórrelo o elija"
    elif stat.S_ISDIR(mode):
        why = "es una carpeta; elija otro nombre u"
    elif stat.S_ISREG(mode):
        why = "es un archivo, no una carpeta; bórrelo o elija"
    else:  # '/dev/full', say: never "delete it"
        kind = "una tubería (FIFO)" if stat.S_ISFIFO(mode) else "un socket" if stat.S_ISSOCK(mode) else "un dispositivo"
        why = f"es {kind}; mimpmap solo escribe archivos normales: elija otro archivo u"
    return OutputError(f"{head or 'no se puede escribir: '}'{path}' {why} otra carpeta de salida")


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def _back_up(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup)
    except OSError:  # a disk without hard links: a copy does as well
        shutil.copy2(target, backup, follow_symlinks=False)


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.fchmod(fd, 0o644)  # whatever the umask: the maps are to be served
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _sync(*paths: Path) -> None:
    """fsync files, then folders (all written first, so the disk can take them in one go). A folder
    that cannot be synced (some disks; Windows cannot open one) is left to the system."""
    for path in paths:
        folder = os.path.isdir(path)
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            if folder or not os.path.lexists(path):  # a file removed by a roll back
                continue
            raise
        try:
            os.fsync(fd)
        except OSError:
            if not folder:
                raise
        finally:
            os.close(fd)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``root``, so a second run does not roll back the first's journal
    (POSIX only: released by the system when the process ends, even killed)."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"no se puede abrir la carpeta '{root}': {reason(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"otra ejecución de mimpmap está escribiendo en '{root}'; espere a que "
                              "termine y vuelva a intentarlo") from None
        yield
    finally:
        os.close(fd)


def _sweep(folder: Path) -> None:
    """Delete the temporaries that mimpmap before the journal could leave in ``folder``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _OLD_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            _quietly(os.unlink, entry.path)


def _mode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"no se puede escribir '{path}': {reason(exc)}") from None


def _quietly(action, path) -> None:
    try:
        action(path)
    except OSError:
        pass
