"""Writing a coverage file as YAML in the layout of ``data/coverage.yaml``: its header comments, a fixed
key order, a comment line before each program's services, short lists and entries written inline
(``{label: Año 2020, from: 2020-01, to: 2020-12}``), long texts folded (``>-``).

Every scalar is written plain when YAML reads it back as the same value, else quoted; the caller
checks the whole text reads back as the data (:func:`mimpmap.workbook.import_workbook`). The same
pieces write one value again in the style it had (:func:`scalar`, :func:`single_quoted`,
:func:`refolded`, :func:`literal`) when :mod:`mimpmap.yamledit` changes a file in place.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .readers import Document
from .readers import yaml as yaml_reader

WIDTH = 104
FOLD_WIDTH = 104
#: A text that would make its line longer than this is folded (for the keys in FOLDED_IF_LONG).
LONG_LINE = 120
INDENT = "  "

#: The order of each entry's keys (the model's fields, in the order the shipped file writes them).
ORDER = {
    "file": ("title", "publisher", "source", "programs", "services"),
    "program": ("id", "short_name", "name", "description"),
    "service": ("id", "program", "name", "short_name", "description", "coverage", "coverage_text", "centres",
                "activities", "periods", "figures", "notes", "footnotes", "source"),
    "centres": ("total", "label", "breakdown_title", "breakdown", "sites"),
    "period": ("label", "note", "from", "to", "months", "months_closed"),
    "figure": ("unit", "kind", "values"),
    "site": ("name", "province", "district", "department", "count", "location"),
    "type": ("type", "count"),
    "footnote": ("mark", "text"),
}
#: Texts always folded onto their own lines, as the shipped file writes them.
FOLDED = {"description", "text"}
#: Texts folded when they do not fit on their line (other long texts stay on one line).
FOLDED_IF_LONG = {"coverage_text"}

#: libyaml and PyYAML's own parser (what other tools may use) disagree on some plain texts (``[0?]``), and
#: mimpmap reads YAML 1.2 (``1e3`` is a number, ``yes`` a text): a text is written plain only when all read
#: it back.
_LOADERS = tuple(dict.fromkeys((getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader, yaml_reader.Loader)))


def header_comments(text: str) -> str:
    """The comment lines at the top of a YAML text (with the blank lines among them)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or (not line.strip() and lines):
            lines.append(line.rstrip())
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


#: The line an import of an earlier version put under the header (the file's hash, changed by every
#: import): not carried over a rewrite.
_STAMP = re.compile(r"^# mimpmap import: libro (\S+), texto ([0-9a-f]{16})$")


def unstamped(header: str) -> str:
    return "\n".join(line for line in header.splitlines() if not _is_stamp(line))


# --- the comments inside a file, carried over a rewrite -------------------------------------------

#: A line that opens an entry of a list of programs or services, and the separator the writer puts
#: before each program's services (made again by every write: never carried).
_ENTRY = re.compile(r"^ {0,2}- id: *['\"]?([^'\"\s#]+)")
_SEPARATOR = re.compile(r"^\s*# -{64} ")


@dataclass(frozen=True)
class Comment:
    """Comment lines inside a YAML file, and where they go: in the entry ``owner`` (a program's or a
    service's id), before the line that starts with ``before``."""

    lines: tuple[str, ...]
    owner: str | None
    before: str
    #: The line of the old file the comment began at (1-based), to name one that cannot be kept.
    line: int


def inner_comments(text: str) -> list[Comment]:
    """The comments inside a YAML text: not its header (:func:`header_comments`), not the program
    separators the writer makes, not a line of a folded text that begins with "#" (a hashtag)."""
    lines = text.splitlines()
    start = len(header_comments(text).splitlines())
    found, pending, owner = [], [], None
    rest = zip(lines[start:], _in_block_texts(lines)[start:], _owners(lines)[start:])
    for n, (line, inside, owner) in enumerate(rest, start=start + 1):
        stripped = line.strip()
        if inside or not stripped:
            continue
        if stripped.startswith("#"):
            if not _SEPARATOR.match(line) and not _is_stamp(line):
                pending.append((n, stripped))
            continue
        if pending:
            found.append(Comment(tuple(c for _, c in pending), owner, _anchor(stripped), pending[0][0]))
            pending = []
    if pending:
        found.append(Comment(tuple(c for _, c in pending), owner, "", pending[0][0]))
    return found


