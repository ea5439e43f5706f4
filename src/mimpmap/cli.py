"""The `mimpmap` command: a thin layer over the library. Only this module prints or exits."""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import UNSAFE_CHARACTERS, InputErrors, MimpmapError, os_reason, printable
from .cliparts import FILE, FORCE_HELP, Choice, Command, Dpi, Folder, InProject, Stoppable, shortened, usage_message
from .cliserve import Console, serve_command
from .formats import DEFAULT as DEFAULT_FORMATS, SIZE_NAMES, help_text as _format_help, size_help
from .inputs import INPUTS, MAPS
from .text import join_words, plural

FORMAT_HELP = _format_help()


# --- options shared by several commands, defined once --------------------------------------------

def _input_option(entry) -> Callable:
    """The option that names an input file (``--data``), from :data:`mimpmap.inputs.INPUTS`."""
    return click.option(entry.option, entry.name, type=FILE, default=None, metavar="ARCHIVO", help=entry.help)


data_option, population_option = _input_option(INPUTS["data"]), _input_option(INPUTS["population"])


def input_options(command: Callable) -> Callable:
    """Every input's option and its own options (``--geo``, ``--geo-key``...), in the table's order."""
    for entry in reversed(INPUTS.values()):
        for extra in reversed(entry.options):
            command = click.option(extra.flag, extra.name, default=None, metavar=extra.metavar,
                                   help=extra.help)(command)
        command = _input_option(entry)(command)
    return command


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["mimpmap.quiet"] = True
        logging.getLogger("mimpmap").setLevel(logging.WARNING)


out_option = click.option("--out", "out", type=Folder(), default=InProject(MAPS), metavar="CARPETA",
                          help="Carpeta de salida (por defecto maps/).")
#: ``mimpmap build -q`` as well as ``mimpmap -q build``.
quiet_option = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                            help="Solo errores y avisos.")


def reports_errors(func):
    """Turn library errors into a Spanish message on stderr and the error's exit code; flush what the
    command printed while its errors can still be reported."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except MimpmapError as exc:
            for error in exc.errors if isinstance(exc, InputErrors) else [exc]:
                _say(f"Error: {error}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            if exc.filename is None:  # the standard output's (see run)
                raise
            # A file the library did not expect to fail (a folder without permission to read it): named,
            # never blamed on the standard output.
            _say(f"Error: no se puede usar '{_value(shortened(exc.filename))}': {os_reason(exc)}; revise sus "
                 "permisos o elija otra carpeta", fg="red", err=True)
            sys.exit(1)

    return wrapper


class _Echo(logging.Handler):
    """Library log records (warnings, progress) reach the console through here."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            _say(f"Aviso: {record.getMessage()}", fg="yellow", err=True)
        else:
            _say(record.getMessage(), err=True)


