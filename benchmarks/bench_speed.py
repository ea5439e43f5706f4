"""The three build times of issue 9, each beside the import floor measured in the same rounds.

    pip install -e ".[bench]"; python benchmarks/bench_speed.py [--repeat 5] [--pdf] [--compare OLD/src]

The floor is `python -c "import geopandas, folium"`. In every round each command runs once, in turn,
so a slow spell of a shared machine hits them alike; a ratio is the median of the rounds' ratios
(each command over the floor of its own round), with its range. Figures printed:

1. a build with nothing to do (HTML, PNG and SVG in the folder): target ≤ 0.5x the floor;
2. a build after one service's figure changed (one number of `cai` in coverage.yaml), with HTML, PNG
   and SVG in the folder: target ≤ 1.5x;
3. a full `build --format html,png,svg` into an empty folder: target ≤ 4x;

Beside them, in the same rounds:

* the libraries a build with images loads, `import geopandas, folium, matplotlib.figure` (and the
  Agg canvas): what any such build pays before it draws, the lower bound of this design;
* the naive way to the same images: one process, `GeoDataFrame.plot` per service and the
  choropleth, each saved as a PNG at 300 dpi and an SVG, no titles, legends, insets or thumbnails.

Then, once each: the full build's largest process and the sum of its processes' resident memory at
their peak (sampled), and with `--pdf` the time of a full `html,png,svg,pdf` build. With `--compare
DIR` (the `src` folder of another checkout, e.g. `git worktree add /tmp/old main`), each build also
runs with that code (PYTHONPATH=DIR) in the same rounds, and both are printed.
"""

from __future__ import annotations

import argparse
import functools
import os
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
POPULATION = ROOT / "data" / "population.csv"
#: The figure edited between rounds of the one-service build: `cai`'s cases in its latest period.
EDIT = ("values: [1726, 2075]", "values: [1726, 2150]")
TARGETS = {"nothing": 0.5, "one": 1.5, "full": 4.0}
LIBRARIES = "import geopandas, folium, matplotlib.figure, matplotlib.backends.backend_agg"
#: The naive images: GeoDataFrame.plot, savefig, nothing else (argv: out, coverage, boundaries).
NAIVE = """
import sys, geopandas as gpd, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from pathlib import Path
from mimpmap.model import read_coverage
out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
data = read_coverage(sys.argv[2])
units = gpd.read_file(sys.argv[3]).to_crs("EPSG:32718")
counts = {c: 0 for c in units["iso_3166_2"]}
maps = {}
for s in data.services:
    for c in data.codes[s.id]:
        counts[c] += 1
    maps[s.id] = units["iso_3166_2"].isin(data.codes[s.id]).astype(int)
maps["cobertura"] = units["iso_3166_2"].map(counts)
for name, column in maps.items():
    ax = units.assign(v=column).plot(column="v", cmap="Blues", edgecolor="#666666", linewidth=0.4,
                                     figsize=(6.3, 9.05))
    ax.set_axis_off()
    ax.figure.savefig(out / f"{name}.png", dpi=300)
    ax.figure.savefig(out / f"{name}.svg")
    plt.close(ax.figure)
"""


