"""Issue 25 on the merged main: what the three branches' tests left uncovered or only partly held.

- 25.1: every download beside the maps (``datos/**``: the per-service CSV files too), not only the three
  the first test reads, runs nothing in a spreadsheet.
- 25.5: ``--prune`` deletes every file of a service no longer in the data (its caption and its data
  download too) and forgets them, so that the next build has nothing to do.
- 25.16: ``check`` refuses an id that Windows keeps for a device (``nul.html`` is its null device).
- 25.17: a path too long as a whole is said to be so, not blamed on a folder's name; ``check --maps``
  does not promise to make the folder it only reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mimpmap.cli import main
from mimpmap.layout import DATA_DIR
from mimpmap.manifest import NAME as MANIFEST

from .conftest import GEO, MINIMAL
from .test_formula_injection import PAYLOADS, hostile_document, runnable_csv_cells, runnable_xlsx_cells

TWO = MINIMAL + MINIMAL[MINIMAL.index("  - id: cai"):].replace("id: cai", "id: sau")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


# --- 25.1: every download ------------------------------------------------------------------------


def test_no_download_of_a_build_can_be_run(tmp_path):
    doc = hostile_document(PAYLOADS[:5] + PAYLOADS[:4])
    doc["source"] = doc["services"][0]["source"] = PAYLOADS[1]
    data = tmp_path / "coverage.yaml"
    data.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "maps"
    result = run("build", "--data", data, "--geo", GEO, "--out", out)
    assert result.exit_code == 0, result.output
    downloads = sorted((out / DATA_DIR).rglob("*.csv")) + sorted((out / DATA_DIR).rglob("*.xlsx"))
    assert out / DATA_DIR / "servicios" / "cai.csv" in downloads and out / DATA_DIR / "centros.csv" in downloads
    assert out / DATA_DIR / "disponibilidad.csv" in downloads and out / DATA_DIR / "brechas.csv" in downloads
    assert len(downloads) == 8
    for path in downloads:
        runnable = runnable_xlsx_cells if path.suffix == ".xlsx" else runnable_csv_cells
        assert runnable(path.read_bytes()) == [], path


# --- 25.5: --prune deletes the whole of a service, and forgets it -----------------------------------


def files_of(folder: Path, sid: str) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(f"{sid}.*"))


def test_prune_deletes_every_file_of_a_service_and_forgets_them(tmp_path):
    out, two, one = tmp_path / "maps", tmp_path / "two.yaml", tmp_path / "one.yaml"
    two.write_text(TWO, encoding="utf-8")
    one.write_text(MINIMAL, encoding="utf-8")
    assert run("build", "--data", two, "--geo", GEO, "--out", out, "--format", "html,svg").exit_code == 0
    made = files_of(out, "sau")
    assert f"{DATA_DIR}/servicios/sau.csv" in made and "servicios/sau.txt" in made, made

    told = run("build", "--data", one, "--geo", GEO, "--out", out)
    assert told.exit_code == 0 and all(name in told.output for name in made), told.output
    assert files_of(out, "sau") == made  # told about, not deleted

    pruned = run("build", "--data", one, "--geo", GEO, "--out", out, "--prune")
    assert pruned.exit_code == 0 and all(name in pruned.output for name in made), pruned.output
    assert files_of(out, "sau") == []
    assert not [name for name in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"] if "sau" in name]
    again = run("build", "--data", one, "--geo", GEO, "--out", out)
    assert again.exit_code == 0 and "Nada que hacer" in again.output, again.output


# --- 25.16: check refuses what build could not write --------------------------------------------


@pytest.mark.parametrize("sid, refused", [("nul", True), ("con", True), ("com1", True), ("lpt9", True),
                                          ("aux", True), ("con-1", False), ("nulo", False)])
def test_check_refuses_an_id_windows_keeps_for_a_device(yaml_file, sid, refused):
    result = run("check", "--data", yaml_file(MINIMAL.replace("id: cai", f"id: {sid}")), "--geo", GEO)
    if refused:
        assert result.exit_code == 1 and f"'{sid}' nombra un dispositivo en Windows" in result.output, result.output
        assert "línea 6" in result.output
    else:
        assert result.exit_code == 0, result.output


# --- 25.17: the right reason ----------------------------------------------------------------------


def test_a_path_too_long_as_a_whole_is_not_blamed_on_a_folder_name(tmp_path):
    deep = tmp_path.joinpath(*["d" * 200] * 25)  # every name fits; the whole path does not
    result = run("build", "--out", deep)
    assert result.exit_code == 2 and "demasiado larga" in result.output and "en toda la ruta" in result.output
    assert "por carpeta" not in result.output and not tmp_path.joinpath("d" * 200).exists()


def test_check_maps_does_not_promise_to_make_the_folder(tmp_path):
    plain = tmp_path / "archivo"
    plain.write_text("x", encoding="utf-8")
    checked = run("check", "--geo", GEO, "--maps", plain)
    assert checked.exit_code == 2 and "no una carpeta" in checked.output and "se crea" not in checked.output
    built = run("build", "--geo", GEO, "--out", plain)
    assert built.exit_code == 2 and "(se crea si no existe)" in built.output
