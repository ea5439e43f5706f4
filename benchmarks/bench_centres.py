"""The centres' budgets (issue 21): ``cem.html`` on a slow phone, and the size of ``atlas.html``.

    python benchmarks/bench_centres.py [--repeat 7]

Figures printed, each beside a naive baseline measured in the same run:

(a) ``cem.html`` load time in Chromium (/usr/bin/chromium, or MIMPMAP_CHROMIUM) with a phone viewport
    (390×844, touch, device scale 3) and the CPU throttled 6× (CDP ``Emulation.setCPUThrottlingRate``):
    the median of N loads, from navigation start to the first frame painted after the ``load`` event
    (the page's scripts build the map and its 435 markers before ``load``). Budget: ≤ 1.5 s. Beside it:
    - the naive page: the same page with every centre written the way folium writes a marker, one
      ``folium.CircleMarker`` with its own ``folium.Popup`` of HTML each (what a page made with folium's
      own API would hold), instead of one data list drawn by ``MMCentres.layer``;
    - the same service page without any centre (``adopciones.html``), to show what the centres cost;
    - ``cem.html`` unthrottled, for scale;
    - ``brechas.html`` (issue 24: 196 provinces in two choropleths, with the CEMs), same phone, same budget.
(b) ``atlas.html``'s size with the centres (budget ≤ 600 KB, 600 000 bytes as in tests/test_atlas.py),
    each point written once in a compact list (``centres_data`` in html/atlas.py), beside:
    - the naive atlas: the same file with each of its 5 maps with centres (the choropleth, CEM, SAR,
      SAU, CAI) writing its own list the way a separate page does (``layer_data``);
    - the atlas without centres, to show what they cost;
    - every map its own page: the sum of ``cobertura.html`` and the service pages built with
      ``--no-cdn`` (each repeats Leaflet, the script and the boundaries, and its centres).
    ``--size-only`` prints (b) alone, without Chromium.

Nothing here is a test: the figures are printed, and a missed budget is said, not failed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CHROMIUM = os.environ.get("MIMPMAP_CHROMIUM", "/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}
THROTTLE = 6
LOAD_BUDGET = 1.5  # seconds
ATLAS_BUDGET = 600_000  # bytes (tests/test_atlas.py)

#: Runs in the page before its scripts: the time of the first frame after "load", in ms since navigation.
FIRST_FRAME = """
window.addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
  window.mmLoaded = performance.now();
})));
"""


def build(out: Path) -> None:
    """The shipped maps' HTML pages (and atlas.html) into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "mimpmap", "build", "--format", "html", "--out", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def naive_cem(out: Path) -> Path:
    """``cem.html`` with every centre a folium marker with its own HTML popup (the naive page)."""
    import folium

    import mimpmap
    from mimpmap.html.pages import Renderer
    from mimpmap.html.text import esc

    atlas = mimpmap.load().atlas
    layer = atlas.centres.of("cem")

    class WithoutLayer(Renderer):
        def centre_layer(self, spec):
            return None

    m = WithoutLayer(atlas).service_map("cem")
    group = folium.FeatureGroup(name=layer.name).add_to(m)
    for p in layer.points:
        phones = " / ".join(f'<a href="tel:{esc(t)}">{esc(t)}</a>' for t in p.phones)
        html = f"<h3>{esc(p.name)}</h3><p>{esc(p.kind)}</p><p>{esc(p.address)}</p><p>{esc(p.place)}</p><p>{phones}</p>"
        folium.CircleMarker([p.lat, p.lon], radius=5, color="#ffffff", weight=1.5, fill=True, fill_color=p.color,
                            fill_opacity=1, tooltip=p.name, popup=folium.Popup(html, max_width=280)).add_to(group)
    path = out / "servicios" / "cem-naive.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


