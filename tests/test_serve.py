"""`mimpmap serve` (issue 23): the live preview serves only the output folder, to its own host, adds its
live script to the pages it sends and not to the files, rebuilds once for quick saves, shows the
problems of an invalid save while the last maps stay, and stops leaving the folder whole.

Nothing here is timed: each wait has a generous limit, and a test fails only if what it waits for never
comes.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from mimpmap.build import BuildOptions, build
from mimpmap.cli import main
from mimpmap.serve import Preview, watched
from mimpmap.webserver import EVENTS, SCRIPT, served_name, watched_page, with_script

from .conftest import GEO, MINIMAL

#: How long a test waits for something that should come at once (a rebuild, an event) before failing.
LIMIT = 120


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project folder: the minimal data and its maps, built once (a preview of a copy has nothing to do)."""
    import mimpmap

    root = tmp_path_factory.mktemp("built")
    (root / "coverage.yaml").write_text(MINIMAL, encoding="utf-8")
    build(mimpmap.load(root / "coverage.yaml", GEO).atlas, root / "maps", BuildOptions(formats=("html",)))
    return root


class Reports:
    """The rebuilds a preview reported, and a wait for the next ones."""

    def __init__(self) -> None:
        self.seen: list = []
        self.waited = 0
        self.arrived = threading.Condition()

    def __call__(self, rebuild) -> None:
        with self.arrived:
            self.seen.append(rebuild)
            self.arrived.notify_all()

    def wait(self, done=lambda rebuild: True):
        """The next report (after those already waited for) for which ``done`` holds."""
        with self.arrived:
            start = self.waited

            def found() -> int | None:
                return next((i for i in range(start, len(self.seen)) if done(self.seen[i])), None)

            assert self.arrived.wait_for(lambda: found() is not None, timeout=LIMIT), self.seen
            self.waited = found() + 1
            return self.seen[self.waited - 1]


def started(built: Path, folder: Path):
    """A started preview of a copy of ``built`` in ``folder`` (its first build has nothing to do), with its
    reports; stopped when the generator is closed."""
    shutil.copytree(built, folder / "project")
    root = folder / "project"
    reports = Reports()
    running = Preview(root / "maps", {"data": root / "coverage.yaml", "geo": GEO}, port=0, report=reports,
                      settle=0.3)
    running.reports = reports
    running.start()
    assert running.ready.wait(LIMIT)
    reports.wait()
    yield running
    running.stop()


@pytest.fixture
def preview(built, tmp_path):
    """A preview of its own, for a test that saves, writes or stops."""
    yield from started(built, tmp_path)


@pytest.fixture(scope="module")
def reading(built, tmp_path_factory):
    """One preview for the tests that only ask it for files: nothing is saved, written or stopped."""
    yield from started(built, tmp_path_factory.mktemp("reading"))


def get(preview, target: str, host: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=LIMIT)
    connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host or f"127.0.0.1:{preview.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


class Events:
    """The server-sent events of a preview, read in a thread as a page's EventSource does."""

    def __init__(self, preview, page: str = "") -> None:
        self.socket = socket.create_connection(("127.0.0.1", preview.port), timeout=LIMIT)
        target = f"{EVENTS}?page={quote(page, safe='')}" if page else EVENTS
        self.socket.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost:{preview.port}\r\n\r\n".encode())
        self.received: queue.Queue = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        event = None
        with self.socket.makefile("rb") as stream:
            for line in stream:
                text = line.decode().rstrip("\r\n")
                if text.startswith("event: "):
                    event = text[len("event: "):]
                elif text.startswith("data: ") and event:
                    self.received.put((event, text[len("data: "):]))
                    event = None

    def next(self) -> tuple[str, str]:
        return self.received.get(timeout=LIMIT)

    def close(self) -> None:
        self.socket.close()


def figures(out: Path) -> list[str]:
    """The figures the service's page shows in its table."""
    return re.findall(r'class="mm-num">([^<]+)<', (out / "servicios" / "cai.html").read_text(encoding="utf-8"))


def outputs(out: Path) -> dict[Path, bytes]:
    """The bytes of every file of the folder but the lock (held a moment by each rebuild)."""
    return {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".mimpmap-lock"}


def save(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# --- what the server answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/../coverage.yaml", "/%2e%2e/coverage.yaml", "/%2E%2E/coverage.yaml",
                                    "/servicios/../../coverage.yaml", "/..%2fcoverage.yaml", "//coverage.yaml",
                                    "/.mimpmap-build.json", "/%00", "/%ff"])
def test_nothing_outside_the_folder_or_hidden_is_served(reading, target):
    status, body = get(reading, target)
    assert status == 404 and b"title:" not in body and b"outputs" not in body


