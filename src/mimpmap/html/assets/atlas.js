/* mimpmap: atlas.html's own script (see html/assets.py atlas_head). Needs Leaflet, MM, MMCentres. */
MM.atlas = (function (L, MM) {
  "use strict";

  var has = MM.has;

  /* atlas.html: every map of the atlas on one Leaflet map, one at a time, chosen by the address
   * (#cobertura, #cai). d = {first, control, views: {id: {kind: "count"|"service", title, label, data,
   * legend, overlays: [[name, data]], control, marks: [[kind, data]]}}, centres (see centreList)}.
   * A view's header, panel and table are in <template id="mm-view-ID"> until shown (the first view's
   * are in the page); those of the view left are kept aside, as they were, for when it comes back. */
  function atlas(map, geo, d) {
    var built = {};
    var aside = {};
    var current = null;
    var written = d.first;  // the view whose header, panel and table are in the page
    var nav = document.querySelector(".mm-atlas-nav");

    /* A view's layers and controls: its units, then its marks (v.marks, bottom first): each drawn by
     * MM.mark as on the view's own page, an overlay of the view's control when it has a name; the
     * directory's centres from d.centres (see addCentres). */
    function build(id) {
      var v = d.views[id];
      var parts = { layers: [], overlays: [], on: [], controls: [] };
      var control = null;
      function list(title) {
        return control || (control = new MM.GroupedLayers(null, null, { position: "topright", collapsed: true, mmTitle: title }));
      }
      if (v.kind === "count") {
        parts.layers.push(MM.countLayer(geo, named(v.data)));
        list(v.control);
        for (var i = 0; i < v.overlays.length; i++) {
          var overlay = MM.serviceOverlay(geo, overlayOf(v.overlays[i][1]));
          parts.overlays.push(overlay);
          control.addOverlay(overlay, v.overlays[i][0]);
        }
      } else {
        parts.layers.push(MM.coverageLayer(geo, unpack(v.data)));
      }
      var marks = v.marks || [];
      for (var m = 0; m < marks.length; m++) {
        var data = marks[m][1];
        if (marks[m][0] === "directory") {
          addCentres(parts, list(d.control), data);
          continue;
        }
        var layer = MM.mark(marks[m]);
        if (data.name) {
          parts.overlays.push(layer);
          parts.on.push(layer);
          list(d.control).addOverlay(layer, data.name);
        } else {
          parts.layers.push(layer);
        }
      }
      parts.control = control;
      return parts;
    }

    /* The directory's centres of a view (centres = {kinds, show, nearest}), from d.centres (see
     * centreList): an overlay of the view's control, on at first where show says so; the search box;
     * where nearest says so, a click lists the nearest ones. */
    function addCentres(parts, control, centres) {
      var group = MMCentres.layer(centreList(centres.kinds));
      parts.overlays.push(group);
      if (centres.show) { parts.on.push(group); }
      control.addOverlay(group, d.centres.name);
      parts.controls.push(MMCentres.search(map, group, geo, d.centres.search));
      if (centres.nearest) { parts.nearest = MMCentres.nearest(map, group, d.centres.nearest); }
    }

    /* d.centres = {name, legend, kinds: [[colour, label, prefix]], places: [names], scale, points:
     * [[lat, lon, kind, name, address, phones, district, province, department]]}, each point written
     * once (html/atlas.py centres_data: the position as the step from the point before, in 1/scale
     * degree; the name after its kind's prefix, or the index of the place it names; phones joined by
     * "/"; places as indices). Made into
     * what MMCentres.layer draws, with the points of the kinds given (a fresh list: layer() adds to it). */
    var centrePoints = null;
    function centreList(kinds) {
      var c = d.centres;
      var i;
      if (!centrePoints) {
        centrePoints = [];
        var lat = 0;
        var lon = 0;
        for (i = 0; i < c.points.length; i++) {
          var p = c.points[i];
          lat += p[0];
          lon += p[1];
          var name = typeof p[3] === "number" ? c.places[p[3]] : p[3];
          centrePoints.push([lat / c.scale, lon / c.scale, c.kinds[p[2]][2] + name, p[2], p[4],
                             p[5] ? String(p[5]).split("/") : [], c.places[p[6]], c.places[p[7]], c.places[p[8]]]);
        }
      }
      var local = {};
      var out = { name: c.name, legend: c.legend, kinds: [], points: [] };
      for (i = 0; i < kinds.length; i++) {
        local[kinds[i]] = i;
        out.kinds.push(c.kinds[kinds[i]].slice(0, 2));
      }
      for (i = 0; i < centrePoints.length; i++) {
        var q = centrePoints[i];
        if (has(local, q[3])) {
          q = q.slice();
          q[3] = local[q[3]];
          out.points.push(q);
        }
      }
      return out;
    }

    /* The choropleth's units, without their names and population lines where they are d.units's, and
     * a service that reaches one in full as its index alone. */
    function named(data) {
      var units = {};
      function reached(s) { return typeof s === "number" ? [s, null] : s; }
      for (var code in data.units) {
        if (!has(data.units, code)) { continue; }
        var u = data.units[code];
        if (!has(u, "name")) {
          var shared = d.units[code];
          u = L.extend({ name: shared[0] }, shared[1] ? { people: shared[1] } : {}, u);
        }
        units[code] = L.extend({}, u, { services: u.services.map(reached) });
      }
      return L.extend({}, data, { units: units });
    }

    /* A service over the choropleth: its units as indices in d.order, its palette and program's name
     * in d.shared. */
    function overlayOf(o) {
      function codes(list) {
        return list.map(function (c) { return typeof c === "number" ? d.order[c] : c; });
      }
      return L.extend({}, o, { codes: codes(o.codes), partial: codes(o.partial), palette: d.shared[o.palette],
                               groupName: d.shared[o.groupName] });
    }

    /* A service's units come as the index of their [status, tip] in data.tips, in a list in the
     * order of d.order when the view has the atlas's units; their names and population lines are
     * d.units's; its fills and opacity are d.looks's unless it has its own. */
    function unpack(data) {
      var units = {};
      var list = Array.isArray(data.units);
      var codes = list ? d.order : Object.keys(data.units);
      for (var n = 0; n < codes.length; n++) {
        var code = codes[n];
        var u = data.units[list ? n : code];
        if (typeof u === "number") {
          var shared = d.units[code];
          u = { name: shared[0], status: data.tips[u][0], tip: data.tips[u][1] };
          if (shared[1]) { u.people = shared[1]; }
        }
        units[code] = u;
      }
      return L.extend({}, d.looks, data, { units: units });
    }

    function showParts(id) {
      var v = d.views[id];
      var parts = built[id] || (built[id] = build(id));
      var i;
      for (i = 0; i < parts.layers.length; i++) { parts.layers[i].addTo(map); }
      for (i = 0; i < parts.on.length; i++) { parts.on[i].addTo(map); }
      if (parts.nearest) { parts.nearest.on(); }
      if (!parts.shown) {  // controls are made once, then hidden and shown again
        if (parts.control) { parts.controls.push(parts.control.addTo(map)); }
        parts.controls.push(MM.legend(map, typeof v.legend.steps === "number" ?
          L.extend({}, v.legend, { steps: d.shared[v.legend.steps] }) : v.legend));
        parts.shown = true;
      }
      for (i = 0; i < parts.controls.length; i++) { parts.controls[i].getContainer().style.display = ""; }
      map.getContainer().setAttribute("aria-label", v.label);
    }

    function hideParts(id) {
      var parts = built[id];
      var i;
      map.closePopup();
      map.mmHover = map.mmFocus = map.mmSelected = null;
      MM.drawRing(map);
      if (parts.control && parts.control.collapse) { parts.control.collapse(); }
      if (parts.nearest) { parts.nearest.off(); }
      parts.on = parts.overlays.filter(function (layer) { return map.hasLayer(layer); });
      for (i = 0; i < parts.on.length; i++) { map.removeLayer(parts.on[i]); }
      for (i = 0; i < parts.layers.length; i++) { map.removeLayer(parts.layers[i]); }
      for (i = 0; i < parts.controls.length; i++) { parts.controls[i].getContainer().style.display = "none"; }
    }

    /* The header, panel and table of the page, swapped for those of the view shown. */
    function swapText(id) {
      var now = [document.querySelector(".mm-header"), document.querySelector(".mm-panel"),
                 document.querySelector(".mm-data")];
      var next = aside[id];
      if (!next) {
        var source = document.getElementById("mm-view-" + id);
        var copy = document.importNode(source.content, true);
        next = [copy.querySelector(".mm-header"), copy.querySelector(".mm-panel"), copy.querySelector(".mm-data")];
      }
      var fold = now[1].querySelector("details.mm-fold");
      var nextFold = next[1].querySelector("details.mm-fold");
      if (fold && nextFold) { nextFold.open = fold.open; }
      if (nextFold && !nextFold.mmWatched) {
        nextFold.addEventListener("toggle", MM.scrollable);
        nextFold.mmWatched = true;
      }
      for (var i = 0; i < now.length; i++) { now[i].parentNode.replaceChild(next[i], now[i]); }
      aside[written] = now;
      written = id;
      next[0].querySelector(".mm-head-row").appendChild(nav);
    }

    function mark(id) {
      var links = nav.querySelectorAll("a[href^='#']");
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute("href") === "#" + id) {
          links[i].setAttribute("aria-current", "page");
        } else {
          links[i].removeAttribute("aria-current");
        }
      }
    }

    function viewOf(hash) {
      var id = hash.replace(/^#/, "");
      try { id = decodeURIComponent(id); } catch (err) { /* as written */ }
      return has(d.views, id) ? id : null;
    }

    function show(id, moveFocus) {
      if (id === current) { return; }
      if (current !== null) { hideParts(current); }
      if (id !== written) { swapText(id); }
      showParts(id);
      document.title = d.views[id].title + d.titled;
      mark(id);
      current = id;
      document.body.setAttribute("data-mm-view", id);  // the view on show (tests wait for it)
      MM.scrollable();
      if (moveFocus) {  // the reader chose it: the new title is read out, Tab goes on from there
        var title = document.querySelector(".mm-header h1");
        title.tabIndex = -1;
        title.focus({ preventScroll: true });
      }
    }

    /* In-page links that are no view (footnotes, the skip link): go to their target, keep the address. */
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a[href^='#']");
      if (!link || e.defaultPrevented) { return; }
      var hash = link.getAttribute("href");
      var menu = nav.querySelector("details");
      if (menu && menu.contains(link)) { menu.open = false; }
      if (viewOf(hash) !== null) {
        if (viewOf(hash) === current) { e.preventDefault(); }
        return;  // the address changes and hashchange shows the view
      }
      var target = document.getElementById(hash.slice(1));
      if (!target) { return; }
      e.preventDefault();
      if (!target.hasAttribute("tabindex")) { target.tabIndex = -1; }
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "nearest" });
    });
    /* Escape closes the list of maps, focus back on its button. */
    nav.addEventListener("keydown", function (e) {
      var menu = nav.querySelector("details");
      if ((e.key === "Escape" || e.key === "Esc") && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    window.addEventListener("hashchange", function () {
      show(viewOf(location.hash) || d.first, true);
    });
    window.addEventListener("beforeprint", function () {
      var fold = document.querySelector(".mm-panel details.mm-fold");
      if (fold) { fold.open = true; }
    });
    show(viewOf(location.hash) || d.first, false);
    return map;
  }

  return atlas;
}(window.L, MM));
