"""The command line through click's test runner: exit codes and messages."""

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from mimpmap.cli import main

from .conftest import DATA, GEO, MINIMAL, ROOT


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


def test_check_summary(run):
    result = run("check", "--data", DATA, "--geo", GEO)
    assert result.exit_code == 0, result.output
    assert "19 servicios de 5 programas" in result.output
    assert "26 unidades" in result.output
    assert "cai" in result.output and "Ayacucho, Callao, Cusco y Lima Metropolitana" in result.output
    assert "car-pam                1 unidad " in result.output
    assert "Todo correcto." in result.output


def test_check_reports_every_problem_and_exits_1(run, yaml_file):
    path = yaml_file(MINIMAL.replace("[Ayacucho, Cusco", "[Ayacuchoo, Cuzko").replace("1726,", "-1,"))
    result = run("check", "--data", path, "--geo", GEO)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "3 problemas" in result.output
    assert "¿quiso decir 'Ayacucho'?" in result.output and "¿quiso decir 'Cusco'" in result.output
    assert "no puede ser negativo" in result.output


def test_check_missing_files(run, tmp_path):
    # A file that is not there is a usage problem (exit 2), not invalid data (exit 1).
    result = run("check", "--data", tmp_path / "no.yaml", "--geo", GEO)
    assert result.exit_code == 2 and "no existe el archivo" in result.output and "--data" in result.output
    result = run("check", "--data", DATA, "--geo", tmp_path / "no.geojson")
    assert result.exit_code == 2 and "no existe el archivo" in result.output and "--geo" in result.output
    result = run("check", "--data", DATA, "--geo", GEO, "--population", tmp_path / "no.csv")
    assert result.exit_code == 2 and "--population" in result.output


def test_list_table(run):
    result = run("list", "--data", DATA)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 20  # header + 19 services
    assert lines[0].split()[:3] == ["id", "programa", "servicio"]
    cai = next(line for line in lines if line.startswith("cai "))
    assert "AURORA" in cai and " 4/26 " in cai


def test_list_json(run):
    result = run("list", "--data", DATA, "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 19
    cai = next(r for r in rows if r["id"] == "cai")
    assert cai["coverage"] == ["PE-AYA", "PE-CAL", "PE-CUS", "PE-LMA"]
    assert cai["national"] is False and cai["program"] == "AURORA" and cai["name"] == "Centros de Atención Institucional"
    cem = rows[0]
    assert cem["national"] is True and len(cem["coverage"]) == 26 and cem["coverage"] == sorted(cem["coverage"])


def test_list_json_gives_population_and_change(run):
    rows = {r["id"]: r for r in json.loads(run("list", "--data", DATA, "--json").output)}
    cai = rows["cai"]
    assert cai["population_reached"] == 616_176 + 994_494 + 1_205_527 + 8_574_974  # INEI, censo 2017
    assert cai["population_share"] == round(cai["population_reached"] / 29_381_884, 4)
    assert rows["cem"]["population_share"] == 1.0
    (sau,) = rows["sau"]["change"]
    assert sau["lead"] == "per_month" and sau["people"] is False
    assert sau["per_month"] == {"before": round(6311 / 12, 4), "after": 500.9, "percent": round(
        100 * (5009 / 10 - 6311 / 12) / (6311 / 12), 4)}
    (cai_change,) = cai["change"]
    assert cai_change["lead"] == "per_month_open" and round(cai_change["per_month_open"]["percent"], 1) == -3.8
    (car,) = rows["car-nna"]["change"]  # people served: not divided by months
    assert car["lead"] == "total" and car["people"] is True and "per_month" not in car
    assert car["total"]["before"] == 2527 and car["total"]["after"] == 2456
    (mi60,) = rows["mi60"]["change"]  # from 4: no percentage
    assert mi60["small_base"] is True and mi60["total"]["percent"] is None


def test_bad_usage_exits_2(run):
    result = run("list", "--no-such-option")
    assert result.exit_code == 2


def test_schema(run, tmp_path):
    result = run("schema")
    assert result.exit_code == 0 and json.loads(result.output)["title"].startswith("Cobertura")
    out = tmp_path / "s.json"
    assert run("schema", "-o", out).exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))


def _commands(group, prefix=""):
    for name, cmd in group.commands.items():
        yield f"{prefix}{name}", cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix}{name} ")


@pytest.mark.parametrize("name,cmd", list(_commands(main)))
def test_every_command_documents_itself_with_an_example(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 40, f"{name} needs a docstring"
    assert "Ejemplo" in cmd.help, f"{name}'s --help needs an example"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} needs help text"


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and "mimpmap" in result.output


def test_embed(run):
    result = run("embed", "cai", "--data", DATA)
    assert result.exit_code == 0
    assert '<iframe src="servicios/cai.html"' in result.output and 'title="Centros de Atención Institucional"' in result.output
    fixed = run("embed", "cobertura", "--width", "800", "--height", "600", "--base-url", "https://example.org/maps/")
    assert fixed.exit_code == 0 and 'src="https://example.org/maps/cobertura.html"' in fixed.output
    assert "800" in fixed.output and "600" in fixed.output
    bad = run("embed", "nada", "--data", DATA)
    assert bad.exit_code == 2 and "los válidos son" in bad.output


