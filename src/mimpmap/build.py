"""Plan a build from the manifest, render what changed, then write the files as one transaction.

Every output is keyed by what it shows (:mod:`mimpmap.manifest`). A build plans the outputs of the
formats asked for and of those already in the folder, renders only those whose key changed or whose
file is not as it was written, and writes them with the manifest in one transaction
(:func:`mimpmap.write.write_all`): a build that fails leaves the previous maps and manifest as they
were, and one killed half-way is completed or rolled back by the next.

Rendering uses every core (:func:`render`): forked worker processes render the outputs, a map's
images together so that its PNG, SVG and thumbnail share one drawing, and send back their bytes,
which are those of a render in one process.

``--service X`` limits the build to X's outputs and the pages that sum up every service (the
choropleth, the index, and their images); what else is stale stays listed in every build until it
is rebuilt.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import manifest as mf
from .formats import DEFAULT, FORMATS, IMAGES, SIZE_NAMES, Job, Output
from .layout import ATLAS_HTML, ATLAS_PDF, MOSAIC, DATA_DIR, INDEX, PEOPLE_CHART, SERVICES_DIR, THUMBNAILS_DIR
from .write import recover, write_all

if TYPE_CHECKING:  # pragma: no cover - the descriptions load geopandas; the fast path must not
    from .maps import Atlas

log = logging.getLogger("mimpmap")


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = DEFAULT
    #: Service ids to rebuild alone; ``None`` builds everything.
    services: tuple[str, ...] | None = None
    cdn: bool = False
    tiles: str | None = None
    dpi: int = 300
    #: The page the images and the PDF are sized for: a4, carta or diapositiva (static.SIZES).
    size: str = "a4"
    #: The inputs' fingerprint (:func:`fingerprint`): kept in the manifest so that the next build
    #: with the same inputs can tell at once that it has nothing to do.
    fingerprint: str | None = None
    #: Delete the files of services no longer in the data (only files a build made).
    prune: bool = False
    #: Processes that render at once: ``None`` for one per core (see :func:`render`), 1 for none.
    jobs: int | None = None


@dataclass
class BuildResult:
    out: Path
    written: list[tuple[Path, int]] = field(default_factory=list)
    #: Outputs already as they should be (not rendered, not rewritten).
    unchanged: int = 0
    #: Outputs that do not show the current data (not rebuilt: ``--service`` left them out), and
    #: outputs that are not in the folder at all.
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: Files of services no longer in the data (deleted with ``prune``).
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.written)


def fingerprint(files: list[Path], options: BuildOptions, **more) -> str:
    """The inputs of a whole build: its input files' bytes and the options that shape the outputs."""
    shaping = {"formats": sorted(options.formats), "cdn": options.cdn, "tiles": options.tiles,
               "dpi": options.dpi, "size": options.size, **more}
    return mf.fingerprint(files, shaping)


#: The options that change what is drawn, recorded in the manifest: ``check --maps`` asks whether
#: the maps show the data as they were drawn.
SHAPING = ("dpi", "size", "cdn", "tiles")
#: Of those, the ones a build keeps from the folder when they are not given (as it keeps its formats);
#: the flag --cdn cannot be told "not given" from "off", so it and --tiles are given every time.
KEPT = ("dpi", "size")


def _recorded(book: mf.Manifest) -> dict:
    """The options (of :data:`SHAPING`) a manifest says its maps were drawn with; a value that no
    build could have given is left out."""
    valid = {"dpi": lambda v: type(v) is int and 50 <= v <= 1200, "size": lambda v: v in SIZE_NAMES,
             "cdn": lambda v: type(v) is bool, "tiles": lambda v: v is None or isinstance(v, str)}
    return {name: book.options[name] for name in SHAPING if name in book.options and valid[name](book.options[name])}


def kept_options(out: Path | str, **given) -> dict:
    """The options of :data:`KEPT` for a build of ``out``: those ``given`` (not ``None``), else those
    its maps were drawn with (else none: the defaults)."""
    kept = {name: value for name, value in _recorded(mf.Manifest.read(Path(out))).items() if name in KEPT}
    return {**kept, **{name: value for name, value in given.items() if value is not None}}


def folder_options(out: Path | str) -> BuildOptions:
    """The options the maps of ``out`` were drawn with: its formats (HTML where it records none) and
    the options of :data:`SHAPING`."""
    book = mf.Manifest.read(Path(out))
    formats = tuple(f for f in FORMATS if f in book.formats) or DEFAULT
    return BuildOptions(formats=formats, **_recorded(book))


def with_folder_formats(options: BuildOptions, out: Path | str) -> BuildOptions:
    """The options with the formats already in the folder added: a build keeps every kind of file
    the folder holds up to date."""
    present = mf.Manifest.read(Path(out)).formats
    return replace(options, formats=tuple(f for f in FORMATS if f in options.formats or f in present))


def up_to_date(out: Path | str, options: BuildOptions) -> bool:
    """Whether a whole build with these options has nothing to do (the fast path: nothing heavy is
    imported to know it)."""
    if options.services is not None or options.fingerprint is None or options.prune:
        return False
    return mf.Manifest.read(Path(out)).up_to_date(Path(out), options.fingerprint, options.formats)


