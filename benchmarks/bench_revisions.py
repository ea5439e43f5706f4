"""A full build of two or more revisions of mimpmap, timed in the same run, rounds taking turns.

    python benchmarks/bench_revisions.py [REV ...] [--repeat 3] [--format html,png,svg]

Each revision is checked out (``git archive``) into a temporary folder and built from there, in a fresh
process as a user runs it (``python -m mimpmap build --format ... --out EMPTY``), with this environment's
Python and libraries, its own data and boundaries. Every round builds each revision once, in turn, into
an empty folder, so a slow spell of a shared machine hits all of them alike. Printed: per revision the
median and the range of its wall times and its ratio to the first revision (the baseline); the median CPU
time of the build and its workers (less sensitive than the wall time to other work on the machine) and
its ratio; the number of files written.

Default revisions: ``aacdec5`` (main before the work of issues 20 and 21: no views, no levels registry,
no centres) and ``HEAD``. Issue 21 asks that a full build be at most 15 % slower than before it; issue 20
that the ``html,png,svg`` build be no slower than before the layers and levels.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "aacdec5"


def checkout(rev: str, into: Path) -> Path:
    """The tree of ``rev`` in a folder of ``into``; returns the folder."""
    folder = into / rev.replace("/", "_")
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder)
    return folder


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build_time(tree: Path, out: Path, formats: str) -> tuple[float, float, int]:
    """Wall and CPU seconds (the build and its workers) of one full build of ``tree`` into an empty
    ``out``, and how many files it wrote."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cmd = [sys.executable, "-m", "mimpmap", "build", "--format", formats, "--out", str(out)]
    start, cpu_start = time.perf_counter(), cpu()
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    took, cpu_took = time.perf_counter() - start, cpu() - cpu_start
    return took, cpu_took, sum(1 for p in out.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="*", default=[BEFORE, "HEAD"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", default="html,png,svg")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {rev: checkout(rev, Path(tmp)) for rev in args.revs}
        times: dict[str, list[float]] = {rev: [] for rev in args.revs}
        cpus: dict[str, list[float]] = {rev: [] for rev in args.revs}
        files: dict[str, int] = {}
        for rev, tree in trees.items():  # a warm-up: bytecode compiled, fonts cached
            build_time(tree, Path(tmp) / "out", args.format)
        for _ in range(args.repeat):
            for rev, tree in trees.items():
                took, cpu_took, files[rev] = build_time(tree, Path(tmp) / "out", args.format)
                times[rev].append(took)
                cpus[rev].append(cpu_took)
    base, cpu_base = statistics.median(times[args.revs[0]]), statistics.median(cpus[args.revs[0]])
    print(f"build --format {args.format}, {args.repeat} rondas  [carga "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()) + "]")
    for rev in args.revs:
        median = statistics.median(times[rev])
        print(f"  {rev:>10}: mediana {median:.2f} s (mín {min(times[rev]):.2f}, máx {max(times[rev]):.2f}); "
              f"{median / base:.2f}× {args.revs[0]}; CPU mediana {statistics.median(cpus[rev]):.2f} s, "
              f"{statistics.median(cpus[rev]) / cpu_base:.2f}×; {files[rev]} archivos")


if __name__ == "__main__":
    main()