@pytest.fixture(scope="module")
def lima_whole(tmp_path_factory):
    """An INEI-style file: 25 departments, upper-case names without accents, UTM 18S."""
    import geopandas as gpd

    g = gpd.read_file(GEO)
    g["NOMBDEP"] = (g["departamento"].str.upper().str.normalize("NFKD")
                    .str.encode("ascii", "ignore").str.decode("ascii"))
    path = tmp_path_factory.mktemp("geo") / "inei.gpkg"
    g.dissolve("NOMBDEP").reset_index()[["NOMBDEP", "geometry"]].to_crs(32718).to_file(path)
    return path


def test_check_with_another_boundary_file(run, lima_whole):
    result = run("check", "--data", DATA, "--geo", lima_whole)
    assert result.exit_code == 0, result.output
    assert "Campo detectado: NOMBDEP" in result.output
    assert "25 unidades" in result.output
    assert "solo Lima Metropolitana" in result.output and "car-pam" in result.output


def test_build_with_another_boundary_file(run, lima_whole, tmp_path):
    result = run("build", "--data", DATA, "--geo", lima_whole, "--out", tmp_path, "--service", "car-pam")
    assert result.exit_code == 0, result.output
    assert "solo Lima Metropolitana" in result.output
    assert "solo Lima Metropolitana" in (tmp_path / "servicios" / "car-pam.html").read_text(encoding="utf-8")


def test_geo_key_errors(run, lima_whole):
    result = run("check", "--data", DATA, "--geo", lima_whole, "--geo-key", "NOPE")
    assert result.exit_code == 1 and "NOMBDEP" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args,expected", [
    (["build", "--nope"], "Error: opción desconocida '--nope'"),
    (["build", "--servce", "cai"], "¿quiso decir '--service'?"),
    (["buidl"], "comando desconocido 'buidl'; ¿quiso decir 'build'?; los comandos son: build, check, embed, export, import, list, schema"),
    (["-q"], "falta el comando; los comandos son: build, check, embed, export, import, list, schema"),
    (["build", "--format"], "la opción '--format' necesita un valor: --format FORMATOS"),
    (["check", "--data"], "la opción '--data' necesita un valor: --data ARCHIVO"),
    (["build", "--cdn=sí"], "la opción '--cdn' no lleva valor"),
    (["list", "--json", "tabla"], "sobra el argumento 'tabla'"),
    (["embed", "cai", "sau", "upe"], "sobran los argumentos 'sau' 'upe'"),
    (["build", "--out", GEO], "peru_departamentos.geojson' es un archivo, no una carpeta"),
    (["build", "--out", "--cdn"], "falta la carpeta ('--cdn' es otra opción)"),
    (["embed"], "falta 'ID'"),
    (["build", "--dpi", "5"], "valor no válido para '--dpi'"),
])
def test_usage_errors_in_spanish_exit_2(run, args, expected):
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output and "--help" in result.output
    assert not any(english in result.output for english in ("Option ", "Got unexpected", "Missing ", "No such"))