def timed(cmd: list[str], setup=None, env=None) -> float:
    if setup:
        setup()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def memory(cmd: list[str]) -> tuple[float, int, int]:
    """Seconds, and the peaks (KB, sampled every 20 ms) of the largest process's RSS and of the sum
    of the RSS of the process and its workers (shared pages counted in each: an upper bound)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    largest = total = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal largest, total
        while not stop.wait(0.02):
            rss = [_rss_kb(pid) for pid in _tree(proc.pid)]
            largest, total = max(largest, *rss, 0), max(total, sum(rss))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    proc.wait()
    seconds = time.perf_counter() - start
    stop.set()
    thread.join()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return seconds, largest, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (each runs every command once)")
    parser.add_argument("--pdf", action="store_true", help="also time a full html,png,svg,pdf build")
    parser.add_argument("--compare", type=Path, metavar="DIR", help="the src folder of other code to time too")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        still = tmp / "still.yaml"  # the data as shipped
        text = DATA.read_text(encoding="utf-8")
        if EDIT[0] not in text:
            sys.exit(f"bench_speed: {DATA} no longer has {EDIT[0]!r}: update EDIT")
        still.write_text(text, encoding="utf-8")
        shape = ["--geo", str(GEO), "--population", str(POPULATION)]
        build = [py, "-m", "mimpmap", "-q", "build", *shape]
        images = ["--format", "html,png,svg"]
        floor = [py, "-c", "import geopandas, folium"]
        libraries = [py, "-c", LIBRARIES]
        naive = [py, "-c", NAIVE, str(tmp / "naive"), str(still), str(GEO)]
        codes = {"": None}
        if args.compare:
            codes[" (compared)"] = {**os.environ, "PYTHONPATH": str(args.compare.resolve())}

        def edit(data: Path) -> None:  # one number of one service, back and forth: a change every round
            now = data.read_text(encoding="utf-8")
            data.write_text(now.replace(*EDIT) if EDIT[0] in now else now.replace(*reversed(EDIT)), encoding="utf-8")

        commands = {"floor": (floor, None, None), "libraries": (libraries, None, None),
                    "naive": (naive, functools.partial(shutil.rmtree, tmp / "naive", ignore_errors=True), None)}
        for n, (tag, env) in enumerate(codes.items()):
            code = tmp / f"code{n}"
            code.mkdir()
            data = code / "coverage.yaml"  # edited between rounds
            data.write_text(text, encoding="utf-8")
            fresh = code / "fresh"
            nothing = [*build, "--data", str(still), "--out", str(code / "still")]
            one = [*build, "--data", str(data), "--out", str(code / "edited")]
            full = [*build, "--data", str(still), *images, "--out", str(fresh)]
            for cmd in (nothing, one):
                subprocess.run([*cmd, *images], check=True, capture_output=True, env=env)
            commands.update({f"nothing{tag}": (nothing, None, env),
                             f"one{tag}": (one, functools.partial(edit, data), env),
                             f"full{tag}": (full, functools.partial(shutil.rmtree, fresh, ignore_errors=True), env)})
        still_out = tmp / "code0" / "still"
        written = {p: p.stat().st_mtime_ns for p in still_out.rglob("*") if p.is_file()}
        for cmd, setup, env in commands.values():  # a warm-up round (caches, .pyc), not counted
            timed(cmd, setup, env)
        rounds = [{name: timed(*how) for name, how in commands.items()} for _ in range(args.repeat)]
        rewritten = sorted(str(p.relative_to(still_out)) for p in still_out.rglob("*")
                           if p.is_file() and written.get(p) != p.stat().st_mtime_ns)
        full, empty, _ = commands["full"]
        empty()
        mem = memory(full)
        pdf = None
        if args.pdf:
            pdf = timed([*build, "--data", str(still), "--format", "html,png,svg,pdf", "--out", str(tmp / "pdf")])

    floor_s = statistics.median(r["floor"] for r in rounds)
    print(f"import floor: python -c 'import geopandas, folium': median {floor_s:.2f} s "
          f"({min(r['floor'] for r in rounds):.2f}–{max(r['floor'] for r in rounds):.2f}), {len(rounds)} rounds")
    labels = {"nothing": "build with nothing to do", "one": "build after one service's figure changed",
              "full": "full build --format html,png,svg"}
    for name, label in labels.items():
        for tag in codes:
            ratios = [r[name + tag] / r["floor"] for r in rounds]
            ratio = statistics.median(ratios)
            verdict = "ok" if ratio <= TARGETS[name] else "OVER TARGET"
            print(f"{label + tag:53} {statistics.median(r[name + tag] for r in rounds):6.2f} s  {ratio:5.2f}x "
                  f"the floor (range {min(ratios):.2f}x–{max(ratios):.2f}x)  target ≤ {TARGETS[name]}x: {verdict}")
    for name, label in (("libraries", "the libraries a build with images loads"),
                        ("naive", "naive: GeoDataFrame.plot + savefig PNG/SVG, 20 maps")):
        ratios = [r[name] / r["floor"] for r in rounds]
        print(f"{label:53} {statistics.median(r[name] for r in rounds):6.2f} s  {statistics.median(ratios):5.2f}x "
              f"the floor (range {min(ratios):.2f}x–{max(ratios):.2f}x)")
    print(f"  the build with nothing to do rewrote {len(rewritten)} files{': ' if rewritten else ''}"
          f"{', '.join(rewritten[:5])}")
    seconds, largest, total = mem
    print(f"full build, memory: largest process {largest / 1024:.0f} MB, all processes at their peak "
          f"≤ {total / 1024:.0f} MB (RSS, shared pages counted in each; {seconds:.2f} s)")
    if pdf is not None:
        print(f"full build --format html,png,svg,pdf: {pdf:.2f} s")


if __name__ == "__main__":
    main()
