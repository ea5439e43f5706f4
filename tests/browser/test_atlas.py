"""The one-file atlas in a real browser, alone in an empty folder: it draws Peru, each address opens its
map (``#cai`` shows CAI's 4 departments), the list of maps works by mouse and keyboard, back and
forward work, and nothing is requested. Then the separate pages copied alone: a link to a page that is
not beside them shows the Spanish notice instead of the browser's error page.

Expected values come from the shipped coverage (``shipped``), not from the pages themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mimpmap import colors
from mimpmap.views import web
from mimpmap.html.atlas import ATLAS_FILE

from .conftest import require_browser
from .test_a11y import PHONE_390, WIDE, _axe, _blocking
from .test_pages import drawn_units, expand_layer_control, point_in, shoot

require_browser(at_collection=True)
pytestmark = pytest.mark.browser


def wait_view(page, hash_: str) -> None:
    """Wait until the address is ``hash_`` and the atlas shows that view: the address changes at once,
    the view follows on the hashchange event."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("h => location.hash === h && document.body.dataset.mmView === (h.slice(1) || 'cobertura')",
                               arg=hash_)
    except PlaywrightTimeout:  # say what the page shows instead
        state = page.evaluate("[location.hash, document.body.dataset.mmView, document.querySelectorAll('.leaflet-popup').length]")
        raise AssertionError(f"la vista {hash_!r} no llegó: dirección, vista y ventanas emergentes {state}") from None


def wait_popup_still(page) -> None:
    """Wait until a popup is open and the map has stopped panning to show it whole.

    A click sent while the map pans scrolls the link into view inside the map; Leaflet undoes that scroll
    on its next frame, and on a loaded machine that falls between the press and the release, so the
    release lands beside the link (seen in CI: the address never changed).
    """
    page.wait_for_function("""() => {
      const map = Object.values(window).find(v => v instanceof L.Map);
      return document.querySelector(".leaflet-popup") !== null && !(map._panAnim && map._panAnim._inProgress);
    }""")


@pytest.fixture
def alone(site, tmp_path) -> Path:
    """atlas.html, copied alone into an empty folder."""
    folder = tmp_path / "solo"
    folder.mkdir()
    shutil.copy(site / ATLAS_FILE, folder / ATLAS_FILE)
    return folder / ATLAS_FILE


def covered(page) -> list[str]:
    """The codes drawn with the covered colour."""
    return sorted(code for code, unit in drawn_units(page).items() if unit["fill"] == colors.COVERED)


def visible_controls(page) -> dict:
    return page.evaluate("""() => {
      const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).length;
      return {layers: shown(".leaflet-control-layers"), legends: shown(".mm-legend")};
    }""")


def test_alone_in_an_empty_folder_draws_peru_and_opens_cai(alone, shipped, open_page, screenshots):
    tab = open_page(alone)
    page = tab.page
    units = drawn_units(page)
    assert set(units) == set(shipped.atlas.boundaries.frame.index)
    assert all(u["width"] > 0 and u["height"] > 0 for u in units.values())
    assert page.locator("h1").inner_text() == shipped.atlas.choropleth.header.title
    assert visible_controls(page) == {"layers": 1, "legends": 1}
    shoot(page, screenshots, "atlas-cobertura")

    tab_cai = open_page(alone.parent / f"{ATLAS_FILE}", init_script="history.replaceState(null, '', '#cai')")
    cai_page = tab_cai.page
    cai = shipped.atlas.service("cai")
    assert cai_page.evaluate("location.hash") == "#cai"
    assert covered(cai_page) == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    assert cai_page.locator("h1").inner_text() == cai.header.title
    assert cai.description in cai_page.locator(".mm-panel").inner_text()
    assert cai_page.title().startswith(cai.page_title)
    assert visible_controls(cai_page) == {"layers": 1, "legends": 1}  # its centres (Directorio MIMP 2026)
    shoot(cai_page, screenshots, "atlas-cai")
    tab.assert_clean()
    tab_cai.assert_clean()
    # Nothing was even tried outside the file (the route aborts and records any other request).
    assert tab.aborted == [] and tab_cai.aborted == []