def test_help_in_spanish(run):
    result = run("build", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Uso: mimpmap build [OPCIONES]")
    assert "Opciones:" in result.output and "Muestra esta ayuda y sale." in result.output
    assert run().output.startswith("Uso: mimpmap")


def test_check_reports_both_files_problems_in_one_run(run, yaml_file, tmp_path):
    bad_geo = tmp_path / "roto.geojson"
    bad_geo.write_text("no es geojson", encoding="utf-8")
    result = run("check", "--data", yaml_file(MINIMAL.replace("Cusco", "Cuzko")), "--geo", bad_geo)
    assert result.exit_code == 1
    assert "Cuzko" in result.output and "roto.geojson" in result.output


def test_check_with_a_unit_missing_warns_and_says_so(run, tmp_path):
    import geopandas as gpd

    g = gpd.read_file(GEO)
    path = tmp_path / "sin_tumbes.geojson"
    g[g["iso_3166_2"] != "PE-TUM"].to_file(path)
    result = run("check", "--data", DATA, "--geo", path)
    assert result.exit_code == 0
    assert "no tiene Tumbes (PE-TUM)" in result.output and "estrategia-rural" in result.output
    assert "Correcto, con avisos" in result.output and "Todo correcto" not in result.output


# --- the program itself (not through click's runner) ----------------------------------------------


def _python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_the_package_or_the_command_loads_no_heavy_library():
    loaded = _python(
        "import sys, mimpmap, mimpmap.cli; "
        "print(sorted(m for m in ('geopandas', 'folium', 'pydantic', 'matplotlib') if m in sys.modules))"
    )
    assert loaded.strip() == "[]"
    # ... and what the package offers is still there when asked for
    assert _python("import mimpmap; print(mimpmap.Coverage.__name__)").strip() == "Coverage"


def test_an_html_build_does_not_load_the_image_renderer(tmp_path):
    # matplotlib takes about as long to import as the whole HTML build: only PNG/SVG need it. (PIL alone
    # is loaded: openpyxl, which writes datos/cobertura.xlsx, imports it, in about 7 ms.)
    loaded = _python(
        "import sys, mimpmap; from mimpmap.build import build; "
        f"build(mimpmap.load().atlas, {str(tmp_path)!r}); "
        "print(sorted(m for m in ('matplotlib', 'mimpmap.static') if m in sys.modules))"
    )
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("args", [["list", "--json"], ["check"], ["schema"], ["embed", "cai"],
                                  ["-q", "build", "--service", "cai", "--out", "{tmp}"]])
def test_the_program_pauses_the_collector_only_while_the_library_loads(monkeypatch, tmp_path, args):
    import gc
    import sys

    import mimpmap.cli as cli

    seen = []
    library_loaded = cli._library_loaded

    def spy():
        seen.append(gc.isenabled())
        library_loaded()
        seen.append(gc.isenabled())

    monkeypatch.setattr(cli, "_library_loaded", spy)
    args = [a.format(tmp=tmp_path) for a in args] + (["--data", str(DATA)] if args[0] != "schema" else [])
    monkeypatch.setattr(sys, "argv", ["mimpmap", *args])
    try:
        with pytest.raises(SystemExit) as done:
            cli.run()
    finally:
        gc.unfreeze()
        gc.enable()
    assert done.value.code == 0
    assert seen == [False, True]  # paused while loading, running for the work


@pytest.mark.parametrize("args", [["--help"], ["build", "--format", "jpg"], ["nada"]])
def test_the_collector_runs_again_when_the_program_stops_before_loading(monkeypatch, args):
    import gc
    import sys

    import mimpmap.cli as cli

    monkeypatch.setattr(sys, "argv", ["mimpmap", *args])
    try:
        with pytest.raises(SystemExit):
            cli.run()
        assert gc.isenabled()
    finally:
        gc.enable()


# --- where the output goes: full, closed, a pipe that stops reading ---------------------------------


def _program(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mimpmap", *args], capture_output=True, text=True, timeout=120,
                          **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux) to fill the output")
@pytest.mark.parametrize("command", [["list"], ["schema"], ["embed", "cai"], ["check"]])
def test_a_full_output_is_a_message_not_a_traceback(command):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "mimpmap", *command], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1 and "no se pudo escribir la salida" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_closed_output_is_an_error():
    done = subprocess.run([sys.executable, "-m", "mimpmap", "list"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 1 and "la salida estándar está cerrada" in done.stderr


def test_an_empty_output_folder_is_a_usage_error(run):
    result = run("build", "--out", "")
    assert result.exit_code == 2 and "el nombre de la carpeta está vacío" in result.output


@pytest.mark.parametrize("given,found", [("CAI", "cai"), ("ER", "estrategia-rural"), ("mi60+", "mi60")])
def test_services_are_found_by_id_or_short_name_in_any_case(run, given, found):
    result = run("embed", given, "--data", DATA)
    assert result.exit_code == 0 and f'src="servicios/{found}.html"' in result.output


def test_a_mistyped_service_gets_a_suggestion(run, tmp_path):
    result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path, "--service", "caii")
    assert result.exit_code == 2 and "¿quiso decir 'cai'?" in result.output


@pytest.mark.parametrize("base", ["javascript:alert(1)", "data:text/html,x", "file:///etc/"])
def test_embed_takes_only_web_or_relative_addresses(run, base):
    result = run("embed", "cai", "--data", DATA, "--base-url", base)
    assert result.exit_code == 2 and "no es válida" in result.output


def test_embed_joins_the_address_with_one_slash(run):
    for base in ("https://example.org/maps", "https://example.org/maps/"):
        assert 'src="https://example.org/maps/servicios/cai.html"' in run("embed", "cai", "--base-url", base).output


def test_population_reached_does_not_depend_on_the_boundary_file(shipped, lima_whole):
    """Issue 10: the figures come from the data's units, not from the geometry (Lima whole here)."""
    import mimpmap

    whole = mimpmap.load(DATA, lima_whole)
    for split, merged in zip(shipped.atlas.services, whole.atlas.services):
        assert split.people.reached == merged.people.reached, split.id
        assert split.people.sentence == merged.people.sentence, split.id


@pytest.mark.parametrize("args", [["embed", "x\x1b]0;pwned\x07"], ["build", "--service", "\x1b[2Jcai"],
                                  ["check", "--data", "no\x1b[31m.yaml"], ["build", "--nada\x07"]])
def test_control_characters_never_reach_the_terminal(run, args, tmp_path):
    result = run(*args, "--out", tmp_path) if args[0] == "build" and args[1] == "--service" else run(*args)
    assert result.exit_code in (1, 2) and "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output or "\\x07" in result.output  # shown, escaped
