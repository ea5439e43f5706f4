"""Save → see: the time from writing a figure into the YAML to the new figure in an open page's DOM.

    pip install -e ".[test]"; python benchmarks/bench_serve.py [--repeat 10] [--naive 3]

Figures printed (each with the machine's load average beside it):
- `mimpmap serve`: a real Chromium shows servicios/cem.html served by the preview (a subprocess, as a user
  runs it); the CEM's 2020 cases are rewritten in the YAML and the clock stops when the page, reloaded by
  the preview, shows the new figure. Median of ``--repeat`` saves; the budget is 0.5 s.
- the naive loop, measured the same way: a cold `mimpmap build --format html` after the save, then a
  reload of the page (what a user did before `serve`). Median of ``--naive`` saves.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"
CHROMIUM = os.environ.get("MIMPMAP_CHROMIUM", "/usr/bin/chromium")
FIGURE = "values: [114495, 136782]"
FIGURES = "Array.from(document.querySelectorAll('td.mm-num'), td => td.textContent)"
BUDGET = 0.5


def load() -> str:
    return "carga " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def write_figure(data: Path, value: int) -> None:
    text = DATA.read_text(encoding="utf-8").replace(FIGURE, f"values: [{value}, 136782]")
    data.write_text(text, encoding="utf-8")


def shows(page, value: int) -> bool:
    from mimpmap.text import number

    try:
        return number(value) in page.evaluate(FIGURES)
    except Exception:  # noqa: BLE001 - the page is being replaced by its reload
        return False


def served_times(page, data: Path, repeat: int, start: int) -> list[float]:
    times = []
    for i in range(repeat):
        value = start + i
        with page.expect_navigation(wait_until="domcontentloaded", timeout=120_000):
            began = time.perf_counter()
            write_figure(data, value)
        while not shows(page, value):
            page.wait_for_timeout(5)
        times.append(time.perf_counter() - began)
        page.wait_for_timeout(300)  # let the page settle before the next save
    return times


def naive_times(page, data: Path, out: Path, repeat: int, start: int) -> list[float]:
    times = []
    build = [sys.executable, "-m", "mimpmap", "build", "--format", "html", "--data", str(data), "--geo", str(GEO),
             "--out", str(out), "-q"]
    for i in range(repeat):
        value = start + i
        began = time.perf_counter()
        write_figure(data, value)
        subprocess.run(build, check=True, capture_output=True)
        page.reload(wait_until="domcontentloaded")
        while not shows(page, value):
            page.wait_for_timeout(5)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--naive", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        data, out = Path(tmp) / "coverage.yaml", Path(tmp) / "maps"
        shutil.copy(DATA, data)
        serve = subprocess.Popen([sys.executable, "-m", "mimpmap", "serve", "--no-open", "--port", "0", "--data",
                                  str(data), "--geo", str(GEO), "--out", str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        try:
            url = serve.stdout.readline().split()[3]
            serve.stdout.readline()  # the first build is done
            said: list[str] = []
            threading.Thread(target=lambda: said.extend(serve.stdout), daemon=True).start()
            page = browser.new_page()
            page.goto(url + "servicios/cem.html", wait_until="domcontentloaded")
            served = served_times(page, data, args.repeat, 200_000)
            print(f"mimpmap serve, guardar → cifra nueva en la página: mediana {statistics.median(served):.3f} s "
                  f"(mín {min(served):.3f}, máx {max(served):.3f}; {len(served)} veces; objetivo ≤ {BUDGET} s)  "
                  f"[{load()}]")
            drawn = [float(m.group(1).replace(",", ".")) for line in said if "servicios/cem.html" in line
                     for m in [re.search(r"en (\d+,\d+) s", line)] if m]
            if drawn:
                print(f"  de ellos, redibujar las páginas (lo que dice serve): mediana {statistics.median(drawn):.3f} s")
        finally:
            serve.terminate()
            serve.wait()
        page.goto(out.joinpath("servicios", "cem.html").as_uri())
        naive = naive_times(page, data, out, args.naive, 300_000)
        print(f"ingenuo (mimpmap build en frío + recargar): mediana {statistics.median(naive):.3f} s "
              f"(mín {min(naive):.3f}, máx {max(naive):.3f}; {len(naive)} veces)  [{load()}]")
        browser.close()


if __name__ == "__main__":
    main()
