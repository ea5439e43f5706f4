"""Save → see: the time from writing a figure into the coverage to the new figure in an open page's DOM.

    pip install -e ".[test]"; python benchmarks/bench_serve.py [--repeat 10] [--naive 3]

Figures printed (each with the machine's load average beside it):
- `mimpmap serve` of the YAML: a real Chromium shows servicios/cem.html served by the preview (a
  subprocess, as a user runs it, on a folder built with PNG images too); the CEM's 2020 cases are
  rewritten in the YAML and the clock stops when the page (patched in place by the preview's script, or
  reloaded when more than its text changed) shows the new figure; then when servicios/cem.png is
  replaced. Medians of ``--repeat`` saves; the budget for the page is 0.5 s.
- for the YAML, an invalid save (a figure that is not a number): the time until the open page shows
  the overlay with its problems, and after the fix, until the overlay is gone. Same budget.
- the same for a workbook (`mimpmap export`), saved with openpyxl to a temporary file renamed over the
  workbook, as Excel saves.
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
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"
CHROMIUM = os.environ.get("MIMPMAP_CHROMIUM", "/usr/bin/chromium")
FIGURE, FIRST = "values: [{}, 136782]", 114495
FIGURES = "Array.from(document.querySelectorAll('td.mm-num'), td => td.textContent)"
PAGE, IMAGE = "servicios/cem.html", "servicios/cem.png"
BUDGET, LIMIT = 0.5, 120.0
OVERLAY = "#mimpmap-problems"
MIMPMAP = [sys.executable, "-m", "mimpmap"]


def load() -> str:
    return "carga " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def yaml_saver(data: Path) -> Callable[[int], float]:
    """Saves of the YAML with the CEM's 2020 cases set to a value; each returns when it began."""
    shutil.copy(DATA, data)

    def save(value: int) -> float:
        text = DATA.read_text(encoding="utf-8").replace(FIGURE.format(FIRST), FIGURE.format(value))
        began = time.perf_counter()
        data.write_text(text, encoding="utf-8")
        return began

    return save


def workbook_saver(book: Path) -> Callable[[int], float]:
    """Saves of a workbook exported from the YAML, as Excel saves: the whole book written to a temporary
    file of the folder, renamed over the one opened."""
    import openpyxl

    subprocess.run([*MIMPMAP, "export", "--data", str(DATA), str(book)], check=True, capture_output=True)
    cells = [(sheet.title, cell.coordinate) for sheet in openpyxl.load_workbook(book) for row in sheet.iter_rows()
             for cell in row if cell.value == FIRST]
    assert len(cells) == 1, f"la cifra {FIRST} está {len(cells)} veces en el libro"
    (sheet, coordinate), = cells

    def save(value: int) -> float:
        workbook = openpyxl.load_workbook(book)
        workbook[sheet][coordinate] = value
        temporary = book.with_name("~$guardando.tmp")
        began = time.perf_counter()
        workbook.save(temporary)
        os.replace(temporary, book)
        return began

    return save


def shows(page, value: int) -> bool:
    from mimpmap.text import number

    try:
        return number(value) in page.evaluate(FIGURES)
    except Exception:  # noqa: BLE001 - the page is being replaced by its reload
        return False


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns


def served_times(page, image: Path, save: Callable[[int], float], repeat: int, start: int):
    """Per save: seconds until the page shows the figure, until the image is replaced; and how many
    saves the page took in place (not reloaded)."""
    shown, drawn = [], []
    page.evaluate("window.mmSame = true")
    for i in range(repeat):
        value, before = start + i, stamp(image)
        began = save(value)
        seen = None
        while seen is None or stamp(image) == before:
            if seen is None and shows(page, value):
                seen = time.perf_counter() - began
            if time.perf_counter() - began > LIMIT:
                raise TimeoutError(f"guardado {i + 1}: la página o {IMAGE} no cambió en {LIMIT:.0f} s")
            time.sleep(0.005)
        shown.append(seen)
        drawn.append(time.perf_counter() - began)
        page.wait_for_timeout(300)  # let the page settle before the next save
    same = page.evaluate("window.mmSame === true")
    return shown, drawn, same