def load_times(pages: dict[str, tuple[Path, int]], repeat: int) -> dict[str, list[float]]:
    """Seconds to the first frame after ``load`` of each page (with its CPU throttling), ``repeat`` times,
    the pages taking turns so a slow spell of a shared machine hits them alike."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        for round_ in range(repeat + 1):  # the first round warms the disk cache and is dropped
            for name, (path, rate) in pages.items():
                context = browser.new_context(**PHONE)
                context.add_init_script(FIRST_FRAME)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function("window.mmLoaded !== undefined")
                if round_:
                    times[name].append(page.evaluate("window.mmLoaded") / 1000)
                context.close()
        browser.close()
    return times


def sizes(out: Path) -> tuple[int, int]:
    """``atlas.html``'s bytes, and those of every map as its own page (the naive way to send them all)."""
    pages = [out / "cobertura.html", *sorted((out / "servicios").glob("*.html"))]
    return (out / "atlas.html").stat().st_size, sum(p.stat().st_size for p in pages if "naive" not in p.name)


def atlas_sizes() -> dict[str, int]:
    """``atlas.html``'s bytes as built, with each map's centres written apart (naive), and without centres."""
    import dataclasses

    import mimpmap
    from mimpmap.html.atlas import centres_data, render_atlas
    from mimpmap.html.centres import layer_data
    from mimpmap.html.text import js_json

    atlas = mimpmap.load().atlas
    ours = len(render_atlas(atlas).encode("utf-8"))
    compact = len(js_json(centres_data(atlas.centres)).encode("utf-8"))
    apart = sum(len(js_json(layer_data(layer)).encode("utf-8"))
                for layer in (atlas.centres.choropleth, *atlas.centres.services.values()))
    return {"atlas.html (each centre written once)": ours,
            "naive: each map writes its own centres": ours - compact + apart,
            "atlas.html without centres": len(render_atlas(dataclasses.replace(atlas, centres=None)).encode("utf-8"))}


def print_sizes(separate: int | None) -> None:
    print("(b) atlas.html, every map in one file:")
    sizes_ = atlas_sizes()
    if separate is not None:
        sizes_["naive: every map its own page"] = separate
    for name, value in sizes_.items():
        print(f"    {name:<42} {value / 1000:8.1f} kB")
    ours = next(iter(sizes_.values()))
    print(f"    budget ≤ {ATLAS_BUDGET / 1000:.0f} kB: {verdict(ours, ATLAS_BUDGET)} "
          f"({(ATLAS_BUDGET - ours) / 1000:+.1f} kB to spare)")


def verdict(value: float, budget: float) -> str:
    return "within budget" if value <= budget else "BUDGET MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="loads of each page (median taken)")
    parser.add_argument("--size-only", action="store_true", help="only (b), the size of atlas.html")
    args = parser.parse_args()
    if args.size_only:
        print_sizes(None)
        return
    with tempfile.TemporaryDirectory(prefix="bench-centres-") as tmp:
        out = Path(tmp)
        build(out)
        _, separate = sizes(out)
        pages = {
            f"cem.html, CPU {THROTTLE}x slower": (out / "servicios" / "cem.html", THROTTLE),
            f"naive cem.html (folium marker + popup each), CPU {THROTTLE}x": (naive_cem(out), THROTTLE),
            f"adopciones.html (no centres), CPU {THROTTLE}x": (out / "servicios" / "adopciones.html", THROTTLE),
            "cem.html, no throttling": (out / "servicios" / "cem.html", 1),
            # issue 24: the provinces (two choropleths) with the CEMs, under the same budget
            f"brechas.html, CPU {THROTTLE}x slower": (out / "brechas.html", THROTTLE),
        }
        times = load_times(pages, args.repeat)
        print(f"(a) load on a phone (390x844), median of {args.repeat}, to the first frame after 'load':")
        for name, values in times.items():
            print(f"    {name:<58} {statistics.median(values):6.2f} s  (min {min(values):.2f}, max {max(values):.2f})")
        for name in (next(iter(times)), f"brechas.html, CPU {THROTTLE}x slower"):
            print(f"    {name.split(',')[0]}: budget ≤ {LOAD_BUDGET} s: "
                  f"{verdict(statistics.median(times[name]), LOAD_BUDGET)}")
        print("    page sizes: " + ", ".join(f"{path.name} {path.stat().st_size / 1024:.0f} KB"
                                            for path, _ in (*list(pages.values())[:3], list(pages.values())[-1])))
        print_sizes(separate)


if __name__ == "__main__":
    main()
