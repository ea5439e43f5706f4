"""`build --service` beside the naive way, a full build (issue 22.13).

    python benchmarks/bench_service.py [--formats html,png,svg,pdf] [--compare OLD/src]

In a temporary folder, with the shipped data and the formats of the committed maps/, it times:

1. the naive baseline: a full build into an empty folder (what `--service` must beat);
2. `build --service cai` with the same data (nothing to draw);
3. a plain `build` after it (should be the fast path, "Nada que hacer");
4. `build --service cai` after one figure of cai changed (its page and images, the index, both atlases
   and the workbook show it);
5. a plain `build` after it;
6. `build --service cai` after only a figure of cem changed (nothing of cai's to draw).

Each line gives the seconds, the files written and the first words of the summary. With `--compare DIR`
(the `src` folder of another checkout, e.g. `/work/main/src` or `git worktree add /tmp/old main`), the
same steps also run with that code (PYTHONPATH=DIR), and both columns are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"
#: The edits: one figure of cai; one of cem.
CAI_FIGURE = ("values: [1726, 2075]", "values: [1726, 2150]")
CEM_FIGURE = ("values: [114495, 136782]", "values: [114495, 136790]")


def mimpmap(src: Path, *args) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mimpmap", *map(str, args)], env=env, capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - started, done.stdout + done.stderr


def summary(output: str) -> str:
    """The files written and the summary line (or "Nada que hacer")."""
    if "Nada que hacer" in output:
        return "Nada que hacer"
    found = re.search(r"(\d+) archivos? escritos?(, \d+ sin cambios)?", output)
    stale = re.search(r"Aviso: (\d+) archivos? de .*? no muestra", output)
    return (found.group(0) if found else "?") + (f"; {stale.group(1)} desactualizados" if stale else "")


def steps(src: Path, formats: str, where: Path) -> list[tuple[str, float, str]]:
    out, data = where / "maps", where / "coverage.yaml"
    shutil.copy(DATA, data)
    text = DATA.read_text(encoding="utf-8")
    build = ("build", "--data", data, "--geo", GEO, "--out", out)
    rows = []

    def step(name: str, *args) -> None:
        seconds, said = mimpmap(src, *build, *args)
        rows.append((name, seconds, summary(said)))

    step("1. full build, empty folder (naive)", "--format", formats)
    step("2. --service cai, same data", "--service", "cai")
    step("3. plain build after it")
    data.write_text(text.replace(*CAI_FIGURE), encoding="utf-8")
    step("4. --service cai, cai's figure changed", "--service", "cai")
    step("5. plain build after it")
    data.write_text(text.replace(*CAI_FIGURE).replace(*CEM_FIGURE), encoding="utf-8")
    step("6. --service cai, only cem changed", "--service", "cai")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="html,png,svg,pdf")
    parser.add_argument("--compare", type=Path, help="the src folder of another checkout")
    args = parser.parse_args()
    codes = {"this": ROOT / "src"} | ({"compare": args.compare} if args.compare else {})
    results = {}
    for label, src in codes.items():
        with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
            results[label] = steps(src, args.formats, Path(tmp))
    print(f"formats {args.formats}; seconds, and what the build said")
    for i, (name, *_) in enumerate(results["this"]):
        cells = [f"{label}: {results[label][i][1]:6.1f} s  {results[label][i][2]:<40}" for label in codes]
        print(f"{name:<42} " + " | ".join(cells))


if __name__ == "__main__":
    main()

# One run on the shared 2-core machine (this branch beside main's code, --compare /work/main/src):
#
# formats html,png,svg,pdf                  this branch                       main
# 1. full build, empty folder (naive)        44.9 s  133 escritos               48.8 s  133 escritos
# 2. --service cai, same data                 8.7 s  0 escritos                  8.4 s  0 escritos
# 3. plain build after it                     0.4 s  Nada que hacer             13.1 s  0 escritos, 133 sin cambios
# 4. --service cai, cai's figure changed     20.8 s  8 escritos                 32.1 s  8 escritos
# 5. plain build after it                     0.5 s  Nada que hacer              4.3 s  0 escritos, 133 sin cambios
# 6. --service cai, only cem changed          2.9 s  0 escritos, 8 desact.     12.6 s  4 escritos (cem's data)
#
# Steps 2, 4 and 6 of both columns draw the same files but the machine was loaded unevenly; of step 4,
# atlas.pdf alone takes ~8.5 s (every page of the atlas is drawn again: it shows cai's figure).