#: A key whose value is a block text (``description: >-``, ``text: |``): the lines under it are text.
_BLOCK = re.compile(r"^(\s*(?:- )?)[^\s#:][^:#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _in_block_texts(lines: list[str]) -> list[bool]:
    """For each line, whether it is a line of a block text (more indented than its key, or blank within it)."""
    inside, key_column = [], None
    for line in lines:
        column = len(line) - len(line.lstrip())
        if key_column is not None and (not line.strip() or column > key_column):
            inside.append(True)
            continue
        key_column = None
        block = _BLOCK.match(line)
        if block:
            key_column = len(block.group(1))
        inside.append(False)
    return inside


def _owners(lines: list[str]) -> list[str | None]:
    """For each line, the id of the program or service entry it is in (``None`` before the first)."""
    owners, owner = [], None
    for line in lines:
        entry = _ENTRY.match(line)
        owner = entry.group(1) if entry else owner
        owners.append(owner)
    return owners


def _is_stamp(line: str) -> bool:
    return bool(_STAMP.match(line.strip()))


def is_separator(line: str) -> bool:
    """Whether ``line`` is a separator the writer puts before each program's services."""
    return bool(_SEPARATOR.match(line))


def _anchor(stripped: str) -> str:
    """How a line is found again: its key (``coverage:``), or for a list item its start up to the
    first comma (``- {name: Servicio Mi60+ - Lima``)."""
    key = re.match(r"^([A-Za-z_][\w-]*):", stripped)
    return key.group(0) if key else stripped.split(",", 1)[0]


def with_comments(text: str, comments: list[Comment]) -> tuple[str, list[Comment]]:
    """``text`` with each comment put back before its line, in its entry, at that line's indent; and
    the comments whose line is not there any more."""
    lines = text.splitlines()
    owners, texts = _owners(lines), _in_block_texts(lines)
    inserts: dict[int, list[str]] = {}
    lost = []
    for comment in comments:
        at = next((i for i, line in enumerate(lines) if owners[i] == comment.owner and comment.before
                   and not texts[i] and line.strip().startswith(comment.before)), None)
        if at is None:
            lost.append(comment)
            continue
        pad = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
        inserts.setdefault(at, []).extend(pad + c for c in comment.lines)
    out = []
    for i, line in enumerate(lines):
        out += inserts.get(i, [])
        out.append(line)
    return "\n".join(out) + "\n", lost


def reader(text: str, name: str | None = None) -> Document:
    return yaml_reader.parse(text, name)


def coverage_yaml(data: dict, header: str = "") -> str:
    """The YAML text of a coverage file given as plain values (keys as in the file)."""
    write = _Writer()
    out: list[str] = [header, ""] if header else []
    for key in ("title", "publisher", "source"):
        if key in data:
            out.append(write.pair(key, data[key], ""))
    out += ["", "programs:"]
    for program in data.get("programs", []):
        out += write.entry(program, ORDER["program"], 1)
    out += ["", "services:"]
    programs = {p["id"]: p.get("short_name", p["id"]) for p in data.get("programs", [])}
    previous = None
    for n, service in enumerate(data.get("services", [])):
        if service.get("program") != previous:
            previous = service.get("program")
            name = " ".join(str(programs.get(previous, previous)).split())  # a comment is one line
            out.append(f"{INDENT}# {'-' * 64} {name}")
        elif n:
            out.append("")
        out += write.entry(service, ORDER["service"], 1)
        if n + 1 < len(data["services"]) and data["services"][n + 1].get("program") != previous:
            out.append("")
    return "\n".join(out) + "\n"


def entry_yaml(data: dict, section: str, n: int) -> str:
    """The lines :func:`coverage_yaml` writes for ``data[section][n]`` (a program or a service), alone under
    their list's key: a text that reads by itself, with those lines at the same columns."""
    order = ORDER["program" if section == "programs" else "service"]
    return f"{section}:\n" + "\n".join(_Writer().entry(data[section][n], order, 1)) + "\n"


# --- block entries ---------------------------------------------------------------------------------

def _keys(item: dict, order: tuple[str, ...]) -> list[str]:
    return [k for k in order if k in item] + sorted(k for k in item if k not in order)


class _Writer:
    """One writing of a file. Whether a text may go plain is asked of three YAML parsers (:func:`scalar`,
    :func:`_folded`), the slowest part of a writing, and a file repeats many of its texts (departments,
    units, program ids, an anchor's description): a writer asks once for each text."""

    def __init__(self) -> None:
        self.scalars: dict[tuple[str, bool], str] = {}
        self.folds: dict[tuple[str, str], list[str] | None] = {}

    def scalar(self, value: Any, flow: bool) -> str:
        if type(value) is not str:
            return scalar(value, flow)
        key = (value, flow)
        if key not in self.scalars:
            self.scalars[key] = scalar(value, flow)
        return self.scalars[key]

    def folded(self, text: str, pad: str) -> list[str] | None:
        if (text, pad) not in self.folds:
            self.folds[text, pad] = _folded(text, pad)
        return self.folds[text, pad]

    def entry(self, item: dict, order: tuple[str, ...], depth: int) -> list[str]:
        """``- key: value`` lines of a mapping in a block list."""
        lines = []
        for key in _keys(item, order):
            lines += self.field(key, item[key], depth + 1)
        pad = INDENT * depth
        lines[0] = pad + "- " + lines[0][len(pad) + 2:]
        return lines

    def field(self, key: str, value: Any, depth: int) -> list[str]:
        pad = INDENT * depth
        if isinstance(value, list) and not value:
            return [f"{pad}{key}: []"]  # a block list of nothing would read as null
        if key == "centres":
            if set(value) <= {"total", "label"}:
                return _flow_line(f"{pad}{key}: ", self.flow_items(value, ORDER["centres"]))
            lines = [f"{pad}{key}:"]
            for k in _keys(value, ORDER["centres"]):
                lines += self.field(k, value[k], depth + 1)
            return lines
        if key in ("periods", "breakdown", "sites"):
            order = {"periods": "period", "breakdown": "type", "sites": "site"}[key]
            lines = [f"{pad}{key}:"]
            for item in value:
                lines += _flow_line(f"{pad}{INDENT}- ", self.flow_items(item, ORDER[order]))
            return lines
        if key == "figures":
            lines = [f"{pad}{key}:"]
            for figure in value:
                lines += self.entry_flow_values(figure, depth + 1)
            return lines
        if key == "footnotes":
            lines = [f"{pad}{key}:"]
            for note in value:
                lines += self.entry(note, ORDER["footnote"], depth + 1)
            return lines
        if key in ("activities", "notes"):
            return [f"{pad}{key}:"] + [f"{pad}{INDENT}- {self.scalar(text, flow=False)}" for text in value]
        if key == "coverage" and isinstance(value, list):
            return _flow_line(f"{pad}{key}: ", [self.scalar(v, flow=True) for v in value], brackets="[]")
        return [self.pair(key, value, pad)]

    def entry_flow_values(self, figure: dict, depth: int) -> list[str]:
        lines = []
        pad = INDENT * (depth + 1)
        for key in _keys(figure, ORDER["figure"]):
            if key == "values":
                items = [self.scalar(v["value"], flow=True) if set(v) == {"value"} else
                         "{" + ", ".join(self.flow_items(v, ("value", "note"))) + "}" for v in figure["values"]]
                lines += _flow_line(f"{pad}values: ", items, brackets="[]")
            else:
                lines.append(self.pair(key, figure[key], pad))
        pad = INDENT * depth
        lines[0] = pad + "- " + lines[0][len(pad) + 2:]
        return lines

    def pair(self, key: str, value: Any, pad: str) -> str:
        """``key: value``, the value folded onto the next lines for a long text."""
        if isinstance(value, str) and (key in FOLDED or (key in FOLDED_IF_LONG and len(pad) + len(key) + 2 + len(value) > LONG_LINE)):
            folded = self.folded(value, pad + INDENT)
            if folded is not None:
                return f"{pad}{key}: >-\n" + "\n".join(folded)
        return f"{pad}{key}: {self.scalar(value, flow=False)}"

    def flow_items(self, item: dict, order: tuple[str, ...]) -> list[str]:
        parts = []
        for key in _keys(item, order):
            value = item[key]
            if isinstance(value, (list, tuple)):
                text = "[" + ", ".join(self.scalar(v, flow=True) for v in value) + "]"
            else:
                text = self.scalar(value, flow=True)
            parts.append(f"{key}: {text}")
        return parts


def _folded(text: str, pad: str) -> list[str] | None:
    """``text`` folded at spaces into lines no wider than :data:`FOLD_WIDTH`, or ``None`` when folding
    would change it (several spaces in a row, line breaks, spaces at the ends)."""
    if not _foldable(text):
        return None
    lines = _wrap(text.split(" "), pad, FOLD_WIDTH)
    return lines if _reads_as("k: >-\n" + "\n".join(lines), {"k": text}) else None


def _foldable(text: str) -> bool:
    return bool(text) and "  " not in text and not any(c in text for c in "\n\r\t") and text == text.strip()


def _wrap(words: list[str], pad: str, width: int) -> list[str]:
    return [pad + " ".join(line) for line in _fill(words, len(pad), width)]


def _fill(words: list[str], indent: int, width: int) -> list[list[str]]:
    """``words`` in lines no wider than ``width`` after ``indent`` columns (a longer word alone)."""
    lines: list[list[str]] = [[]]
    for word in words:
        if lines[-1] and indent + len(" ".join(lines[-1] + [word])) > width:
            lines.append([])
        lines[-1].append(word)
    return lines


def refolded(old: list[str], text: str, pad: str) -> list[str] | None:
    """The lines of a folded text (``>-``) that held the lines ``old`` (without their indent ``pad``),
    now holding ``text``: each word stays on the line it was on, a new word goes on the line of the
    word it replaces or follows, and only a line grown past the width is broken again; so a changed
    word changes one line. ``None`` when ``text`` cannot be folded."""
    if not _foldable(text):
        return None
    if not old or not all(line and _foldable(line) for line in old):
        return _folded(text, pad)
    before = [(word, n) for n, line in enumerate(old) for word in line.split(" ")]
    words = text.split(" ")
    placed: list[int] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [w for w, _ in before], words,
                                                       autojunk=False).get_opcodes():
        for k in range(j2 - j1):
            placed.append(before[max(i1 - 1, 0)][1] if tag == "insert" else before[min(i1 + k, i2 - 1)][1])
    width = max([FOLD_WIDTH] + [len(pad) + len(line) for line in old])
    lines: list[list[str]] = []
    carried: list[str] = []
    for _, group in itertools.groupby(zip(words, placed), key=lambda pair: pair[1]):
        words_here = [word for word, _ in group]
        if carried and len(_fill(carried + words_here, len(pad), width)) > 1:
            lines += _fill(carried, len(pad), width)  # what a grown line pushed out joins the next line if it fits
            carried = []
        first, *rest = _fill(carried + words_here, len(pad), width)
        lines.append(first)
        carried = [word for line in rest for word in line]
    lines += _fill(carried, len(pad), width) if carried else []
    folded = [pad + " ".join(line) for line in lines]
    return folded if _reads_as("k: >-\n" + "\n".join(folded), {"k": text}) else None