def overlay_times(page, data: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Per invalid save: seconds until the overlay names the bad figure; per fix: until it is gone."""
    good = data.read_text(encoding="utf-8")
    shown, gone = [], []
    for i in range(repeat):
        bad = good.replace("values: [", f"values: [x{i}", 1)
        began = time.perf_counter()
        data.write_text(bad, encoding="utf-8")
        page.wait_for_selector(f"{OVERLAY}:has-text('x{i}')", timeout=LIMIT * 1000)
        shown.append(time.perf_counter() - began)
        began = time.perf_counter()
        data.write_text(good, encoding="utf-8")
        page.wait_for_selector(OVERLAY, state="detached", timeout=LIMIT * 1000)
        gone.append(time.perf_counter() - began)
        page.wait_for_timeout(300)
    return shown, gone


def naive_times(page, data: Path, out: Path, repeat: int, start: int) -> list[float]:
    times = []
    save = yaml_saver(data)
    build = [*MIMPMAP, "build", "--format", "html", "--data", str(data), "--geo", str(GEO), "--out", str(out), "-q"]
    for i in range(repeat):
        value = start + i
        began = save(value)
        subprocess.run(build, check=True, capture_output=True)
        page.reload(wait_until="domcontentloaded")
        while not shows(page, value):
            page.wait_for_timeout(5)
        times.append(time.perf_counter() - began)
    return times


def summary(times: list[float]) -> str:
    return (f"mediana {statistics.median(times):.3f} s (mín {min(times):.3f}, máx {max(times):.3f}; "
            f"{len(times)} veces)")


def bench_served(browser, what: str, data: Path, out: Path, save: Callable[[int], float], repeat: int,
                 start: int) -> None:
    """Build the folder (pages and images) from ``data``, serve it, and time ``repeat`` saves."""
    subprocess.run([*MIMPMAP, "build", "--format", "html,png", "--data", str(data), "--geo", str(GEO),
                    "--out", str(out), "-q"], check=True, capture_output=True)
    serve = subprocess.Popen([*MIMPMAP, "serve", "--no-open", "--port", "0", "--data", str(data), "--geo", str(GEO),
                              "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = serve.stdout.readline().split()[3]
        serve.stdout.readline()  # the first build is done (it had nothing to do)
        said: list[str] = []
        threading.Thread(target=lambda: said.extend(serve.stdout), daemon=True).start()
        page = browser.new_page()
        page.goto(url + PAGE, wait_until="load")
        shown, drawn, same = served_times(page, out / IMAGE, save, repeat, start)
        wrong = overlay_times(page, data, repeat) if data.suffix == ".yaml" else None
        page.close()
    finally:
        serve.terminate()
        serve.wait()
    print(f"mimpmap serve, {what}: guardar → cifra nueva en la página: {summary(shown)}; objetivo ≤ {BUDGET} s; "
          f"{'sin recargar' if same else 'con alguna recarga'}  [{load()}]")
    passes = [float(m.group(1).replace(",", ".")) for line in said if PAGE in line
              for m in [re.search(r"en (\d+,\d+) s", line)] if m]
    if passes:
        print(f"  de ellos, redibujar la página (lo que dice serve): {summary(passes)}")
    print(f"  guardar → {IMAGE} redibujado: {summary(drawn)}  [{load()}]")
    if wrong:
        print(f"  guardar con un error → aviso en la página: {summary(wrong[0])}; objetivo ≤ {BUDGET} s  [{load()}]")
        print(f"  corregir → el aviso se va: {summary(wrong[1])}  [{load()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--naive", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        data, book, out = Path(tmp) / "coverage.yaml", Path(tmp) / "cobertura.xlsx", Path(tmp) / "maps"
        bench_served(browser, "YAML", data, out, yaml_saver(data), args.repeat, 200_000)
        bench_served(browser, "libro .xlsx", book, out, workbook_saver(book), args.repeat, 250_000)
        page = browser.new_page()
        page.goto(out.joinpath(PAGE).as_uri())
        naive = naive_times(page, data, out, args.naive, 300_000)
        print(f"ingenuo (mimpmap build en frío + recargar): {summary(naive)}  [{load()}]")
        browser.close()


if __name__ == "__main__":
    main()
