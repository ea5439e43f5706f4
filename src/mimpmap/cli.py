"""The `mimpmap` command: a thin layer over the library. Only this module prints or exits."""

from __future__ import annotations

import contextlib
import difflib
import errno
import functools
import gc
import json
import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputErrors, MimpmapError, printable
from .formats import DEFAULT as DEFAULT_FORMATS, SIZE_NAMES, help_text as _format_help
from .text import join_words, plural

FORMAT_HELP = _format_help()

class _Dpi(click.ParamType):
    """A PNG resolution: a whole number from 50 to 1200."""

    name = "dpi"

    def convert(self, value, param, ctx):
        try:
            dpi = int(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' no es un número entero; use p. ej. --dpi 300", param, ctx)
        if not 50 <= dpi <= 1200:
            self.fail(f"{dpi} está fuera del rango de 50 a 1200", param, ctx)
        return dpi


class _Folder(click.ParamType):
    """An output folder: it may not exist yet, but it may not be a file."""

    name = "carpeta"

    def convert(self, value, param, ctx):
        path = Path(value)
        if not str(value).strip():
            self.fail("el nombre de la carpeta está vacío; indique una, p. ej. --out maps", param, ctx)
        if str(value).startswith("-"):
            self.fail(f"falta la carpeta ('{value}' es otra opción)", param, ctx)
        if os.path.exists(path) and not os.path.isdir(path):  # os.path: never raises (long names, permissions)
            self.fail(f"'{path}' es un archivo, no una carpeta; indique una carpeta (se crea si no existe)",
                      param, ctx)
        return path


# --- options shared by several commands, defined once --------------------------------------------

data_option = click.option(
    "--data", "data", type=click.Path(path_type=Path), default=None, metavar="ARCHIVO",
    help="Archivo de cobertura: YAML, libro .xlsx u hoja de cálculo .ods (por defecto data/coverage.yaml).",
)
geo_option = click.option(
    "--geo", "geo", type=click.Path(path_type=Path), default=None, metavar="ARCHIVO",
    help="Archivo de límites departamentales: GeoJSON, GeoPackage o Shapefile "
    "(por defecto geo/peru_departamentos.geojson).",
)
population_option = click.option(
    "--population", "population", type=click.Path(path_type=Path), default=None, metavar="ARCHIVO",
    help="Población por departamento, CSV (por defecto data/population.csv: INEI, censo 2017).",
)
geo_layer_option = click.option(
    "--geo-layer", "geo_layer", default=None, metavar="CAPA",
    help="Capa del archivo de límites (GeoPackage con varias capas). Sin ella se elige la de departamentos.",
)
geo_key_option = click.option(
    "--geo-key", "geo_key", default=None, metavar="CAMPO",
    help="Campo del archivo de límites que identifica cada departamento (nombre, ISO o UBIGEO). "
    "Sin él se detecta.",
)


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["mimpmap.quiet"] = True
        logging.getLogger("mimpmap").setLevel(logging.WARNING)


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
                click.secho(f"Error: {printable(str(error))}", fg="red", err=True)
            sys.exit(exc.exit_code)

    return wrapper


class _Echo(logging.Handler):
    """Library log records (warnings, progress) reach the console through here."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            click.secho(f"Aviso: {printable(record.getMessage())}", fg="yellow", err=True)
        else:
            click.echo(printable(record.getMessage()), err=True)


class _SpanishHelp(click.HelpFormatter):
    """click's help layout with its headings in Spanish, like the rest of the interface."""

    HEADINGS = {"Options": "Opciones", "Commands": "Comandos", "Arguments": "Argumentos"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPCIONES]").replace("COMMAND [ARGS]...",
                                                                                  "COMANDO [ARGS]..."), "Uso: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class _Context(click.Context):
    formatter_class = _SpanishHelp


