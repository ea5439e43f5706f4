"""The JSON Schema of the coverage file (``data/coverage.schema.json``), for editors that validate the
YAML as it is typed; written by ``mimpmap schema -o``, which never replaces a file that is not one."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .errors import OutputError, os_reason
from .model import CoverageFile
from .write import write_text

#: The schema's title: how a schema mimpmap wrote is recognised, whatever its version.
TITLE = "Cobertura de servicios del MIMP (mimpmap)"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: A schema is some 20 KB; a larger file is something else.
_MOST = 1024 * 1024


def json_schema() -> str:
    """The JSON Schema of the coverage file, as stable, pretty-printed JSON text."""
    schema = CoverageFile.model_json_schema()
    schema["$schema"] = DIALECT
    schema["title"] = TITLE
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def is_schema(raw: bytes) -> bool:
    """Whether ``raw`` is a schema mimpmap wrote (this version's or an earlier one): a JSON object
    with mimpmap's title and a ``$schema`` dialect."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(value, dict) and value.get("title") == TITLE and "$schema" in value


def write_schema(path: Path | str) -> Path:
    """Write the schema to ``path``. Raises :class:`OutputError` when ``path`` holds something else
    (``schema -o data/coverage.yaml`` replaced the data with the schema): only a schema mimpmap wrote,
    or nothing, is replaced."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"no se puede escribir '{path}': {os_reason(exc)}; elija otro archivo") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"'{path}' es una carpeta; indique un archivo, p. ej. -o data/coverage.schema.json")
    if info is not None and not _replaceable(path, info):
        raise OutputError(f"'{path}' ya existe y no es un esquema escrito por mimpmap: no se reemplaza; elija otro "
                          "nombre (p. ej. -o data/coverage.schema.json) o, si de verdad quiere reemplazarlo, "
                          "bórrelo antes")
    return write_text(path, json_schema())


def _replaceable(path: Path, info: os.stat_result) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_size > _MOST:
        return False
    try:
        return is_schema(path.read_bytes())
    except OSError as exc:
        raise OutputError(f"no se puede leer '{path}' para ver qué contiene: {os_reason(exc)}") from None
