"""The YAML reader: text → plain document, with the line of every part.

It refuses what would hang or crash later, fast and with the line: aliases that expand past a small
bound or refer to themselves, integers too long to be a count. Syntax errors point at the line of the
mistake (the opening bracket or quote that is never closed, the tab, the misaligned key) in Spanish.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import DataError
from ..text import number
from .base import Document

#: How many elements aliases (``*nombre``) may add to the document once expanded. An anchor reused a
#: few times adds tens; a "billion laughs" file adds billions and would take minutes and gigabytes.
ALIAS_LIMIT = 10_000

#: The deepest nesting read. A coverage file nests six levels (services, a service, centres, sites, a
#: site, location); deeper data is a mistake, and would strain every recursive step after reading.
DEPTH_LIMIT = 50

#: The longest integer literal read. A count has at most 10 digits; longer literals are refused here
#: because Python will not even convert one of more than 4300 digits.
INT_TEXT_LIMIT = 1000


class _Refused(yaml.YAMLError):
    """A problem this reader found, already worded in Spanish, at a node."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message = message
        self.mark = mark


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml where available: much faster
    """PyYAML's safe loader with YAML 1.2's core schema: ``10:30``, ``yes``, ``off``, ``2020-01-01`` and
    ``1_000`` are texts (YAML 1.1 reads them as 630, true, false, a date and 1000), ``012`` is twelve
    (not octal ten). Only the core schema's tags, plus merge keys (``<<: *ancla``), are constructed."""

    yaml_implicit_resolvers: dict = {}
    yaml_constructors = {tag: build for tag, build in yaml.SafeLoader.yaml_constructors.items()
                         if tag is None or tag.rsplit(":", 1)[-1] in ("null", "str", "seq", "map")}


#: YAML 1.2 core schema (spec 1.2.2, 10.3.2): tag → (pattern, the characters such a scalar starts with).
CORE_SCHEMA = {
    "null": (r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    "int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    "float": (r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
              r"|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
    "merge": (r"^<<$", ["<"]),
}
_CORE = {tag: re.compile(pattern) for tag, (pattern, _) in CORE_SCHEMA.items()}
#: What each tag's scalar is, for the message when an explicit tag (``!!int 10:30``) does not fit.
_WHAT = {"int": "un número entero", "float": "un número", "bool": "un valor lógico (true o false)"}


def _resolve_core(loader: type[yaml.SafeLoader]) -> None:
    for tag, (_, first) in CORE_SCHEMA.items():
        loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", _CORE[tag], first)


_resolve_core(Loader)


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode, tag: str) -> str:
    """The text of a scalar tagged ``tag`` (implicitly, or explicitly with ``!!int``), refused unless YAML
    1.2 writes one so."""
    value = loader.construct_scalar(node)
    if tag == "int" and len(value) > INT_TEXT_LIMIT:
        raise _Refused(f"el número tiene {len(value)} cifras; ninguna cifra publicada es tan larga: corríjalo",
                       node.start_mark)
    if not _CORE[tag].match(value):
        raise _Refused(f"'{value[:40]}' no es {_WHAT[tag]}; corríjalo o quítele la etiqueta !!{tag}",
                       node.start_mark)
    return value


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    value = _scalar(loader, node, "int")
    if value[:2] in ("0o", "0x"):
        return int(value[2:], 8 if value[1] == "o" else 16)
    return int(value, 10)


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    value = _scalar(loader, node, "float").lower()
    if value.lstrip("+-") in (".inf", ".nan"):
        return float(value.replace(".", ""))
    return float(value)


def _bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return _scalar(loader, node, "bool").lower() == "true"


Loader.add_constructor("tag:yaml.org,2002:int", _int)
Loader.add_constructor("tag:yaml.org,2002:float", _float)
Loader.add_constructor("tag:yaml.org,2002:bool", _bool)