class _Command(click.Command):
    context_class = _Context

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Muestra esta ayuda y sale."
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # click refuses left-over words itself, in English; here they are refused in Spanish.
        if ctx.allow_extra_args or ctx.resilient_parsing:
            return self._parse(ctx, args)
        ctx.allow_extra_args = True
        try:
            rest = self._parse(ctx, args)
        finally:
            ctx.allow_extra_args = False
        if rest:
            words = " ".join(repr(w) for w in rest)
            ctx.fail(f"{'sobran los argumentos' if len(rest) > 1 else 'sobra el argumento'} {words}")
        return rest

    def _parse(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx  # the parser's own errors come without it: the hint needs it
            raise


class _Group(_Command, click.Group):
    command_class = _Command

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
            click.secho(f"Error: {printable(_usage_message(exc))}", fg="red", err=True)
            if hint:
                click.echo(hint, err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Interrumpido.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _option_usage(exc: click.BadOptionUsage) -> str:
    """An option given without its value, or a flag given one."""
    params = exc.ctx.command.params if exc.ctx else []
    option = next((p for p in params if isinstance(p, click.Option)
                   and exc.option_name in (*p.opts, *p.secondary_opts)), None)
    if option is None:
        return exc.format_message()
    if option.is_flag or option.count:
        return f"la opción '{exc.option_name}' no lleva valor"
    example = f": {exc.option_name} {option.metavar}" if option.metavar else ""
    if option.nargs > 1:
        return f"la opción '{exc.option_name}' necesita {option.nargs} valores{example}"
    return f"la opción '{exc.option_name}' necesita un valor{example}"


def _usage_message(exc: click.UsageError) -> str:
    """A click usage error in Spanish, chosen by its type; other types keep click's words."""
    def hint() -> str:
        if exc.param is not None and exc.ctx is not None:
            return exc.param.get_error_hint(exc.ctx)
        return str(exc.param_hint or "")

    if isinstance(exc, click.NoSuchOption):
        text = f"opción desconocida '{exc.option_name}'"
        if exc.possibilities:
            text += "; ¿quiso decir " + " o ".join(f"'{p}'" for p in sorted(exc.possibilities)) + "?"
        return text
    if isinstance(exc, click.exceptions.NoSuchCommand):
        known = sorted(exc.ctx.command.commands) if exc.ctx else []
        text = f"comando desconocido '{exc.command_name}'"
        close = difflib.get_close_matches(exc.command_name, known, n=1)
        if close:
            text += f"; ¿quiso decir '{close[0]}'?"
        return text + f"; los comandos son: {', '.join(known)}"
    if isinstance(exc, click.BadOptionUsage):
        return _option_usage(exc)
    if type(exc) is click.UsageError and exc.ctx and isinstance(exc.ctx.command, click.Group) \
            and exc.ctx.invoked_subcommand is None:
        return f"falta el comando; los comandos son: {', '.join(sorted(exc.ctx.command.commands))}"
    if isinstance(exc, click.MissingParameter):
        return f"falta {hint()}"
    if isinstance(exc, click.BadParameter):
        return f"valor no válido para {hint()}: {exc.message}"
    return exc.format_message()


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
@data_option
@geo_option
@geo_key_option
@geo_layer_option
@population_option
@click.option("--maps", "maps", type=_Folder(), default=None, is_flag=False, flag_value=Path("maps"),
              metavar="CARPETA", help="Comprueba también que los mapas de esa carpeta (por defecto maps/) "
              "muestran estos datos; sale con 1 si alguno está desactualizado.")
@reports_errors
def check(data: Path | None, geo: Path | None, geo_key: str | None, geo_layer: str | None,
          population: Path | None, maps: Path | None) -> None:
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
    cov = load(data, geo, geo_key, population, geo_layer)
    atlas = cov.atlas
    click.echo(f"Cobertura: {cov.data.path}")
    click.echo(f"Límites:   {cov.boundaries.path} ({len(cov.units)} unidades, campo '{cov.boundaries.key}')")
    click.echo(f"Población: {cov.population.path} ({cov.population.year})")
    click.echo(f"{plural(len(atlas.services), 'servicio', 'servicios')} de "
               f"{plural(len(atlas.programs), 'programa', 'programas')}:")
    width = max(len(m.id) for m in atlas.services)
    for m in atlas.services:
        label = "unidad " if m.reached_units == 1 else "unidades"
        extra = f" (parcial en {m.partial_units}: {', '.join(m.partial_words)})" if m.partial_units else ""
        click.echo(f"  {m.id:<{width}}  {m.reached_units:>2} {label}  {m.coverage_words}{extra}")
    _warn(atlas.warnings)
    if maps is not None and _check_maps(atlas, maps):
        sys.exit(1)
    if atlas.warnings or cov.boundaries.warnings:
        click.secho("Correcto, con avisos (vea arriba).", fg="yellow")
    else:
        click.secho("Todo correcto.", fg="green")


def _check_maps(atlas, folder: Path) -> bool:
    """Lists the outputs of ``folder`` that do not show these data, or that it lacks; whether there
    are any."""
    from .build import folder_options, orphans, split_missing, stale

    rebuild = f"mimpmap build --out {folder}"
    if not folder.is_dir():
        click.secho(f"Error: la carpeta de mapas {folder}/ no existe; genere los mapas con: {rebuild}",
                    fg="red", err=True)
        return True
    old, missing = split_missing(folder, stale(atlas, folder, folder_options(folder)))
    for names, what in ((old, "desactualizado"), (missing, "falta")):
        for name in names:
            click.echo(f"  {what}: {folder}/{name}")
    for name in orphans(atlas, folder):
        click.echo(f"  sobra (servicio que ya no está en los datos): {folder}/{name}")
    problems = [plural(len(old), "archivo no muestra estos datos", "archivos no muestran estos datos"),
                f"{'falta' if len(missing) == 1 else 'faltan'} {plural(len(missing), 'archivo', 'archivos')}"]
    if old or missing:
        said = join_words(p for p, n in zip(problems, (old, missing)) if n)
        click.secho(f"Error: en {folder}/ {said}; regenérelos con: {rebuild}", fg="red", err=True)
    else:
        click.echo(f"Mapas: {folder}/ está al día.")
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
    from .maps import percent, service_rows
    from .model import read_coverage
    from .places import ALL_CODES
    from .population import read_population

    _library_loaded()
    rows = service_rows(read_coverage(data), read_population(population))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    w_id = max(len(r["id"]) for r in rows)
    w_prog = max(len(r["program"]) for r in rows)
    w_name = max(len(r["short_name"]) for r in rows)
    click.echo(f"{'id':<{w_id}}  {'programa':<{w_prog}}  {'servicio':<{w_name}}  {'unid.':>5}  "
               f"{'población':>9}  cobertura")
    for r in rows:
        click.echo(
            f"{r['id']:<{w_id}}  {r['program']:<{w_prog}}  {r['short_name']:<{w_name}}  "
            f"{r['units']:>2}/{len(ALL_CODES)}  {percent(r['population_share']):>9}  {r['coverage_text']}"
        )


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="ARCHIVO",
              help="Escribe el esquema en este archivo en vez de mostrarlo.")
@reports_errors
def schema(output: Path | None) -> None:
    """Muestra el esquema JSON del archivo de cobertura (para validar en el editor).

    \b
    Ejemplo:
      mimpmap schema -o data/coverage.schema.json
    """
    from .model import json_schema
    from .write import write_text

    _library_loaded()

    text = json_schema()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
        click.echo(f"Escrito {output}")


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB".replace(",", ".") if n >= 1024 else f"{n} B"


@main.command()
@data_option
@geo_option
@geo_key_option
@geo_layer_option
@population_option
@click.option("--out", "out", type=_Folder(), default=Path("maps"), metavar="CARPETA",
              help="Carpeta de salida (por defecto maps/).")
@click.option("--service", "services", multiple=True, metavar="ID",
              help="Regenera solo el mapa de este servicio (repetible); el resto queda como está.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), metavar="FORMATOS", help=FORMAT_HELP)
@click.option("--dpi", type=_Dpi(), default=None, metavar="N",
              help="Resolución de los PNG, de 50 a 1200 (por defecto la de los mapas de la carpeta, o 300 dpi: "
                   "1890 px en una página A4).")
@click.option("--size", type=click.Choice(SIZE_NAMES), default=None, metavar="TAMAÑO",
              help="Página para la que se dimensionan las imágenes y el PDF: a4 (16 cm de ancho), carta (US "
                   "letter) o diapositiva (16:9); por defecto el de los mapas de la carpeta, o a4.")
@click.option("--cdn", is_flag=True, help="Enlaza Leaflet desde un CDN (archivos más pequeños, necesitan internet).")
@click.option("--tiles", default=None, metavar="NOMBRE",
              help="Mapa base de teselas de xyzservices (p. ej. OpenStreetMap, OpenTopoMap, 'Esri WorldImagery'); por defecto ninguno: el mapa no necesita internet.")
@click.option("--prune", is_flag=True,
              help="Borra los mapas de servicios que ya no están en los datos (solo los que hizo mimpmap).")
@quiet_option
@reports_errors
def build(data, geo, geo_key, geo_layer, population, out, services, formats, dpi, size, cdn, tiles, prune) -> None:
    """Genera los mapas: coropleta, un mapa por servicio e índice.

    Escribe DIR/cobertura.html, DIR/servicios/<id>.html y DIR/index.html (y .png/.svg con --format).
    Si algo falla, los mapas anteriores quedan intactos.

    \b
    Ejemplos:
      mimpmap build
      mimpmap build --service cai --service sau
      mimpmap build --format html,png,svg --dpi 300 --out informe/
    """
    import importlib
    from dataclasses import replace

    from . import inputs, load
    from .build import BuildOptions, build as run_build, fingerprint, kept_options, up_to_date, with_folder_formats
    from .formats import parse_formats

    options = with_folder_formats(BuildOptions(
        formats=parse_formats(formats), services=tuple(services) or None, cdn=cdn, tiles=tiles,
        prune=prune, **kept_options(out, dpi=dpi, size=size)), out)
    if data is None and not inputs.in_project():
        _warn([f"esta carpeta no tiene data/coverage.yaml: se usan los datos incluidos en mimpmap y los "
               f"mapas se escriben en {out.resolve()}"])
    files = [inputs.resolve(kind, path) for kind, path in (("data", data), ("geo", geo), ("population", population))]
    options = replace(options, fingerprint=fingerprint(files, options, geo_key=geo_key, geo_layer=geo_layer))
    if up_to_date(out, options):  # nothing heavy is loaded to know it
        if logging.getLogger("mimpmap").level <= logging.INFO:
            click.secho(f"Nada que hacer: los mapas de {out}/ ya muestran estos datos.", fg="green")
        return
    # The renderers are loaded here rather than during the build, for _library_loaded.
    importlib.import_module(".html.pages", __package__)
    if {"png", "svg", "pdf"} & set(options.formats):
        importlib.import_module(".static", __package__)
    if "pdf" in options.formats:
        importlib.import_module(".pdf", __package__)
    _library_loaded()
    cov = load(data, geo, geo_key, population, geo_layer)
    _warn(cov.atlas.warnings)
    quiet = logging.getLogger("mimpmap").level > logging.INFO
    bar = None
    with contextlib.ExitStack() as stack:

        def progress(done: int, total: int, name: str) -> None:
            nonlocal bar
            if bar is None:  # the total is known once the build is planned
                bar = stack.enter_context(click.progressbar(
                    length=total, label="Generando", file=sys.stderr, item_show_func=lambda n: n,
                    hidden=quiet or not sys.stderr.isatty(),
                ))
            bar.update(1, name)

        result = run_build(cov.atlas, out, options, progress=progress)
    _report_build(result, out, quiet)


def _report_build(result, out: Path, quiet: bool) -> None:
    """The files written, what is left stale or orphaned, and the summary line."""
    if not quiet:
        for path, size in result.written:
            click.echo(f"  {path}  ({_size(size)})")
    for names, one, many in ((result.stale, "no muestra los datos actuales (no se regeneró)",
                              "no muestran los datos actuales (no se regeneraron)"),
                             (result.missing, "falta (no se ha generado)", "faltan (no se han generado)")):
        if names:
            what = plural(len(names), f"archivo de {out}/ {one}", f"archivos de {out}/ {many}")
            _warn([f"{what}: {', '.join(names[:8])}{' y otros' if len(names) > 8 else ''}; genérelos con: "
                   f"mimpmap build --out {out}"])
    if result.removed:
        click.echo(f"Borrados (servicios que ya no están en los datos): {', '.join(result.removed)}", err=True)
    left = [o for o in result.orphans if o not in result.removed]
    if left:
        _warn([f"en {out}/ quedan mapas de servicios que ya no están en los datos (¿se quitaron o cambiaron de "
               f"id?): {', '.join(left)}; bórrelos con: mimpmap build --prune"])
    if quiet:  # -q: errors and warnings only
        return
    n = len(result.written)
    files = plural(n, "archivo escrito", "archivos escritos")
    same = f", {result.unchanged} sin cambios" if result.unchanged else ""
    click.secho(f"{files}{same} en {out}/ ({_size(result.total_bytes)}).", fg="green")


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
    from .maps import ATLAS_HTML, EMBED_RELATIVE, atlas_embed_title
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
    click.echo(embed_snippet(embed_href(base_url, href), title, width=width, height=height))
    if not base_url.strip():
        _warn([EMBED_RELATIVE.format(href=href)])


@main.command(name="export")
@click.argument("workbook", metavar="LIBRO.xlsx", type=click.Path(path_type=Path))
@data_option
@reports_errors
def export_(workbook: Path, data: Path | None) -> None:
    """Escribe el archivo de cobertura como un libro de Excel para editarlo.

    Una hoja por cosa (servicios, periodos, cifras, centros, desglose, sedes, notas, programas) y una
    hoja 'léame' que las explica. Compruébelo con `mimpmap check --data LIBRO.xlsx` y vuelva al YAML
    con `mimpmap import`.

    \b
    Ejemplo:
      mimpmap export cobertura.xlsx
      mimpmap export --data data/coverage.yaml cobertura.xlsx
    """
    from .workbook import export_workbook

    _library_loaded()
    if workbook.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"'{workbook}' debe terminar en .xlsx", param_hint="LIBRO.xlsx")
    result = export_workbook(data, workbook)
    click.echo(f"Escrito {result.path} ({_size(result.size)}): {plural(result.services, 'servicio', 'servicios')} "
               f"de {result.source}")


@main.command(name="import")
@click.argument("workbook", metavar="LIBRO", type=click.Path(path_type=Path))
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
    from .inputs import DEFAULTS
    from .workbook import import_workbook

    _library_loaded()
    target = data if data is not None else Path(DEFAULTS["data"][0])
    result = import_workbook(workbook, target, force=force)
    if result.written:
        click.echo(f"Escrito {result.path}: {plural(result.services, 'servicio', 'servicios')} de {workbook}")
        _warn([f"este comentario de {result.path} estaba junto a datos que el libro ya no tiene y no se "
               f"conservó: {lost}" for lost in result.lost_comments] + [f"{result.path}: {w}" for w in result.warnings])
    else:
        click.echo(f"{result.path} ya tiene estos datos; no se cambió.")


def _warn(warnings) -> None:
    for text in warnings:
        click.secho(f"Aviso: {printable(text)}", fg="yellow", err=True)


# --- start-up ------------------------------------------------------------------------------------

_gc_paused = False


def run() -> None:
    """The ``mimpmap`` program (``main`` is its click command, which tests and other code can call).

    Before it works, a command loads geopandas, folium and pydantic: some 90,000 tracked objects
    that live as long as the process. While they load, Python's cyclic garbage collector would walk
    them again and again (about a quarter of a second on a 2-core machine, a quarter of a build). So
    the collector waits until the command has loaded what it needs (:func:`_library_loaded`), those
    objects are then frozen out of its reach (``gc.freeze``) and it runs as usual for the work.
    """
    global _gc_paused
    if sys.stdout is None:  # started with its output closed (`mimpmap list >&-`): say so, do nothing
        if sys.stderr is not None:
            sys.stderr.write("Error: la salida estándar está cerrada; mimpmap no tiene dónde escribir\n")
        sys.exit(1)
    gc.disable()
    _gc_paused = True
    try:
        main(prog_name="mimpmap")
    except OSError as exc:  # the library turns its own OSErrors into messages: this one is the output's
        _output_failed(exc)
    finally:  # help, usage errors: ended before loading anything
        if _gc_paused:
            _gc_paused = False
            gc.enable()


def _output_failed(exc: OSError) -> None:
    """Standard output could not be written (a full disk, a closed pipe): a message, not a traceback."""
    try:  # nothing more can reach it, and Python's own flush at exit must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if exc.errno != errno.EPIPE:  # a reader that stopped reading (`| head`) needs no message
        click.echo(f"Error: no se pudo escribir la salida ({exc.strerror or exc}); "
                   "redirija la salida a otro archivo o disco", err=True)
    sys.exit(1)


def _library_loaded() -> None:
    """Each command calls this once its library modules are imported (see :func:`run`)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()
