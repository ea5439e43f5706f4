"""A YAML text as a tree of nodes that know where their text is (for :mod:`mimpmap.yamledit`).

PyYAML's composer gives each node the marks of its text but makes an alias the very node of its anchor,
and a block text's end lies past its trailing blank lines. :func:`compose` builds its own small tree from
the parser's events: an alias is a node of its own (``*name``, with the anchored node it names), a
scalar knows where its value begins after its anchor or tag, and a block collection ends with its last
child. Positions are indexes in the text (PyYAML's own parser counts characters, as Python does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


class Unplaceable(Exception):
    """A change :func:`mimpmap.yamledit.splice` cannot place in the old text (the caller rewrites the
    whole file)."""


# --- the node tree, with where each node's text is -------------------------------------------------

@dataclass(eq=False)
class Node:
    kind: str  # "scalar", "sequence", "mapping" or "alias"
    #: Where the node's text begins (with its anchor or tag) and where its value begins.
    start: int
    body: int
    #: Where its text ends: a block collection's last child's end; a block text's last character.
    end: int = -1
    style: str | None = None  # a scalar's: None (plain), "'", '"', "|" or ">"
    flow: bool = False
    anchor: str | None = None
    tagged: bool = False
    value: str = ""  # a scalar's text (for keys)
    items: list = field(default_factory=list)  # a sequence's nodes; a mapping's (key, value) pairs
    target: "Node | None" = None  # the anchored node an alias names
    key: "Node | None" = None  # the key a mapping's value has


def compose(text: str) -> Node:
    """The node tree of a one-document YAML text, read by PyYAML's own parser (whose marks count
    characters, as Python indexes a str)."""
    loader = _Marks(text)
    try:
        return _build(text, _events(loader), loader.scalar_starts)
    finally:
        loader.dispose()


class _Marks(yaml.SafeLoader):
    """PyYAML's own loader, noting where each scalar's text begins (after its anchor or tag)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.scalar_starts: dict[int, int] = {}

    def get_token(self):
        token = super().get_token()
        if isinstance(token, yaml.ScalarToken):
            self.scalar_starts[token.end_mark.index] = token.start_mark.index
        return token


def _events(loader: yaml.SafeLoader):
    while loader.check_event():
        yield loader.get_event()


def _build(text: str, events, starts: dict[int, int]) -> Node:
    stack: list[Node] = []
    anchors: dict[str, Node] = {}
    root = None
    for event in events:
        start, end = event.start_mark.index, event.end_mark.index
        if isinstance(event, yaml.DocumentStartEvent) and root is not None:
            raise Unplaceable("more than one document")
        if isinstance(event, yaml.CollectionEndEvent):
            node = stack.pop()
            if node.kind == "mapping":
                node.items = list(zip(node.items[::2], node.items[1::2]))
                for key, value in node.items:
                    value.key = key
            node.end = end if node.flow else last_end(node)
        elif isinstance(event, yaml.CollectionStartEvent):
            kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            body = text.index("[" if kind == "sequence" else "{", start) if event.flow_style else start
            stack.append(Node(kind, start, body, flow=bool(event.flow_style), anchor=event.anchor))
            if event.anchor:
                anchors[event.anchor] = stack[-1]
            continue
        elif isinstance(event, yaml.ScalarEvent):
            body = starts.get(end, end if start == end or event.anchor or event.tag else start)
            if event.style in ("|", ">"):
                end = body + len(text[body:end].rstrip())
            node = Node("scalar", start, body, end, event.style, anchor=event.anchor, value=event.value,
                        tagged=bool(event.tag) and "!" in text[start:body])
            if event.anchor:
                anchors[event.anchor] = node
        elif isinstance(event, yaml.AliasEvent):
            node = Node("alias", start, start, end, anchor=event.anchor, target=anchors.get(event.anchor))
        else:
            continue
        if stack:
            stack[-1].items.append(node)
        else:
            root = node
    if root is None or root.kind != "mapping" or root.flow:
        raise Unplaceable("the document is not a block mapping")
    return root


def last_end(node: Node) -> int:
    if not node.items:
        return node.body
    last = node.items[-1]
    return (last[1] if isinstance(last, tuple) else last).end


def find(root: Node, path: tuple) -> tuple[Node | None, Node | None, Node]:
    """The node at ``path``, its parent and its key (``None`` for a list item)."""
    parent, key, node = None, None, root
    for part in path:
        parent = node
        if node.kind == "mapping":
            key, node = next(((k, v) for k, v in reversed(node.items) if k.value == str(part)), (None, None))
        elif node.kind == "sequence" and isinstance(part, int) and part < len(node.items):
            key, node = None, node.items[part]
        else:
            node = None
        if node is None:
            raise Unplaceable(f"no node at {path}")
    return parent, key, node


def walk(node: Node):
    yield node
    for item in node.items:
        for part in item if isinstance(item, tuple) else (item,):
            yield from walk(part)


# --- lines and columns ---------------------------------------------------------------------------------

def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    """The start of the line after the one ``index`` is on (the end of the text on the last line)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def line(text: str, index: int) -> str:
    return text[line_start(text, index):line_end(text, index)]


def line_no(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def column(text: str, index: int) -> int:
    return index - line_start(text, index)


def has_comment(text: str) -> bool:
    return any(line.lstrip().startswith("#") for line in text.splitlines())


def shift(text: str, columns: int, first: bool = False) -> str:
    """``text`` with its lines after the first (every line, with ``first``) moved right by ``columns``
    (left if negative); empty lines stay empty."""
    if not columns:
        return text
    lines = text.split("\n")
    out = lines[:0 if first else 1]
    for line in lines[0 if first else 1:]:
        if not line.strip():
            out.append(line)
        elif columns > 0:
            out.append(" " * columns + line)
        elif line[:-columns].strip():
            raise Unplaceable("a line cannot move left")
        else:
            out.append(line[-columns:])
    return "\n".join(out)
