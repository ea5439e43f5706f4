/* mimpmap: the centres of the MIMP's directory on a map, and the search box. Needs Leaflet and MM.
 *
 * d = {name, legend, kinds: [[colour, label]], points: [[lat, lon, name, kind, address, [phones], district,
 * province, department]]}; layer() puts each point's place ("district, province (department)", as
 * mimpmap.centremaps words it) at index 5, after the address, so it is not written twice in the page. Every string is data: it goes into the page with textContent only,
 * and a phone becomes a tel: link made of its digits.
 */
var MMCentres = (function (L) {
  "use strict";

  var el = MM.el;  // an element with its class and text (textContent), in its parent

  /* Accents, case and spacing aside: "Túcume" and "TUCUME" are one name. */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9ñ]+/g, " ").trim();
  }

  /* "Bagua Grande, Utcubamba (Amazonas)", or the department alone (centremaps._point says it alike). */
  function place(district, province, department) {
    var parts = [district, province].filter(Boolean).join(", ");
    return parts ? parts + " (" + department + ")" : department;
  }

  function popup(p, kinds) {
    var box = el("div", "mm-pop");
    el("h3", null, p[2], box);
    el("p", "mm-pop-kind", kinds[p[3]][1], box);
    if (p[4]) { el("p", null, p[4], box); }
    if (p[5]) { el("p", null, p[5], box); }
    if (p[6].length) {
      var line = el("p", "mm-pop-phone", "Teléfono: ", box);
      for (var i = 0; i < p[6].length; i++) {
        if (i) { line.appendChild(document.createTextNode(" / ")); }
        var link = el("a", null, p[6][i], line);
        link.href = "tel:" + p[6][i].replace(/[^0-9+]/g, "");
      }
    }
    return box;
  }

  /* The map's legend on show (atlas.html keeps the other maps' legends hidden). */
  function shownLegend(map) {
    var all = map.getContainer().querySelectorAll(".mm-legend");
    for (var i = 0; i < all.length; i++) {
      if (all[i].style.display !== "none") { return all[i]; }
    }
    return null;
  }

  /* The kinds' legend, shown while the layer is on the map: a section of the map's legend (one box),
   * or a box of its own on a map without one. Made once the page's script has run (the legend comes
   * after the layers). */
  function legend(d) {
    var section = el("div", "mm-centres-legend");
    el("div", "mm-legend-title", d.legend, section);
    var list = el("ul", null, null, section);
    for (var i = 0; i < d.kinds.length; i++) {
      var item = el("li", null, null, list);
      var swatch = el("span", "mm-swatch mm-dot", null, item);
      swatch.style.backgroundColor = d.kinds[i][0];
      el("span", null, d.kinds[i][1], item);
    }
    var own = null;
    return {
      on: function (map) {
        window.setTimeout(function () {
          if (!section.mmShown) { return; }
          var host = shownLegend(map);
          if (host) { host.appendChild(section); return; }
          own = L.control({ position: "bottomleft" });
          own.onAdd = function () {
            var box = el("div", "mm-legend leaflet-control");
            box.appendChild(section);
            L.DomEvent.disableClickPropagation(box);
            return box;
          };
          own.addTo(map);
        }, 0);
        section.mmShown = true;
      },
      off: function () {
        section.mmShown = false;
        if (own) { own.remove(); own = null; }
        if (section.parentNode) { section.parentNode.removeChild(section); }
      }
    };
  }

  var TIP = { direction: "top", offset: [0, -5], className: "mm-tip" };

  /* A centre's name, shown on hover. Bound the first time the pointer comes over its marker, not for
   * all of them as the page loads: a tooltip bound at once adds listeners to each of the hundreds of
   * markers (the markers take no keyboard focus, so there is nothing else to wire). */
  function nameOnHover(e) {
    var marker = e.layer;
    if (marker.getTooltip() || !marker.mmPoint) { return; }
    marker.bindTooltip(marker.mmPoint[2], TIP).openTooltip();
  }

  /* The centres as circle markers above the units (one feature group; the legend comes and goes with it). */
  function layer(d) {
    var group = L.featureGroup();
    var key = legend(d);
    for (var i = 0; i < d.points.length; i++) {
      var p = d.points[i];
      p.splice(5, 0, place(p[6], p[7], p[8]));
      var marker = L.circleMarker([p[0], p[1]], {
        pane: "markerPane", radius: 5, color: "#ffffff", weight: 1.5, opacity: 1,
        fillColor: d.kinds[p[3]][0], fillOpacity: 1
      });
      MM.belowControls(marker.bindPopup((function (p) { return function () { return popup(p, d.kinds); }; }(p)),
                                        { maxWidth: 280, className: "mm-popup" }).getPopup());
      marker.mmPoint = p;
      group.addLayer(marker);
    }
    group.on("mouseover", nameOnHover);
    group.on("add", function (e) { key.on(e.target._map); });
    group.on("remove", function () { key.off(); });
    group.mmPoints = d.points;
    return group;
  }

  /* What the search finds: the centres by name, and the places (district, province, department) of
   * the centres and of the map's units, each once. */
  function entries(group, geo) {
    var out = [];
    var places = {};
    group.eachLayer(function (m) {
      var p = m.mmPoint;
      out.push({ text: p[2], hint: p[5], key: fold(p[2]), marker: m });
      var levels = [["distrito", p[7], 7], ["provincia", p[8], 8], ["departamento", p[9], 9]];
      for (var i = 0; i < levels.length; i++) {
        if (!levels[i][1]) { continue; }
        var id = levels[i][0] + ":" + fold(levels[i][1]) + (i < 2 ? ":" + p[9] : "");
        if (!places[id]) {
          places[id] = { text: levels[i][1], hint: levels[i][0] + (i < 2 ? " (" + p[9] + ")" : ""),
                         key: fold(levels[i][1]), bounds: L.latLngBounds([]) };
          out.push(places[id]);
        }
        places[id].bounds.extend(m.getLatLng());
      }
    });
    if (geo) {
      L.geoJSON(geo).eachLayer(function (unit) {
        var name = unit.feature.properties.nombre;
        var id = "departamento:" + fold(name);
        if (places[id]) { places[id].bounds = unit.getBounds(); return; }
        places[id] = { text: name, hint: "departamento", key: fold(name), bounds: unit.getBounds() };
        out.push(places[id]);
      });
    }
    return out;
  }

  /* The search box: a combobox over a list of results; arrows move, Enter (or a click) goes there. */
  function search(map, group, geo, words) {
    var all = null;
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "mm-search leaflet-control");
      var input = el("input", "mm-search-input", null, box);
      var list = el("ul", "mm-search-list", null, box);
      var status = el("p", "mm-search-status", null, box);
      var id = "mm-search-" + L.Util.stamp(control);
      input.type = "search";
      input.placeholder = words.placeholder;
      input.setAttribute("aria-label", words.label);
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", id);
      input.autocomplete = "off";
      list.id = id;
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", words.label);
      list.hidden = true;
      status.setAttribute("role", "status");
      status.className += " mm-visually-hidden";
      var found = [];
      var active = -1;

      function mark(n) {
        active = n;
        var items = list.children;
        for (var i = 0; i < items.length; i++) {
          items[i].setAttribute("aria-selected", i === n ? "true" : "false");
        }
        if (n >= 0) {
          input.setAttribute("aria-activedescendant", items[n].id);
          items[n].scrollIntoView({ block: "nearest" });
        } else {
          input.removeAttribute("aria-activedescendant");
        }
      }
      function close() {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        mark(-1);
      }
      function go(entry) {
        close();
        if (!map.hasLayer(group)) { group.addTo(map); }
        if (entry.marker) {
          map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 11), { animate: false });
          map.mmKeyOpen = entry.marker;
          entry.marker.openPopup();
        } else if (entry.bounds.isValid()) {
          map.fitBounds(entry.bounds, { padding: [24, 24], maxZoom: 11, animate: false });
        }
        input.value = entry.text;
      }
      function update() {
        all = all || entries(group, geo);
        var q = fold(input.value);
        list.textContent = "";
        found = [];
        if (q) {
          var starts = [];
          var within = [];
          for (var i = 0; i < all.length; i++) {
            var k = all[i].key;
            if (k.indexOf(q) === 0 || k.indexOf(" " + q) >= 0) { starts.push(all[i]); }
            else if (k.indexOf(q) >= 0) { within.push(all[i]); }
          }
          found = starts.concat(within).slice(0, 8);
        }
        for (var j = 0; j < found.length; j++) {
          var item = el("li", "mm-search-item", null, list);
          item.id = id + "-" + j;
          item.setAttribute("role", "option");
          el("span", "mm-search-name", found[j].text, item);
          el("span", "mm-search-hint", found[j].hint, item);
          /* Chosen on click, not on mousedown: a tap's click comes after its mousedown, and with the
             list already closed it fell on the map, whose click opened the nearest centres instead.
             The mousedown only keeps the focus in the box (no blur, so the list stays until then). */
          item.addEventListener("mousedown", function (e) { e.preventDefault(); });
          item.addEventListener("click", (function (entry) {
            return function () { go(entry); };
          }(found[j])));
        }
        var open = q.length > 0;
        list.hidden = !open || !found.length;
        input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
        status.textContent = open ? (found.length ? found.length + " resultados" : words.none) : "";
        mark(-1);
      }
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (e) {
        if (e.key === "ArrowDown" || e.key === "Down") {
          e.preventDefault();
          if (list.hidden) { update(); }
          if (found.length) { mark((active + 1) % found.length); }
        } else if (e.key === "ArrowUp" || e.key === "Up") {
          e.preventDefault();
          if (found.length) { mark(active <= 0 ? found.length - 1 : active - 1); }
        } else if (e.key === "Enter") {
          e.preventDefault();
          if (found.length) { go(found[active >= 0 ? active : 0]); }
        } else if ((e.key === "Escape" || e.key === "Esc") && !list.hidden) {
          e.stopPropagation();
          close();
        }
      });
      input.addEventListener("blur", close);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* Kilometres between two points along the Earth's surface (haversine, mean radius 6371 km). */
  function km(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLon = (b.lng - a.lng) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* "3,2 km", "48 km", "1 204 km": one decimal under 10 km, Spanish decimal comma. */
  function distance(value, unit) {
    var text = value < 10 ? value.toFixed(1).replace(".", ",") : String(Math.round(value));
    return text + " " + unit;
  }

  /* The n markers of group nearest to at, nearest first, each as {marker, km}. */
  function closest(group, at, n) {
    var all = [];
    group.eachLayer(function (m) { all.push({ marker: m, km: km(at, m.getLatLng()) }); });
    all.sort(function (a, b) { return a.km - b.km; });
    return all.slice(0, n);
  }

  /* A click on the map (or Enter on the map itself, for its centre) lists the three centres nearest
   * to that point, with their straight-line distance, in a popup there; a live region says it too.
   * Each name is a button to the centre and its popup. words = {title, note, unit, live}.
   * Returns {on, off}: on at first; atlas.html turns it off while another map is shown. */
  function nearest(map, group, words) {
    var live = el("div", "mm-visually-hidden", null, map.getContainer());
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");

    function show(at, byKey) {
      var found = closest(group, at, 3);
      if (!found.length) { return; }
      var box = el("div", "mm-pop mm-nearest");
      el("h3", null, words.title, box);
      el("p", "mm-pop-kind", words.note, box);
      var list = el("ol", "mm-nearest-list", null, box);
      var said = [];
      for (var i = 0; i < found.length; i++) {
        var p = found[i].marker.mmPoint;
        var far = distance(found[i].km, words.unit);
        var item = el("li", null, null, list);
        var go = el("button", "mm-link-button", p[2], item);
        go.type = "button";
        el("span", "mm-nearest-far", far, item);
        go.addEventListener("click", (function (marker) {
          return function () {
            if (!map.hasLayer(group)) { group.addTo(map); }
            map.setView(marker.getLatLng(), Math.max(map.getZoom(), 11), { animate: false });
            map.mmKeyOpen = marker;
            marker.openPopup();
          };
        }(found[i].marker)));
        said.push(p[2] + ", " + far);
      }
      var pop = MM.belowControls(L.popup({ maxWidth: 300, className: "mm-popup" }));
      pop.setLatLng(at).setContent(box);
      pop.openOn(map);
      if (byKey) {
        var title = box.querySelector("h3");
        title.tabIndex = -1;
        title.focus({ preventScroll: true });
        pop.once("remove", function () { map.getContainer().focus({ preventScroll: true }); });
      }
      live.textContent = words.live + " " + said.join("; ") + ".";
    }

    function click(e) { show(e.latlng, false); }
    function key(e) {
      if (e.key === "Enter" && e.target === map.getContainer()) {
        e.preventDefault();
        show(map.getCenter(), true);
      }
    }
    var handle = {
      on: function () {
        map.on("click", click);
        map.getContainer().addEventListener("keydown", key);
      },
      off: function () {
        map.off("click", click);
        map.getContainer().removeEventListener("keydown", key);
        live.textContent = "";
      }
    };
    handle.on();
    return handle;
  }

  return { layer: layer, search: search, nearest: nearest, fold: fold, km: km };
}(window.L));