def plan(atlas: Atlas, options: BuildOptions, out: Path | None = None) -> list[Output]:
    """Every output of the formats asked for (whole build), in the table's order.

    The index links the images of this build, and those an earlier build left in ``out``.
    """
    planned: set[str] = set()

    def exists(name: str) -> bool:
        """Written by this build, or left by an earlier one."""
        return name in planned or (out is not None and os.path.isfile(out / name))

    job = Job(maps=atlas.maps, whole=True, dpi=options.dpi, cdn=options.cdn, tiles=options.tiles, exists=exists,
              size=options.size)
    items = [item for name in options.formats for item in FORMATS[name].outputs(atlas, job)]
    planned.update(item.name for item in items)
    return items


def keys(atlas: Atlas, items: list[Output], options: BuildOptions) -> dict[str, str]:
    """Each output's key: a hash of what it shows, the boundaries, its format's options and the code."""
    geometry = geometry_hash(atlas)
    out, memo = {}, {}
    for item in items:
        fmt = FORMATS[item.format or item.name.rsplit(".", 1)[-1]]
        opts = {name: getattr(options, name) for name in fmt.options}
        shows = item.shows() if callable(item.shows) else item.shows
        out[item.name] = mf.digest(shows, fmt.name, opts, geometry, mf.code_hash(),
                                   item.name.startswith(THUMBNAILS_DIR), memo=memo)
    return out


def geometry_hash(atlas: Atlas) -> str:
    import shapely

    frame = atlas.boundaries.frame
    wkb = shapely.to_wkb(frame.geometry.values, hex=True)
    return mf.digest(list(frame.index), list(frame["nombre"]), [list(m) for m in frame["members"]], list(wkb))


def wanted(atlas: Atlas, items: list[Output], options: BuildOptions) -> list[Output]:
    """The outputs this build may render: all, or with ``--service`` the services' own and the pages
    that sum up every service (choropleth, index, mosaic, population charts, their images, the data
    files)."""
    if options.services is None:
        return items
    summaries = {atlas.choropleth.key, INDEX.rsplit(".", 1)[0], MOSAIC, PEOPLE_CHART, ATLAS_PDF.rsplit(".", 1)[0],
                 ATLAS_HTML.rsplit(".", 1)[0]}
    own = {atlas.service(sid).key for sid in options.services} | summaries
    return [item for item in items if _map_of(item.name) in own or item.name.startswith(DATA_DIR + "/")]


def _map_of(name: str) -> str:
    """``servicios/cai`` for ``servicios/cai.svg`` and ``miniaturas/servicios/cai.png``."""
    if name.startswith(THUMBNAILS_DIR + "/"):
        name = name[len(THUMBNAILS_DIR) + 1:]
    return name.rsplit(".", 1)[0]


