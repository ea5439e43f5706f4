#!/usr/bin/env python3
"""Build ``data/centros.csv``, the MIMP's violence-response centres, from the 2026 national directory.

Source: MIMP (Observatorio Nacional de la Violencia), *Consolidado Directorio Nacional* 2026, sheet
"SERVICIOS MIMP", as transcribed to JSON by the public repository ``Rodasluis/Indicadores-ENDES``
(file ``site/data/directorio.json``, commit ffe1e19fbf714d911c7f4fb991850a1501a1337e). From the
repository root::

    python scripts/build_centros.py [SOURCE.json] [--output data/centros.csv]

Steps (the script stops with an error if a check fails):

1. Verify the source's sha256 (:data:`SOURCE_SHA256`) and its shape: the counts per kind it states
   in ``meta.por_tipo``, every ubigeo of 6 digits beginning with its province's and department's,
   and MIMP's Lima split (``ambito`` "Lima Metropolitana" exactly for ubigeo 1501…).
2. Shelters (HRT) keep only their kind and department (ubigeo of 2 digits, department name):
   their name, address, phone, district, province and ubigeo are dropped. The source gives none of
   them a position; if one had, the script would stop.
3. Every other site keeps its name, ubigeo, province, district, address and phone (whitespace
   trimmed, phone numbers separated by " / " without spaces inside a number) and its position if it
   has both latitude and longitude (SAR Kosñipata has a latitude only: it is dropped). ``subtipo``
   comes from the name (:func:`subtype`); ``departamento`` is the department of the ubigeo as
   mimpmap names it, with its accents (the source writes "Ancash", "Junin").
4. Rows are sorted by ubigeo, kind, subtype and name and written as UTF-8 with ``\\n`` line endings.
5. The file written is read back with :func:`mimpmap.centres.read_centres` and the shipped department
   boundaries; the script prints its counts and warnings and checks that no shelter's name or phone
   from the source appears in it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mimpmap.centres import COLUMNS, SHELTER, department_name, read_centres  # noqa: E402
from mimpmap.geography import read_boundaries  # noqa: E402
from mimpmap.levels import normalize  # noqa: E402

DEFAULT_INPUT = Path("/work/shared/sources/mimp_directorio_2026.json")
DEFAULT_OUTPUT = ROOT / "data" / "centros.csv"
DEFAULT_GEO = ROOT / "geo" / "peru_departamentos.geojson"

#: sha256 of ``site/data/directorio.json`` at commit ffe1e19 of Rodasluis/Indicadores-ENDES.
SOURCE_SHA256 = "b844d05d7b1b1ee70a8f3312d2b25c07b6df9bd8a444874573808bbd12bc5707"

HEADER_LINES = (
    "# titulo: Servicios del MIMP frente a la violencia: dónde están",
    "# año: 2026",
    "# fuente: MIMP, Consolidado Directorio Nacional 2026 (hoja «SERVICIOS MIMP»), "
    "https://www.mimp.gob.pe/omep/Consolidado_Directorio_Nacional_2026.xlsx; transcrito en "
    "github.com/Rodasluis/Indicadores-ENDES (site/data/directorio.json, commit ffe1e19)",
    "# Los Hogares de Refugio Temporal (HRT) son confidenciales: de cada uno solo se da su departamento.",
    "# Lo genera scripts/build_centros.py (ver data/README.md); no se edita a mano.",
)

#: The start of a CEM's name (folded) → its subtype. A CEM named otherwise stops the script.
CEM_SUBTYPES = (("cem regular ", "regular"), ("cem comisaria ", "comisaría"), ("cem centro de salud ", "centro de salud"))


class SourceError(Exception):
    """The source is not the file this script was written for."""


def subtype(kind: str, name: str) -> str:
    """The subtype a site's name gives: a CEM "regular", in a police station ("comisaría") or in a
    health centre ("centro de salud"); a SAR on a PIAS boat ("PIAS"); nothing for the other kinds."""
    folded = normalize(name) + " "
    if kind == "CEM":
        for start, value in CEM_SUBTYPES:
            if folded.startswith(start):
                return value
        raise SourceError(f"CEM {name!r}: a name this script does not know (add its subtype to CEM_SUBTYPES)")
    return "PIAS" if kind == "SAR" and folded.startswith("pias ") else ""


def tidy(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def phone(text: str | None) -> str:
    """``"994 839 886"`` → ``994839886``; ``"a // b"``, ``"a/ b"``, ``"a - b"`` → ``a / b``."""
    parts = re.split(r"\s*/+\s*|\s+-\s+", tidy(text))
    return " / ".join(re.sub(r"\s", "", p) for p in parts if p)


def check_source(raw: bytes) -> list[dict]:
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise SourceError(f"sha256 {digest}, expected {SOURCE_SHA256}: not the 2026 directory this script knows")
    data = json.loads(raw.decode("utf-8"))
    services = data["servicios"]
    counts = Counter(s["tipo"] for s in services)
    if counts != Counter(data["meta"]["por_tipo"]):
        raise SourceError(f"counts per kind {dict(counts)} differ from meta.por_tipo {data['meta']['por_tipo']}")
    for s in services:
        ubigeo = s["ubigeo"]
        if not (re.fullmatch(r"\d{6}", ubigeo) and ubigeo.startswith(s["ubigeo_prov"])
                and s["ubigeo_prov"].startswith(s["ubigeo_dep"])):
            raise SourceError(f"{s['nombre']!r}: ubigeo {ubigeo} / {s['ubigeo_prov']} / {s['ubigeo_dep']}")
        if ubigeo[:2] == "15" and (s["ambito"] == "Lima Metropolitana") != ubigeo.startswith("1501"):
            raise SourceError(f"{s['nombre']!r}: ambito {s['ambito']!r} and ubigeo {ubigeo} split Lima otherwise")
        if s["tipo"] == SHELTER and (s["lat"] is not None or s["lon"] is not None):
            raise SourceError("a shelter (HRT) with a position: the source is not the one this script knows")
    return services


def row(s: dict) -> dict[str, str]:
    """The row of one service of the source."""
    if s["tipo"] == SHELTER:
        out = dict.fromkeys(COLUMNS, "")
        out.update(tipo=SHELTER, ubigeo=s["ubigeo"][:2], departamento=department_name(s["ubigeo"]))
        return out
    located = s["lat"] is not None and s["lon"] is not None
    return {
        "tipo": s["tipo"], "subtipo": subtype(s["tipo"], s["nombre"]), "nombre": tidy(s["nombre"]),
        "ubigeo": s["ubigeo"], "departamento": department_name(s["ubigeo"]), "provincia": tidy(s["provincia"]),
        "distrito": tidy(s["distrito"]), "direccion": tidy(s["direccion"]), "telefono": phone(s["telefono"]),
        "lat": repr(float(s["lat"])) if located else "", "lon": repr(float(s["lon"])) if located else "",
    }


def render(services: list[dict]) -> bytes:
    rows = sorted((row(s) for s in services), key=lambda r: tuple(r[c] for c in ("ubigeo", "tipo", "subtipo", "nombre")))
    out = io.StringIO()
    out.write("".join(line + "\n" for line in HEADER_LINES))
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def check_output(path: Path, services: list[dict], geo: Path) -> list[str]:
    """Read the written file back; a summary to print. Stops if a shelter's name or phone is in it."""
    text = path.read_text(encoding="utf-8")
    for s in services:
        if s["tipo"] == SHELTER:
            secrets = [s["nombre"], *re.findall(r"\d{6,}", s["telefono"] or "")]
            if any(secret and secret in text for secret in secrets):
                raise SourceError(f"{path}: a shelter's name or phone is in the file")
    centres = read_centres(path, read_boundaries(geo))
    kinds = ", ".join(f"{code} {n}" for code, n in centres.by_kind().items())
    return [f"{path}: {len(centres.sites)} centres and {sum(centres.shelters.values())} shelters ({kinds}); "
            f"{len(centres.placed)} placed, {len(centres.unlocated)} without a position, {len(centres.astray)} astray",
            *centres.warnings, *centres.notes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_INPUT, help=f"default {DEFAULT_INPUT}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--geo", type=Path, default=DEFAULT_GEO, help="boundaries the result is checked against")
    args = parser.parse_args(argv)
    logging.getLogger("mimpmap").setLevel(logging.ERROR)  # the summary below prints the warnings once
    try:
        services = check_source(args.source.read_bytes())
        data = render(services)
    except (OSError, SourceError, KeyError, ValueError) as exc:
        print(f"{args.source}: {exc}", file=sys.stderr)
        return 1
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.output)
    try:
        summary = check_output(args.output, services, args.geo)
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(summary))
    print(f"sha256 {hashlib.sha256(data).hexdigest()}  {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
