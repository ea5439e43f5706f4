"""Where each map lives in the output folder, and what the choropleth is called: one place for the
build that writes the files and the pages that link to each other."""

import re

from .levels import DEFAULT_LEVEL

#: Names Windows keeps for devices whatever the extension (``nul.html`` is its null device): a service
#: id among them would name files ``build`` cannot write there (``check`` refuses it).
DEVICE_NAMES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])")

CHOROPLETH = "cobertura"
INDEX = "index.html"
#: The tag in the head of every page mimpmap writes: a page without it (and a folder without the build's
#: manifest) is someone else's, which a build does not replace unless told (``--force``).
GENERATOR_META = '<meta name="generator" content="mimpmap">'
SERVICES_DIR = "servicios"
#: Small copies of the PNG maps, for the index (same relative paths under this folder).
THUMBNAILS_DIR = "miniaturas"

#: The data behind the maps, beside them (CSV and a workbook), which every page links.
DATA_DIR = "datos"
DATA_FILES = {"units": f"{DATA_DIR}/cobertura.csv", "services": f"{DATA_DIR}/servicios.csv",
              "workbook": f"{DATA_DIR}/cobertura.xlsx", "centres": f"{DATA_DIR}/centros.csv",
              "availability": f"{DATA_DIR}/disponibilidad.csv",
              "without_cem": f"{DATA_DIR}/provincias_sin_cem.csv", "brechas": f"{DATA_DIR}/brechas.csv"}
#: The first columns of ``cobertura.csv`` (the readers know the download by them, should it be given as data).
UNIT_HEAD = ("código", "nombre", "ubigeo")

#: Every service on one page (mosaico.png/.svg), and the whole atlas as one PDF.
MOSAIC = "mosaico"
ATLAS_PDF = "atlas.pdf"
#: The population the services reach, as two bar charts (poblacion.png/.svg).
PEOPLE_CHART = "poblacion"
#: Who is far from a CEM, per province (:mod:`mimpmap.views.brechas`).
BRECHAS_PAGE = "brechas.html"
#: Every map in one page that works alone (the one file to send).
ATLAS_HTML = "atlas.html"

#: The choropleth's title, on the page, in the PNG/SVG and in embed snippets.
CHOROPLETH_TITLE = f"Servicios del MIMP por {DEFAULT_LEVEL.noun.one}"


def service_file(service_id: str, fmt: str = "html") -> str:
    """``servicios/cai.html``: a service's map, relative to the output folder."""
    return f"{SERVICES_DIR}/{service_id}.{fmt}"


def service_data_file(service_id: str) -> str:
    """``datos/servicios/cai.csv``: a service's rows of the data (its map's table), beside the others."""
    return f"{DATA_DIR}/{SERVICES_DIR}/{service_id}.csv"


def thumbnail_file(png_file: str) -> str:
    """``miniaturas/servicios/cai.png``: the index's small copy of a PNG map (given relative to the
    output folder)."""
    return f"{THUMBNAILS_DIR}/{png_file}"
