"""The `mimpmap` command: a thin layer over the library. Only this module prints or exits."""

from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import MimpmapError

# --- options shared by several commands, defined once --------------------------------------------

data_option = click.option(
    "--data", "data", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Archivo de cobertura YAML (por defecto data/coverage.yaml).",
)
geo_option = click.option(
    "--geo", "geo", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Archivo de límites departamentales: GeoJSON, GeoPackage o Shapefile "
    "(por defecto geo/peru_departamentos.geojson).",
)
geo_key_option = click.option(
    "--geo-key", "geo_key", default=None, metavar="CAMPO",
    help="Campo del archivo de límites que identifica cada departamento (nombre, ISO o UBIGEO). "
    "Sin él se detecta.",
)


def reports_errors(func):
    """Turn library errors into a Spanish message on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MimpmapError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(exc.exit_code)

    return wrapper


class _Echo(logging.Handler):
    """Library log records (warnings, progress) reach the console through here."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            click.secho(f"Aviso: {record.getMessage()}", fg="yellow", err=True)
        else:
            click.echo(record.getMessage(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mimpmap")
@click.option("-q", "--quiet", is_flag=True, help="Solo errores y avisos.")
def main(quiet: bool) -> None:
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
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


@main.command()
@data_option
@geo_option
@geo_key_option
@reports_errors
def check(data: Path | None, geo: Path | None, geo_key: str | None) -> None:
    """Valida el archivo de cobertura, el de límites y la unión entre ambos.

    Muestra un resumen (servicios, unidades, cobertura de cada servicio) y sale con 0, o muestra
    cada problema y sale con 1.

    \b
    Ejemplo:
      mimpmap check --data data/coverage.yaml --geo geo/peru_departamentos.geojson
    """
    from . import load

    cov = load(data, geo, geo_key)
    click.echo(f"Cobertura: {cov.data.path}")
    click.echo(f"Límites:   {cov.boundaries.path} ({len(cov.units)} unidades, campo '{cov.boundaries.key}')")
    click.echo(f"{len(cov.services)} servicios de {len(cov.programs)} programas:")
    width = max(len(s.id) for s in cov.services)
    for s in cov.services:
        n = int((cov.status[s.id] != "ninguna").sum())
        click.echo(f"  {s.id:<{width}}  {n:>2} unidades  {cov.coverage_words(s)}")
    if cov.boundaries.missing:
        click.secho(f"Aviso: el archivo de límites no tiene: {', '.join(cov.boundaries.missing)}", fg="yellow")
    click.secho("Todo correcto.", fg="green")


@main.command(name="list")
@data_option
@click.option("--json", "as_json", is_flag=True, help="Una lista JSON de objetos en vez de una tabla.")
@reports_errors
def list_(data: Path | None, as_json: bool) -> None:
    """Lista los servicios: id, programa, nombre corto, cobertura y número de unidades.

    \b
    Ejemplos:
      mimpmap list
      mimpmap list --json > servicios.json
    """
    from .model import read_coverage
    from .places import ALL_CODES, describe

    cov = read_coverage(data)
    rows = []
    for s in cov.services:
        codes = sorted(cov.codes[s.id])
        rows.append({
            "id": s.id,
            "name": s.name,
            "short_name": s.display_name,
            "program": cov.program(s.program).short_name,
            "national": s.national,
            "coverage": codes,
            "coverage_text": "A nivel nacional" if s.national else describe(codes),
            "units": len(codes),
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    w_id = max(len(r["id"]) for r in rows)
    w_prog = max(len(r["program"]) for r in rows)
    w_name = max(len(r["short_name"]) for r in rows)
    click.echo(f"{'id':<{w_id}}  {'programa':<{w_prog}}  {'servicio':<{w_name}}  {'unid.':>5}  cobertura")
    for r in rows:
        click.echo(
            f"{r['id']:<{w_id}}  {r['program']:<{w_prog}}  {r['short_name']:<{w_name}}  "
            f"{r['units']:>2}/{len(ALL_CODES)}  {r['coverage_text']}"
        )


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
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

    text = json_schema()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
        click.echo(f"Escrito {output}")
