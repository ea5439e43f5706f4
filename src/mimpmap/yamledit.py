"""Changing a YAML text in place: only the values that changed, everything else byte for byte.

``import`` writes the workbook's data into the YAML file a person keeps in git. Rewriting the whole file
would re-wrap its texts, expand its anchors and drop its quotes and end-of-line comments, so that one
changed cell gave a diff of dozens of lines. :func:`splice` compares the file's data with the new data
and replaces only the text of what changed, found by the positions PyYAML's parser gives each node:

- a changed scalar is written again in its own style (plain, quoted, or a folded text kept on its own
  lines, so that a changed word changes one line);
- an added or removed entry of a block list or mapping is one block of lines, taken from the writer's
  layout (:func:`mimpmap.yamlout.coverage_yaml` of the new data, "fresh" below), with the writer's blank
  lines and program separators;
- a flow collection (``[a, b]``, ``{k: v}``) whose shape changed is written again whole, and a value that
  changed kind (a text that becomes a list) too.

An anchor (``&name``) keeps its aliases (``*name``) while they all still have its value; an alias whose
value now differs is written out and named in a warning. What cannot be placed raises
:class:`Unplaceable`: the caller then rewrites the whole file and says so.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
from dataclasses import dataclass
from typing import Any

import yaml

from . import yamlout
from .yamltree import (Node, Unplaceable, column, compose, find, has_comment, line, line_end, line_no,
                       line_start, shift, walk)


@dataclass(frozen=True)
class Spliced:
    text: str
    #: Comments that were inside text the new data no longer has: "línea 22: # ...".
    lost: tuple[str, ...]
    #: Aliases written out because their value no longer is their anchor's.
    warnings: tuple[str, ...]


def splice(old_text: str, old: Any, new: Any) -> Spliced:
    """``old_text`` (whose data, as its reader gives it, is ``old``) changed to hold ``new`` (the coverage
    file as plain values, :func:`mimpmap.workbook.dump`). Raises :class:`Unplaceable`."""
    windows = old_text.count("\r\n") == old_text.count("\n") > 0  # edited with "\n", given back with "\r\n"
    text = old_text.replace("\r\n", "\n") if windows else old_text
    open_end = not text.endswith("\n")  # a last line without its line break gets one while editing
    try:
        editor = _Editor(text + "\n" * open_end, new)
        editor.diff(editor.root, plain(old), new, _At(()))
        editor.resolve_aliases()
    except yaml.YAMLError:
        raise Unplaceable("PyYAML's own parser does not read the old text or the writer's") from None
    text = editor.result()
    text = text[:-1] if open_end and text.endswith("\n") else text
    return Spliced(text.replace("\n", "\r\n") if windows else text, tuple(editor.lost), tuple(editor.warnings))


def plain(value: Any, key: Any = None) -> Any:
    """A document as the model reads it: texts without the spaces at their ends, every figure value a
    mapping (``2075`` is ``{value: 2075}``), lists for tuples."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: plain(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        if key == "values":
            items = [v if isinstance(v, dict) or isinstance(v, bool) else {"value": v} for v in items]
        return items
    return value


