"""Plan a build from the manifest, render what changed, then write the files as one transaction.

Every output is keyed by what it shows (:mod:`mimpmap.manifest`). A build plans the outputs of the
formats asked for and of those already in the folder, renders only those whose key changed or whose
file is not as it was written, and writes them with the manifest in one transaction
(:func:`mimpmap.write.write_all`): a build that fails leaves the previous maps and manifest as they
were, and one killed half-way is completed or rolled back by the next.

Rendering uses every core (:mod:`mimpmap.workers`): forked worker processes render the outputs, a map's
images together so that its PNG, SVG and thumbnail share one drawing, and send back their bytes,
which are those of a render in one process.

A build holds its folder (:class:`Folder`): locked against a second run, a write killed earlier
finished or undone first, nothing read, written or deleted through a link (:mod:`mimpmap.folder`).

``--service X`` limits the build to X's own outputs and, when X's data changed, the outputs that
sum up every service and show it (the choropleth, the index, the atlases, the mosaic, the population
charts, the data files), each only if what it shows changed; what else is stale stays listed in
every build until it is rebuilt. A build that leaves nothing stale, with ``--service`` or not, records
the inputs' fingerprint, so that the next one with the same inputs has nothing to do at once.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import folder as safe
from . import manifest as mf
from . import workers
from .codegraph import Code
from .formats import DEFAULT, FORMATS, SIZE_NAMES, Job, Output
from .errors import OutputError
from .layout import DATA_DIR, GENERATOR_META, INDEX, SERVICES_DIR, THUMBNAILS_DIR, service_data_file
from .write import recover, write_all

if TYPE_CHECKING:  # pragma: no cover - the descriptions load geopandas; the fast path must not
    from .views.atlas import Atlas

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
    #: Also bring the other formats the folder holds up to date (``False``: only those asked for, as a
    #: live preview does to show its pages before it redraws their images).
    folder_formats: bool = True
    #: Folders of the output folder whose files this build leaves as they are (``("datos",)``: a live
    #: preview draws the pages first, their downloads just after).
    skip: tuple[str, ...] = ()
    #: The outputs this build draws alone, leaving the others as they are (``None``: all); a live
    #: preview draws the pages open in the browser first, the rest just after.
    only: frozenset[str] | None = None


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


def fingerprint(inputs: str, options: BuildOptions, code: Code, **more) -> str:
    """The inputs of a whole build: the digest of its input files' bytes (:func:`mimpmap.inputs.digest`),
    the options that shape the outputs (and ``more``: the inputs' own options) and the code it runs
    (:func:`code_modules`)."""
    shaping = {"formats": sorted(options.formats), "cdn": options.cdn, "tiles": options.tiles,
               "dpi": options.dpi, "size": options.size, **more}
    return mf.fingerprint(inputs, shaping, code.digest(*code_modules(options.formats)))


def code_modules(formats: tuple[str, ...]) -> list[str]:
    """The modules whose code a build of ``formats`` runs (with all they import): the build, the
    readers of the inputs, the descriptions and the formats' renderers; not the command line."""
    from .inputs import reader_modules

    renderers = [m for name in formats for m in (FORMATS[name].renderer, *FORMATS[name].also)]
    return [__name__, f"{__package__}.maps", *reader_modules(), *renderers]


#: The options that change what is drawn, recorded in the manifest: ``check --maps`` asks whether
#: the maps show the data as they were drawn.
SHAPING = ("dpi", "size", "cdn", "tiles")
#: Of those, the ones a build keeps from the folder when they are not given (as it keeps its formats);
#: the flag --cdn cannot be told "not given" from "off", so it and --tiles are given every time.
KEPT = ("dpi", "size")


class Folder:
    """An output folder held by one build: locked against other runs, a write killed earlier finished
    or undone, its manifest read once, and mimpmap's code read once (for the keys).

    >>> with Folder("maps") as folder:           # doctest: +SKIP
    ...     build(atlas, folder, options)
    """

    def __init__(self, out: Path | str):
        self.out = Path(out)
        self._held = ExitStack()
        self.book = mf.Manifest()

    def __enter__(self) -> "Folder":
        self._held.enter_context(safe.locked(self.out))
        try:
            recover(self.out)  # before the folder is read
            self.book = mf.Manifest.read(self.out)
        except BaseException:
            self._held.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._held.close()

    @classmethod
    def look(cls, out: Path | str) -> "Folder":
        """The folder as it is, its manifest read, without the lock (``check --maps`` only reads)."""
        folder = cls(out)
        folder.book = mf.Manifest.read(folder.out)
        return folder

    @cached_property
    def code(self) -> Code:
        return Code()


def refuse_foreign(folder: Folder, force: bool = False) -> None:
    """Raise :class:`OutputError` where a build would replace a page someone else made: ``folder`` has
    an index page but no build manifest, and the page lacks mimpmap's generator tag (a website's own
    index, say). ``force``: replace it all the same."""
    out = folder.out
    if force or folder.book.outputs or safe.lstat(out, INDEX) is None:
        return
    page = safe.read(out, INDEX)
    if page is not None and GENERATOR_META.encode("utf-8") in page:
        return
    raise OutputError(f"'{out / INDEX}' no es de mimpmap (la carpeta no tiene el registro {mf.NAME} y la página "
                      f"no dice {GENERATOR_META}): la generación lo reemplazaría; elija otra carpeta con --out, o "
                      "reemplácelo con --force")


def _recorded(book: mf.Manifest) -> dict:
    """The options (of :data:`SHAPING`) a manifest says its maps were drawn with; a value that no
    build could have given is left out."""
    valid = {"dpi": lambda v: type(v) is int and 50 <= v <= 1200, "size": lambda v: v in SIZE_NAMES,
             "cdn": lambda v: type(v) is bool, "tiles": lambda v: v is None or isinstance(v, str)}
    return {name: book.options[name] for name in SHAPING if name in book.options and valid[name](book.options[name])}


def kept_options(book: mf.Manifest, **given) -> dict:
    """The options of :data:`KEPT` for a build of the folder of ``book``: those ``given`` (not
    ``None``), else those its maps were drawn with (else none: the defaults)."""
    kept = {name: value for name, value in _recorded(book).items() if name in KEPT}
    return {**kept, **{name: value for name, value in given.items() if value is not None}}


def folder_options(book: mf.Manifest) -> BuildOptions:
    """The options the maps of the folder of ``book`` were drawn with: its formats (HTML where it
    records none) and the options of :data:`SHAPING`."""
    formats = tuple(f for f in FORMATS if f in book.formats) or DEFAULT
    return BuildOptions(formats=formats, **_recorded(book))


def with_folder_formats(options: BuildOptions, book: mf.Manifest) -> BuildOptions:
    """The options with the formats already in the folder added: a build keeps every kind of file
    the folder holds up to date (unless ``options.folder_formats`` is off)."""
    if not options.folder_formats:
        return options
    return replace(options, formats=tuple(f for f in FORMATS if f in options.formats or f in book.formats))


def prepare(folder: Folder, given: dict, **asked) -> BuildOptions:
    """The options of a build of ``folder``: those ``asked`` (fields of :class:`BuildOptions`; ``dpi``
    and ``size`` when not ``None``, else the folder's), the folder's formats, and the fingerprint of
    the input files (``given``: paths by input name) as they are now, for :func:`up_to_date`."""
    from . import inputs

    kept = kept_options(folder.book, dpi=asked.pop("dpi", None), size=asked.pop("size", None))
    options = with_folder_formats(BuildOptions(**asked, **kept), folder.book)
    now = inputs.digest(given)
    return replace(options, fingerprint=now and fingerprint(now, options, folder.code, **inputs.options_of(given)))


def describe(folder: Folder, options: BuildOptions, given: dict, memo: dict | None = None) -> tuple[Atlas, BuildOptions]:
    """Read each input once and describe the maps; the options with the fingerprint of the bytes read
    (a file saved again meanwhile is not taken for the one drawn). ``memo``: see :func:`inputs.read_all`."""
    from . import inputs
    from .coverage import Coverage
    from .views.atlas import describe as described

    values, read = inputs.read_all(given, memo)
    atlas = described(Coverage(**values))
    return atlas, replace(options, fingerprint=fingerprint(read, options, folder.code, **inputs.options_of(given)))


def up_to_date(folder: Folder, options: BuildOptions) -> bool:
    """Whether a whole build with these options has nothing to do (the fast path: nothing heavy is
    imported to know it)."""
    if options.services is not None or options.fingerprint is None or options.prune:
        return False
    return folder.book.up_to_date(folder.out, options.fingerprint, options.formats)


def plan(atlas: Atlas, options: BuildOptions, out: Path | None = None) -> list[Output]:
    """Every output of the formats asked for (whole build), in the table's order.

    The index links the images of this build, and those an earlier build left in ``out``.
    """
    planned: set[str] = set()

    def exists(name: str) -> bool:
        """Written by this build, or left by an earlier one."""
        return name in planned or (out is not None and safe.is_file(out, name))

    job = Job(maps=atlas.maps, whole=True, dpi=options.dpi, cdn=options.cdn, tiles=options.tiles, exists=exists,
              size=options.size)
    items = [item for name in options.formats for item in FORMATS[name].outputs(atlas, job)]
    planned.update(item.name for item in items)
    return items


def keys(atlas: Atlas, items: list[Output], options: BuildOptions, code: Code | None = None) -> dict[str, str]:
    """Each output's key: a hash of what it shows, the boundaries, its format's options and the code
    of the module that renders it (with all it imports)."""
    code = code or Code()
    geometry = geometry_hash(atlas)
    out, memo, drawers = {}, {}, {}
    for item in items:
        fmt = FORMATS[item.format or item.name.rsplit(".", 1)[-1]]
        opts = {name: getattr(options, name) for name in fmt.options}
        shows = item.shows() if callable(item.shows) else item.shows
        drawer = item.renderer or fmt.renderer
        if drawer not in drawers:
            drawers[drawer] = code.digest(drawer)
        out[item.name] = mf.digest(shows, fmt.name, opts, geometry, drawers[drawer],
                                   item.name.startswith(THUMBNAILS_DIR), memo=memo)
    return out


def geometry_hash(atlas: Atlas) -> str:
    import shapely

    frame = atlas.boundaries.frame
    wkb = shapely.to_wkb(frame.geometry.values, hex=True)
    return mf.digest(list(frame.index), list(frame["nombre"]), [list(m) for m in frame["members"]], list(wkb))


def wanted(atlas: Atlas, items: list[Output], options: BuildOptions, fresh: set[str] | frozenset = frozenset(),
           keyed: set[str] | frozenset = frozenset()) -> list[Output]:
    """The outputs this build may render: all; or with ``--service`` the services' own (their maps,
    images, captions and rows of data) and those shared by every service (choropleth, index, atlases,
    mosaic, population charts, data files) when they show its data: if one of its own is not ``fresh``
    (its data changed). Else only a shared file that was lost or edited by hand but whose key is
    unchanged (``keyed``) is drawn again, as it was; one stale through another service's data is left.
    Never those in the folders of ``options.skip``; with ``options.only``, only those named."""
    items = [item for item in items if (item.name.partition("/")[0] not in options.skip or "/" not in item.name)
             and (options.only is None or item.name in options.only)]
    if options.services is None:
        return items
    asked = {atlas.service(sid).id for sid in options.services}
    # Each service's own files: its map's (page, images, thumbnail, caption) and its rows of the data.
    whose = {s.key: s.id for s in atlas.services} | {service_data_file(s.id): s.id for s in atlas.services}
    owners = {i.name: whose.get(workers.map_of(i.name), whose.get(i.name)) for i in items}
    own = [i for i in items if owners[i.name] in asked]
    changed = any(i.name not in fresh for i in own)
    return own + [i for i in items if owners[i.name] is None and (changed or i.name in keyed)]


def build(
    atlas: Atlas,
    out: Path | str | Folder,
    options: BuildOptions = BuildOptions(),
    progress: Callable[[int, int, str], None] | None = None,
    writing: Callable[[], None] | None = None,
) -> BuildResult:
    """Render what changed of the maps of ``atlas`` into ``out`` and write it, with the manifest, as
    one transaction. ``progress(done, total, name)`` is called after each file renders, ``writing()``
    once all are rendered, before the folder changes (from then on, the build runs to its end)."""
    if options.services is not None:
        for sid in options.services:
            atlas.service(sid)  # an unknown id fails before anything is done
    if not isinstance(out, Folder):
        with Folder(out) as folder:
            return build(atlas, folder, options, progress, writing)
    folder, out = out, out.out
    options, book, items, current, fresh = _survey(atlas, folder, options)
    keyed = {name for name, key in current.items() if book.outputs.get(name, {}).get("key") == key}
    todo = [i for i in wanted(atlas, items, options, fresh, keyed) if i.name not in fresh]
    rendered: dict[Path, bytes] = {}
    for item, data in zip(todo, render(todo, options.jobs, progress)):
        rendered[out / item.name] = data
        book.outputs[item.name] = {"key": current[item.name], "sha256": mf.sha256(data)}
    result = BuildResult(out=out)
    result.stale, result.missing = split_missing(
        out, [i.name for i in items if i.name not in fresh and out / i.name not in rendered])
    result.orphans = orphans(atlas, out, book)
    doomed = [name for name in result.orphans if name in book.outputs] if options.prune else []
    for name in doomed:  # deleted once the rest is written: the manifest no longer records them
        del book.outputs[name]
    _record(book, options, result)
    rendered[out / mf.NAME] = book.to_bytes()
    if writing:
        writing()
    for path in write_all(rendered, root=out):
        if path.name != mf.NAME:
            result.written.append((path, len(rendered[path])))
    result.unchanged = len(fresh) + len(todo) - len(result.written)  # rendered again, same bytes
    if options.prune:
        result.removed = [name for name in doomed if safe.unlink(out, name)]
    return result


def render(todo: list[Output], jobs: int | None = None,
           progress: Callable[[int, int, str], None] | None = None) -> list[bytes]:
    """The bytes of each output of ``todo``, in its order (:func:`mimpmap.workers.render`: forked
    worker processes when the build is large enough)."""
    return workers.render(todo, jobs, progress)


def _record(book: mf.Manifest, options: BuildOptions, result: BuildResult) -> None:
    """The manifest's summary: the formats the folder holds, and the fingerprint of the inputs when
    the build left nothing stale or missing, with ``--service`` too (else none: the next build must
    look at every output)."""
    book.formats = [f for f in FORMATS if f in options.formats or f in book.formats]
    book.options = {name: getattr(options, name) for name in SHAPING}
    whole = not result.stale and not result.missing
    book.fingerprint = options.fingerprint if whole else None
    book.drawn_with = mf.versions()


#: The folders that hold a file per service (``servicios/cai.html``, ``miniaturas/servicios/cai.png``,
#: ``datos/servicios/cai.csv``), and the kinds of file a build writes in them (with the images, their
#: captions, ``servicios/cai.txt``; with the pages, the map's data, ``datos/servicios/cai.csv``).
SERVICE_FOLDERS = (SERVICES_DIR, f"{THUMBNAILS_DIR}/{SERVICES_DIR}", f"{DATA_DIR}/{SERVICES_DIR}")
SERVICE_SUFFIXES = frozenset((*FORMATS, "txt", "csv"))


def orphans(atlas: Atlas, out: Path, book: mf.Manifest | None = None) -> list[str]:
    """Files of services no longer in the data, in the service folders of ``out`` (real folders of
    it: never through a link)."""
    ids = {s.id for s in atlas.services}
    found = []
    for where in SERVICE_FOLDERS:
        found += [f"{where}/{name}" for name in safe.files(out, where)
                  if name.rpartition(".")[2] in SERVICE_SUFFIXES and name.rpartition(".")[0] not in ids]
    return found


def stale(atlas: Atlas, out: Path | str | Folder, options: BuildOptions = BuildOptions()) -> list[str]:
    """The outputs of ``out`` that do not show the current data (``mimpmap check --maps``): those the
    manifest does not record as made from it, or whose file changed since. It reads the folder as it
    is, without the lock of a build."""
    _, _, items, _, fresh = _survey(atlas, out if isinstance(out, Folder) else Folder.look(out), options)
    return [i.name for i in items if i.name not in fresh]


def not_current(atlas: Atlas, out: Path, given: dict) -> list[str]:
    """The outputs of ``out`` that do not show the current data (``mimpmap check --maps``; ``given``: the
    input files, as for :func:`prepare`): none when a whole build would have nothing to do, which is
    known without loading a renderer, else those :func:`stale` finds with the folder's own options."""
    looked = Folder.look(out)
    if up_to_date(looked, prepare(looked, given)):
        return []
    return stale(atlas, looked, folder_options(looked.book))


def split_missing(out: Path, names: list[str]) -> tuple[list[str], list[str]]:
    """``names`` of outputs that are not current, as those in ``out`` (stale) and those it lacks."""
    missing = [name for name in names if not mf.exists(out, name)]
    return [name for name in names if name not in missing], missing


def _survey(atlas: Atlas, folder: Folder, options: BuildOptions):
    """What the folder holds against what the data shows: the options with the folder's formats, its
    manifest, every output planned, each one's key, and the names of those still current."""
    book, out = folder.book, folder.out
    options = with_folder_formats(options, book)
    items = plan(atlas, options, out)
    # With ``only``, the others are not even keyed: they are listed stale, for the next build to look at.
    keyed = items if options.only is None else [i for i in items if i.name in options.only]
    current = keys(atlas, keyed, options, folder.code)
    fresh = {i.name for i in keyed if book.current(out, i.name, current[i.name])}
    return options, book, items, current, fresh
