"""Deterministic element ids, and the one place that touches branca's private element tree.

branca keeps an element's children in ``_children`` (an ordered dict), its parent in ``_parent`` and
its random id in ``_id``; none of them is public API. They are read and written only here
(:func:`children`, :func:`attach`, :func:`assign_ids`); tests/test_internals.py fails with the
attribute's name if a new branca changes them.

branca gives every element a random ``_id`` (16 random bytes), and folium writes ``get_name()`` (the
element's name plus that id) into the page as JavaScript variable and element ids. Two renders of the
same map would differ in every one of those names. :func:`assign_ids` renames the whole tree in a fixed
order (depth first, children in insertion order) with a counter per element name: ``map_0``,
``layer_control_0``, ``circle_marker_3``.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict

from branca.element import Element


def children(element: Element) -> list[Element]:
    """An element's children, in the order they were added."""
    return list(element._children.values())


def attach(part: Element, parent: Element) -> None:
    """Make ``parent`` the parent of ``part`` without adding it as a child (a page's header, body and
    script parts, which the page renders itself)."""
    part._parent = parent


def _walk(element: Element):
    yield element
    for child in children(element):
        yield from _walk(child)


def assign_ids(root: Element) -> Element:
    """Give every element under ``root`` (``root`` included) a deterministic id. Returns ``root``."""
    elements = list(_walk(root))
    old_names = {id(el): el.get_name() for el in elements}
    counters: dict[str, int] = defaultdict(int)
    for el in elements:
        el._id = str(counters[el._name])
        counters[el._name] += 1
    # Children are keyed by their name when no name was given; keep the keys in step with the ids.
    for el in elements:
        if not el._children:
            continue
        renamed = OrderedDict()
        for key, child in el._children.items():
            renamed[child.get_name() if key == old_names[id(child)] else key] = child
        el._children = renamed
    return root