def literal(text: str, pad: str) -> list[str] | None:
    """The lines of a literal text (``|-``) holding ``text``, or ``None`` when one cannot hold it."""
    lines = [pad + line if line else "" for line in text.split("\n")]
    return lines if _reads_as("k: |-\n" + "\n".join(lines), {"k": text}) else None


# --- flow (inline) collections ----------------------------------------------------------------------

def _flow_line(head: str, parts: list[str], brackets: str = "{}") -> list[str]:
    """``head{a, b, c}`` wrapped at :data:`WIDTH`, continuation lines aligned after the bracket."""
    opening, closing = brackets
    lines, line = [], head + opening
    indent = " " * len(line)
    for i, part in enumerate(parts):
        piece = part + ("," if i + 1 < len(parts) else closing)
        if not line.endswith(opening) and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = indent + piece
        else:
            line += ("" if line.endswith(opening) else " ") + piece
    if not parts:
        line += closing
    lines.append(line)
    return lines


# --- scalars ---------------------------------------------------------------------------------------

def scalar(value: Any, flow: bool) -> str:
    """A value as YAML writes it: plain when it reads back as itself, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if text and (_reads_as(f"[{text}]", [value]) if flow else _reads_as(f"k: {text}", {"k": value})):
        if not flow or ("," not in text and "{" not in text and "}" not in text and "[" not in text and "]" not in text):
            return text
    return double_quoted(text)


def double_quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).translate(_BREAKS)  # a JSON string is a YAML double-quoted one


def single_quoted(text: str) -> str | None:
    """``'text'`` (a quote doubled inside), or ``None`` when single quotes cannot hold it on one line."""
    quoted = "'" + text.replace("'", "''") + "'"
    return quoted if "\n" not in text and _reads_as(f"k: {quoted}", {"k": text}) else None


#: Characters YAML reads as line breaks or drops even inside quotes: written as escapes.
_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\u0085\u2028\u2029\ufeff"}


def _reads_as(text: str, expected: Any) -> bool:
    try:
        return all(yaml.load(text, Loader=loader) == expected for loader in _LOADERS)
    except (yaml.YAMLError, ValueError):  # ValueError: a date or time that cannot be ("2020-02-30")
        return False
