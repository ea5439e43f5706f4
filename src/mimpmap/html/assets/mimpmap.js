/* mimpmap: the behaviour of the coverage maps. Needs Leaflet.
 *
 * Pages pass their data as JSON literals. Every string in them comes from the coverage file and is
 * put into the page with textContent (never innerHTML), so names and notes always show as text.
 */
var MM = (function (L) {
  "use strict";

  var BORDER = "#ffffff";
  var HOVER = "#1c2630";

  function el(tag, className, text, parent) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function set(list) {
    var out = {};
    for (var i = 0; i < list.length; i++) { out[list[i]] = true; }
    return out;
  }

  var maps = [];

  /* Home view: the first layer drawn from the shared geometry sets it (see homeOn). */
  function homeOn(layer) {
    layer.once("add", function (e) {
      var map = e.target._map;
      if (!map.mmHome) { map.mmHome = layer.getBounds(); }
    });
  }

  /* Printing changes the map's size: redraw it and show the whole country again. */
  function refitMap(map) {
    if (map._animatingZoom) {
      // The end of a running zoom animation would undo the fit: fit once it is over.
      map.once("zoomend", function () { refitMap(map); });
      return;
    }
    map.invalidateSize(false);
    if (map.mmHome) { map.fitBounds(map.mmHome, { padding: [8, 8], animate: false }); }
  }
  function refit() {
    for (var i = 0; i < maps.length; i++) { refitMap(maps[i]); }
  }

  /* Panes, Spanish control texts. Called once, right after the map is created. */
  function setup(map) {
    maps.push(map);
    var pane = map.createPane("mmOverlays");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    L.control.zoom({ position: "topleft", zoomInTitle: "Acercar", zoomOutTitle: "Alejar" }).addTo(map);
    if (map.attributionControl) {
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Biblioteca de mapas interactivos">Leaflet</a>');
    }
    map.on("popupopen", function (e) {
      var source = e.popup._source;
      if (source && source.closeTooltip) { source.closeTooltip(); }
      var close = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "Cerrar"); close.title = "Cerrar"; }
    });
    map.mmActive = {};
    map.on("overlayadd overlayremove", function (e) {
      var id = e.layer && e.layer.options && e.layer.options.mmService;
      if (!id) { return; }
      if (e.type === "overlayadd") { map.mmActive[id] = true; } else { delete map.mmActive[id]; }
      map.fire("mmoverlays", { count: Object.keys(map.mmActive).length });
    });
    return map;
  }

  function tip(title, lines) {
    var box = el("div", "mm-tip-box");
    el("strong", null, title, box);
    for (var i = 0; i < lines.length; i++) {
      if (lines[i]) { el("div", null, lines[i], box); }
    }
    return box;
  }

  /* The choropleth. d.units[code] = {name, fill, tip, note, head, services: [[index, partial]]}. */
  function countLayer(geo, d) {
    var layer;
    var dim = false;

    function style(feature) {
      var unit = d.units[feature.properties.code];
      return {
        fillColor: dim ? d.neutral : unit.fill,
        fillOpacity: d.opacity,
        color: BORDER,
        weight: 1,
        opacity: 1
      };
    }

    function popup(unit) {
      var box = el("div", "mm-pop");
      el("h3", null, unit.name, box);
      el("p", "mm-pop-head", unit.head, box);
      if (!unit.services.length) { return box; }
      for (var p = 0; p < d.programs.length; p++) {
        var list = null;
        for (var i = 0; i < unit.services.length; i++) {
          var entry = unit.services[i];
          var service = d.services[entry[0]];
          if (service[2] !== p) { continue; }
          if (!list) {
            var head = el("h4", null, d.programs[p][0], box);
            head.title = d.programs[p][1];
            list = el("ul", null, null, box);
          }
          var item = el("li", null, null, list);
          var link = el("a", null, service[1], item);
          link.href = d.href + service[0] + ".html";
          if (entry[1]) { el("span", "mm-partial-text", " (" + entry[1] + ")", item); }
        }
      }
      return box;
    }

    layer = L.geoJSON(geo, {
      style: style,
      onEachFeature: function (feature, path) {
        var unit = d.units[feature.properties.code];
        path.bindTooltip(function () { return tip(unit.name, [unit.tip, unit.note]); },
          { sticky: true, direction: "top", offset: [0, -8], className: "mm-tip" });
        path.bindPopup(function () { return popup(unit); },
          { maxWidth: 320, maxHeight: 340, className: "mm-popup", autoPanPadding: [12, 12] });
        path.on({
          mouseover: function (e) {
            e.target.setStyle({ weight: 2.5, color: HOVER });
            e.target.bringToFront();
          },
          mouseout: function (e) { layer.resetStyle(e.target); }
        });
      }
    });
    homeOn(layer);
    // With services switched on, the counts step back so the services' colours read clearly.
    layer.once("add", function (e) {
      e.target._map.on("mmoverlays", function (ev) {
        dim = ev.count > 0;
        layer.setStyle(style);
      });
    });
    return layer;
  }

  /* One service's map. d.units[code] = {name, status, tip}; d.fills[status] = colour or url(#...). */
  function coverageLayer(geo, d) {
    var layer = L.geoJSON(geo, {
      style: function (feature) {
        var unit = d.units[feature.properties.code];
        return {
          fillColor: d.fills[unit.status],
          fillOpacity: unit.status === "ninguna" ? d.opacity : 1,
          color: BORDER,
          weight: 1,
          opacity: 1
        };
      },
      onEachFeature: function (feature, path) {
        var unit = d.units[feature.properties.code];
        path.bindTooltip(function () { return tip(unit.name, [unit.tip]); },
          { sticky: true, direction: "top", offset: [0, -8], className: "mm-tip" });
        path.on({
          mouseover: function (e) { e.target.setStyle({ weight: 2.5, color: HOVER }); e.target.bringToFront(); },
          mouseout: function (e) { layer.resetStyle(e.target); }
        });
      }
    });
    homeOn(layer);
    return layer;
  }

  /* A service over the choropleth: the shared features filtered to the codes it covers. */
  function serviceOverlay(geo, o) {
    var full = set(o.codes);
    var partial = set(o.partial);
    return L.geoJSON(geo, {
      pane: "mmOverlays",
      interactive: false,
      mmService: o.id,
      mmGroup: o.group,
      mmColor: o.color,
      filter: function (feature) { return has(full, feature.properties.code) || has(partial, feature.properties.code); },
      style: function (feature) {
        var part = has(partial, feature.properties.code);
        return {
          color: o.color,
          weight: part ? 2 : 2.5,
          opacity: 0.95,
          dashArray: part ? "5 4" : null,
          fillColor: o.color,
          fillOpacity: part ? 0.15 : 0.4
        };
      }
    });
  }

  /* Leaflet's layer control, with a header per program and labels written as text. */
  var GroupedLayers = L.Control.Layers.extend({
    onAdd: function (map) {
      var container = L.Control.Layers.prototype.onAdd.call(this, map);
      var title = this.options.mmTitle;
      if (title) {
        this._layersLink.title = title;
        this._layersLink.setAttribute("aria-label", title);
        var head = el("div", "mm-ctl-title", title);
        this._section.insertBefore(head, this._section.firstChild);
      }
      return container;
    },
    _update: function () {
      this._mmGroup = null;
      return L.Control.Layers.prototype._update.call(this);
    },
    _addItem: function (obj) {
      var options = obj.layer.options || {};
      if (obj.overlay && options.mmGroup && options.mmGroup !== this._mmGroup) {
        this._mmGroup = options.mmGroup;
        el("div", "mm-ctl-group", options.mmGroup, this._overlaysList);
      }
      var label = document.createElement("label");
      var checked = this._map.hasLayer(obj.layer);
      var input;
      if (obj.overlay) {
        input = document.createElement("input");
        input.type = "checkbox";
        input.className = "leaflet-control-layers-selector";
        input.defaultChecked = checked;
      } else {
        input = this._createRadioElement("leaflet-base-layers_" + L.Util.stamp(this), checked);
      }
      this._layerControlInputs.push(input);
      input.layerId = L.Util.stamp(obj.layer);
      L.DomEvent.on(input, "click", this._onInputClick, this);

      var name = el("span", "mm-ctl-name");
      if (options.mmColor) {
        var swatch = el("span", "mm-swatch", null, name);
        swatch.style.backgroundColor = options.mmColor;
      }
      name.appendChild(document.createTextNode(obj.name));
      var holder = el("span", null, null, label);
      holder.appendChild(input);
      holder.appendChild(name);
      (obj.overlay ? this._overlaysList : this._baseLayersList).appendChild(label);
      this._checkDisabledLayers();
      return label;
    }
  });

  /* d = {title, steps: [{color, hatch, circle, label}], notes: [...], overlaysNote} */
  function legend(map, d) {
    var control = L.control({ position: "bottomleft" });  // the Pacific: nothing of Peru there
    control.onAdd = function () {
      var box = el("div", "mm-legend leaflet-control");
      el("div", "mm-legend-title", d.title, box);
      var list = el("ul", null, null, box);
      for (var i = 0; i < d.steps.length; i++) {
        var step = d.steps[i];
        var item = el("li", null, null, list);
        var swatch = el("span", "mm-swatch" + (step.hatch ? " mm-hatch" : "") + (step.circle ? " mm-dot" : ""), null, item);
        if (step.color) { swatch.style.backgroundColor = step.color; }
        el("span", null, step.label, item);
      }
      for (var n = 0; n < d.notes.length; n++) { el("p", "mm-legend-note", d.notes[n], box); }
      if (d.overlaysNote) {
        var note = el("p", "mm-legend-note mm-legend-overlays", d.overlaysNote, box);
        note.hidden = true;
        map.on("mmoverlays", function (e) {
          note.hidden = e.count === 0;
          list.hidden = e.count > 0;
        });
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* A centre: its name on hover, its place and count on click. */
  function site(marker, s) {
    marker.bindTooltip(function () { return tip(s.name, []); }, { direction: "top", offset: [0, -6], className: "mm-tip" });
    marker.bindPopup(function () {
      var box = el("div", "mm-pop");
      el("h3", null, s.name, box);
      for (var i = 0; i < s.lines.length; i++) { el("p", null, s.lines[i], box); }
      return box;
    }, { maxWidth: 280, className: "mm-popup" });
    return marker;
  }

  /* Embedded in another page, or on a short screen: a one-line header (see .mm-compact). */
  var COMPACT_HEIGHT = 520;
  function compact() {
    var framed = false;
    try { framed = window.self !== window.top; } catch (err) { framed = true; }
    var on = framed || window.innerHeight <= COMPACT_HEIGHT;
    var root = document.documentElement;
    if (on !== root.classList.contains("mm-compact")) {
      root.classList.toggle("mm-compact", on);
      for (var i = 0; i < maps.length; i++) { maps[i].invalidateSize(false); }
    }
  }

  /* A box that scrolls holds focus, so that it scrolls by keyboard too; named after its table. */
  function scrollable() {
    var boxes = document.querySelectorAll(".mm-panel, .mm-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var style = window.getComputedStyle(box);
      var scrolls = (/auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1) ||
                    (/auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1);
      if (!scrolls) {
        box.removeAttribute("tabindex");
        continue;
      }
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        var caption = box.querySelector("caption");
        var before = box.previousElementSibling;
        var name = caption ? caption.textContent : before && /^H\d$/.test(before.tagName) ? before.textContent : "Tabla";
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name.trim());
      }
    }
  }

  compact();  // now, in the page's head: the maps are made in the layout they show in

  /* The side panel folds away on narrow screens and opens for printing. */
  function page() {
    var folds = document.querySelectorAll("details.mm-fold");
    var narrow = window.matchMedia && window.matchMedia("(max-width: 760px)").matches;
    for (var i = 0; i < folds.length; i++) {
      if (narrow) { folds[i].open = false; }
      folds[i].addEventListener("toggle", scrollable);
    }
    scrollable();
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; compact(); scrollable(); });
    });
    // Panels open first, then the maps are fitted to the layout they print in.
    window.addEventListener("beforeprint", function () {
      for (var j = 0; j < folds.length; j++) { folds[j].open = true; }
      refit();
    });
    window.addEventListener("afterprint", refit);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }

  return {
    setup: setup,
    countLayer: countLayer,
    coverageLayer: coverageLayer,
    serviceOverlay: serviceOverlay,
    GroupedLayers: GroupedLayers,
    legend: legend,
    site: site
  };
}(window.L));
