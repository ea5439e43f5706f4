/* mimpmap: the behaviour of the coverage maps. Needs Leaflet.
 *
 * Pages pass their data as JSON literals. Every string in them comes from the coverage file and is
 * put into the page with textContent (never innerHTML), so names and notes always show as text.
 */
var MM = (function (L) {
  "use strict";

  var BORDER = "#ffffff";
  /* The ring round a hovered or focused shape: dark on a white halo, so one of the two stands out
   * (3:1 or more) from white and from every fill. The stylesheet's focus ring uses the same pair. */
  var RING = "#1c2630";
  var HALO = "#ffffff";

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

  /* Leaflet 1.9's private members are read only through these four helpers and inside GroupedLayers
   * (a subclass of L.Control.Layers) below; tests/test_internals.py checks that the bundled Leaflet
   * still has each of them, so a new Leaflet fails there with the member's name, not in a browser. */
  function mapOf(layer) { return layer._map; }            // the map a layer is on (null when off)
  function popupOf(map) { return map._popup; }            // the map's open popup
  function zooming(map) { return map._animatingZoom; }    // a zoom animation is running
  function zoomEnd(map) { return map._onZoomTransitionEnd; }  // ends it now (a no-op when none runs)

  var maps = [];

  /* A popup opens below the controls at the top of the map (on a phone the layer button would
   * otherwise cover its close button): each time its content is made, just before Leaflet pans the
   * map to show it whole, it is told how far down those controls reach. */
  function belowControls(popup) {
    popup.on("contentupdate", function () {
      var map = mapOf(popup);
      if (!map) { return; }
      var box = map.getContainer();
      var top = box.getBoundingClientRect().top;
      var reach = 0;
      var controls = box.querySelectorAll(".leaflet-top .leaflet-control");
      for (var i = 0; i < controls.length; i++) {
        // An open layer list closes with the click that opens the popup: its button is what stays.
        if (L.DomUtil.hasClass(controls[i], "leaflet-control-layers-expanded")) { continue; }
        reach = Math.max(reach, controls[i].getBoundingClientRect().bottom - top);
      }
      popup.options.autoPanPaddingTopLeft = [12, Math.max(12, reach + 8)];
    });
    return popup;
  }

  /* Home view: the first layer drawn from the shared geometry sets it (see homeOn). */
  function homeOn(layer) {
    layer.once("add", function (e) {
      var map = mapOf(e.target);
      if (!map.mmHome) { map.mmHome = layer.getBounds(); }
    });
  }

  /* Printing changes the map's size: redraw it and show the whole country again. */
  function refitMap(map) {
    // A running zoom animation would end after the page is printed and undo the fit: end it now.
    if (zooming(map)) { zoomEnd(map).call(map); }
    map.invalidateSize(false);
    if (map.mmHome) { map.fitBounds(map.mmHome, { padding: [8, 8], animate: false }); }
  }
  /* Printing: the print layout is in place when the print media query starts to match (not yet at
   * "beforeprint", when the map still has its screen size), so the maps are fitted then; once it
   * stops matching each map gets its screen size and the view the reader had back. */
  function printing(on) {
    for (var i = 0; i < maps.length; i++) {
      var map = maps[i];
      if (on) {
        if (!map.mmScreenView) { map.mmScreenView = { center: map.getCenter(), zoom: map.getZoom() }; }
        refitMap(map);
      } else {
        map.invalidateSize(false);
        var view = map.mmScreenView;
        map.mmScreenView = null;
        if (view) { map.setView(view.center, view.zoom, { animate: false }); }
      }
    }
  }

  /* A button under the zoom buttons that shows the place the static maps enlarge in their inset
   * (Lima Metropolitana and Callao: a few pixels at country scale) and, pressed again, the whole map.
   * z = {bounds, label, back}. Zooming by hand turns it back into the way there. */
  function placeZoom(map, z) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "mm-place-zoom leaflet-bar leaflet-control");
      var button = el("button", "mm-place-button", z.label, box);
      var there = false;
      var ours = false;
      button.type = "button";
      function mark(now) {
        there = now;
        button.textContent = now ? z.back : z.label;
        button.setAttribute("aria-pressed", now ? "true" : "false");
      }
      button.addEventListener("click", function () {
        ours = true;
        if (there && map.mmHome) { map.fitBounds(map.mmHome, { padding: [8, 8], animate: false }); }
        else { map.fitBounds(z.bounds, { padding: [16, 16], animate: false }); }
        ours = false;
        mark(!there);
      });
      map.on("zoomstart", function () { if (!ours && there) { mark(false); } });
      mark(false);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  /* Panes, Spanish control texts, keyboard. Called once, right after the map is created (``zoom``: the
   * place button's {bounds, label, back}, see placeZoom). */
  function setup(map, zoom) {
    maps.push(map);
    var pane = map.createPane("mmOverlays");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    // The ring of the hovered or focused shape, above the shapes and the centres, below tooltips.
    var ring = map.createPane("mmFocus");
    ring.style.zIndex = 620;
    ring.style.pointerEvents = "none";
    L.control.zoom({ position: "topleft", zoomInTitle: "Acercar", zoomOutTitle: "Alejar" }).addTo(map);
    if (zoom) { placeZoom(map, zoom); }
    if (map.attributionControl) {
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Biblioteca de mapas interactivos">Leaflet</a>');
    }
    map.on("popupopen", function (e) {
      var popup = e.popup;
      var source = popup._source;
      if (source && source.closeTooltip) { source.closeTooltip(); }
      var box = popup.getElement();
      if (!box) { return; }
      var close = box.querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "Cerrar"); close.title = "Cerrar"; }
      var title = box.querySelector(".mm-pop h3");
      box.setAttribute("role", "dialog");
      if (title) {
        title.id = "mm-pop-" + L.Util.stamp(popup);
        title.tabIndex = -1;
        box.setAttribute("aria-labelledby", title.id);
      }
      var el = source && source.getElement && source.getElement();
      if (el && el.hasAttribute("aria-expanded")) { el.setAttribute("aria-expanded", "true"); }
      map.mmSelected = source;
      drawRing(map);
      // Opened from the keyboard: focus goes into the popup, on its title.
      if (map.mmKeyOpen === source && title) { title.focus({ preventScroll: true }); }
      map.mmKeyOpen = null;
    });
    map.on("popupclose", function (e) {
      var popup = e.popup;
      var source = popup._source;
      var el = source && source.getElement && source.getElement();
      if (el && el.hasAttribute("aria-expanded")) { el.setAttribute("aria-expanded", "false"); }
      if (map.mmSelected === source) { map.mmSelected = null; drawRing(map); }
      // Closed from inside (its button, Escape): focus goes back to what opened it.
      var box = popup.getElement();
      var focus = document.activeElement;
      if (el && (!focus || focus === document.body || (box && box.contains(focus)))) {
        refocus(el);
      }
    });
    /* The services switched on, in the order they were: each takes the first colour of the palette
     * no other one has, so any services on together are told apart, whatever the data holds. */
    map.mmActive = [];
    map.on("overlayadd overlayremove", function (e) {
      var layer = e.layer;
      var options = layer && layer.options;
      if (!options || !options.mmService) { return; }
      map.mmActive = map.mmActive.filter(function (a) { return a.layer !== layer; });
      if (e.type === "overlayadd") {
        var palette = options.mmPalette;
        var used = map.mmActive.map(function (a) { return a.color; });
        var free = palette.filter(function (c) { return used.indexOf(c) < 0; });
        layer.mmLook.color = free.length ? free[0] : palette[map.mmActive.length % palette.length];
        layer.mmLook.dashed = !free.length;  // more services than colours: the repeats are dashed
        layer.resetStyle();
        map.mmActive.push({ layer: layer, color: layer.mmLook.color, name: layer.mmName, title: options.mmTitle });
      }
      map.fire("mmoverlays", { count: map.mmActive.length, active: map.mmActive });
    });
    return map;
  }

  /* Focus back on a shape without its tooltip popping up again over what the reader was reading. */
  function refocus(el) {
    el.focus({ preventScroll: true });
    var layer = el.mmLayer;
    if (layer && layer.closeTooltip) { layer.closeTooltip(); }
  }

  /* Escape closes the open popup (focus goes back to its shape) or else any tooltip (WCAG 1.4.13). */
  function onEscape(e) {
    if (e.key !== "Escape" && e.key !== "Esc") { return; }
    for (var i = 0; i < maps.length; i++) {
      var map = maps[i];
      var popup = popupOf(map);
      if (popup && map.hasLayer(popup)) {
        var source = popup._source;
        var el = source && source.getElement && source.getElement();
        map.closePopup();
        if (el) { refocus(el); }
        continue;
      }
      var tips = [];
      map.eachLayer(function (layer) {
        if (layer instanceof L.Tooltip && !layer.options.permanent) { tips.push(layer); }
      });
      for (var t = 0; t < tips.length; t++) { map.closeTooltip(tips[t]); }
    }
  }
  document.addEventListener("keydown", onEscape);

  /* The ring: a copy of the hovered (else focused, else selected) shape drawn twice, halo under ring. */
  function drawRing(map) {
    var target = map.mmHover || map.mmFocus || map.mmSelected;
    if (map.mmRing) { map.removeLayer(map.mmRing); map.mmRing = null; }
    if (!target || !mapOf(target)) { return; }
    var parts = [];
    var styles = [{ color: HALO, weight: 6 }, { color: RING, weight: 2.5 }];
    for (var i = 0; i < styles.length; i++) {
      var options = { pane: "mmFocus", interactive: false, fill: false, opacity: 1,
                      color: styles[i].color, weight: styles[i].weight };
      if (target.feature) {
        parts.push(L.geoJSON(target.feature, { pane: "mmFocus", interactive: false, style: options }));
      } else if (target.getRadius) {
        options.radius = target.getRadius() + 4;
        parts.push(L.circleMarker(target.getLatLng(), options));
      }
    }
    map.mmRing = L.featureGroup(parts).addTo(map);
  }

  function focusVisible(el) {
    try { return el.matches(":focus-visible"); } catch (err) { return true; }
  }

  /* A shape as a Tab stop with a name; Enter or Space opens its popup, if it has one.
   * tabindex and role are set outright: some engines give SVG shapes no Tab stop of their own. */
  function keyboard(layer, name) {
    function wire() {
      var el = layer.getElement && layer.getElement();
      if (!el || el.mmLayer) { return; }
      var map = mapOf(layer);
      el.mmLayer = layer;
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-label", name);
      if (layer.getPopup && layer.getPopup()) {
        el.setAttribute("role", "button");
        el.setAttribute("aria-haspopup", "dialog");
        el.setAttribute("aria-expanded", "false");
      } else {
        el.setAttribute("role", "img");
      }
      el.addEventListener("focus", function () {
        if (!focusVisible(el)) { return; }  // a click: the popup shows what was chosen
        map.mmFocus = layer;
        drawRing(map);
      });
      el.addEventListener("blur", function () {
        if (map.mmFocus === layer) { map.mmFocus = null; drawRing(map); }
      });
      el.addEventListener("keydown", function (e) {
        if ((e.key === "Enter" || e.key === " " || e.key === "Spacebar") && layer.getPopup && layer.getPopup()) {
          e.preventDefault();
          map.mmKeyOpen = layer;
          layer.openPopup();
        }
      });
    }
    layer.on("add", wire);
    if (mapOf(layer)) { wire(); }
  }

  /* Hover: the ring instead of a restyle brought to the front, so the shapes keep their Tab order. */
  function hoverRing(path) {
    path.on({
      mouseover: function (e) { var map = mapOf(e.target); map.mmHover = e.target; drawRing(map); },
      mouseout: function (e) {
        var map = mapOf(e.target);
        if (map && map.mmHover === e.target) { map.mmHover = null; drawRing(map); }
      }
    });
  }

  /* Latitude of a feature's label point: the centroid of its largest part's outer ring. */
  function labelLat(feature) {
    var g = feature.geometry;
    var polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    var best = null;
    for (var p = 0; p < polygons.length; p++) {
      var ring = polygons[p][0];
      var area = 0, cy = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        area += cross;
        cy += (ring[j][1] + ring[i][1]) * cross;
      }
      if (area !== 0 && (!best || Math.abs(area) > best.area)) { best = { area: Math.abs(area), lat: cy / (3 * area) }; }
    }
    return best ? best.lat : 0;
  }

  /* The shapes in the page in reading order, north to south: the order Tab goes through them. */
  function northToSouth(layer) {
    layer.on("add", function () {
      var shapes = layer.getLayers().map(function (path) {
        return { el: path.getElement(), lat: labelLat(path.feature), name: path.feature.properties.code };
      });
      shapes.sort(function (a, b) { return b.lat - a.lat || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
      for (var i = 0; i < shapes.length; i++) {
        if (shapes[i].el && shapes[i].el.parentNode) { shapes[i].el.parentNode.appendChild(shapes[i].el); }
      }
    });
  }

  function tip(title, lines) {
    var box = el("div", "mm-tip-box");
    el("strong", null, title, box);
    for (var i = 0; i < lines.length; i++) {
      if (lines[i]) { el("div", null, lines[i], box); }
    }
    return box;
  }

  /* The choropleth. d.units[code] = {name, fill, tip, note, head, services: [[index, partial]], people?, available?};
   * d.services[index] = [id, short name, program index, what the short name stands for or null]. */
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
      if (unit.people) { el("p", "mm-pop-people", unit.people, box); }
      if (unit.available) { el("p", "mm-pop-available", unit.available, box); }
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
          link.href = d.href + service[0] + (d.suffix === undefined ? ".html" : d.suffix);
          if (service[3]) { el("span", "mm-pop-spelled", " – " + service[3], item); }
          if (entry[1]) { el("span", "mm-partial-text", " (" + entry[1] + ")", item); }
        }
      }
      return box;
    }

    layer = L.geoJSON(geo, {
      style: style,
      onEachFeature: function (feature, path) {
        var unit = d.units[feature.properties.code];
        path.bindTooltip(function () { return tip(unit.name, [unit.tip, unit.note, unit.people]); },
          { sticky: true, direction: "top", offset: [0, -8], className: "mm-tip" });
        belowControls(path.bindPopup(function () { return popup(unit); },
          { maxWidth: 320, maxHeight: 340, className: "mm-popup", autoPanPadding: [12, 12] }).getPopup());
        hoverRing(path);
        keyboard(path, unit.name + ": " + unit.tip);
      }
    });
    homeOn(layer);
    northToSouth(layer);
    // With services switched on, the counts step back so the services' colours read clearly.
    layer.once("add", function (e) {
      mapOf(e.target).on("mmoverlays", function (ev) {
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
        path.bindTooltip(function () { return tip(unit.name, [unit.tip, unit.people]); },
          { sticky: true, direction: "top", offset: [0, -8], className: "mm-tip" });
        hoverRing(path);
        keyboard(path, unit.name + ": " + unit.tip.charAt(0).toLowerCase() + unit.tip.slice(1));
      }
    });
    homeOn(layer);
    northToSouth(layer);
    return layer;
  }

  /* A service over the choropleth: the shared features filtered to the codes it covers. */
  function serviceOverlay(geo, o) {
    var full = set(o.codes);
    var partial = set(o.partial);
    var look = { color: null, dashed: false };  // given when switched on (see the map's mmActive)
    var layer = L.geoJSON(geo, {
      pane: "mmOverlays",
      interactive: false,
      mmService: o.id,
      mmGroup: o.group,
      mmGroupName: o.groupName,
      mmTitle: o.title,
      mmPalette: o.palette,
      filter: function (feature) { return has(full, feature.properties.code) || has(partial, feature.properties.code); },
      style: function (feature) {
        var part = has(partial, feature.properties.code);
        var color = look.color || o.palette[0];
        return {
          color: color,
          weight: part ? 2 : 2.5,
          opacity: 0.95,
          dashArray: part || look.dashed ? "5 4" : null,
          fillColor: color,
          fillOpacity: part ? 0.15 : 0.4
        };
      }
    });
    layer.mmLook = look;
    return layer;
  }

  /* Leaflet's layer control, with a group per program and labels written as text.
   * By keyboard: Enter or Space on its button opens it with focus on the first box, Escape closes it
   * and focus goes back to the button; leaving it with Tab closes it too. Each box is named by the
   * service's full name, and each program's boxes form a named group. */
  var GroupedLayers = L.Control.Layers.extend({
    onAdd: function (map) {
      var container = L.Control.Layers.prototype.onAdd.call(this, map);
      var title = this.options.mmTitle;
      var link = this._layersLink;
      if (title) {
        link.title = title;
        link.setAttribute("aria-label", title);
        var head = el("div", "mm-ctl-title", title);
        this._section.insertBefore(head, this._section.firstChild);
      }
      link.setAttribute("aria-expanded", "false");
      // The container is no popup of its own: its button says whether the list is open.
      container.removeAttribute("aria-haspopup");
      var self = this;
      link.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
          e.preventDefault();  // no page scroll for Space, no second "click" for Enter
          self.mmOpen();
        }
      });
      // A tap, or a screen reader's "click" on the button: the list opens and takes the focus.
      link.addEventListener("click", function () { self.mmOpen(); });
      container.addEventListener("keydown", function (e) {
        if ((e.key === "Escape" || e.key === "Esc") && L.DomUtil.hasClass(container, "leaflet-control-layers-expanded")) {
          e.stopPropagation();
          self.collapse();
          link.focus();
        }
      });
      map.on("mmoverlays", function () { self._mmPaint(); });
      // The legend changes with the services switched on: the open list is measured again.
      map.on("mmoverlays", function () {
        window.setTimeout(function () {
          if (!L.DomUtil.hasClass(container, "leaflet-control-layers-expanded")) { return; }
          var section = self._section;
          var top = section.scrollTop;
          self.expand();
          section.scrollTop = top;
          var focus = document.activeElement;
          if (section.contains(focus)) { focus.scrollIntoView({ block: "nearest" }); }
        }, 0);
      });
      container.addEventListener("focusout", function (e) {
        var next = e.relatedTarget;
        if (next && !container.contains(next)) { self.collapse(); }
      });
      return container;
    },
    mmOpen: function () {
      this.expand();
      var first = this._section.querySelector("input");
      if (first) { first.focus(); }
    },
    expand: function () {
      L.Control.Layers.prototype.expand.call(this);
      this._layersLink.setAttribute("aria-expanded", "true");
      this._mmAboveLegend();
      return this;
    },
    collapse: function () {
      var focus = document.activeElement;
      var inside = this._section && this._section.contains(focus);
      L.Control.Layers.prototype.collapse.call(this);
      if (this._layersLink) { this._layersLink.setAttribute("aria-expanded", "false"); }
      // The list is hidden now: focus that was in it goes back to the button.
      if (inside && this._layersLink) { this._layersLink.focus(); }
      return this;
    },
    /* On a narrow map the open list would run under the legend: it ends above it and scrolls. */
    _mmAboveLegend: function () {
      var legend = this._map.getContainer().querySelector(".mm-legend");
      if (!legend) { return; }
      var section = this._section;
      var box = this._container.getBoundingClientRect();
      var low = legend.getBoundingClientRect();
      if (low.left >= box.right || low.right <= box.left || low.top <= box.top) { return; }
      var padding = box.bottom - section.getBoundingClientRect().bottom;
      var room = Math.floor(low.top - section.getBoundingClientRect().top - padding - 6);
      if (room < section.scrollHeight) {
        L.DomUtil.addClass(section, "leaflet-control-layers-scrollbar");
        section.style.height = Math.max(room, 96) + "px";
      }
    },
    _update: function () {
      this._mmGroup = null;
      this._mmGroupBox = null;
      this._mmSwatches = [];
      return L.Control.Layers.prototype._update.call(this);
    },
    /* Each switched-on service's swatch shows the colour it was given; the others are empty. */
    _mmPaint: function () {
      var map = this._map;
      (this._mmSwatches || []).forEach(function (s) {
        var on = map && map.hasLayer(s.layer) && s.layer.mmLook.color;
        s.swatch.style.backgroundColor = on ? s.layer.mmLook.color : "";
        L.DomUtil[on ? "removeClass" : "addClass"](s.swatch, "mm-swatch-off");
      });
    },
    _addItem: function (obj) {
      var options = obj.layer.options || {};
      var list = obj.overlay ? this._overlaysList : this._baseLayersList;
      if (obj.overlay && options.mmGroup) {
        if (options.mmGroup !== this._mmGroup) {
          this._mmGroup = options.mmGroup;
          var box = this._mmGroupBox = el("div", "mm-ctl-groupbox", null, this._overlaysList);
          var head = el("div", "mm-ctl-group", options.mmGroup, box);
          var full = options.mmGroupName || options.mmGroup;
          box.setAttribute("role", "group");
          box.setAttribute("aria-label", full.indexOf(options.mmGroup) >= 0 ? full : full + " (" + options.mmGroup + ")");
          head.setAttribute("aria-hidden", "true");
          if (full !== options.mmGroup) { head.title = full; }
        }
        list = this._mmGroupBox;
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
      // Named in full; the full name holds the short one shown (WCAG 2.5.3, label in name).
      if (options.mmTitle && options.mmTitle !== obj.name) {
        input.setAttribute("aria-label", options.mmTitle);
        label.title = options.mmTitle;
      }

      var name = el("span", "mm-ctl-name");
      if (options.mmPalette) {  // the colour the service takes while it is on (see mmoverlays)
        var swatch = el("span", "mm-swatch mm-swatch-off", null, name);
        swatch.setAttribute("aria-hidden", "true");
        this._mmSwatches = this._mmSwatches || [];
        this._mmSwatches.push({ layer: obj.layer, swatch: swatch });
        obj.layer.mmName = obj.name;
        this._mmPaint();
      }
      name.appendChild(document.createTextNode(obj.name));
      var holder = el("span", null, null, label);
      holder.appendChild(input);
      holder.appendChild(name);
      list.appendChild(label);
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
        var active = el("ul", "mm-legend-active", null, box);
        note.hidden = active.hidden = true;
        map.on("mmoverlays", function (e) {
          note.hidden = active.hidden = e.count === 0;
          list.hidden = e.count > 0;
          active.textContent = "";
          e.active.forEach(function (a) {  // which colour is which service
            var item = el("li", null, null, active);
            var swatch = el("span", "mm-swatch" + (a.layer.mmLook.dashed ? " mm-dashed" : ""), null, item);
            swatch.style.backgroundColor = a.color;
            var label = el("span", null, a.name, item);
            if (a.title && a.title !== a.name) { label.title = a.title; }
          });
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
    belowControls(marker.bindPopup(function () {
      var box = el("div", "mm-pop");
      el("h3", null, s.name, box);
      for (var i = 0; i < s.lines.length; i++) { el("p", null, s.lines[i], box); }
      return box;
    }, { maxWidth: 280, className: "mm-popup" }).getPopup());
    hoverRing(marker);
    keyboard(marker, s.name);
    return marker;
  }

  /* A layer's mark, [kind, data] as html/marks.py writes it, drawn one way per kind on every page
   * (atlas.html's views too): a layer to add to the map. */
  var drawers = {
    /* {name, color, points: [[lat, lon, name, lines]]}: circle markers with a white ring, over the units. */
    markers: function (d) {
      var group = L.featureGroup();
      for (var i = 0; i < d.points.length; i++) {
        var p = d.points[i];
        var style = { pane: "markerPane", radius: 7, color: BORDER, weight: 2, fillColor: d.color, fillOpacity: 1 };
        group.addLayer(site(L.circleMarker([p[0], p[1]], style), { name: p[2], lines: p[3] }));
      }
      return group;
    },
    /* {color, shapes: [[code, name, tip, geometry]]}: shapes of their own, drawn as units reached in full. */
    areas: function (d) {
      var features = [];
      var units = {};
      for (var i = 0; i < d.shapes.length; i++) {
        var s = d.shapes[i];
        features.push({ type: "Feature", properties: { code: s[0] }, geometry: s[3] });
        units[s[0]] = { name: s[1], status: "total", tip: s[2] };
      }
      return coverageLayer({ type: "FeatureCollection", features: features },
                           { units: units, fills: { total: d.color }, opacity: 1 });
    }
  };
  function mark(m) { return drawers[m[0]](m[1]); }

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

  /* A box that scrolls holds focus, so that it scrolls by keyboard too; named after its table. A box
   * in a folded panel is left until the panel opens (its "toggle" calls this again): measuring it
   * would lay out the whole folded panel, on a phone as the page opens. */
  function scrollable() {
    var boxes = document.querySelectorAll(".mm-panel, .mm-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.closest("details:not([open])")) { continue; }
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

  /* The side panel folds away on narrow screens and opens for printing. fold() closes it as soon as
   * it is parsed (a script in the panel calls it), so that a phone never lays out the page with the
   * panel open, below the map, only to close it once the page is read. */
  function fold() {
    var folds = document.querySelectorAll("details.mm-fold");
    var narrow = window.matchMedia && window.matchMedia("(max-width: 760px)").matches;
    for (var i = 0; i < folds.length; i++) {
      if (narrow) { folds[i].open = false; }
    }
    return folds;
  }
  function page() {
    var folds = fold();
    for (var i = 0; i < folds.length; i++) {
      folds[i].addEventListener("toggle", scrollable);
    }
    scrollable();
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; compact(); scrollable(); });
    });
    // Panels open first ("beforeprint"), then the maps are fitted to the layout they print in.
    function unfold() {
      for (var j = 0; j < folds.length; j++) { folds[j].open = true; }
    }
    window.addEventListener("beforeprint", unfold);
    var print = window.matchMedia && window.matchMedia("print");
    if (print) {
      var change = function (e) {
        if (e.matches) { unfold(); }
        printing(e.matches);
      };
      if (print.addEventListener) { print.addEventListener("change", change); } else { print.addListener(change); }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }

  /* ---- Pages opened without their folder ------------------------------------------------------
   * Added for issue 12; base.py writes the separate pages' notice (atlas.html's script is atlas.js). */

  /* A separate page copied alone: a link to another page of the folder would end on the browser's
   * error page. Opened from a file, such a link is first tried in a hidden <object> (which fires
   * "error" for a missing file, where fetch cannot read files at all); if the page is not there, the
   * page's notice (#mm-alone) says so, in Spanish, and what to do instead. */
  var present = {};
  function probe(url, done) {
    if (has(present, url)) { done(present[url]); return; }
    var box = document.createElement("object");
    box.setAttribute("aria-hidden", "true");
    box.tabIndex = -1;
    box.style.cssText = "position:absolute;left:-9999px;top:0;width:1px;height:1px;visibility:hidden";
    function end(found) {
      present[url] = found;
      if (box.parentNode) { box.parentNode.removeChild(box); }
      done(found);
    }
    box.addEventListener("load", function () { end(true); });
    box.addEventListener("error", function () { end(false); });
    box.data = url;
    document.body.appendChild(box);
  }

  function alone(e) {
    var notice = document.getElementById("mm-alone");
    if (!notice || location.protocol !== "file:" || e.defaultPrevented || e.button !== 0 ||
        e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var link = e.target.closest && e.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) { return; }
    var href = link.getAttribute("href");
    if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(href)) { return; }  // another site, or this page
    var url = new URL(href, location.href);
    url.hash = "";
    if (!/\.html?$/i.test(url.pathname)) { return; }
    e.preventDefault();
    probe(url.href, function (found) {
      if (found) {
        location.href = link.href;
        return;
      }
      notice.querySelector(".mm-alone-target").textContent = decodeURIComponent(href);
      notice.mmFrom = link;
      if (notice.showModal) { notice.showModal(); } else { notice.setAttribute("open", ""); }
    });
  }
  document.addEventListener("click", alone);
  document.addEventListener("close", function (e) {  // the notice closed: back to the link
    var notice = e.target;
    if (notice && notice.id === "mm-alone" && notice.mmFrom) { notice.mmFrom.focus(); }
  }, true);


  return {
    setup: setup,
    countLayer: countLayer,
    coverageLayer: coverageLayer,
    serviceOverlay: serviceOverlay,
    GroupedLayers: GroupedLayers,
    legend: legend,
    mark: mark,
    drawRing: drawRing,
    has: has,
    scrollable: scrollable,
    belowControls: belowControls,
    fold: fold,
    el: el
  };
}(window.L));
