"""The pieces of the command line built on click: parameter types (a dpi, a folder, a choice in any
case), the help in Spanish, click's usage errors told in Spanish, and the signals a build waits for.
Part of the command line, not of the library: only the CLI's modules import it, and it neither prints
nor exits (click raises).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import click

from .text import closest, join_words

#: The longest file name and path most systems accept (Linux's NAME_MAX and PATH_MAX, in bytes).
NAME_MAX, PATH_MAX = 255, 4095


class Whole(click.ParamType):
    """A whole number from ``low`` to ``high``; ``example`` shows a good value (``--dpi 300``)."""

    def __init__(self, name: str, low: int, high: int, example: str):
        self.name, self.low, self.high, self.example = name, low, high, example

    def convert(self, value, param, ctx):
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' no es un número entero; use p. ej. {self.example}", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number} está fuera del rango de {self.low} a {self.high}", param, ctx)
        return number


class Dpi(Whole):
    """A PNG resolution: a whole number from 50 to 1200."""

    def __init__(self):
        super().__init__("dpi", 50, 1200, "--dpi 300")


class Choice(click.Choice):
    """One of a few words, in any case (``A4`` is ``a4``, as ``--format PNG`` is ``png``); refused in
    Spanish with the nearest word and all of them."""

    def __init__(self, choices, what: str):
        super().__init__(choices, case_sensitive=False)
        self.what = what

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            near = closest(str(value).casefold(), self.choices)
            guess = f"¿quiso decir '{near[0]}'? " if near else ""
            self.fail(f"'{value}' no es {self.what}; {guess}elija {join_words(self.choices, 'o')}", param, ctx)


class InProject(str):
    """A default folder (``maps``): in the project folder, wherever in it mimpmap is run."""


class Folder(click.ParamType):
    """An output folder: it may not exist yet, but it may not be a file, nor lie inside another output
    folder (``maps/maps``, from a build run inside ``maps/``)."""

    name = "carpeta"

    def __init__(self, made: bool = True):
        #: Whether the command makes the folder (build) or only reads it (check --maps).
        self.made = made

    def convert(self, value, param, ctx):
        from .inputs import enclosing_output, project_path

        path = project_path(value) if isinstance(value, InProject) else Path(value)
        if not str(value).strip():
            self.fail("el nombre de la carpeta está vacío; indique una, p. ej. --out maps", param, ctx)
        if str(value).startswith("-"):
            self.fail(f"falta la carpeta ('{value}' es otra opción)", param, ctx)
        if any(len(os.fsencode(part)) > NAME_MAX for part in path.parts):
            self.fail(f"el nombre '{shortened(path)}' es demasiado largo (el sistema admite {NAME_MAX} bytes por "
                      "carpeta); indique una carpeta de nombre más corto", param, ctx)
        if len(os.fsencode(path)) > PATH_MAX:
            self.fail(f"la ruta '{shortened(path)}' es demasiado larga (el sistema admite {PATH_MAX} bytes en toda "
                      "la ruta); indique una carpeta de ruta más corta", param, ctx)
        if os.path.exists(path) and not os.path.isdir(path):  # os.path: never raises (long names, permissions)
            made = " (se crea si no existe)" if self.made else ""
            self.fail(f"'{path}' es un archivo, no una carpeta; indique una carpeta{made}", param, ctx)
        outer = enclosing_output(path)
        if outer is not None:
            shown = os.path.relpath(outer)
            self.fail(f"'{path}' está dentro de la carpeta de mapas '{shown}': unos mapas no van dentro de otros; "
                      f"indique otra carpeta (p. ej. --out {shown})", param, ctx)
        return path


#: A file named on the command line. click does not check it (its messages are English: "is not
#: readable"): the library says in Spanish what is wrong with it, and which option names it.
FILE = click.Path(path_type=Path, readable=False)

#: The help of ``--force`` for the commands that write a folder of maps (build, serve).
FORCE_HELP = "Escribe en una carpeta cuyo index.html no hizo mimpmap, y lo reemplaza."


class SpanishHelp(click.HelpFormatter):
    """click's help layout with its headings in Spanish, like the rest of the interface."""

    HEADINGS = {"Options": "Opciones", "Commands": "Comandos", "Arguments": "Argumentos"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPCIONES]").replace("COMMAND [ARGS]...",
                                                                                  "COMANDO [ARGS]..."), "Uso: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class Context(click.Context):
    formatter_class = SpanishHelp


class Command(click.Command):
    context_class = Context

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


def usage_message(exc: click.UsageError) -> str:
    """A click usage error in Spanish, chosen by its type; other types keep click's words."""
    def hint() -> str:
        if exc.param is not None and exc.ctx is not None:
            return exc.param.get_error_hint(exc.ctx)
        return str(exc.param_hint or "")

    if isinstance(exc, click.NoSuchOption):
        text = f"opción desconocida '{exc.option_name}'"
        known = {o.lstrip("-"): o for p in (exc.ctx.command.params if exc.ctx else [])
                 for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}
        close = closest(exc.option_name.lstrip("-"), known, n=2)  # the dashes make every option alike
        if close:
            text += "; ¿quiso decir " + " o ".join(f"'{known[c]}'" for c in close) + "?"
        return text
    if isinstance(exc, click.exceptions.NoSuchCommand):
        known = sorted(exc.ctx.command.commands) if exc.ctx else []
        text = f"comando desconocido '{exc.command_name}'"
        close = closest(exc.command_name, known)
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


def shortened(path, most: int = 120) -> str:
    """A path as a message shows it: whole, or its start and end around '…' when very long."""
    text = os.fsdecode(path)
    return text if len(text) <= most else f"{text[:most // 2]}…{text[-most // 2 + 1:]}"


class Stoppable:
    """While a build (or a preview) runs, SIGTERM stops it as Ctrl-C does (the folder is left as it
    was); once it writes, both wait for the writing and its report to end (:attr:`asked` says one came)."""

    def __init__(self):
        self.held = self.asked = False
        self.previous: dict = {}

    def __enter__(self) -> "Stoppable":
        try:
            self.previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:  # not the main thread: signals stay as they are
            pass
        return self

    def __exit__(self, *exc) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _stop(self, number, frame) -> None:
        if not self.held:
            raise KeyboardInterrupt
        self.asked = True

    def hold(self) -> None:
        self.held = True
