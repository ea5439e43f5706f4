"""The ``mimpmap serve`` command: a thin layer over :class:`mimpmap.serve.Preview`. Part of the command
line: :mod:`mimpmap.cli` registers it and hands it what the command line prints with (:class:`Console`),
the input options and the error reporting, so that they stay defined once, there.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable

import click

from .cliparts import FORCE_HELP, Command, Stoppable, Whole
from .serve import DEFAULT_PORT, LOCALHOST, Preview, Rebuild
from .text import plural


@dataclass(frozen=True)
class Console:
    """What the command line prints with (:mod:`mimpmap.cli`'s own functions)."""

    say: Callable[..., None]
    value: Callable[[object], str]
    warn: Callable[[list[str]], None]
    #: Called once the library is loaded (the garbage collector's pause ends).
    loaded: Callable[[], None]


def serve_command(console: Console, input_options: Callable, out_option: Callable, reports_errors: Callable):
    """The ``serve`` command, made with the command line's own options and reporting."""

    @click.command(cls=Command)
    @input_options
    @out_option
    @click.option("--port", type=Whole("puerto", 0, 65535, f"--port {DEFAULT_PORT}"), default=DEFAULT_PORT, metavar="PUERTO",
                  help=f"Puerto de la vista previa (por defecto {DEFAULT_PORT}; 0: uno libre).")
    @click.option("--host", default=LOCALHOST, metavar="DIRECCIÓN",
                  help="Dirección donde escucha (por defecto 127.0.0.1: solo esta máquina). Otra la comparte en "
                       "la red: use la dirección que escribirán los demás.")
    @click.option("--no-open", "no_open", is_flag=True, help="No abre el navegador.")
    @click.option("--force", is_flag=True, help=FORCE_HELP)
    @reports_errors
    def serve(out, port: int, host: str, no_open: bool, force: bool, **given) -> None:
        """Vista previa en vivo: genera los mapas, los sirve en el navegador y los vuelve a generar cada
        vez que guarda un archivo de datos.

        Las páginas abiertas se recargan solas; si los datos tienen errores, las páginas los muestran encima
        de los últimos mapas correctos, que quedan en la carpeta. Ctrl-C termina.

        \b
        Ejemplos:
          mimpmap serve
          mimpmap serve --data cobertura.xlsx --port 8000 --no-open
        """
        from .build import Folder, refuse_foreign

        refuse_foreign(Folder.look(out), force)  # before the preview starts: nothing served, nothing written
        if host not in (LOCALHOST, "localhost", "::1"):  # loopback addresses stay on this machine
            console.warn([f"--host {host}: la vista previa queda abierta a la red; quien llegue a esta máquina "
                          "puede ver los mapas (no cambiarlos)"])
        preview = Preview(out, given, host=host, port=port, report=lambda rebuild: status(console, out, rebuild),
                          force=force)
        console.say(f"Vista previa en {preview.url} (Ctrl-C para terminar).")
        try:
            with Stoppable():  # SIGTERM ends the preview as Ctrl-C does (it never holds: no write to wait for)
                preview.start()
                preview.ready.wait()
                console.loaded()
                if not no_open:
                    click.launch(preview.url)
                while not preview.wait(0.5):
                    pass
        except KeyboardInterrupt:
            pass
        finally:
            preview.stop()
        console.say(f"Vista previa terminada; los mapas quedan en {console.value(out)}/.", err=True)

    return serve


def status(console: Console, out, rebuild: Rebuild) -> None:
    """The line of one pass of a rebuild: when, what changed, what was redrawn and how long it took; the
    problems, if the data do not validate."""
    seconds = f"{rebuild.seconds:.2f}".replace(".", ",")
    what = ", ".join(console.value(os.path.relpath(path)) for path in rebuild.changed) or "primera generación"
    head = f"{time.strftime('%H:%M:%S')}  {what}:"
    if rebuild.problems:
        console.say(f"{head} no se pudieron regenerar los mapas; {console.value(out)}/ queda como estaba (las "
                    "páginas abiertas muestran por qué):", fg="red", err=True)
        for problem in rebuild.problems:
            console.say(f"  Error: {problem}", fg="red", err=True)
    elif rebuild.written:
        drawn = plural(len(rebuild.written), "archivo redibujado", "archivos redibujados")
        names = ", ".join(console.value(name) for name in rebuild.written[:3])
        more = f" y {len(rebuild.written) - 3} más" if len(rebuild.written) > 3 else ""
        console.say(f"{head} {drawn} ({names}{more}) en {seconds} s.", fg="green")
    else:
        console.say(f"{head} nada que redibujar ({seconds} s).")
    console.warn(list(rebuild.warnings))