def read(raw: bytes, name: str | None = None) -> Document:
    """A document from the bytes of a YAML file (UTF-8)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line, column = before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1
        raise DataError(f"línea {line}, columna {column}: el byte 0x{raw[exc.start]:02X} no es UTF-8; "
                        "guarde el archivo con la codificación UTF-8", name) from None
    return parse(text, name)


def parse(text: str, name: str | None = None) -> Document:
    """A document from YAML text. Raises :class:`DataError` if the text cannot be read as YAML."""
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Document(None, YamlLocator(None))
        repeated = _repeated_keys(_check_aliases(root))
        return Document(loader.construct_document(root), YamlLocator(root), tuple(repeated))
    except _Refused as exc:
        raise DataError(f"{_at(exc.mark)}: {exc.message}", name) from None
    except yaml.YAMLError as exc:
        raise DataError(syntax_message(exc, text), name) from None
    finally:
        loader.dispose()


class YamlLocator:
    """Paths in the document → "línea N", found by walking the node tree down the path."""

    spells_path = True

    def __init__(self, root: yaml.Node | None):
        self.root = root

    def where(self, path: tuple) -> str | None:
        if self.root is None:
            return None
        node, line = self.root, self.root.start_mark.line + 1
        for part in path:
            step = _step(node, part)
            if step is None:
                break
            node, line = step
        return f"línea {line}"


def _step(node: yaml.Node, part: Any) -> tuple[yaml.Node, int] | None:
    """The child of ``node`` at ``part`` and the line that names it (a key's own line)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):  # the last of repeated keys is the one read
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value, key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None


def _at(mark: Any) -> str:
    return f"línea {mark.line + 1}, columna {mark.column + 1}"


# --- the node tree: aliases and repeated keys ------------------------------------------------------

def _children(node: yaml.Node) -> list[yaml.Node]:
    if node.id == "mapping":
        return [n for pair in node.value for n in pair]
    if node.id == "sequence":
        return node.value
    return []


def _check_aliases(root: yaml.Node) -> list[yaml.Node]:
    """Refuse an alias inside its own anchor, and aliases that expand the document past the bound.
    Returns every node once (in no particular order)."""
    sizes, children = _expanded_sizes(root)
    nodes = [node for node, _ in children.values()]
    if sizes[id(root)] - len(sizes) > ALIAS_LIMIT:
        refs: dict[int, int] = {}
        for _, kids in children.values():
            for child in kids:
                refs[id(child)] = refs.get(id(child), 0) + 1
        worst = max((n for n in nodes if refs.get(id(n), 0) > 1),
                    key=lambda n: sizes[id(n)] * (refs[id(n)] - 1))
        raise _Refused(f"los alias (*nombre) de esta ancla repiten datos hasta más de {number(ALIAS_LIMIT)} "
                       "elementos; escriba los datos sin alias o con bloques más pequeños", worst.start_mark)
    return nodes


def _expanded_sizes(root: yaml.Node) -> tuple[dict[int, int], dict[int, tuple[yaml.Node, list[yaml.Node]]]]:
    """Node id → how many nodes it holds once aliases are expanded (capped just past the bound), and
    node id → (node, its children), each node once, however many aliases point at it."""
    cap = ALIAS_LIMIT * 10
    sizes: dict[int, int] = {}
    children: dict[int, tuple[yaml.Node, list[yaml.Node]]] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            sizes[key] = min(cap, 1 + sum(sizes[id(c)] for c in children[key][1]))
        elif key not in sizes:
            on_path.add(key)
            if len(on_path) > DEPTH_LIMIT:
                raise _Refused(f"hay más de {DEPTH_LIMIT} niveles anidados; un archivo de cobertura tiene "
                               "unos seis: revise los corchetes y la sangría", node.start_mark)
            kids = children[key] = (node, _children(node))
            stack.append((node, True))
            for child in kids[1]:
                if id(child) in on_path:
                    raise _Refused("un alias (*nombre) está dentro de su propia ancla (&nombre): los datos "
                                   "no terminarían nunca; escríbalos sin ese alias", child.start_mark)
                stack.append((child, False))
    return sizes, children


def _repeated_keys(nodes: list[yaml.Node]) -> list[str]:
    """A key written twice in one mapping: YAML would keep the last silently, hiding an edit."""
    found = []
    for node in nodes:
        if node.id != "mapping":
            continue
        first: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                continue
            line = key.start_mark.line + 1
            if key.value in first:
                found.append((line, f"línea {line}: la clave '{key.value}' está repetida (ya estaba en la "
                                    f"línea {first[key.value]}); deje solo una"))
            else:
                first[key.value] = line
    return [message for _, message in sorted(found)]


# --- syntax errors in Spanish -----------------------------------------------------------------------
# libyaml gives no error codes, only English text: the table matches that text (and nothing else does).
# Each entry: words in libyaml's problem or context, which mark is the mistake, and the Spanish message.

_SYNTAX: tuple[tuple[str, str, str], ...] = (
    ("tab", "problem", "hay un tabulador; en YAML la sangría se escribe con espacios: cámbielo por espacios"),
    ("while parsing a flow sequence", "context",
     "el corchete '[' abierto aquí no se cierra; añada ']' al final de la lista (y comas entre elementos)"),
    ("while parsing a flow mapping", "context",
     "la llave '{' abierta aquí no se cierra; añada '}' al final (y comas entre campos)"),
    ("while scanning a quoted scalar", "context",
     "las comillas abiertas aquí no se cierran; añada la comilla de cierre"),
    ("unknown escape character", "problem",
     "secuencia de escape desconocida entre comillas dobles; escriba '\\\\' para una barra o use comillas "
     "simples"),
    ("could not find expected ':'", "context",
     "falta ':' después de esta clave (o el texto de la línea anterior sigue sin sangría)"),
    ("mapping values are not allowed", "problem",
     "hay ': ' donde no se espera; revise la sangría, o ponga el texto entre comillas si lleva ': '"),
    ("block sequence entries are not allowed", "problem",
     "un guion '- ' de lista no puede ir aquí; revise la sangría"),
    ("did not find expected", "problem",
     "la sangría de esta línea no coincide con la de las anteriores; alinee la clave con las de su bloque"),
    ("expected <block end>", "problem",
     "la sangría de esta línea no coincide con la de las anteriores; alinee la clave con las de su bloque"),
    ("found undefined alias", "problem",
     "este alias (*nombre) no tiene antes un ancla (&nombre) con ese nombre; defínala o escriba el valor"),
    ("found duplicate anchor", "problem", "ya hay antes un ancla (&nombre) con este nombre; use otro nombre"),
    ("expected a single document", "problem",
     "hay un segundo documento ('---'); el archivo debe tener uno solo"),
    ("maximum nesting depth", "problem", "hay demasiados niveles anidados; el archivo no parece de cobertura"),
    ("could not determine a constructor", "problem",
     "esta etiqueta ('!...') no está permitida; quítela y escriba el valor solo"),
    ("unhashable key", "problem", "una clave no puede ser una lista ni un mapa; escriba un nombre"),
    ("cannot start any token", "problem", "este carácter no puede empezar un valor; ponga el texto entre comillas"),
)
_GENERIC = "el YAML no se puede leer aquí; revise la sangría, los dos puntos, las comillas y los corchetes"


def syntax_message(exc: yaml.YAMLError, text: str) -> str:
    """A Spanish message for a YAML error, at the line (and column) of the mistake."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text.encode("utf-8", "surrogatepass")[:exc.position]
        line = before.count(b"\n") + 1
        return (f"línea {line}: hay un carácter de control (U+{exc.character:04X}) que YAML no admite; "
                "bórrelo")
    words = f"{getattr(exc, 'context', '') or ''} | {getattr(exc, 'problem', '') or ''}"
    marks = {"problem": getattr(exc, "problem_mark", None), "context": getattr(exc, "context_mark", None)}
    if _char_at(text, marks["problem"]) == "\t":
        words = "tab"
    for pattern, which, message in _SYNTAX:
        if pattern in words:
            mark = marks[which] or marks["problem"] or marks["context"]
            return f"{_at(mark)}: {message}" if mark else message
    mark = marks["problem"] or marks["context"]
    return f"{_at(mark)}: {_GENERIC}" if mark else _GENERIC


def _char_at(text: str, mark: Any) -> str | None:
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return None
