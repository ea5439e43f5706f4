"""The HTML around the maps: header, side panels, data tables, footer and the index page.

The templates autoescape: every value is text unless the code marks it otherwise, so names,
descriptions and notes from the coverage file cannot become markup. They receive plain, already
formatted values (Spanish numbers, labels) from :mod:`.pages`.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from ..layout import DATA_FILES
from ..levels import DEFAULT_LEVEL

_ENV = jinja2.Environment(
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_ENV.globals["DATA_FILES"] = DATA_FILES
#: The words of the level the pages are drawn at ("departamento"; ``UNIT.title``: "Departamento").
_ENV.globals["UNIT"] = DEFAULT_LEVEL.noun

HEADER = """\
<header class="mm-header">
<div class="mm-head-row">
<p class="mm-kicker">{{ kicker }}</p>
{% if nav %}
<nav class="mm-nav" aria-label="Navegación">
{% for href, text in nav %}<a href="{{ href }}">{{ text }}</a>
{% endfor %}
</nav>
{% endif %}
{% if menu is defined %}{{ menu }}{% endif %}
</div>
<h1>{{ title }}</h1>
{% if sub %}<p class="mm-sub">{{ sub }}</p>{% endif %}
</header>
"""

#: Folds the panel on a phone as soon as it is parsed (MM.fold in mimpmap.js). The atlas's other views
#: leave it out: a view shown later takes the fold's state of the panel it replaces.
FOLD_SCRIPT = "<script>window.MM && MM.fold();</script>\n"
_PANEL_OPEN = """\
<aside class="mm-panel" aria-label="{{ label }}">
<details class="mm-fold" open>
<summary>{{ label }}</summary>
""" + FOLD_SCRIPT + """<div class="mm-panel-body">
"""
_PANEL_CLOSE = """\
</div>
</details>
</aside>
"""

CHOROPLETH_PANEL = _PANEL_OPEN + """\
<h2>¿Cuántos servicios del MIMP llegan a cada {{ UNIT.one }}?</h2>
<p class="mm-lead">{{ lead }}</p>
<p class="mm-small mm-muted mm-howto">{{ howto }}</p>
{% if extremes %}
<h3>En resumen</h3>
<ul>
{% for line in extremes %}<li>{{ line }}</li>
{% endfor %}
</ul>
{% endif %}
{% for chart in charts %}
<h3>{{ chart.title }}</h3>
<table class="mm-table mm-bars">
<thead><tr><th scope="col">{{ chart.label }}</th><th scope="col" class="mm-num">{{ chart.value }}</th></tr></thead>
<tbody>
{% for bar in chart.bars %}<tr><th scope="row">{{ bar.label }}</th><td class="mm-num"><span class="mm-bar" style="width:{{ bar.width }}%"></span>{{ bar.text }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endfor %}
{% if people_note %}<p class="mm-small mm-muted">{{ people_note }}</p>
{% endif %}
<h3>Servicios por programa</h3>
{% for program in programs %}
<p class="mm-program-name"><abbr title="{{ program.name }}">{{ program.short }}</abbr></p>
<ul class="mm-services">
{% for s in program.services %}
<li><a href="{{ s.href }}">{{ s.name }}</a>{% if s.short %} <span class="mm-tag">{{ s.short }}</span>{% endif %}
<span class="mm-where">{{ s.where }}</span></li>
{% endfor %}
</ul>
{% endfor %}
<p class="mm-source">Fuente: {{ source }}</p>
""" + _PANEL_CLOSE

SERVICE_PANEL = _PANEL_OPEN + """\
<p class="mm-kicker"><abbr title="{{ program.name }}">{{ program.short }}</abbr></p>
<h2>{{ name }}{% if short %} <span class="mm-tag">{{ short }}</span>{% endif %}</h2>
<p class="mm-lead">{{ description }}</p>
<h3>Cobertura</h3>
<p>{{ coverage }}</p>
{% if coverage_source %}<p class="mm-small mm-muted">En la fuente: «{{ coverage_source }}»</p>{% endif %}
<p class="mm-small mm-muted">{{ reach }}</p>
{% if people %}
<p class="mm-people">{{ people.sentence }}</p>
<p class="mm-small mm-muted">{{ people_note }}</p>
{% endif %}
{% if centres %}
<h3>Centros</h3>
<p><span class="mm-big">{{ centres.total }}</span> {{ centres.label }}</p>
{% if centres.breakdown %}
<table class="mm-table">
<caption>{{ centres.breakdown_title }}</caption>
<thead><tr><th scope="col">Tipo</th><th scope="col" class="mm-num">Cantidad</th></tr></thead>
<tbody>
{% for row in centres.breakdown %}<tr><th scope="row">{{ row.type }}</th><td class="mm-num">{{ row.count }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% if centres.sites %}
<div class="mm-scroll">
<table class="mm-table">
<caption>Sedes</caption>
<thead><tr><th scope="col">Centro</th><th scope="col">Ubicación</th>{% if centres.site_counts %}<th scope="col" class="mm-num">Cantidad</th>{% endif %}</tr></thead>
<tbody>
{% for site in centres.sites %}<tr><th scope="row">{{ site.name }}</th><td>{{ site.place }}</td>{% if centres.site_counts %}<td class="mm-num">{{ site.count }}</td>{% endif %}</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
{% endif %}
{% if extra %}{{ extra }}{% endif %}
{% if figures %}
<h3>Cifras</h3>
<div class="mm-scroll">
<table class="mm-table mm-figures">
<thead><tr>
{% for p in periods %}<th scope="col" class="mm-num">{{ p.label }}{% if p.note %}<sup class="mm-ref"><a href="#{{ p.note_id }}" aria-label="nota {{ p.note }}">{{ p.note }}</a></sup>{% endif %}</th>
{% endfor %}
{% if show_change %}<th scope="col" class="mm-num">{{ change_column }}</th>{% endif %}
</tr></thead>
{% for group in figures %}
{% if group.title %}<tbody><tr class="mm-group"><td colspan="{{ columns }}">{{ group.title }}</td></tr></tbody>
{% endif %}
{% for row in group.rows %}
<tbody>
<tr class="mm-figure-name"><th scope="rowgroup" colspan="{{ columns }}">{{ row.unit }}</th></tr>
<tr>
{% for v in row["values"] %}<td class="mm-num">{{ v.text }}{% if v.note %}<sup class="mm-ref"><a href="#{{ v.note_id }}" aria-label="nota {{ v.note }}">{{ v.note }}</a></sup>{% endif %}</td>
{% endfor %}
{% if show_change %}<td class="mm-num">{% if row.headline %}<strong>{{ row.headline }}</strong> <span class="mm-basis">{{ row.basis }}</span>{% else %}<span class="mm-muted">{{ not_compared }}</span>{% endif %}</td>{% endif %}
</tr>
{% if show_change %}<tr class="mm-figure-detail"><td colspan="{{ columns }}">
{% for line in row.details %}<p>{{ line }}</p>
{% endfor %}
</td></tr>
{% endif %}
</tbody>
{% endfor %}
{% endfor %}
</table>
</div>
{% if show_change %}<p class="mm-small mm-muted">{{ change_note }}</p>{% endif %}
{% endif %}
{% if activities %}
<h3>Actividades</h3>
<ul>
{% for a in activities %}<li>{{ a }}</li>
{% endfor %}
</ul>
{% endif %}
{% if notes %}
<h3>Notas</h3>
<ul class="mm-notes">
{% for n in notes %}<li>{{ n }}</li>
{% endfor %}
</ul>
{% endif %}
{% if footnotes %}
<h3>Notas al pie</h3>
<ol class="mm-footnotes">
{% for f in footnotes %}<li id="{{ f.id }}"><span class="mm-mark">{{ f.mark }}</span> {{ f.text }}</li>
{% endfor %}
</ol>
{% endif %}
{% if program.description %}
<h3>Sobre el programa</h3>
<p class="mm-small"><strong>{{ program.name }}</strong></p>
<p class="mm-small">{{ program.description }}</p>
{% endif %}
<div class="mm-source">
{% if service_source %}<p>Información de: {{ service_source }}</p>{% endif %}
<p>Fuente: {{ source }}</p>
</div>
""" + _PANEL_CLOSE

#: A separate page opened without its folder: shown (by mimpmap.js) instead of the browser's error page
#: when a link leads to a page that is not beside it.
ALONE_NOTICE = """\
<dialog class="mm-alone" id="mm-alone" aria-labelledby="mm-alone-title" \
style="max-width:min(34em,calc(100vw - 32px));border:1px solid #dde1e6;border-radius:8px;padding:16px 22px;\
box-shadow:0 6px 24px rgba(0,0,0,.25);color:#1c2630">
<h2 id="mm-alone-title" style="font-size:18px;margin:0 0 8px">{{ title }}</h2>
<p>{{ text }} <code class="mm-alone-target"></code></p>
<p>{{ help }}</p>
<form method="dialog"><button type="submit" class="mm-copy">{{ close }}</button></form>
</dialog>
"""

#: The one-file atlas (html/atlas.py): the list of its maps, in the header of every view.
ATLAS_MENU = """\
<nav class="mm-atlas-nav" aria-label="{{ label }}">
<details class="mm-atlas-menu">
<summary>{{ menu }}</summary>
<div class="mm-atlas-list">
<ul class="mm-services"><li><a href="#{{ first.id }}">{{ first.name }}</a></li></ul>
{% for program in programs %}
<div role="group" aria-labelledby="mm-atlas-{{ program.id }}">
<p class="mm-program-name" id="mm-atlas-{{ program.id }}"><abbr title="{{ program.name }}">{{ program.short }}</abbr></p>
<ul class="mm-services">
{% for s in program.services %}<li><a href="{{ s.href }}">{{ s.name }}</a></li>
{% endfor %}
</ul>
</div>
{% endfor %}
</div>
</details>
</nav>
"""

#: A view of the atlas other than the one it opens on: its header, panel and table, put in place by
#: mimpmap.js when its address is opened.
ATLAS_VIEW = """\
<template id="mm-view-{{ id }}">
{{ header }}{{ panel }}{{ data }}</template>
"""

#: The atlas's footer: no links to other files.
ATLAS_FOOTER = """\
<footer class="mm-footer">
<p>Fuente: {{ source }}{% if publisher %}. Publicado por: {{ publisher }}{% endif %}.</p>
<p>{{ atlas_note }}</p>
<p>{{ note }}</p>
</footer>
"""

#: A map's own files, where there are: its images and its rows of the data (``files``: the hrefs of
#: ``png``, ``svg`` and ``csv``, each or ``None``).
_FILE_LINKS = """\
{% macro file_links(files) %}{% if files.png %}<a href="{{ files.png }}" download>Imagen PNG</a>
{% endif %}{% if files.svg %}<a href="{{ files.svg }}" download>Imagen SVG</a>
{% endif %}{% if files.csv %}<a href="{{ files.csv }}" download>Datos del mapa (CSV)</a>
{% endif %}{% endmacro %}
"""

#: The table under every map: its section, the links to the map's files (none in the one-file atlas)
#: and the table's caption; the pages give its head and rows.
_DATA_HEAD = _FILE_LINKS + """\
<section class="mm-data" id="datos" tabindex="-1" aria-labelledby="datos-titulo">
<h2 id="datos-titulo">Datos del mapa</h2>
{% if files and (files.png or files.svg or files.csv) %}<div class="mm-links mm-map-files">{{ file_links(files) }}</div>
{% endif %}
"""
_DATA_OPEN = _DATA_HEAD + """\
<table class="mm-table">
<caption>{{ caption }}</caption>
"""
_DATA_CLOSE = """\
{% endfor %}
</tbody>
</table>
</section>
"""

COUNT_TABLE = _DATA_OPEN + """\
<thead><tr><th scope="col">{{ UNIT.title }}</th><th scope="col" class="mm-num">Servicios</th><th scope="col">Servicios que llegan</th>{% if people %}<th scope="col" class="mm-num">{{ people }}</th>{% endif %}</tr></thead>
<tbody>
{% for row in rows %}<tr><th scope="row">{{ row.name }}</th><td class="mm-num">{{ row.count }}</td><td>{{ row.services }}</td>{% if people %}<td class="mm-num">{{ row.people }}</td>{% endif %}</tr>
""" + _DATA_CLOSE

STATUS_TABLE = _DATA_OPEN + """\
<thead><tr><th scope="col">{{ UNIT.title }}</th><th scope="col">¿Llega el servicio?</th>{% if people %}<th scope="col" class="mm-num">{{ people }}</th>{% endif %}</tr></thead>
<tbody>
{% for row in rows %}<tr><th scope="row">{{ row.name }}</th><td class="mm-status-{{ row.status }}">{{ row.text }}</td>{% if people %}<td class="mm-num">{{ row.people }}</td>{% endif %}</tr>
""" + _DATA_CLOSE

#: ``brechas.html``'s panel: what the figures are, the country's line, the provinces farthest from a CEM,
#: the straight-line sentences and the source (every phrase from :mod:`mimpmap.views.brechas`).
BRECHAS_PANEL = _PANEL_OPEN + """\
<h2>{{ title }}</h2>
<p class="mm-lead">{{ summary }}</p>
<p class="mm-small mm-muted mm-howto">{{ caption }}</p>
{% if worst %}<h3>{{ worst_title }}</h3>
<ul>
{% for line in worst %}<li>{{ line }}</li>
{% endfor %}
</ul>
{% endif %}
{% for note in notes %}<p class="mm-small mm-muted">{{ note }}</p>
{% endfor %}
<p class="mm-source" style="overflow-wrap: anywhere">{{ source }}</p>
""" + _PANEL_CLOSE

#: The tables under ``brechas.html``'s map: the provinces (the country's line last), then the department units,
#: folded (long: a phone opening the page would lay them out), each in a box that scrolls sideways.
BRECHAS_TABLE = _DATA_HEAD + """\
<details class="mm-data-tables">
<summary>{{ open }}</summary>
<div class="mm-table-wrap" role="region" aria-labelledby="datos-tabla" tabindex="0">
<table class="mm-table">
<caption id="datos-tabla">{{ caption }}</caption>
{% macro cells(row, texts) %}<th scope="row">{{ row[0] }}</th>{% for cell in row[1:] %}<td{% if loop.index > texts %} class="mm-num"{% endif %}>{{ cell }}</td>{% endfor %}{% endmacro %}
<thead><tr>{% for h in head %}<th scope="col"{% if loop.index > 2 %} class="mm-num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>{{ cells(row, 1) }}</tr>
{% endfor %}</tbody>
<tfoot><tr><th scope="row">{{ total[0] }}</th><td></td>{% for cell in total[1:] %}<td class="mm-num">{{ cell }}</td>{% endfor %}</tr></tfoot>
</table>
</div>
<div class="mm-table-wrap" role="region" aria-labelledby="datos-unidades" tabindex="0">
<table class="mm-table">
<caption id="datos-unidades">{{ units_caption }}</caption>
<thead><tr>{% for h in units_head %}<th scope="col"{% if loop.index > 1 %} class="mm-num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in units %}<tr>{{ cells(row, 0) }}</tr>
{% endfor %}
</tbody>
</table>
</div>
</details>
</section>
"""

#: The links to the data behind the maps (``datos/``); ``root`` leads from the page to the output folder.
DOWNLOADS = """\
<p class="mm-downloads">Todos los datos: <a href="{{ root }}{{ DATA_FILES.workbook }}" download>libro de Excel</a> · CSV \
<a href="{{ root }}{{ DATA_FILES.units }}" download>por {{ UNIT.one }}</a>, \
<a href="{{ root }}{{ DATA_FILES.services }}" download>por servicio</a></p>
"""

FOOTER = """\
<footer class="mm-footer">
<p>Fuente: {{ source }}{% if publisher %}. Publicado por: {{ publisher }}{% endif %}.</p>
""" + DOWNLOADS + """\
<p>{{ note }}</p>
</footer>
"""

INDEX = _FILE_LINKS + """\
<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title }}</title>
<meta name="description" content="{{ description }}">
<meta name="generator" content="mimpmap">
{{ head }}
</head>
<body class="mm-body mm-index-page">
{{ header }}
<main class="mm-index" id="contenido">
<p class="mm-lead">{{ lead }}</p>
{% for section in sections %}
<section aria-labelledby="{{ section.id }}">
<h2 id="{{ section.id }}">{{ section.title }}{% if section.subtitle %} <span class="mm-muted mm-small">{{ section.subtitle }}</span>{% endif %}</h2>
<div class="mm-cards">
{% for card in section.cards %}
<article class="mm-card{% if card.wide %} mm-wide{% endif %}">
<h3><a href="{{ card.href }}">{{ card.title }}</a></h3>
{% if card.thumb %}<a class="mm-thumb" href="{{ card.href }}"><img src="{{ card.thumb }}" alt="{{ card.alt }}" loading="lazy"></a>
{% endif %}
<p>{{ card.text }}</p>
<div class="mm-links"><a href="{{ card.href }}">Abrir el mapa</a>
{{ file_links(card.files) }}</div>
<details>
<summary>Insertar en otra página</summary>
<label class="mm-small mm-muted" for="embed-{{ card.key }}">Copie este código en su página:</label>
<textarea class="mm-embed" id="embed-{{ card.key }}" readonly data-href="{{ card.href }}">{{ card.embed }}</textarea>
<p class="mm-small mm-muted mm-embed-note">{{ embed_note }}</p>
<button type="button" class="mm-copy" data-for="embed-{{ card.key }}">Copiar código</button>
</details>
</article>
{% endfor %}
</div>
</section>
{% endfor %}
{% macro image_card(kind, files, title, text, alt) %}{% if files.png or files.svg %}
<article class="mm-card {{ kind }}">
<h3>{{ title }}</h3>
{% if files.thumb %}<a class="mm-thumb" href="{{ files.png or files.svg }}"><img src="{{ files.thumb }}" alt="{{ alt }}" loading="lazy"></a>
{% endif %}
<p>{{ text }}</p>
<div class="mm-links">{{ file_links(files) }}</div>
</article>
{% endif %}{% endmacro %}
{% if reports.pdf or reports.mosaic.png or reports.mosaic.svg or reports.html %}
<section aria-labelledby="informes">
<h2 id="informes">{{ reports.words.title }} <span class="mm-muted mm-small">{{ reports.words.lead }}</span></h2>
<div class="mm-cards">
{{ image_card("mm-mosaic", reports.mosaic, reports.words.mosaic_title, reports.words.mosaic_text, reports.words.mosaic_alt) }}
{{ image_card("mm-people-charts", reports.people, reports.words.people_title, reports.words.people_text, reports.words.people_alt) }}
{% if reports.html %}
<article class="mm-card mm-atlas-html">
<h3><a href="{{ reports.html }}">{{ reports.words.html_title }}</a></h3>
<p>{{ reports.words.html_text }}</p>
<div class="mm-links"><a href="{{ reports.html }}">{{ reports.words.html_link }}</a> <a href="{{ reports.html }}" download>Descargar</a></div>
</article>
{% endif %}
{% if reports.pdf %}
<article class="mm-card mm-atlas">
<h3>{{ reports.words.atlas_title }}</h3>
<p>{{ reports.words.atlas_text }}</p>
<div class="mm-links"><a href="{{ reports.pdf }}" download>{{ reports.words.atlas_link }}</a></div>
</article>
{% endif %}
</div>
</section>
{% endif %}
<section aria-labelledby="descargar">
<h2 id="descargar">Descargar datos</h2>
<p>Los datos de estos mapas: el libro de Excel con todos los servicios (el mismo que edita <code>mimpmap export</code>) \
y dos tablas CSV, una fila por {{ UNIT.one }} (qué servicios llegan) y una por servicio.</p>
{% with root = "" %}""" + DOWNLOADS + """{% endwith %}
{% if centres %}<p class="mm-downloads"><a href="{{ centres.href }}" download>{{ centres.link }}</a>. {{ centres.text }}</p>
{% endif %}
</section>
<section aria-labelledby="resumen">
<h2 id="resumen">Resumen de los servicios</h2>
<div class="mm-table-wrap" role="region" aria-labelledby="resumen-tabla" tabindex="0">
<table class="mm-table mm-summary">
<caption class="mm-small mm-muted" id="resumen-tabla">Cobertura, centros y la cifra más reciente de cada servicio.</caption>
{% set c = columns %}
<thead><tr><th scope="col">{{ c[0] }}</th><th scope="col">{{ c[1] }}</th><th scope="col">{{ c[2] }}</th><th scope="col">{{ c[3] }}</th>{% if people %}<th scope="col" class="mm-num">{{ people }}</th>{% endif %}<th scope="col">{{ c[4] }}</th></tr></thead>
<tbody>
{% for row in summary %}
<tr><th scope="row"><a href="{{ row.href }}">{{ row.name }}</a></th><td data-label="{{ c[1] }}">{{ row.program }}</td><td data-label="{{ c[2] }}">{{ row.coverage }}</td><td data-label="{{ c[3] }}">{{ row.centres }}</td>{% if people %}<td class="mm-num" data-label="{{ people }}">{{ row.people or "—" }}</td>{% endif %}<td data-label="{{ c[4] }}">{% if row.latest %}<strong>{{ row.latest }}</strong> {{ row.unit }} <span class="mm-muted">({{ row.period }})</span>{% else %}<span class="mm-muted">{{ no_figures }}</span>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
</section>
{% if availability %}{% set a = availability %}
<section aria-labelledby="disponibilidad">
<h2 id="disponibilidad">{{ a.title }}</h2>
<div class="mm-table-wrap" role="region" aria-labelledby="disponibilidad-tabla" tabindex="0">
<table class="mm-table mm-availability">
<caption class="mm-small mm-muted" id="disponibilidad-tabla">{{ a.caption }}</caption>
<thead><tr>{% for h in a.head %}<th scope="col"{% if not loop.first %} class="mm-num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in a.rows %}<tr><th scope="row">{{ row[0] }}</th>{% for cell in row[1:] %}<td class="mm-num" data-label="{{ a.head[loop.index] }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
<tfoot><tr><th scope="row">{{ a.total[0] }}</th>{% for cell in a.total[1:] %}<td class="mm-num" data-label="{{ a.head[loop.index] }}">{{ cell }}</td>{% endfor %}</tr></tfoot>
</table>
</div>
<div style="overflow-wrap: anywhere">{# a source's long address wraps on a phone #}
{% for note in a.notes %}<p class="mm-small mm-muted">{{ note }}</p>
{% endfor %}</div>
<h3 id="provincias-sin-cem">{{ a.provinces_title }}</h3>
{% if a.provinces %}<div class="mm-table-wrap" role="region" aria-labelledby="provincias-sin-cem" tabindex="0">
<table class="mm-table mm-provinces-without">
<thead><tr>{% for h in a.provinces_head %}<th scope="col"{% if loop.last %} class="mm-num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in a.provinces %}<tr><th scope="row">{{ row[0] }}</th><td data-label="{{ a.provinces_head[1] }}">{{ row[1] }}</td><td class="mm-num" data-label="{{ a.provinces_head[2] }}">{{ row[2] }}</td></tr>
{% endfor %}</tbody>
</table>
</div>
{% else %}<p>{{ a.provinces_none }}</p>
{% endif %}
{% if a.links %}<p class="mm-downloads">{% for link in a.links %}<a href="{{ link.href }}" download>{{ link.text }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</p>
{% endif %}
</section>
{% endif %}
{% if brechas %}{% set b = brechas %}
<section aria-labelledby="brechas">
<h2 id="brechas">{{ b.title }}</h2>
<div class="mm-table-wrap" role="region" aria-labelledby="brechas-tabla" tabindex="0">
<table class="mm-table mm-brechas">
<caption class="mm-small mm-muted" id="brechas-tabla">{{ b.caption }}</caption>
<thead><tr>{% for h in b.head %}<th scope="col"{% if loop.index > 2 %} class="mm-num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in b.rows %}<tr><th scope="row">{{ row[0] }}</th>{% for cell in row[1:] %}<td{% if loop.index > 1 %} class="mm-num"{% endif %} data-label="{{ b.head[loop.index] }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
<tfoot><tr><th scope="row">{{ b.total[0] }}</th>{% for cell in b.total[1:] %}<td{% if loop.index > 1 %} class="mm-num"{% endif %} data-label="{{ b.head[loop.index] }}">{{ cell }}</td>{% endfor %}</tr></tfoot>
</table>
</div>
{% for note in b.notes %}<p class="mm-small mm-muted">{{ note }}</p>
{% endfor %}
{% if b.maps | selectattr("files.png") | list or b.maps | selectattr("files.svg") | list %}<div class="mm-cards">
{% for m in b.maps %}{{ image_card("mm-gap-map", m.files, m.title, m.text, m.alt) }}{% endfor %}
</div>
{% endif %}
{% if b.links %}<p class="mm-downloads">{% for link in b.links %}<a href="{{ link.href }}"{% if link.href.endswith(".csv") %} download{% endif %}>{{ link.text }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</p>
{% endif %}
</section>
{% endif %}
</main>
{{ footer }}
<script>
(function () {
  /* Served from a web site, the embed codes point at the maps' full addresses. */
  var areas = document.querySelectorAll("textarea.mm-embed");
  if (/^https?:$/.test(location.protocol)) {
    for (var i = 0; i < areas.length; i++) {
      var rel = areas[i].getAttribute("data-href");
      var abs = new URL(rel, location.href).href;
      areas[i].value = areas[i].value.split('src="' + rel + '"').join('src="' + abs + '"');
    }
  }
  /* "Copiar código": the clipboard where allowed, else the text is left selected. */
  var buttons = document.querySelectorAll("button.mm-copy");
  for (var j = 0; j < buttons.length; j++) {
    buttons[j].addEventListener("click", function (e) {
      var button = e.currentTarget;
      var area = document.getElementById(button.getAttribute("data-for"));
      area.focus();
      area.select();
      var done = function () { button.textContent = "Copiado"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  }
}());
</script>
</body>
</html>
"""


@lru_cache(maxsize=None)
def template(text: str) -> jinja2.Template:
    """A compiled template (each text is compiled once per process)."""
    return _ENV.from_string(text)


def render(_template_source: str, /, **context) -> str:
    return template(_template_source).render(**context)


def markup(html: str) -> Markup:
    """HTML produced by this package (already escaped), to be inserted as is."""
    return Markup(html)
