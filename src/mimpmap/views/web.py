"""The words of the web pages that do not depend on the data: ``atlas.html`` (the one file to send),
embed codes, a page copied without its folder, a map in a notebook, the index's notes on opening the
pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import layout
from ..layout import CHOROPLETH_TITLE
from ..text import plural

if TYPE_CHECKING:  # pragma: no cover
    from .atlas import Atlas
    from .service import ServiceMap

#: The one file to send: the choropleth and every service in one page, beside the other maps. Each map
#: has its address in it: ``atlas.html#cobertura`` (the choropleth, the first view), ``atlas.html#cai``.
ATLAS_HTML = layout.ATLAS_HTML
ATLAS_TITLE = "Atlas de cobertura del MIMP"
ATLAS_MENU = "Todos los mapas"
ATLAS_MENU_LABEL = "Mapas del atlas"
ATLAS_GENERAL = "Mapa general"
ATLAS_NOTE = ("Este archivo reúne todos los mapas: se abre sin internet y sin otros archivos, y cada mapa tiene "
              f"su dirección ({ATLAS_HTML}#cobertura, {ATLAS_HTML}#cai, …) para enlazarlo o guardarlo.")


def atlas_description(atlas: "Atlas") -> str:
    return (f"{CHOROPLETH_TITLE} y el mapa de cada uno de los {plural(len(atlas.services), 'servicio', 'servicios')}"
            f", en un solo archivo. {atlas.period}.")


def atlas_view_title(page_title: str) -> str:
    """The browser's title while the atlas shows one map."""
    return f"{page_title} · {ATLAS_TITLE}"


def atlas_embed_title(service: "ServiceMap | None" = None) -> str:
    """The ``title`` of the atlas's ``<iframe>``, opened on a service or on the choropleth."""
    return f"{ATLAS_TITLE}: {service.name}" if service else ATLAS_TITLE


#: Said by ``mimpmap embed`` without ``--base-url`` (``{href}``: the map's address in the snippet).
EMBED_RELATIVE = ("la dirección '{href}' es relativa a la carpeta maps/: el código funciona solo en una página "
                  "publicada junto a esa carpeta. Para pegarlo en otro sitio, dé la dirección donde se publicó la "
                  "carpeta: --base-url https://…/maps/")
#: Under each embed code of the index.
EMBED_INDEX_NOTE = ("La dirección (src) de este código es relativa a la carpeta de los mapas: funciona en una página "
                    "publicada junto a ella. En otro sitio, ponga la dirección completa donde se publicaron los mapas "
                    "(https://…/maps/…) o genere el código con mimpmap embed --base-url.")

#: A separate page copied alone: what a link to a missing local page shows instead of the browser's error.
ALONE_TITLE = "Falta la carpeta de los mapas"
ALONE_TEXT = "Este enlace lleva a otro archivo de la carpeta de los mapas, que no está junto a esta página:"
ALONE_HELP = (f"Abra la página desde la carpeta maps/ completa, o use {ATLAS_HTML}, que reúne todos los mapas en un "
              "solo archivo que se puede enviar solo.")
ALONE_CLOSE = "Entendido"

#: Behind a map in a notebook: seen only where the notebook drops the map's frame until it is trusted.
NOTEBOOK_TRUST = "Si el mapa no aparece, marque este cuaderno como confiable: File → Trust Notebook."

#: The index's words on how the pages open.
OFFLINE_NOTE = "Cada mapa es una página independiente: se abre sin conexión a internet."
CDN_NOTE = "Los mapas cargan la biblioteca Leaflet desde internet."
