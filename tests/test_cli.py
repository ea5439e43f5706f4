"""The command line through click's test runner: exit codes and messages."""

import json
import os
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from mimpmap.cli import main

from .conftest import DATA, GEO, MINIMAL, ROOT, clean_centres


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


def test_check_summary(run, tmp_path):
    result = run("check", "--data", DATA, "--geo", GEO, "--centros", clean_centres(tmp_path))
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


def test_check_with_another_boundary_file(run, lima_whole, tmp_path):
    result = run("check", "--data", DATA, "--geo", lima_whole, "--centros", clean_centres(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Campo detectado: NOMBDEP" in result.output
    assert "25 unidades" in result.output
    assert "solo Lima Metropolitana" in result.output and "car-pam" in result.output


def test_build_with_another_boundary_file(run, lima_whole, tmp_path):
    result = run("build", "--data", DATA, "--geo", lima_whole, "--out", tmp_path, "--service", "car-pam")
    assert result.exit_code == 0, result.output
    assert "solo Lima Metropolitana" in result.output
    assert "solo Lima Metropolitana" in (tmp_path / "servicios" / "car-pam.html").read_text(encoding="utf-8")


def test_geo_key_errors(run, lima_whole, tmp_path):
    result = run("check", "--data", DATA, "--geo", lima_whole, "--geo-key", "NOPE", "--centros", clean_centres(tmp_path))
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
    result = run("check", "--data", DATA, "--geo", path, "--centros", clean_centres(tmp_path))
    assert result.exit_code == 0
    assert "no tiene Tumbes (PE-TUM)" in result.output and "estrategia-rural" in result.output
    assert "Correcto, con avisos" in result.output and "Todo correcto" not in result.output


# --- the program itself (not through click's runner) ----------------------------------------------


def _python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_the_package_or_the_command_loads_no_heavy_library():
    loaded, offered = _python(
        "import sys, mimpmap, mimpmap.cli; "
        "print(sorted(m for m in ('geopandas', 'folium', 'pydantic', 'matplotlib') if m in sys.modules)); "
        "print(mimpmap.Coverage.__name__)"  # asked for after the modules loaded were listed
    ).splitlines()
    assert loaded.strip() == "[]"
    # ... and what the package offers is still there when asked for
    assert offered.strip() == "Coverage"


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
def test_the_program_pauses_the_collector_only_while_the_library_loads(monkeypatch, tmp_path, yaml_file, args):
    """The collector's state around the loading of the library (the minimal data: a build of one service
    loads the library as the shipped data's does)."""
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
    args = [a.format(tmp=tmp_path / "maps") for a in args] + (["--data", str(yaml_file())] if args[0] != "schema" else [])
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
    result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path / "maps", "--service", "caii",
                 "--centros", clean_centres(tmp_path))
    assert result.exit_code == 2 and "¿quiso decir 'cai'?" in result.output


@pytest.mark.parametrize("base", ["javascript:alert(1)", "data:text/html,x", "file:///etc/"])
def test_embed_takes_only_web_or_relative_addresses(run, base):
    result = run("embed", "cai", "--data", DATA, "--base-url", base)
    assert result.exit_code == 2 and "no es válida" in result.output


@pytest.mark.parametrize("base", ["java\tscript:alert(1)//", "java\nscript:alert(1)//", "\x01javascript:alert(1)//",
                                  " \x00javascript:alert(1)", "jav\rascript:alert(1)", "https://exa\tmple.org/",
                                  "../ma\x01ps/"])
def test_embed_reads_the_address_as_a_browser_does(run, base):
    """Issue 25.3: browsers drop a tab or a newline anywhere in an address and control characters at
    its ends before they read the scheme; so does the check (and any control character is refused)."""
    result = run("embed", "cai", "--data", DATA, "--base-url", base)
    assert result.exit_code == 2 and "<iframe" not in result.output
    assert "no es válida" in result.output or "contiene un carácter de control" in result.output
    assert "Traceback" not in result.output


@given(st.text(st.characters(max_codepoint=0x7f), max_size=20).map(lambda t: "java" + t[:3] + "script:" + t[3:]))
def test_an_accepted_address_is_web_or_relative_to_a_browser(base):
    from mimpmap.errors import UsageError
    from mimpmap.html.embed import browser_view, embed_href

    try:
        href = embed_href(base, "cai.html")
    except UsageError:
        return
    assert not re.search("[\x00-\x1f\x7f]", href)
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", browser_view(href))
    assert scheme is None or scheme.group(1).lower() in ("http", "https")


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


HOSTILE = "x\x1b]0;pwned\x07\nTodo correcto.\x9b2J"


def test_what_a_boundary_file_names_is_printed_escaped(run, tmp_path):
    """Issue 25.4: a field name of a boundary file is shown with its control characters escaped, in the
    summary lines of check as in its messages; a line feed in it cannot forge a line."""
    geo = tmp_path / "limites.geojson"
    geo.write_text(GEO.read_text(encoding="utf-8").replace('"iso_3166_2"', json.dumps(HOSTILE)), encoding="utf-8")
    result = run("check", "--data", DATA, "--geo", geo, "--centros", clean_centres(tmp_path))
    assert result.exit_code == 0, result.output
    assert not re.search("[\x07\x1b\x9b]", result.output)
    assert "campo 'x\\x1b]0;pwned\\x07\\nTodo correcto.\\x9b2J')" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Todo correcto.")] == ["Todo correcto."]


def test_the_lines_of_list_and_build_are_printed_escaped(run, yaml_file, tmp_path):
    data = yaml_file(MINIMAL.replace("name: Centros de Atención Institucional",
                                     "name: Centros\n    short_name: \"CAI\\ttab\""))
    listed = run("list", "--data", data)
    assert listed.exit_code == 0, listed.output
    assert "CAI\\ttab" in listed.output and "\t" not in listed.output
    as_json = run("list", "--data", data, "--json")
    assert json.loads(as_json.output)[0]["short_name"] == "CAI\ttab"
    out = tmp_path / "m\x1b[31maps"
    built = run("build", "--data", data, "--geo", GEO, "--out", out, "--format", "html")
    assert built.exit_code == 0, built.output
    assert "\x1b" not in built.output and "m\\x1b[31maps/" in built.output


@pytest.mark.parametrize("typed,meant", [("cia", "cai"), ("xyz", None), ("upee", "upe"),
                                         ("car-ppd", "car-pcd")])
def test_a_swap_of_two_letters_suggests_that_service(run, tmp_path, typed, meant):
    """Issue 22.1: a transposition is one edit ('cia' is 'cai', not 'can')."""
    result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path / "maps", "--service", typed,
                 "--centros", clean_centres(tmp_path))
    assert result.exit_code == 2
    assert (f"¿quiso decir '{meant}'?" in result.output) if meant else "quiso decir" not in result.output