class _Group(Command, click.Group):
    command_class = Command

    def main(self, *args, **kwargs):
        """click's own main loop, with its usage errors told in Spanish (exit code 2, as click's)."""
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:  # `mimpmap` alone: the help, as click does
            click.echo(exc.ctx.get_help(), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            hint = f"Vea '{exc.ctx.command_path} --help'." if exc.ctx else ""
            _say(f"Error: {usage_message(exc)}", fg="red", err=True)
            if hint:
                _say(hint, err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Interrumpido.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group("mimpmap", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mimpmap", message="%(prog)s %(version)s",
                      help="Muestra la versión y sale.")
@quiet_option
def main() -> None:
    """mimpmap: mapas de cobertura de los servicios del MIMP por departamento.

    \b
    Ejemplos:
      mimpmap check                 valida data/coverage.yaml y los límites
      mimpmap list                  lista los servicios
      mimpmap build                 genera los mapas en maps/
    """
    logger = logging.getLogger("mimpmap")
    if not any(isinstance(h, _Echo) for h in logger.handlers):
        logger.addHandler(_Echo())
    if not click.get_current_context().meta.get("mimpmap.quiet"):
        logger.setLevel(logging.INFO)
    logger.propagate = False


@main.command()
@input_options
@click.option("--maps", "maps", type=Folder(made=False), default=None, is_flag=False, flag_value=InProject(MAPS),
              metavar="CARPETA", help="Comprueba también que los mapas de esa carpeta (por defecto maps/) "
              "muestran estos datos; sale con 1 si alguno está desactualizado.")
@reports_errors
def check(maps: Path | None, **given) -> None:
    """Valida el archivo de cobertura, el de límites, el de población y la unión entre ellos.

    Muestra un resumen (servicios, unidades, cobertura de cada servicio) y sale con 0, o muestra
    cada problema y sale con 1.

    \b
    Ejemplos:
      mimpmap check --data data/coverage.yaml --geo geo/peru_departamentos.geojson
      mimpmap check --maps          ¿los mapas de maps/ están al día?
    """
    from . import load

    _library_loaded()
    _warn_without_project(given["data"])
    cov = load(**given)
    atlas = cov.atlas
    _say(f"Cobertura: {_value(cov.data.path)}")
    _say(f"Límites:   {_value(cov.boundaries.path)} ({len(cov.units)} unidades, campo '{_value(cov.boundaries.key)}')")
    if cov.provinces is not None:
        _say(f"Provincias: {_value(cov.provinces.path)} ({len(cov.provinces.frame)} unidades, campo "
             f"'{_value(cov.provinces.key)}')")
    _say(f"Población: {_value(cov.population.path)} ({_value(cov.population.year)})")
    if cov.centres is not None:
        from .centremaps import summary

        _say(f"Centros:   {_value(cov.centres.path)} ({_value(summary(cov.centres))})")
        for note in cov.centres.notes:
            _say(f"  {note}")
    if cov.census is not None:
        _say(f"Censo:     {_value(cov.census.path)} ({_value(cov.census.year)})")
    if atlas.brechas is not None:
        _say(f"Distritos: {_value(cov.districts.path)} ({len(cov.districts.points)} puntos; {atlas.brechas.measures})")
    _say(f"{plural(len(atlas.services), 'servicio', 'servicios')} de "
         f"{plural(len(atlas.programs), 'programa', 'programas')}:")
    width = max(len(m.id) for m in atlas.services)
    for m in atlas.services:
        label = "unidad " if m.reached_units == 1 else "unidades"
        extra = f" (parcial en {m.partial_units}: {', '.join(m.partial_words)})" if m.partial_units else ""
        _say(f"  {m.id:<{width}}  {m.reached_units:>2} {label}  {_value(m.coverage_words)}{_value(extra)}")
    _warn(atlas.warnings)
    doubts = cov.centres.warnings if cov.centres is not None else ()
    _warn(doubts)
    moved = _figure_changes(cov.data, maps)
    _warn(moved)
    if maps is not None and _check_maps(atlas, maps, given):
        sys.exit(1)
    if atlas.warnings or cov.boundaries.warnings or moved or doubts:
        _say("Correcto, con avisos (vea arriba).", fg="yellow")
    else:
        _say("Todo correcto.", fg="green")


def _figure_changes(data, folder: Path | None, book=None) -> list[str]:
    """Figures that changed service since the maps of ``folder`` (by default the project's; ``book``: its
    manifest, if read already) were drawn."""
    from .changes import figure_changes
    from .inputs import project_path

    return figure_changes(data, folder if folder is not None else project_path(MAPS), book)


def _check_maps(atlas, folder: Path, given: dict) -> bool:
    """Lists the outputs of ``folder`` that do not show these data, or that it lacks; whether there
    are any."""
    from .build import not_current, orphans, split_missing

    where = _value(folder)
    rebuild = f"mimpmap build --out {where}"
    if not folder.is_dir():
        _say(f"Error: la carpeta de mapas {where}/ no existe; genere los mapas con: {rebuild}", fg="red", err=True)
        return True
    old, missing = split_missing(folder, not_current(atlas, folder, given))
    for names, what in ((old, "desactualizado"), (missing, "falta")):
        for name in names:
            _say(f"  {what}: {where}/{_value(name)}")
    for name in orphans(atlas, folder):
        _say(f"  sobra (servicio que ya no está en los datos): {where}/{_value(name)}")
    problems = [plural(len(old), "archivo no muestra estos datos", "archivos no muestran estos datos"),
                f"{'falta' if len(missing) == 1 else 'faltan'} {plural(len(missing), 'archivo', 'archivos')}"]
    if old or missing:
        said = join_words(p for p, n in zip(problems, (old, missing)) if n)
        _say(f"Error: en {where}/ {said}; regenérelos con: {rebuild}", fg="red", err=True)
    else:
        _say(f"Mapas: {where}/ está al día.")
    return bool(old or missing)


@main.command(name="list")
@data_option
@population_option
@click.option("--json", "as_json", is_flag=True, help="Una lista JSON de objetos en vez de una tabla.")
@reports_errors
def list_(data: Path | None, population: Path | None, as_json: bool) -> None:
    """Lista los servicios: id, programa, nombre corto, cobertura, unidades y población alcanzada.

    \b
    Ejemplos:
      mimpmap list
      mimpmap list --json > servicios.json
    """
    from .views.service import service_rows
    from .views.words import percent
    from .model import read_coverage
    from .population import read_population

    _library_loaded()
    _warn_without_project(data)
    people = read_population(population)
    rows = service_rows(read_coverage(data), people)
    if as_json:
        text = json.dumps(rows, ensure_ascii=False, indent=2)
        click.echo(UNSAFE_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text))  # escaped, still JSON
        return
    w_id = max(len(r["id"]) for r in rows)
    w_prog = max(len(r["program"]) for r in rows)
    w_name = max(len(r["short_name"]) for r in rows)
    _say(f"{'id':<{w_id}}  {'programa':<{w_prog}}  {'servicio':<{w_name}}  {'unid.':>5}  "
         f"{'población':>9}  cobertura")
    for r in rows:
        _say(f"{r['id']:<{w_id}}  {r['program']:<{w_prog}}  {_value(r['short_name']):<{w_name}}  "
             f"{r['units']:>2}/{len(people.level.codes)}  {percent(r['population_share']):>9}  {_value(r['coverage_text'])}")


@main.command()
@click.option("-o", "--output", type=FILE, default=None, metavar="ARCHIVO",
              help="Escribe el esquema en este archivo en vez de mostrarlo.")
@reports_errors
def schema(output: Path | None) -> None:
    """Muestra el esquema JSON del archivo de cobertura (para validar en el editor).

    \b
    Ejemplo:
      mimpmap schema -o data/coverage.schema.json
    """
    from .schema import json_schema, write_schema

    _library_loaded()

    if output is None:
        click.echo(json_schema(), nl=False)
    else:
        write_schema(output)
        _say(f"Escrito {_value(output)}")


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB".replace(",", ".") if n >= 1024 else f"{n} B"


@main.command()
@input_options
@out_option
@click.option("--service", "services", multiple=True, metavar="ID",
              help="Regenera solo lo de este servicio (repetible): su página, sus imágenes y sus filas de datos; "
                   "y, si sus datos cambiaron, los archivos de todos los servicios juntos (coropleta, índice, atlas, "
                   "mosaico, gráficos de población, descargas) en los que cambió lo que muestran. Lo demás queda "
                   "como está, y se avisa de lo que no muestra los datos actuales.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), metavar="FORMATOS", help=FORMAT_HELP)
@click.option("--dpi", type=Dpi(), default=None, metavar="N",
              help="Resolución de los PNG, de 50 a 1200 (por defecto la de los mapas de la carpeta, o 300 dpi: "
                   "1890 px en una página A4).")
@click.option("--size", type=Choice(SIZE_NAMES, "un tamaño de página"), default=None, metavar="TAMAÑO",
              help=size_help())
@click.option("--cdn", is_flag=True, help="Enlaza Leaflet desde un CDN (archivos más pequeños, necesitan internet).")
@click.option("--tiles", default=None, metavar="NOMBRE",
              help="Mapa base de teselas de xyzservices (p. ej. OpenStreetMap, OpenTopoMap, 'Esri WorldImagery'); por defecto ninguno: el mapa no necesita internet.")
@click.option("--prune", is_flag=True,
              help="Borra los mapas de servicios que ya no están en los datos (solo los que hizo mimpmap).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@quiet_option
@reports_errors
def build(out, services, formats, dpi, size, cdn, tiles, prune, force, **given) -> None:
    """Genera los mapas: coropleta, un mapa por servicio e índice.

    Escribe DIR/cobertura.html, DIR/servicios/<id>.html y DIR/index.html (y .png/.svg con --format).
    Si algo falla, los mapas anteriores quedan intactos. No reemplaza un index.html que no hizo mimpmap,
    salvo con --force.

    \b
    Ejemplos:
      mimpmap build
      mimpmap build --service cai --service sau
      mimpmap build --format html,png,svg --dpi 300 --out informe/
    """
    import importlib

    from .build import Folder, describe, prepare, refuse_foreign, up_to_date
    from .formats import parse_formats

    asked = dict(formats=parse_formats(formats), services=tuple(services) or None, cdn=cdn, tiles=tiles, prune=prune)
    _warn_without_project(given["data"], f" y los mapas se escriben en {out.resolve()}")
    quiet = logging.getLogger("mimpmap").level > logging.INFO
    with Stoppable() as stop, Folder(out) as folder:
        refuse_foreign(folder, force)
        options = prepare(folder, given, **asked, dpi=dpi, size=size)
        if up_to_date(folder, options):  # nothing heavy is loaded to know it
            if not quiet:
                _say(f"Nada que hacer: los mapas de {_value(out)}/ ya muestran estos datos.", fg="green")
            return
        # The renderers are loaded here rather than during the build, for _library_loaded.
        for module, needed in ((".html.pages", True), (".static", {"png", "svg", "pdf"} & set(options.formats)),
                               (".pdf", "pdf" in options.formats)):
            if needed:
                importlib.import_module(module, __package__)
        _library_loaded()
        atlas, options = describe(folder, options, given)
        _warn(atlas.warnings)
        _warn(_figure_changes(atlas.data, out, folder.book))
        _report_build(_run_build(atlas, folder, options, stop, quiet), out, quiet)
    if stop.asked:
        _say(f"Interrumpido cuando ya se escribían los mapas: se terminó de escribirlos y {_value(out)}/ está "
             "completa.", fg="yellow", err=True)
        sys.exit(1)


def _run_build(atlas, folder, options, stop: "Stoppable", quiet: bool):
    """The build, with a progress bar on a terminal."""
    from .build import build as run_build

    bar = None
    with contextlib.ExitStack() as stack:

        def progress(done: int, total: int, name: str) -> None:
            nonlocal bar
            if bar is None:  # the total is known once the build is planned
                bar = stack.enter_context(click.progressbar(
                    length=total, label="Generando", file=sys.stderr, item_show_func=lambda n: n and _value(n),
                    hidden=quiet or not sys.stderr.isatty(),
                ))
            bar.update(1, name)

        return run_build(atlas, folder, options, progress=progress, writing=stop.hold)


def _report_build(result, out: Path, quiet: bool) -> None:
    """The files written, what is left stale or orphaned, and the summary line."""
    if not quiet:
        for path, size in result.written:
            _say(f"  {_value(path)}  ({_size(size)})")
    for names, one, many in ((result.stale, "no muestra los datos actuales (no se regeneró)",
                              "no muestran los datos actuales (no se regeneraron)"),
                             (result.missing, "falta (no se ha generado)", "faltan (no se han generado)")):
        if names:
            what = plural(len(names), f"archivo de {out}/ {one}", f"archivos de {out}/ {many}")
            _warn([f"{what}: {', '.join(names[:8])}{' y otros' if len(names) > 8 else ''}; genérelos con: "
                   f"mimpmap build --out {out}"])
    if result.removed:
        _say(f"Borrados (servicios que ya no están en los datos): {_value(', '.join(result.removed))}", err=True)
    left = [o for o in result.orphans if o not in result.removed]
    if left:
        _warn([f"en {out}/ quedan mapas de servicios que ya no están en los datos (¿se quitaron o cambiaron de "
               f"id?): {', '.join(left)}; bórrelos con: mimpmap build --prune"])
    if quiet:  # -q: errors and warnings only
        return
    n = len(result.written)
    files = plural(n, "archivo escrito", "archivos escritos")
    same = f", {result.unchanged} sin cambios" if result.unchanged else ""
    _say(f"{files}{same} en {_value(out)}/ ({_size(result.total_bytes)}).", fg="green")
    _say_what_to_open(out)


def _say_what_to_open(out: Path) -> None:
    """The file a person opens first: the index of the maps, in any browser."""
    from .layout import INDEX

    if (out / INDEX).is_file():
        _say(f"Abra {_value(os.path.normpath(out / INDEX))} en un navegador (doble clic): enlaza todos los mapas.")


@main.command()
@click.argument("service_id", metavar="ID")
@data_option
@click.option("--width", default="100%", metavar="ANCHO", help="Ancho del iframe: '100%' (por defecto) o píxeles.")
@click.option("--height", default=None, metavar="ALTO", help="Alto en píxeles; sin él, proporción 4:3 que se adapta al ancho.")
@click.option("--base-url", default="", metavar="URL", help="Dirección donde se publicó la carpeta maps/ (p. ej. https://.../maps/).")
@reports_errors
def embed(service_id: str, data: Path | None, width: str, height: str | None, base_url: str) -> None:
    """Muestra el código <iframe> para insertar un mapa en una página web.

    ID es el id de un servicio (ver `mimpmap list`), "cobertura" para la coropleta o "atlas" para
    atlas.html, todos los mapas en un archivo ("atlas#cai" lo abre en un servicio).

    Sin --base-url la dirección es relativa a la carpeta maps/: dé la dirección donde la publicó para
    pegar el código en cualquier página.

    \b
    Ejemplos:
      mimpmap embed cobertura
      mimpmap embed cai --width 800 --height 600 --base-url https://example.org/maps/
      mimpmap embed atlas#cai --base-url https://example.org/maps/
    """
    from .html.embed import embed_href, embed_snippet
    from .layout import CHOROPLETH, CHOROPLETH_TITLE, service_file
    from .views.web import ATLAS_HTML, EMBED_RELATIVE, atlas_embed_title
    from .model import find_service, read_coverage

    _library_loaded()

    name, _, anchor = service_id.strip().partition("#")
    atlas = name.casefold() == ATLAS_HTML.rsplit(".", 1)[0]
    if atlas and anchor and anchor.casefold() != CHOROPLETH:
        service = find_service(read_coverage(data).services, anchor)
        href, title = f"{ATLAS_HTML}#{service.id}", atlas_embed_title(service)
    elif atlas:
        href, title = ATLAS_HTML + (f"#{CHOROPLETH}" if anchor else ""), atlas_embed_title()
    elif name.casefold() == CHOROPLETH:
        href, title = f"{CHOROPLETH}.html", CHOROPLETH_TITLE
    else:
        service = find_service(read_coverage(data).services, service_id)
        href, title = service_file(service.id), service.name
    _say(embed_snippet(embed_href(base_url, href), title, width=width, height=height))
    if not base_url.strip():
        _warn([EMBED_RELATIVE.format(href=href)])


@main.command(name="export")
@click.argument("workbook", metavar="LIBRO.xlsx", type=FILE)
@data_option
@click.option("--force", is_flag=True, help="Reemplaza LIBRO.xlsx si ya existe con otro contenido.")
@reports_errors
def export_(workbook: Path, data: Path | None, force: bool) -> None:
    """Escribe el archivo de cobertura como un libro de Excel para editarlo.

    Una hoja por cosa (servicios, periodos, cifras, centros, desglose, sedes, notas, programas) y una
    hoja 'léame' que las explica. Compruébelo con `mimpmap check --data LIBRO.xlsx` y vuelva al YAML
    con `mimpmap import`. No reemplaza un archivo que ya existe con otro contenido, salvo con --force.

    \b
    Ejemplo:
      mimpmap export cobertura.xlsx
      mimpmap export --data data/coverage.yaml cobertura.xlsx
    """
    from .workbook import export_workbook

    _library_loaded()
    if workbook.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"'{workbook}' debe terminar en .xlsx", param_hint="LIBRO.xlsx")
    result = export_workbook(data, workbook, force=force)
    _say(f"Escrito {_value(result.path)} ({_size(result.size)}): "
         f"{plural(result.services, 'servicio', 'servicios')} de {_value(result.source)}")


@main.command(name="import")
@click.argument("workbook", metavar="LIBRO", type=FILE)
@data_option
@click.option("--force", is_flag=True, help="Reemplaza el archivo YAML aunque tenga cambios que no están en el libro.")
@reports_errors
def import_(workbook: Path, data: Path | None, force: bool) -> None:
    """Vuelve a escribir el archivo de cobertura YAML con los datos de un libro (.xlsx de Excel, o .ods
    de LibreOffice con las mismas hojas).

    Valida el libro y cambia en el YAML solo los valores que cambiaron en el libro: el resto del archivo
    (comentarios, comillas, anclas, cómo se parten los textos largos) queda igual, así el diff muestra solo
    lo cambiado. No reemplaza un YAML que cambió desde que se exportó el libro (o desde que lo escribió el
    último import de ese mismo libro), salvo con --force.

    \b
    Ejemplo:
      mimpmap import cobertura.xlsx
      mimpmap import cobertura.ods
      mimpmap import cobertura.xlsx --data data/coverage.yaml --force
    """
    from .inputs import project_path
    from .workbook import import_workbook

    _library_loaded()
    target = data if data is not None else project_path(INPUTS["data"].local)
    result = import_workbook(workbook, target, force=force)
    if result.written:
        _say(f"Escrito {_value(result.path)}: {plural(result.services, 'servicio', 'servicios')} de {_value(workbook)}")
        _warn([f"este comentario de {result.path} estaba junto a datos que el libro ya no tiene y no se "
               f"conservó: {lost}" for lost in result.lost_comments] + [f"{result.path}: {w}" for w in result.warnings])
    else:
        _say(f"{_value(result.path)} ya tiene estos datos; no se cambió.")


def _warn_without_project(data: Path | None, more: str = "") -> None:
    """Say so when the data are the package's copy: no --data, and no project folder here or above."""
    from .inputs import in_project

    if data is None and not in_project():
        _warn([f"ni esta carpeta ni las de encima tienen data/coverage.yaml: se usan los datos incluidos en "
               f"mimpmap{more}; indique los suyos con --data, o ejecute mimpmap en la carpeta del proyecto"])


def _warn(warnings) -> None:
    for text in warnings:
        _say(f"Aviso: {text}", fg="yellow", err=True)


def _say(text: str, *, err: bool = False, fg: str | None = None, nl: bool = True) -> None:
    """Print a line (or lines) of the interface: every control character escaped (:func:`printable`),
    whatever the data put in it; the colour is added after."""
    click.secho(printable(text), fg=fg, err=err, nl=nl)


def _value(value) -> str:
    """A value from a file or from the user (a path, a field name, a name) as it is shown inside a
    line: escaped, tabs and line feeds too, so that it cannot steer the terminal or forge a line."""
    return printable(str(value), one_line=True)


# --- start-up ------------------------------------------------------------------------------------

def run() -> None:
    """The ``mimpmap`` program (``main`` is its click command, which tests and other code can call).

    Before it works, a command loads geopandas, folium and pydantic: some 90,000 tracked objects
    that live as long as the process. While they load, Python's cyclic garbage collector would walk
    them again and again (about a quarter of a second on a 2-core machine, a quarter of a build). So
    the collector waits until the command has loaded what it needs (:func:`_library_loaded`), those
    objects are then frozen out of its reach (``gc.freeze``) and it runs as usual for the work. The
    collector's own switch says whether that is still to do: no flag of ours.
    """
    if sys.stdout is None:  # started with its output closed (`mimpmap list >&-`): say so, do nothing
        if sys.stderr is not None:
            sys.stderr.write("Error: la salida estándar está cerrada; mimpmap no tiene dónde escribir\n")
        sys.exit(1)
    gc.disable()
    try:
        main(prog_name="mimpmap")
    except OSError as exc:  # the library turns its own OSErrors into messages: this one is the output's
        _output_failed(exc)
    finally:  # help, usage errors: ended before loading anything
        gc.enable()


def _output_failed(exc: OSError) -> None:
    """Standard output could not be written (a full disk, a closed pipe): a message, not a traceback."""
    try:  # nothing more can reach it, and Python's own flush at exit must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if exc.errno != errno.EPIPE:  # a reader that stopped reading (`| head`) needs no message
        click.echo(f"Error: no se pudo escribir la salida ({os_reason(exc)}); "
                   "redirija la salida a otro archivo o disco", err=True)
    sys.exit(1)


def _library_loaded() -> None:
    """Each command calls this once its library modules are imported (see :func:`run`)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


main.add_command(serve_command(Console(_say, _value, _warn, _library_loaded), input_options, out_option,
                               reports_errors), "serve")