def same(a: Any, b: Any) -> bool:
    """Equal as data: ``True`` is not ``1``, ``1`` is ``1.0``, the order of a mapping's keys does not count."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (dict, list, bool)) or isinstance(b, (dict, list, bool)):
        return type(a) is type(b) and a == b
    numbers = isinstance(a, (int, float)) and isinstance(b, (int, float))
    return a == b and (numbers or type(a) is type(b))


# --- where a node is: its path in the new data, and the block entry whose lines hold it ---------------

@dataclass(frozen=True)
class _Entry:
    """A block mapping's ``key: value`` or a block list's ``- item``, on lines of its own."""

    path: tuple
    start: int  # the key, or the item's "-"
    node: Node
    key: Node | None
    parent: "_Entry | None"


@dataclass(frozen=True)
class _At:
    path: tuple
    flow: bool = False  # inside a flow collection
    entry: _Entry | None = None
    key: Node | None = None  # the key the node is the value of


@dataclass(frozen=True)
class _Fresh:
    """The writer's text of the new data, composed; or of one program or service of it, alone under its
    list's key (:func:`mimpmap.yamlout.entry_yaml`: the same lines at the same columns), where
    ``entry`` (``("services", n)``) is item 0 of its list."""

    text: str
    root: Node
    entry: tuple = ()

    def find(self, path: tuple) -> tuple[Node | None, Node | None, Node]:
        if not self.entry:
            return find(self.root, path)
        try:
            return find(self.root, (path[0], 0) + path[2:])
        except Unplaceable:
            raise Unplaceable(f"no node at {path}") from None


class _Editor:
    def __init__(self, text: str, new: Any):
        self.text, self.new = text, new
        self.root = compose(text)
        self.edits: list[tuple[int, int, str]] = []
        self.lost: list[str] = []
        self.warnings: list[str] = []
        self.seen: dict[int, Any] = {}  # id(anchored node) → its new value
        self.aliases: list[tuple[Node, Any, _At]] = []
        self.leaves = sorted((n.start, n.end) for n in walk(self.root) if n.kind in ("scalar", "alias"))
        self.entries: dict[tuple, _Fresh] = {}  # ("services", n) → that service's text alone

    @functools.cached_property
    def fresh_text(self) -> str:
        """The new data as the writer writes it: the text of what is added or written again."""
        return yamlout.coverage_yaml(self.new)

    @functools.cached_property
    def fresh_lines(self) -> frozenset[str]:
        return frozenset(self.fresh_text.splitlines())

    @functools.cached_property
    def whole(self) -> _Fresh:
        return _Fresh(self.fresh_text, compose(self.fresh_text))

    def fresh(self, path: tuple) -> _Fresh:
        """The writer's text that holds ``path``: inside a program or a service, that entry's text alone
        (a few lines to write and read instead of the whole file), else the whole text."""
        section = path[0] if len(path) > 1 and isinstance(self.new, dict) else None
        items = self.new.get(section) if section in ("programs", "services") else None
        n = path[1] if isinstance(items, list) else None
        if type(n) is not int or not 0 <= n < len(items) or not isinstance(items[n], dict) or not items[n]:
            return self.whole
        if path[:2] not in self.entries:
            text = yamlout.entry_yaml(self.new, section, n)
            self.entries[path[:2]] = _Fresh(text, compose(text), path[:2])
        return self.entries[path[:2]]

    # --- walking the old tree beside the new data ---

    def diff(self, node: Node, old: Any, new: Any, at: _At) -> None:
        if node.kind == "alias":
            self.aliases.append((node, new, at))
            return
        if node.anchor:
            self.seen[id(node)] = new
        if same(old, new):
            self.register(node, new, at)
        elif node.kind == "scalar":
            self.scalar(node, new, at)
        elif node.kind == "mapping" and isinstance(new, dict) and isinstance(old, dict) \
                and all(k.value != "<<" for k, _ in node.items):
            (self.flow_mapping if node.flow else self.block_mapping)(node, old, new, at)
        elif node.kind == "sequence" and isinstance(new, list) and isinstance(old, list):
            (self.flow_sequence if node.flow else self.block_sequence)(node, old, new, at)
        else:
            self.replace(node, at)

    def register(self, node: Node, new: Any, at: _At) -> None:
        """An unchanged part: only its anchors' values and its aliases are noted."""
        if node.kind == "alias":
            self.aliases.append((node, new, at))
        elif node.anchor:
            self.seen[id(node)] = new
        if node.kind == "mapping" and isinstance(new, dict):
            for key, value in node.items:
                if key.value in new:
                    self.register(value, new[key.value], self.child(node, at, key.value, key, value))
        elif node.kind == "sequence" and isinstance(new, list):
            for i, (item, value) in enumerate(zip(node.items, new)):
                self.register(item, value, self.child(node, at, i, None, item))

    def child(self, node: Node, at: _At, part: Any, key: Node | None, value: Node) -> _At:
        path = at.path + (part,)
        if node.flow:
            return _At(path, True, at.entry, key)
        start = key.start if key is not None else self.text.rfind("-", 0, value.start)
        if self._alone(self.text, start):
            return _At(path, False, _Entry(path, start, value, key, at.entry), key)
        return _At(path, False, at.entry, key)

    @staticmethod
    def _alone(text: str, start: int) -> bool:
        """Whether only spaces come before ``start`` on its line."""
        return start >= 0 and not text[line_start(text, start):start].strip()

    def scalar(self, node: Node, new: Any, at: _At) -> None:
        value = new["value"] if at.path[-2:-1] == ("values",) and isinstance(new, dict) and new.keys() == {"value"} \
            else new
        if isinstance(value, (dict, list)):
            return self.replace(node, at)
        if node.style in ("|", ">") and isinstance(value, str):
            return self.block_text(node, value, at)
        text = yamlout.scalar(value, flow=at.flow)
        if isinstance(value, str) and node.style == "'":
            text = yamlout.single_quoted(value) or text
        elif isinstance(value, str) and node.style == '"':
            text = yamlout.double_quoted(value)
        start = node.body
        if node.tagged:
            start, text = node.start, (f"&{node.anchor} " if node.anchor else "") + text
        elif start == node.end and self.text[start - 1:start] not in (" ", "\n"):
            text = " " + text
        self.edit(start, node.end, text)

    def block_text(self, node: Node, value: str, at: _At) -> None:
        """A folded (``>``) or literal (``|``) text: its header line stays, its lines are written again."""
        found = self.block_lines(node, value)
        if found is None:
            return self.replace(node, at)
        first, lines = found
        self.edit(first, node.end, "\n".join(lines))

    def block_lines(self, node: Node, value: str) -> tuple[int, list[str]] | None:
        """``value`` as the lines of the block text ``node`` (on its old lines where they still fit), and
        where those lines begin; ``None`` when such a text cannot hold it."""
        if node.style not in ("|", ">"):
            return None
        first = self.text.find("\n", node.body) + 1
        if first == 0 or first > node.end:
            return None
        old = self.text[first:node.end].split("\n")
        pad = next((line[:len(line) - len(line.lstrip(" "))] for line in old if line.strip()), "")
        if node.style == ">":
            lines = yamlout.refolded([line[len(pad):] for line in old], value, pad)
        else:
            lines = yamlout.literal(value, pad)
        return None if lines is None else (first, lines)

    # --- block mappings and lists ---

    def block_mapping(self, node: Node, old: dict, new: dict, at: _At) -> None:
        pairs = {key.value: (key, value) for key, value in node.items}
        added = [k for k in new if k not in pairs]
        view = self.fresh(at.path) if added else None
        fresh = view.find(at.path)[2] if view else None
        if fresh is not None and fresh.flow:
            return self.replace_entry(at.entry)
        if fresh is not None and set(added) - {k.value for k, _ in fresh.items}:
            raise Unplaceable("a key the writer does not write")
        for n, (key, value) in enumerate(node.items):
            if pairs[key.value] != (key, value):
                continue  # a repeated key: the last one is the one read
            if key.value in new:
                self.diff(value, old[key.value], new[key.value], self.child(node, at, key.value, key, value))
            else:
                self.remove_pair(node, n, at)
        for name in (k for k, _ in fresh.items if k.value in added) if fresh else ():
            self.add_pair(node, view, fresh, name.value, pairs)

    def remove_pair(self, node: Node, n: int, at: _At) -> None:
        key, value = node.items[n]
        if self._alone(self.text, key.start):
            start, end = self.lead_start(line_start(self.text, key.start)), line_end(self.text, value.end)
        elif n + 1 < len(node.items):
            start, end = key.start, node.items[n + 1][0].start  # the next key moves up after the "- "
        else:
            return self.replace_entry(at.entry)
        self.note_lost(start, end)
        self.edit(start, end, "")

    def add_pair(self, node: Node, view: _Fresh, fresh: Node, name: str, pairs: dict) -> None:
        names = [k.value for k, _ in fresh.items]
        key, value = next((k, v) for k, v in fresh.items if k.value == name)
        indent = column(self.text, node.items[0][0].start)
        body = shift(view.text[key.start:line_end(view.text, value.end)], indent - column(view.text, key.start))
        before = next((pairs[k] for k in reversed(names[:names.index(name)]) if k in pairs), None)
        if before is not None:
            self.edit(*[line_end(self.text, before[1].end)] * 2, " " * indent + body)
        else:  # the new key comes first: it takes the place of the old first key, which moves down
            start = node.items[0][0].start
            self.edit(start, start, body.rstrip("\n") + "\n" + " " * indent)

    def block_sequence(self, node: Node, old: list, new: list, at: _At) -> None:
        if not new:  # a block list of nothing would read as null: "key: []"
            return self.replace_entry(at.entry)
        pairs, removed, added = _align(old, new)
        view = self.fresh(at.path) if added else None
        fresh = view.find(at.path)[2] if view else None
        if fresh is not None and (fresh.flow or at.key is None):
            return self.replace_entry(at.entry)
        for i, j in pairs:
            self.diff(node.items[i], old[i], new[j], self.child(node, at, j, None, node.items[i]))
        for run in _runs(removed):
            self.remove_items(node, run)
        matched = dict((j, i) for i, j in pairs)
        for run in _runs(added):
            self.add_items(node, view, run, matched.get(run[0] - 1), matched.get(run[-1] + 1), at)

    def remove_items(self, node: Node, run: list[int]) -> None:
        text = self.text
        start = self.lead_start(line_start(text, self._dash(text, node.items[run[0]])))
        end = line_end(text, node.items[run[-1]].end)
        if run[-1] + 1 < len(node.items):
            while end < len(text) and not line(text, end).strip():
                end = line_end(text, end)
        else:
            while start > 0 and not line(text, start - 1).strip():
                start = line_start(text, start - 1)
        self.note_lost(start, end)
        self.edit(start, end, "")

    def add_items(self, node: Node, view: _Fresh, run: list[int], before: int | None, after: int | None,
                  at: _At) -> None:
        """New items ``run`` (indexes of the new list) between old items ``before`` and ``after``: with the
        writer's blank lines and separators before them, or after them when they open the group of the
        item that follows (the old separator above that item then comes before them)."""
        _, key, fresh = view.find(at.path)
        ft, items = view.text, fresh.items
        starts = [line_start(ft, self._dash(ft, item)) for item in items]
        ends = [line_end(ft, item.end) for item in items]
        key_end = line_end(ft, key.end)
        gap_before = ft[ends[run[0] - 1] if run[0] else key_end:starts[run[0]]]
        gap_after = ft[ends[run[-1]]:starts[run[-1] + 1]] if run[-1] + 1 < len(items) else ""
        moved = column(self.text, self._dash(self.text, node.items[0])) - column(ft, self._dash(ft, items[0]))
        if after is not None and has_comment(gap_before) and not has_comment(gap_after):
            where = line_start(self.text, self._dash(self.text, node.items[after]))
            chunk = ft[starts[run[0]]:starts[run[-1] + 1]]
        else:
            where = line_end(self.text, node.items[before].end if before is not None else at.key.end)
            chunk = ft[ends[run[0] - 1] if run[0] else key_end:ends[run[-1]]]
        self.edit(where, where, shift(chunk, moved, first=True))

    @staticmethod
    def _dash(text: str, item: Node) -> int:
        dash = text.rfind("-", 0, item.start)
        if dash < 0 or text[line_start(text, dash):dash].strip() or text[dash + 1:item.start].strip():
            raise Unplaceable("a list item whose '-' is not on its line")
        return dash

    def lead_start(self, start: int) -> int:
        """``start`` moved up over the comment lines right above it (notes on what is removed), but not
        over a separator line the writer still makes."""
        while start > 0:
            above = line_start(self.text, start - 1)
            text = self.text[above:start - 1]
            if not text.lstrip().startswith("#") or self.in_leaf(above + len(text) - len(text.lstrip())):
                break
            if yamlout.is_separator(text) and text in self.fresh_lines:
                break
            start = above
        return start

    # --- flow collections and whole values ---

    def flow_mapping(self, node: Node, old: dict, new: dict, at: _At) -> None:
        if old.keys() != new.keys() or len(node.items) != len(old):
            return self.replace(node, at)
        for key, value in node.items:
            self.diff(value, old[key.value], new[key.value], self.child(node, at, key.value, key, value))

    def flow_sequence(self, node: Node, old: list, new: list, at: _At) -> None:
        if len(old) != len(new):
            return self.replace(node, at)
        for i, item in enumerate(node.items):
            self.diff(item, old[i], new[i], self.child(node, at, i, None, item))

    def replace(self, node: Node, at: _At) -> None:
        """``node`` written again as the writer writes the new value: in its place when that fits on its
        line (a scalar, a flow collection), else with its whole entry."""
        view = self.fresh(at.path)
        _, key, fresh = view.find(at.path)
        block_text = fresh.kind == "scalar" and fresh.style in ("|", ">")
        inline = fresh.flow or (fresh.kind == "scalar" and not (block_text and at.flow))
        if inline and (node.kind in ("scalar", "alias") or node.flow):
            text = view.text[fresh.body:fresh.end]
            if block_text:  # its lines are indented from its key (or its item's "-")
                moved = self.indent(self.text, node, at.key) - self.indent(view.text, fresh, key)
            else:
                moved = column(self.text, node.body) - column(view.text, fresh.body)
            self.rewrite(node, shift(text, moved))
        else:
            self.replace_entry(at.entry)

    def rewrite(self, node: Node, text: str) -> None:
        """The value of ``node`` replaced by ``text`` (an anchor stays; a tag goes with the old value)."""
        start = node.start if node.kind == "alias" or node.tagged else node.body
        anchor = f"&{node.anchor} " if node.anchor and node.kind != "alias" and start == node.start else ""
        self.edit(start, node.end, anchor + text)

    def indent(self, text: str, node: Node, key: Node | None) -> int:
        """The column the lines of ``node`` are indented from: its key's, or its item's "-"."""
        return column(text, key.start if key is not None else self._dash(text, node))

    def replace_entry(self, entry: _Entry | None) -> None:
        """The lines of an entry written again from the writer's text, its end-of-line comments kept."""
        while entry is not None:
            try:
                view = self.fresh(entry.path)
                parent, key, fresh = view.find(entry.path)
                fresh_start = key.start if key is not None else self._dash(view.text, fresh)
            except Unplaceable:
                parent = None
            if parent is None or parent.flow or (key is None) != (entry.key is None):
                entry = entry.parent  # the writer does not give it lines of its own: the entry around it
                continue
            start, end = line_start(self.text, entry.start), line_end(self.text, entry.node.end)
            indent = column(self.text, entry.start)
            body = view.text[fresh_start:line_end(view.text, fresh.end)]
            body = " " * indent + shift(body, indent - column(view.text, fresh_start))
            comments = [c for _, _, c, whole in self.comments(start, end) if not whole]
            if comments:
                first, _, rest = body.partition("\n")
                body = first + "  " + "  ".join(comments) + "\n" + rest
            self.note_lost(start, end, whole_only=True)
            return self.edit(start, end, body)
        raise Unplaceable("a change outside any entry")

    # --- aliases ---

    def resolve_aliases(self) -> None:
        """Each alias keeps naming its anchor if the anchor is still there with the alias's new value;
        else it is written out, and said."""
        for alias, new, at in self.aliases:
            if self.covered(alias.start):
                continue
            target = alias.target
            alive = target is not None and id(target) in self.seen and not self.covered(target.start)
            if alive and same(self.seen[id(target)], new):
                continue
            why = (f"el libro le da otro valor que al ancla &{alias.anchor} (línea {line_no(self.text, target.start)})"
                   if alive else f"el libro quitó el ancla &{alias.anchor}")
            self.warnings.append(f"línea {line_no(self.text, alias.start)}: el alias *{alias.anchor} se escribió "
                                 f"con su texto: {why}")
            self.expand(alias, new, at)

    def expand(self, alias: Node, new: Any, at: _At) -> None:
        """An alias written out: a block text on the lines of its anchor's (the same lines if it keeps the
        anchor's old text), anything else as the writer writes it."""
        target = alias.target
        found = self.block_lines(target, new) if target is not None and target.kind == "scalar" \
            and isinstance(new, str) else None
        if found is None:
            return self.replace(alias, at)
        first, lines = found
        header = self.text[target.body:first - 1].split(" #")[0].rstrip()
        moved = self.indent(self.text, alias, at.key) - self.indent(self.text, target, target.key)
        self.rewrite(alias, shift(header + "\n" + "\n".join(lines), moved))

    # --- edits and comments ---

    def edit(self, start: int, end: int, text: str) -> None:
        """Replace ``[start, end)`` of the old text; an edit that holds earlier ones replaces them."""
        inside = [e for e in self.edits if start < end and start <= e[0] and e[1] <= end and e[:2] != (start, start)
                  and e[:2] != (end, end)]
        overlap = [e for e in self.edits if e not in inside and e[0] < end and start < e[1]]
        if overlap:
            raise Unplaceable("overlapping changes")
        self.edits = [e for e in self.edits if e not in inside] + [(start, end, text)]

    def covered(self, index: int) -> bool:
        return any(start <= index < end for start, end, _ in self.edits)

    def result(self) -> str:
        out, at = [], 0
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1])):
            out += [self.text[at:start], text]
            at = end
        return "".join(out) + self.text[at:]

    def in_leaf(self, index: int) -> bool:
        n = bisect.bisect_right(self.leaves, (index, float("inf"))) - 1
        return n >= 0 and self.leaves[n][0] <= index < self.leaves[n][1]

    def comments(self, start: int, end: int) -> list[tuple[int, int, str, bool]]:
        """The comments in ``[start, end)``: (index, line, text, whether it is a line of its own)."""
        found, at = [], start
        while at < end:
            stop = min(line_end(self.text, at), end)
            here = self.text[at:stop].rstrip("\n")
            for n, char in enumerate(here):
                if char == "#" and (n == 0 or here[n - 1] in " \t") and not self.in_leaf(at + n):
                    found.append((at + n, line_no(self.text, at), here[n:].rstrip(), not here[:n].strip()))
                    break
            at = stop
        return found

    def note_lost(self, start: int, end: int, whole_only: bool = False) -> None:
        for _, number, comment, whole in self.comments(start, end):
            if (whole or not whole_only) and not yamlout.is_separator(comment):
                self.lost.append(f"línea {number}: {comment}")


def _align(old: list, new: list) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Old and new items paired (by id where every item has one), and the removed and added ones."""
    by_id = all(isinstance(item, dict) and "id" in item for item in old + new)

    def keys(items):
        return [str(i["id"]) if by_id else json.dumps(i, sort_keys=True, default=str) for i in items]

    pairs, removed, added = [], [], []
    matcher = difflib.SequenceMatcher(None, keys(old), keys(new), autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        common = min(i2 - i1, j2 - j1)
        pairs += [(i1 + k, j1 + k) for k in range(common)]
        removed += range(i1 + common, i2)
        added += range(j1 + common, j2)
    return pairs, removed, added


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] + 1 == i:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