def test_list_of_maps_back_and_forward(alone, shipped, open_page, screenshots):
    tab = open_page(alone)
    page = tab.page
    cai = shipped.atlas.service("cai")
    page.locator(".mm-atlas-menu summary").click()
    shoot(page, screenshots, "atlas-menu")
    page.locator(".mm-atlas-list a", has_text=cai.name).click()
    wait_view(page, "#cai")
    assert page.locator("h1").inner_text() == cai.header.title
    assert page.evaluate("document.activeElement.tagName") == "H1"  # read out, Tab goes on from there
    assert page.locator(".mm-atlas-menu").evaluate("d => d.open") is False
    assert page.locator(".mm-atlas-list a[aria-current='page']").text_content() == cai.name
    assert covered(page) == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    # Only one header, panel and table at a time, and the list of maps in the header shown.
    assert page.evaluate("[...document.querySelectorAll('.mm-header, .mm-panel, .mm-data, .mm-atlas-nav')]"
                         ".map(e => e.className)") == ["mm-header", "mm-atlas-nav", "mm-panel", "mm-data"]

    page.go_back()
    wait_view(page, "")
    assert page.locator("h1").inner_text() == shipped.atlas.choropleth.header.title
    fills = {code: unit["fill"] for code, unit in drawn_units(page).items()}
    assert fills == {u.code: u.fill for u in shipped.atlas.choropleth.units}
    assert visible_controls(page) == {"layers": 1, "legends": 1}
    page.go_forward()
    wait_view(page, "#cai")
    assert covered(page) == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    tab.assert_clean()