@pytest.mark.parametrize("typed,meant", [("--sevrice", "--service"), ("--fromat", "--format"), ("--dip", "--dpi")])
def test_a_mistyped_option_suggests_the_nearest(run, typed, meant):
    result = run("build", typed, "x")
    assert result.exit_code == 2 and f"¿quiso decir '{meant}'?" in result.output


# --- system errors in Spanish, blamed on the right thing (issue 25.17) ---------------------------------

ENGLISH = ("Not a directory", "No such file", "File exists", "not readable", "Permission denied", "too long",
           "is not one of")


@pytest.mark.parametrize("args", [["check", "--data", "{file}/x.yaml"], ["build", "--out", "{file}/maps"],
                                  ["export", "{file}/x.xlsx"], ["schema", "-o", "{file}/x.json"],
                                  ["check", "--data", "{file}/"], ["build", "--out", "{long}"],
                                  ["build", "--out", "{tmp}/{name}/maps"], ["check", "--geo", "{file}/x.geojson"]])
def test_system_errors_are_told_in_spanish(run, tmp_path, args):
    plain = tmp_path / "archivo"
    plain.write_text("x")
    values = {"file": plain, "long": "a" * 5000, "tmp": tmp_path, "name": "n" * 300}
    result = run(*(a.format(**values) for a in args), *(["--data", DATA] if args[0] in ("build", "export") else []))
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit) and "Error: " in result.output
    assert not any(words in result.output for words in ENGLISH), result.output
    assert "salida" not in result.output.replace("carpeta de salida", ""), result.output


def test_a_file_the_library_did_not_expect_to_fail_is_named_not_the_output(run, tmp_path, monkeypatch):
    """A folder that cannot be read (here a PermissionError from deep in the build) is named with the
    reason in Spanish; it is not 'the standard output'."""
    def refused(root):
        raise PermissionError(13, "Permission denied", str(root))

    monkeypatch.setattr("mimpmap.build.recover", refused)
    result = run("build", "--data", DATA, "--geo", GEO, "--out", tmp_path / "maps", "--format", "html")
    assert result.exit_code == 1 and "permiso denegado" in result.output and "maps'" in result.output
    assert "salida" not in result.output and "Permission" not in result.output


def test_click_does_not_judge_whether_a_file_is_readable(run, monkeypatch, tmp_path):
    """click's own check says 'Path ... is not readable' in English; the readers say it in Spanish."""
    centres = clean_centres(tmp_path)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    result = run("check", "--data", DATA, "--geo", GEO, "--centros", centres)
    assert result.exit_code == 0 and "not readable" not in result.output


def test_every_system_error_has_a_spanish_reason():
    import errno

    from mimpmap.errors import os_reason

    for code in (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.EEXIST, errno.ENAMETOOLONG, errno.ELOOP):
        reason = os_reason(OSError(code, os.strerror(code)))
        assert reason and os.strerror(code) not in reason
    assert os_reason(OSError(errno.EREMOTEIO, "Remote I/O error")) == "error del sistema EREMOTEIO"
    assert os_reason(OSError("sin número")) == "error del sistema"