def test_a_page_is_served_with_the_script_and_the_file_stays_as_it_is(reading):
    status, body = get(reading, "/servicios/cai.html")
    on_disk = (reading.out / "servicios" / "cai.html").read_bytes()
    assert status == 200 and SCRIPT in body and SCRIPT not in on_disk
    assert body == with_script(on_disk)
    assert get(reading, "/")[1] == with_script((reading.out / "index.html").read_bytes())
    assert get(reading, "/datos/servicios.csv")[1] == (reading.out / "datos" / "servicios.csv").read_bytes()


def test_no_listing_no_link_out_and_only_get_and_head(preview, tmp_path):
    outside = tmp_path / "secreto"
    outside.mkdir()
    (outside / "clave.html").write_text("clave secreta")
    os.symlink(outside, preview.out / "enlace")
    os.symlink(outside / "clave.html", preview.out / "clave.html")
    for target in ("/enlace/clave.html", "/clave.html", "/servicios/", "/servicios", "/enlace/"):
        status, body = get(preview, target)
        assert status == 404 and b"clave secreta" not in body, target
    assert get(preview, "/index.html", method="HEAD") == (200, b"")
    for method in ("POST", "PUT", "DELETE"):
        assert get(preview, "/index.html", method=method)[0] == 405


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "localhost:1", ""])
def test_a_foreign_host_is_refused(reading, host):
    status, body = get(reading, "/index.html", host=host.format(port=reading.port) or " ")
    assert status == 403 and b"<html" not in body.lower()


def test_the_own_hosts_are_answered(reading):
    for host in ("127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"):
        assert get(reading, "/index.html", host=host.format(port=reading.port))[0] == 200


def test_served_names():
    assert served_name("/") == "index.html"
    assert served_name("/servicios/cai.html?v=1#mapa") == "servicios/cai.html"
    assert served_name("/mapa%20uno.html") == "mapa uno.html"
    for bad in ("/..", "/a/../b", "/%2e%2e/x", "/a//b", "/.oculto", "/a\\b", "http://otro/x", "/a/./b"):
        assert served_name(bad) is None, bad


def test_every_input_file_is_watched_with_a_shapefiles_companions(tmp_path):
    files = watched({"data": tmp_path / "c.yaml", "geo": tmp_path / "peru.shp"})
    assert {str(tmp_path / name) for name in ("c.yaml", "peru.shp", "peru.dbf", "peru.shx", "peru.prj")} <= files


# --- rebuilds -------------------------------------------------------------------------------------------


def test_two_quick_saves_give_one_consistent_rebuild(preview):
    data = preview.given["data"]
    events = Events(preview)
    try:
        save(data, "values: [1726, 2075]", "values: [1801, 2075]")
        save(data, "values: [1801, 2075]", "values: [1802, 2075]")
        pages = preview.reports.wait()
        assert pages.changed == (str(data),) and "servicios/cai.html" in pages.written and not pages.problems
        assert pages.left == ("datos/cobertura.xlsx",)  # the downloads come just after the pages
        event, sent = events.next()
        assert event == "changed" and json.loads(sent) == {"written": list(pages.written)}
        event, sent = events.next()  # the downloads' pass is sent too, even if it came at once
        assert event == "changed" and json.loads(sent) == {"written": list(pages.left)}
        assert preview.reports.wait().written == pages.left
        save(data, "1802", "1802")  # the same bytes again: a rebuild with nothing to draw
        assert preview.reports.wait().written == ()
    finally:
        events.close()
    assert [r.written for r in preview.reports.seen].count(pages.written) == 1
    assert len(preview.reports.seen) == 4
    shown = figures(preview.out)
    assert "1802" in shown and "1801" not in shown and "1726" not in shown


def test_the_pages_open_in_a_browser_are_drawn_first(preview):
    data = preview.given["data"]
    events = Events(preview, "servicios/cai.html")
    try:
        wait_for_open(preview, "servicios/cai.html")
        save(data, "values: [1726, 2075]", "values: [1803, 2075]")
        pages = preview.reports.wait()
        assert pages.written == ("servicios/cai.html",) and "atlas.html" in pages.left
        assert json.loads(events.next()[1]) == {"written": ["servicios/cai.html"]}
        rest = preview.reports.wait()
        assert "atlas.html" in rest.written and "datos/cobertura.xlsx" in rest.written and not rest.left
        assert "servicios/cai.html" not in rest.written  # drawn once
    finally:
        events.close()
    assert "1803" in figures(preview.out)


def wait_for_open(preview, page: str) -> None:
    """Wait until the preview counts ``page`` open (its stream is being answered)."""
    for _ in range(int(LIMIT / 0.01)):
        if page in preview.channel.watching():
            return
        time.sleep(0.01)
    raise AssertionError(f"{page} never counted open")