def build(
    atlas: Atlas,
    out: Path | str,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Render what changed of the maps of ``atlas`` into ``out`` and write it, with the manifest, as
    one transaction. ``progress(done, total, name)`` is called after each file renders."""
    out = Path(out)
    if options.services is not None:
        for sid in options.services:
            atlas.service(sid)  # an unknown id fails before anything is done
    recover(out)  # a build killed earlier is completed or rolled back before the folder is read
    options, book, items, current, fresh = _survey(atlas, out, options)
    todo = [i for i in wanted(atlas, items, options) if i.name not in fresh]
    rendered: dict[Path, bytes] = {}
    for item, data in zip(todo, render(todo, options.jobs, progress)):
        rendered[out / item.name] = data
        book.outputs[item.name] = {"key": current[item.name], "sha256": mf.sha256(data)}
    result = BuildResult(out=out)
    result.stale, result.missing = split_missing(
        out, [i.name for i in items if i.name not in fresh and out / i.name not in rendered])
    result.orphans = orphans(atlas, out, book)
    _record(book, options, result)
    rendered[out / mf.NAME] = book.to_bytes()
    for path in write_all(rendered, root=out):
        if path.name != mf.NAME:
            result.written.append((path, len(rendered[path])))
    result.unchanged = len(fresh) + len(todo) - len(result.written)  # rendered again, same bytes
    if options.prune:
        result.removed = _remove(out, result.orphans, book)
    return result


# --- rendering ------------------------------------------------------------------------------------

#: The outputs being rendered by the worker processes, which inherit them when they are forked.
_TODO: list[Output] = []
#: Rough costs of an output, to hand out the longest first and to tell a tiny build from one
#: worth more processes (the PDF atlas draws every map; an image is drawn, then compressed).
_COST = {"pdf": 20, "png": 3}
#: The least work (in those costs) for which more processes pay for forking them: about an image
#: and its neighbours, or half a dozen pages.
_PARALLEL = 6


def _cost(item: Output) -> int:
    if item.name.startswith(THUMBNAILS_DIR + "/"):
        return 1
    # The mosaic draws every service on one page: nearly twice a map's time, so it goes first rather
    # than last, when one process would draw it while the other waits.
    return _COST.get(item.format, 1) * (2 if _map_of(item.name) == MOSAIC else 1)


def _groups(todo: list[Output]) -> list[list[int]]:
    """The outputs (indexes into ``todo``) in groups rendered one after the other by one process:
    the images of one map together (its PNG, SVG and thumbnail share a drawing), every other output
    alone; the costliest group first."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(todo):
        key = _map_of(item.name) if item.format in IMAGES else item.name
        groups.setdefault(key, []).append(i)
    return sorted(groups.values(), key=lambda g: -sum(_cost(todo[i]) for i in g))


def _workers(jobs: int | None, groups: list[list[int]], todo: list[Output]) -> int:
    """How many processes render: one per core the process may use, no more than the groups; one
    (this process) where ``fork`` is not available, or for a build too small to gain from it (less
    than :data:`_PARALLEL` of work, or one group with nearly all of it)."""
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - macOS, Windows
            jobs = os.cpu_count() or 1
    costs = [sum(_cost(todo[i]) for i in g) for g in groups]
    if (len(groups) < 2 or sum(costs) < _PARALLEL or sum(costs) < 1.5 * max(costs)
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, min(jobs, len(groups)))


def _render_group(group: list[int]) -> list[tuple[int, bytes]]:
    """In a worker: the bytes of a group of outputs."""
    return [(i, _TODO[i].render()) for i in group]


def render(todo: list[Output], jobs: int | None = None,
           progress: Callable[[int, int, str], None] | None = None) -> list[bytes]:
    """The bytes of each output of ``todo``, in its order. With more than one core, worker processes
    render groups of them at once (see :func:`_groups`): forked, they inherit the loaded libraries,
    the atlas and the outputs, and send back bytes only; the bytes are those of a serial render.
    ``progress(done, total, name)`` is called as each output is rendered."""
    groups = _groups(todo)
    done: dict[int, bytes] = {}

    def record(pairs) -> None:
        for i, data in pairs:
            done[i] = data
            if progress:
                progress(len(done), len(todo), todo[i].name)

    workers = _workers(jobs, groups, todo)
    try:
        if workers == 1:
            for group in groups:
                record((i, todo[i].render()) for i in group)
        else:
            _TODO[:] = todo
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for pairs in pool.imap_unordered(_render_group, groups, chunksize=1):
                    record(pairs)
    finally:
        _TODO.clear()
    return [done[i] for i in range(len(todo))]


def _record(book: mf.Manifest, options: BuildOptions, result: BuildResult) -> None:
    """The manifest's summary: the formats the folder holds, and the fingerprint of a whole build
    that left nothing stale (else none: the next build must look at every output)."""
    book.formats = [f for f in FORMATS if f in options.formats or f in book.formats]
    book.options = {name: getattr(options, name) for name in SHAPING}
    whole = options.services is None and not result.stale and not result.missing
    book.fingerprint = options.fingerprint if whole else None
    book.drawn_with = mf.versions()


def orphans(atlas: Atlas, out: Path, book: mf.Manifest | None = None) -> list[str]:
    """Files of services no longer in the data, in the service folders of ``out``."""
    ids = {s.id for s in atlas.services}
    found = []
    for where in (SERVICES_DIR, f"{THUMBNAILS_DIR}/{SERVICES_DIR}"):
        folder = out / where
        if folder.is_dir():
            found += sorted(f"{where}/{p.name}" for p in folder.iterdir()
                            if p.is_file() and p.suffix.lstrip(".") in FORMATS and p.stem not in ids)
    return found


def _remove(out: Path, names: list[str], book: mf.Manifest) -> list[str]:
    """Delete the orphans a build made (recorded in the manifest); others are left, and listed."""
    removed = []
    for name in names:
        if name in book.outputs:
            (out / name).unlink(missing_ok=True)
            removed.append(name)
    return removed


def stale(atlas: Atlas, out: Path | str, options: BuildOptions = BuildOptions()) -> list[str]:
    """The outputs of ``out`` that do not show the current data (``mimpmap check --maps``): those the
    manifest does not record as made from it, or whose file changed since."""
    out = Path(out)
    _, _, items, _, fresh = _survey(atlas, out, options)
    return [i.name for i in items if i.name not in fresh]


def split_missing(out: Path, names: list[str]) -> tuple[list[str], list[str]]:
    """``names`` of outputs that are not current, as those in ``out`` (stale) and those it lacks."""
    missing = [name for name in names if not mf.exists(out, name)]
    return [name for name in names if name not in missing], missing


def _survey(atlas: Atlas, out: Path, options: BuildOptions):
    """What the folder holds against what the data shows: the options with the folder's formats, its
    manifest, every output planned, each one's key, and the names of those still current."""
    options = with_folder_formats(options, out)
    book = mf.Manifest.read(out)
    items = plan(atlas, options, out)
    current = keys(atlas, items, options)
    fresh = {i.name for i in items if book.current(out, i.name, current[i.name])}
    return options, book, items, current, fresh
