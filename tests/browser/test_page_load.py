"""What the pages leave for later to open quickly on a phone (issue 21's budget) still works when it is
needed: a centre's name on hover (its tooltip is bound the first time the pointer comes over it), and
the panel folded on a phone from the start, opened by its summary."""

from __future__ import annotations

import pytest

from .conftest import require_browser
from .test_a11y import PHONE_390
from .test_pages import _js, hover

require_browser(at_collection=True)
pytestmark = pytest.mark.browser


def test_hovering_a_centre_names_it_and_leaving_it_hides_the_name(site, open_page):
    tab = open_page(site / "servicios" / "cem.html")
    page = tab.page
    name = _js(page, """
      let first = null;  // a centre whose middle no other marker covers
      map.eachLayer(l => {
        if (first || !l.mmPoint) { return; }
        const r = l.getElement().getBoundingClientRect();
        if (document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === l.getElement()) { first = l; }
      });
      first.getElement().classList.add("mm-test-centre");
      return first.mmPoint[2];""")
    assert _js(page, "let n = 0; map.eachLayer(l => { if (l.mmPoint && l.getTooltip()) { n++; } }); return n;") == 0
    box = page.locator(".mm-test-centre").bounding_box()
    assert hover(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2).inner_text().strip() == name
    page.mouse.move(5, box["y"] + 200)
    page.wait_for_function("name => ![...document.querySelectorAll('.leaflet-tooltip')]"
                           ".some(t => t.textContent.includes(name))", arg=name)
    tab.assert_clean()


def test_on_a_phone_the_panel_is_folded_from_the_start_and_opens(site, open_page):
    tab = open_page(site / "servicios" / "cem.html", viewport=PHONE_390, has_touch=True, is_mobile=True,
                    init_script="""document.addEventListener("DOMContentLoaded", () => {
                      window.mmFoldAtParse = document.querySelector("details.mm-fold").open; });""")
    page = tab.page
    assert page.evaluate("window.mmFoldAtParse") is False
    page.tap(".mm-fold > summary")
    assert page.evaluate("document.querySelector('details.mm-fold').open") is True
    # Opened, its boxes that scroll are measured then, and take focus (see test_a11y).
    page.wait_for_function("""() => [...document.querySelectorAll('.mm-panel .mm-scroll')].every(b =>
      (b.scrollWidth > b.clientWidth + 1) === (b.getAttribute('tabindex') === '0'))""")
    tab.assert_clean()