def test_an_event_stream_names_its_page():
    assert watched_page(f"{EVENTS}?page=servicios%2Fcai.html") == "servicios/cai.html"
    assert watched_page(f"{EVENTS}?page=index.html") == "index.html"
    for bad in (EVENTS, f"{EVENTS}?page=", f"{EVENTS}?page=..%2Fx.html", f"{EVENTS}?page=.oculto", f"{EVENTS}?x=1"):
        assert watched_page(bad) is None, bad


def test_an_invalid_save_shows_its_problems_and_keeps_the_maps_until_fixed(preview):
    data = preview.given["data"]
    before = outputs(preview.out)
    events = Events(preview)
    try:
        save(data, "values: [1726, 2075]", "values: [<b>17x6</b>, 2075]")
        rebuild = preview.reports.wait()
        assert rebuild.problems and "línea" in rebuild.problems[0] and "17x6" in rebuild.problems[0]
        event, sent = events.next()
        assert event == "problems" and "17x6" in sent and "\n" not in sent
        assert outputs(preview.out) == before
        late = Events(preview)  # a page opened while the data are wrong sees them at once
        assert late.next()[0] == "problems"
        late.close()
        save(data, "values: [<b>17x6</b>, 2075]", "values: [1726, 2075]")
        assert not preview.reports.wait().problems
        event, sent = events.next()  # the pages patch themselves, or drop the problems if not rewritten
        assert event == "changed" and "written" in json.loads(sent)
    finally:
        events.close()


def test_a_save_by_rename_is_followed(preview, tmp_path):
    """Editors and spreadsheets write a temporary file and rename it over the one opened."""
    data = preview.given["data"]
    temporary = data.with_name(".coverage.yaml.swp")
    temporary.write_text(data.read_text(encoding="utf-8").replace("[1726, 2075]", "[1726, 2076]"), encoding="utf-8")
    os.replace(temporary, data)
    assert "servicios/cai.html" in preview.reports.wait(lambda r: r.written).written
    assert "2076" in figures(preview.out)


def test_the_pages_come_before_the_images(built, tmp_path):
    import mimpmap

    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(built / "coverage.yaml", root / "coverage.yaml")
    atlas = mimpmap.load(root / "coverage.yaml", GEO).atlas
    build(atlas, root / "maps", BuildOptions(formats=("html", "png"), dpi=50))
    reports = Reports()
    running = Preview(root / "maps", {"data": root / "coverage.yaml", "geo": GEO}, port=0, report=reports)
    running.start()
    try:
        reports.wait()
        save(root / "coverage.yaml", "values: [1726, 2075]", "values: [1726, 2099]")
        pages, rest = reports.wait(lambda r: r.written), reports.wait()
    finally:
        running.stop()
    assert pages.formats == ("html",) and "servicios/cai.html" in pages.written
    assert all(name.endswith(".html") for name in pages.written)
    assert rest.formats == ("html", "png") and {"servicios/cai.png", "datos/cobertura.xlsx"} <= set(rest.written)


def test_a_build_that_skips_a_folder_leaves_it_stale(built, tmp_path):
    import mimpmap
    from mimpmap.manifest import Manifest

    shutil.copytree(built, tmp_path / "project")
    root = tmp_path / "project"
    save(root / "coverage.yaml", "values: [1726, 2075]", "values: [1726, 2098]")
    atlas = mimpmap.load(root / "coverage.yaml", GEO).atlas
    result = build(atlas, root / "maps", BuildOptions(formats=("html",), skip=("datos",), fingerprint="x"))
    assert "servicios/cai.html" in {p.relative_to(root / "maps").as_posix() for p, _ in result.written}
    assert result.stale == ["datos/cobertura.xlsx"] and Manifest.read(root / "maps").fingerprint is None


def test_stopping_leaves_the_folder_whole(preview):
    save(preview.given["data"], "values: [1726, 2075]", "values: [1900, 2075]")
    preview.stop()  # whatever the rebuild was doing
    left = [p.name for p in preview.out.rglob("*") if p.name.startswith(".mimpmap-") and p.name != ".mimpmap-build.json"
            or p.suffix == ".tmp"]
    assert left == [] and (preview.out / "index.html").is_file()
    shown = figures(preview.out)
    assert ("1900" in shown) != ("1726" in shown)  # the old set or the new one


# --- the command ----------------------------------------------------------------------------------------


def test_a_busy_port_is_said_in_spanish(built, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--data", built / "coverage.yaml", "--geo", GEO, "--out",
                                           tmp_path / "maps", "--no-open", "--port", str(port)])
    assert result.exit_code == 2 and f"el puerto {port} ya está en uso" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "maps").exists()