def test_keyboard_opens_a_map_from_the_list(alone, shipped, open_page):
    tab = open_page(alone)
    page = tab.page
    summary = page.locator(".mm-atlas-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".mm-atlas-menu").evaluate("d => d.open") is True
    page.keyboard.press("Escape")  # closes, focus back on its button
    assert page.locator(".mm-atlas-menu").evaluate("d => d.open") is False
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    mi60 = shipped.atlas.service("mi60")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == mi60.name:
            break
    else:
        pytest.fail(f"Tab no llega a {mi60.name!r} en la lista de mapas")
    page.keyboard.press("Enter")
    wait_view(page, "#mi60")
    # Its centres, as markers with their names, under a layer control of their own.
    assert page.locator(".leaflet-marker-pane path.leaflet-interactive").count() == len(mi60.sites)
    assert visible_controls(page) == {"layers": 1, "legends": 1}
    tab.assert_clean()


def test_choropleth_popup_and_panel_lead_to_views(alone, shipped, open_page):
    tab = open_page(alone)
    page = tab.page
    x, y = point_in(page, "PE-CUS")
    page.mouse.click(x, y)
    wait_popup_still(page)
    page.locator(".leaflet-popup .mm-pop a[href='#cai']").click()
    try:
        wait_view(page, "#cai")
    except AssertionError:
        tab.assert_clean()  # an error in the page first, if there was one
        raise
    page.locator(".leaflet-popup").wait_for(state="detached")  # closed with the map it belonged to
    page.go_back()
    wait_view(page, "")  # the reader clicks what the choropleth's panel shows, once it shows
    page.locator(".mm-panel a[href='#hrt']").click()
    wait_view(page, "#hrt")
    # The address changes at once; the view follows on the hashchange event.
    page.wait_for_function("t => document.querySelector('h1').textContent === t",
                           arg=shipped.atlas.service("hrt").header.title)
    tab.assert_clean()


def test_in_page_links_keep_the_address(alone, open_page):
    tab = open_page(alone, init_script="history.replaceState(null, '', '#cai')")
    page = tab.page
    note = page.locator(".mm-panel sup.mm-ref a").first
    target = note.get_attribute("href")
    note.click()
    assert page.evaluate("location.hash") == "#cai"
    assert page.evaluate("document.activeElement.id") == target[1:]
    page.locator(".mm-skip").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "datos"
    assert page.evaluate("location.hash") == "#cai"
    tab.assert_clean()


def test_unknown_address_opens_the_choropleth(alone, shipped, open_page):
    tab = open_page(alone, init_script="history.replaceState(null, '', '#no-existe')")
    assert tab.page.locator("h1").inner_text() == shipped.atlas.choropleth.header.title
    tab.assert_clean()


@pytest.mark.parametrize("viewport", [WIDE, PHONE_390], ids=["wide", "phone"])
def test_axe_on_the_atlas(alone, open_page, viewport):
    found = []
    tab = open_page(alone, viewport=viewport)
    page = tab.page
    found += _blocking(_axe(page), f"atlas@{viewport['width']}")
    page.locator(".mm-atlas-menu summary").click()
    page.locator(".mm-atlas-list a[href='#mi60']").click()
    wait_view(page, "#mi60")
    found += _blocking(_axe(page), f"atlas#mi60@{viewport['width']}")
    # A map with the directory's centres, its search box showing results.
    page.locator(".mm-atlas-menu summary").click()
    page.locator(".mm-atlas-list a[href='#cem']").click()
    wait_view(page, "#cem")
    page.locator(".mm-search-input").filter(visible=True).fill("Bagua")
    found += _blocking(_axe(page), f"atlas#cem@{viewport['width']}")
    tab.assert_clean()
    assert found == [], "\n".join(found)


# --- separate pages copied alone ----------------------------------------------------------------

def _copy_alone(site: Path, name: str, folder: Path) -> Path:
    folder.mkdir()
    target = folder / Path(name).name
    shutil.copy(site / name, target)
    return target


@pytest.mark.parametrize("name, link", [
    ("cobertura.html", ".mm-panel a[href='servicios/cai.html']"),
    ("servicios/cai.html", ".mm-nav a[href='../index.html']"),
])
def test_page_without_its_folder_says_so_in_spanish(site, open_page, screenshots, tmp_path, name, link):
    page_file = _copy_alone(site, name, tmp_path / "solo")
    tab = open_page(page_file)
    page = tab.page
    start = page.url
    page.locator(link).click()
    notice = page.locator("dialog#mm-alone")
    notice.wait_for(state="visible")
    assert page.url == start  # still on the map, not on the browser's error page
    text = notice.inner_text()
    assert web.ALONE_TITLE in text and ATLAS_FILE in text
    assert page.locator(link).get_attribute("href") in text
    shoot(page, screenshots, f"solo-{Path(name).stem}")
    page.keyboard.press("Escape")
    assert not notice.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('href')") == page.locator(link).get_attribute("href")
    # The one thing that failed is the look for the missing page.
    assert tab.aborted == []
    assert all("ERR_FILE_NOT_FOUND" in e for e in tab.errors), tab.errors


def test_page_in_its_folder_follows_its_links(site, open_page):
    tab = open_page(site / "cobertura.html")
    page = tab.page
    page.locator(".mm-panel a[href='servicios/cai.html']").click()
    page.wait_for_url("**/servicios/cai.html")
    assert page.locator("dialog#mm-alone[open]").count() == 0
    tab.assert_clean()


def test_services_switched_on_come_back_with_the_choropleth(alone, open_page):
    tab = open_page(alone)
    page = tab.page
    expand_layer_control(page)
    boxes = page.locator(".leaflet-control-layers-selector")
    boxes.nth(1).check()
    boxes.nth(4).check()
    state = """() => ({
      paths: document.querySelectorAll('.leaflet-mmOverlays-pane path').length,
      active: document.querySelector('.mm-legend-active').children.length,
      checked: [...document.querySelectorAll('.leaflet-control-layers-selector')].filter(i => i.checked).length,
    })"""
    before = page.evaluate(state)
    assert before["paths"] > 0 and before["active"] == 2 and before["checked"] == 2
    page.evaluate("location.hash = '#cai'")
    page.wait_for_function("document.querySelectorAll('.leaflet-mmOverlays-pane path').length === 0")
    page.go_back()
    wait_view(page, "")
    assert page.evaluate(state) == before
    tab.assert_clean()


# --- the directory's centres (issue 21): the choropleth's "Centros" overlay, the search box and the
# nearest centres on the service maps, each map drawing its own centres as the views change ---------

MARKERS = ".leaflet-marker-pane path.leaflet-interactive"
LAYER = "Centros (Directorio MIMP 2026)"


def shown(page, selector: str) -> int:
    """How many of ``selector`` are on show (the other maps' controls are kept hidden)."""
    return page.evaluate("s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length",
                         selector)


def go(page, view: str) -> None:
    page.evaluate("v => { location.hash = v; }", f"#{view}")
    wait_view(page, f"#{view}")


def expand_shown_layer_control(page):
    """Open the layer control of the map on show as a user does: pointing at it."""
    page.locator(".leaflet-control-layers").filter(visible=True).hover()
    page.wait_for_selector(".leaflet-control-layers-expanded")


def search(page):
    return page.locator(".mm-search-input").filter(visible=True)


@pytest.mark.parametrize("viewport", [WIDE, PHONE_390], ids=["wide", "phone"])
def test_the_choropleth_centres_overlay_is_off_at_first_and_toggles(alone, open_page, screenshots, viewport):
    tab = open_page(alone, viewport=viewport)
    page = tab.page
    assert page.locator(MARKERS).count() == 0 and page.locator(".mm-centres-legend").count() == 0
    assert shown(page, ".mm-search") == 1
    expand_shown_layer_control(page)
    box = page.get_by_role("checkbox", name=LAYER, exact=True).filter(visible=True)
    box.check()
    assert page.locator(MARKERS).count() == 515 and shown(page, ".mm-centres-legend") == 1
    page.mouse.move(5, viewport["height"] - 5)  # the list folds away for the picture
    shoot(page, screenshots, f"atlas-cobertura-centros-{viewport['width']}")
    expand_shown_layer_control(page)
    box.uncheck()
    assert page.locator(MARKERS).count() == 0 and page.locator(".mm-centres-legend").count() == 0
    tab.assert_clean()


@pytest.mark.parametrize("viewport", [WIDE, PHONE_390], ids=["wide", "phone"])
def test_in_the_cem_view_bagua_is_found_with_its_phone(alone, open_page, screenshots, viewport):
    tab = open_page(alone, viewport=viewport, init_script="history.replaceState(null, '', '#cem')")
    page = tab.page
    assert page.locator(MARKERS).count() == 435 and shown(page, ".mm-centres-legend") == 1
    assert "CEM en comisaría" in page.locator(".mm-legend").filter(visible=True).inner_text()
    shoot(page, screenshots, f"atlas-cem-{viewport['width']}")
    search(page).fill("Bagua")
    assert "Cem Comisaría Bagua" in page.locator(".mm-search-list").filter(visible=True).inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    text = page.inner_text(".leaflet-popup-content")
    assert text.startswith("Cem Comisaría Bagua") and "CEM en comisaría" in text and "Bagua, Bagua (Amazonas)" in text
    assert page.get_attribute(".leaflet-popup-content a[href^='tel:']", "href") == "tel:932854358"
    shoot(page, screenshots, f"atlas-cem-bagua-{viewport['width']}")
    tab.assert_clean()


def test_a_click_lists_the_nearest_centres_of_the_map_on_show_only(alone, open_page):
    tab = open_page(alone, init_script="history.replaceState(null, '', '#sau')")
    page = tab.page
    box = page.locator(".mm-map").bounding_box()
    middle = (box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.6)
    page.mouse.click(*middle)
    page.wait_for_selector(".mm-nearest", timeout=3000)
    items = page.locator(".mm-nearest-list li").all_inner_texts()
    assert len(items) == 3 and all(i.startswith("SAU ") and i.endswith("km en línea recta") for i in items), items
    for view in ("mi60", "cobertura"):  # no centres' list on a map without them, nor on the choropleth
        go(page, view)
        page.mouse.click(*middle)
        page.wait_for_timeout(300)
        assert page.locator(".mm-nearest").count() == 0, view
        page.keyboard.press("Escape")
    tab.assert_clean()


def test_switching_views_draws_each_map_s_own_centres(alone, open_page):
    tab = open_page(alone)
    page = tab.page
    # Mi60+ has no centres of the directory, only its own 2 sites (and no search box).
    for view, count in [("cem", 435), ("sau", 8), ("cai", 7), ("estrategia-rural", 65), ("mi60", 2),
                        ("cobertura", 0), ("cem", 435)]:
        go(page, view)
        assert page.locator(MARKERS).count() == count, view
        # One search box, on the maps with centres; one kinds' legend while centres are on.
        assert shown(page, ".mm-search") == (0 if view == "mi60" else 1), view
        assert page.locator(".mm-centres-legend").count() == (1 if count and view != "mi60" else 0), view
    # A service's centres switched off stay off when its map comes back; the choropleth's stay on.
    expand_shown_layer_control(page)
    page.get_by_role("checkbox", name=LAYER, exact=True).filter(visible=True).uncheck()
    go(page, "cobertura")
    expand_shown_layer_control(page)
    page.get_by_role("checkbox", name=LAYER, exact=True).filter(visible=True).check()
    go(page, "cem")
    assert page.locator(MARKERS).count() == 0
    go(page, "cobertura")
    assert page.locator(MARKERS).count() == 515
    # The search finds centres of the map on show only.
    go(page, "cai")
    search(page).fill("Bagua")
    assert "Cem Comisaría Bagua" not in page.locator(".mm-search").filter(visible=True).inner_text()
    tab.assert_clean()