@pytest.mark.parametrize("size", ["A4", "Carta", "DIAPOSITIVA"])
def test_a_page_size_in_any_case_is_taken(run, yaml_file, tmp_path, size):
    """Issue 22.8: as --format PNG is taken, --size A4 is (the minimal data: the option is what counts)."""
    out = tmp_path / "maps"
    result = run("build", "--data", yaml_file(), "--geo", GEO, "--out", out, "--format", "HTML", "--size", size, "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((out / ".mimpmap-build.json").read_text())["options"]["size"] == size.lower()


def test_an_unknown_page_size_is_refused_in_spanish(run, tmp_path):
    result = run("build", "--out", tmp_path, "--size", "cart")
    assert result.exit_code == 2 and "is not one of" not in result.output
    assert "'cart' no es un tamaño de página; ¿quiso decir 'carta'? elija a4, a4-media, a4-horizontal, carta o diapositiva" in result.output


def test_schema_never_replaces_a_file_that_is_not_a_schema(run, tmp_path):
    """Issue 25.6: `schema -o data/coverage.yaml` replaced the data with the schema."""
    data = tmp_path / "coverage.yaml"
    data.write_bytes(DATA.read_bytes())
    link = tmp_path / "esquema.json"
    link.symlink_to(data)
    for target in (data, link, tmp_path):
        result = run("schema", "-o", target)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "no es un esquema escrito por mimpmap: no se reemplaza" in run("schema", "-o", data).output
    assert "es una carpeta" in run("schema", "-o", tmp_path).output
    assert data.read_bytes() == DATA.read_bytes()


def test_schema_replaces_a_schema_it_wrote(run, tmp_path):
    target = tmp_path / "coverage.schema.json"
    target.write_text((ROOT / "data" / "coverage.schema.json").read_text(encoding="utf-8").replace('"id"', '"ids"'))
    for _ in range(2):  # an older schema, then its own
        result = run("schema", "-o", target)
        assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (ROOT / "data" / "coverage.schema.json").read_text(encoding="utf-8")


def test_check_refuses_an_id_that_build_could_not_write(run, yaml_file, tmp_path):
    path = yaml_file(MINIMAL.replace("id: cai", f"id: {'c' * 260}"))
    checked = run("check", "--data", path, "--geo", GEO)
    assert checked.exit_code == 1 and "es demasiado largo" in checked.output
    built = run("build", "--data", path, "--geo", GEO, "--out", tmp_path / "maps", "--format", "html")
    assert built.exit_code == 1 and "es demasiado largo" in built.output and not (tmp_path / "maps").exists()


# --- the project folder, wherever in it mimpmap runs (issue 22.12) ------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own data (a single service), the working directory."""
    (tmp_path / "proyecto" / "data").mkdir(parents=True)
    (tmp_path / "proyecto" / "data" / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "proyecto")
    return tmp_path / "proyecto"


def test_a_build_inside_maps_builds_the_project_maps_not_maps_in_maps(run, project, monkeypatch):
    first = run("build", "--format", "html")
    assert first.exit_code == 0, first.output
    assert "Abra maps/index.html en un navegador" in first.output
    monkeypatch.chdir(project / "maps")
    again = run("build", "--format", "html")
    assert again.exit_code == 0 and "Nada que hacer" in again.output, again.output
    assert not (project / "maps" / "maps").exists() and "Aviso" not in again.output
    checked = run("check", "--maps")
    assert checked.exit_code == 0 and "Cobertura: ../data/coverage.yaml" in checked.output
    assert "1 servicio de 1 programa" in checked.output and "está al día" in checked.output


def test_a_subfolder_of_the_project_uses_the_project_data(run, project, monkeypatch):
    (project / "informes").mkdir()
    monkeypatch.chdir(project / "informes")
    result = run("list")
    assert result.exit_code == 0 and len(result.output.splitlines()) == 2 and "Aviso" not in result.output


def test_outside_a_project_the_shipped_data_are_used_and_said(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 0 and "19 servicios" in result.output
    assert "ni esta carpeta ni las de encima tienen data/coverage.yaml: se usan los datos incluidos" in result.output


def test_maps_are_never_written_inside_other_maps(run, project):
    assert run("build", "--format", "html", "-q").exit_code == 0
    for inner in ("maps/maps", "maps/servicios/x"):
        result = run("build", "--format", "html", "--out", inner)
        assert result.exit_code == 2 and "está dentro de la carpeta de mapas 'maps'" in result.output
        assert "--out maps" in result.output and not (project / inner).exists()


def test_import_inside_maps_writes_the_project_data(run, project, monkeypatch):
    book = project / "libro.xlsx"
    assert run("export", book).exit_code == 0
    (project / "maps").mkdir()
    monkeypatch.chdir(project / "maps")
    result = run("import", book, "--force")
    assert result.exit_code == 0, result.output
    assert not (project / "maps" / "data").exists() and "../data/coverage.yaml" in result.output