def test_a_bad_port_is_said_in_spanish(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--port", "ochenta", "--out", tmp_path / "maps"])
    assert result.exit_code == 2 and "'ochenta' no es un número entero; use p. ej. --port 8765" in result.output


def test_ctrl_c_ends_the_command_with_0_and_the_folder_whole(built, tmp_path):
    shutil.copytree(built, tmp_path / "project")
    root = tmp_path / "project"
    command = [sys.executable, "-m", "mimpmap", "serve", "--data", str(root / "coverage.yaml"), "--geo", str(GEO),
               "--out", str(root / "maps"), "--no-open", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        first = process.stdout.readline()
        assert first.startswith("Vista previa en http://localhost:")
        assert "primera generación" in process.stdout.readline()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=LIMIT)
    assert process.returncode == 0, err
    assert "Vista previa terminada" in err and "Traceback" not in err
    assert not [p for p in (root / "maps").rglob("*") if p.suffix == ".tmp" or p.name in (".mimpmap-staging",
                                                                                          ".mimpmap-lock")]


def test_a_preview_never_started_stops(built, tmp_path):
    never = Preview(tmp_path / "maps", {"data": built / "coverage.yaml", "geo": GEO}, port=0)
    never.stop()
    assert never.wait(0) and not (tmp_path / "maps").exists()


def test_a_quiet_stream_is_kept_alive_in_ascii(monkeypatch):
    from mimpmap import webserver

    monkeypatch.setattr(webserver, "KEEP_ALIVE", 0.01)
    channel, sent = webserver.Channel(), []

    def send(text: str) -> None:
        sent.append(text.encode("ascii"))
        if len(sent) == 2:
            channel.close()

    channel.follow(send)
    assert sent[0].startswith(b":") and sent[0].endswith(b"\n\n")


def test_a_notebook_serves_the_files_it_loaded(built, tmp_path):
    """Issue 23: ``cov.serve()`` is the preview of the files ``mimpmap.load`` read, in the background."""
    import mimpmap

    shutil.copytree(built, tmp_path / "project")
    data = tmp_path / "project" / "coverage.yaml"
    preview = mimpmap.load(data, GEO).serve(tmp_path / "project" / "maps")
    try:
        assert get(preview, "/")[0] == 200 and preview.url in preview._repr_html_()
        save(data, "values: [1726, 2075]", "values: [1801, 2075]")
        deadline = time.monotonic() + LIMIT
        while "1801" not in figures(preview.out) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        preview.stop()
    assert "1801" in figures(preview.out) and not list(preview.out.rglob("*.tmp"))


def test_the_preview_reads_again_only_the_inputs_saved(tmp_path):
    """The warm process keeps each input read; a save reads that input again, and those that need it."""
    from mimpmap.inputs import read_all

    data, geo = tmp_path / "coverage.yaml", tmp_path / "peru.geojson"
    data.write_text(MINIMAL, encoding="utf-8")
    shutil.copy(GEO, geo)
    memo: dict = {}
    first, _ = read_all({"data": data, "geo": geo}, memo)
    again, _ = read_all({"data": data, "geo": geo}, memo)
    assert all(again[field] is first[field] for field in first)
    save(data, "values: [1726, 2075]", "values: [1727, 2075]")
    saved, read = read_all({"data": data, "geo": geo}, memo)
    assert saved["data"] is not first["data"] and saved["boundaries"] is first["boundaries"]
    assert read == read_all({"data": data, "geo": geo})[1]  # the same hash as a read without the memo
    geo.write_bytes(geo.read_bytes() + b"\n")  # new boundaries: the centres, checked against them, are read too
    moved, _ = read_all({"data": data, "geo": geo}, memo)
    assert moved["boundaries"] is not first["boundaries"] and moved["centres"] is not first["centres"]
    assert moved["data"] is saved["data"]


def test_a_stream_gets_every_event_even_two_published_at_once():
    from mimpmap.webserver import Channel

    channel, sent = Channel(), []

    def until(done) -> None:
        for _ in range(int(LIMIT / 0.01)):
            if done():
                return
            time.sleep(0.01)
        raise AssertionError("never came")

    follower = threading.Thread(target=channel.follow, args=(sent.append, "servicios/cai.html"))
    follower.start()
    until(lambda: channel.watching() == {"servicios/cai.html"})
    while not sent:  # the stream is following once it has sent one
        channel.publish("problems", {"problems": ["x"]})
        time.sleep(0.05)
    with channel.changed:  # both come while the follower waits for this lock
        channel.publish("changed", {"written": ["servicios/cai.html"]})
        channel.publish("changed", {"written": ["datos/cobertura.xlsx"]})
    until(lambda: any("cobertura.xlsx" in text for text in sent))
    channel.close()
    follower.join(LIMIT)
    assert sent[-1].endswith('event: changed\ndata: {"written": ["servicios/cai.html"]}\n\n'
                             'event: changed\ndata: {"written": ["datos/cobertura.xlsx"]}\n\n')
    assert channel.watching() == frozenset() and not channel.open  # the page went, and its name
