"""A strict YAML reader that keeps the line of every value.

Contributors' YAML is untrusted and easy to get subtly wrong, so this reader turns YAML's
surprises into errors instead of data: duplicate keys, anchors and aliases (and so merge
keys), tags of any kind (``!!python/object`` and friends), more than one document, keys
that are not text, and nesting deeper than :data:`MAX_DEPTH`. Values are built from
PyYAML's event stream (libyaml's C parser when present), so nothing is ever constructed
from a tag and no recursion can be exhausted.

Nesting is bounded before any parser builds it: libyaml composes nodes recursively (about
30,000 levels crash the process), so the fast path is taken only when a count of the
characters that can open a collection (:func:`_openers`, one pass) shows the text cannot
nest that deep; the event path, which libyaml runs with its own stack, stops at the first
collection deeper than :data:`MAX_DEPTH` and reports it once. Both are linear.

Scalars resolve as YAML 1.1 does (``NO`` is a boolean), so that the schema check can
report such a value as the wrong type, with the text the contributor wrote. Dates are kept
as the text written; the schema decides whether a field needs a real date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode

from .words import counted

Path = tuple  # a path into the data: keys and list indexes, like ("outcomes", 0, "area")

MAX_DEPTH = 20
FAST_PATH_OPENERS = 2_000
"""Texts with more characters that can open a collection (``[ { - ? :``) take the event path:
every collection starts at one of them, so this bounds how deep libyaml's recursive
composer can go (it crashes somewhere between 20,000 and 40,000 levels)."""

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()


_FIRST = {first: tuple(resolvers) for first, resolvers in _Parser.yaml_implicit_resolvers.items()}
_ANY = _FIRST.pop(None, ())  # resolvers for any first character
_DEFAULT_TAG = {ScalarNode: _Parser.DEFAULT_SCALAR_TAG, yaml.SequenceNode: _Parser.DEFAULT_SEQUENCE_TAG,
                yaml.MappingNode: _Parser.DEFAULT_MAPPING_TAG}


class _NodeParser(_Parser):  # type: ignore[misc, valid-type]
    """The parser of the fast path, with PyYAML's tag resolution (which libyaml's composer
    calls back into Python for, once or twice for every node) answered without the general
    machinery: a safe loader has no path resolvers, so what remains is the implicit
    resolvers of a plain scalar's first character, as :meth:`yaml.resolver.Resolver.resolve`
    tries them, then the default tag of the node's kind."""

    def descend_resolver(self, current_node, current_index) -> None:
        pass  # path resolvers only

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            for tag, regexp in _FIRST.get(value[:1], ()) + _ANY:
                if regexp.match(value):
                    return tag
        return _DEFAULT_TAG[kind]


assert not _Parser.yaml_path_resolvers, "strictyaml's node parser assumes a loader without path resolvers"
_constructor = SafeConstructor()
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class YamlProblem:
    line: int  # 1-based, in the text given (add the offset of the text in its file)
    path: Path
    message: str
    hint: str = ""


@dataclass
class Document:
    """The data of one YAML document, with the line where each value starts."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    plain: dict[Path, str] = field(default_factory=dict)  # the text of plain scalars that are not strings
    problems: list[YamlProblem] = field(default_factory=list)


def _scalar_value(event: yaml.ScalarEvent | ScalarNode) -> tuple[Any, bool]:
    """The Python value of a scalar (event or node) and whether it was a plain non-string."""
    if event.style:  # quoted or block scalar: always text ('' or None is plain)
        return event.value, False
    tag = _resolver.resolve(ScalarNode, event.value, (True, False))
    if tag == "tag:yaml.org,2002:str" or tag == _TIMESTAMP:
        return event.value, False
    if tag == "tag:yaml.org,2002:merge" or tag == "tag:yaml.org,2002:value":
        return event.value, False
    node = ScalarNode(tag, event.value)
    method = _constructor.yaml_constructors.get(tag)
    if method is None:
        return event.value, False
    try:
        return method(_constructor, node), True
    except (ConstructorError, ValueError, TypeError, OverflowError):
        return event.value, False


class _Builder:
    """Builds values from events, iteratively, recording lines and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # each frame: [container, path, pending_key, pending_key_line, seen_keys]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.done = False

    def _problem(self, event: yaml.Event, path: Path, message: str, hint: str = "") -> None:
        self.doc.problems.append(YamlProblem(event.start_mark.line + 1, path, message, hint))

    def _child_path(self) -> Path | None:
        """Path of the value about to be added; None when a mapping key is expected."""
        if not self.stack:
            return ()
        container, path, key, _, _ = self.stack[-1]
        if isinstance(container, list):
            return path + (len(container),)
        return None if key is _NO_KEY else path + (key,)

    def _check_event(self, event: yaml.Event, path: Path) -> None:
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._problem(event, path, f"YAML anchor '&{anchor}' is not allowed",
                          "write the value out in full where it is needed")
        tag = getattr(event, "tag", None)  # the parser gives a tag only when one is written
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(event, path, f"YAML tag '{shown}' is not allowed",
                          "remove the tag; write plain values only")

    def add(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            path = self._child_path() or ()
            self._problem(event, path, f"YAML alias '*{event.anchor}' is not allowed",
                          "write the value out in full instead of referring to an anchor")
            self._place(event, None, path)
            return
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            container, path, *_ = self.stack.pop()
            self._place(event, container, path, closing=True)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY:
            self._key(event)
            return
        path = self._child_path()
        self._check_event(event, path)
        value, plain = _scalar_value(event)
        if plain and not _dropped(path):
            self.doc.plain[path] = event.value
        self._place(event, value, path)

    def _key(self, event: yaml.ScalarEvent) -> None:
        frame = self.stack[-1]
        _, path, _, _, seen = frame
        self._check_event(event, path)
        value, _ = _scalar_value(event)
        line = event.start_mark.line + 1
        if not event.style and event.value == "<<":
            self._problem(event, path, "YAML merge key '<<' is not allowed",
                          "write the fields out in full")
        if not isinstance(value, str):
            self._problem(event, path + (event.value,), f"the key '{event.value}' is read as {_kind(value)}, not text",
                          f"quote it: \"{event.value}\"")
            value = event.value
        if value in seen:
            self._problem(event, path + (value,), f"duplicate key '{value}' (first given on line {seen[value]})",
                          "keep one of the two")
            frame[2] = _Duplicate(value)
        else:
            seen[value] = line
            frame[2] = value
        frame[3] = line

    def _open(self, event: yaml.Event) -> None:
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY:
            self._problem(event, self.stack[-1][1], "a key must be text, not a list or a mapping",
                          "write a plain key before the colon")
            path = self.stack[-1][1] + (_Duplicate("?"),)
        else:
            path = self._child_path()
        self._check_event(event, path)
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(_too_deep(event.start_mark.line + 1, path))
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._line(path, event.start_mark.line + 1)
        self.stack.append([container, path, _NO_KEY, 0, {}])

    def _place(self, event: yaml.Event, value: Any, path: Path, closing: bool = False) -> None:
        if not closing and not _dropped(path):
            self.doc.lines.setdefault(path, event.start_mark.line + 1)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container, _, key, key_line, _ = frame
        if isinstance(container, list):
            container.append(value)
            return
        if isinstance(key, _Duplicate):
            frame[2] = _NO_KEY
            return
        if key is _NO_KEY:  # a complex key that has just closed
            frame[2] = _Duplicate("?")
            return
        container[key] = value
        self._line(path, key_line)  # a nested block on the lines after its key points at the key
        frame[2] = _NO_KEY

    def _line(self, path: Path, line: int) -> None:
        if not _dropped(path):
            self.doc.lines[path] = line


class _TooDeep(Exception):
    """Nesting past :data:`MAX_DEPTH`: reading stops there (whatever lies deeper is never built)."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _too_deep(line: int, path: Path) -> YamlProblem:
    return YamlProblem(line, path, f"nested more than {MAX_DEPTH} levels deep",
                       "flatten the structure: no field of a record holds lists or fields this deep")


class _Duplicate(str):
    """A key already seen: its value is read (to find problems in it) and dropped."""


_NO_KEY = object()


def _dropped(path: Path) -> bool:
    """Whether ``path`` lies inside a value that is read only to be checked, then dropped."""
    return any(isinstance(part, _Duplicate) for part in path)


def _kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    return type(value).__name__


def kind_of(value: Any) -> str:
    """How a value reads to a contributor: 'text', 'a number', 'a list', ..."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields (a mapping)"
    return _kind(value)


# Where an anchor (&), alias (*) or tag (!) could begin: at a token start. Text without a
# match cannot hold any of them, so libyaml may compose it into nodes (fast); otherwise the
# event path below examines every event.
_MAYBE_PROPERTY = re.compile(r"""(?:^|[\s\[\]{},:"'?-])[&*!]""")


def _openers(text: str) -> int:
    """How many characters of ``text`` could open a collection: a bound on its nesting depth."""
    return sum(text.count(char) for char in "[{-?:")


def load(text: str) -> Document:
    """Read one YAML document strictly. Never raises on bad input."""
    if _openers(text) <= FAST_PATH_OPENERS and not _MAYBE_PROPERTY.search(text):
        doc = _load_nodes(text)
        if doc is not None:
            return doc
    return _load_events(text)


def _load_nodes(text: str) -> Document | None:
    """The fast path: libyaml composes nodes; Python checks keys and builds values."""
    doc = Document()
    loader = _NodeParser(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None  # the event path reports syntax errors and extra documents precisely
    finally:
        loader.dispose()
    if node is None:
        return doc
    try:
        doc.data = _build(node, (), doc, 0)
    except _TooDeep as exc:
        doc.problems.append(exc.problem)
    return doc


def _build(node: yaml.Node, path: Path, doc: Document, depth: int) -> Any:
    line = node.start_mark.line + 1
    doc.lines.setdefault(path, line)
    if isinstance(node, ScalarNode):
        if node.style or node.tag in (_STR, _TIMESTAMP):
            return node.value
        value, plain = _scalar_value(node)
        if plain:
            doc.plain[path] = node.value
        return value
    if depth >= MAX_DEPTH:
        raise _TooDeep(_too_deep(line, path))
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (index,), doc, depth + 1) for index, item in enumerate(node.value)]
    mapping: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            doc.problems.append(YamlProblem(key_line, path, "a key must be text, not a list or a mapping",
                                            "write a plain key before the colon"))
            continue
        key = key_node.value
        if not key_node.style and key_node.tag == _MERGE:
            doc.problems.append(YamlProblem(key_line, path, "YAML merge key '<<' is not allowed", "write the fields out in full"))
        elif not key_node.style and key_node.tag != _STR:
            doc.problems.append(YamlProblem(key_line, path + (key,), f"the key '{key}' is read as "
                                            f"{_kind(_scalar_value(key_node)[0])}, not text", f"quote it: \"{key}\""))
        if key in seen:
            doc.problems.append(YamlProblem(key_line, path + (key,), f"duplicate key '{key}' (first given on line {seen[key]})",
                                            "keep one of the two"))
            continue
        seen[key] = key_line
        doc.lines[path + (key,)] = key_line
        mapping[key] = _build(value_node, path + (key,), doc, depth + 1)
    return mapping


def _load_events(text: str) -> Document:
    """The thorough path: every event checked for anchors, aliases and tags."""
    doc = Document()
    builder = _Builder(doc)
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    doc.problems.append(YamlProblem(event.start_mark.line + 1, (), "more than one YAML document",
                                                    "remove the extra '---' line"))
                    break
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            builder.add(event)
    except _TooDeep as exc:
        doc.problems.append(exc.problem)
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        misplaced = _misplaced_key(text, line, what)
        if misplaced is not None:
            doc.problems.append(YamlProblem(line, (), *misplaced))
        else:
            doc.problems.append(YamlProblem(line, (), f"YAML syntax error: {what}", _syntax_hint(what)))
        return doc
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        doc.problems.append(YamlProblem(getattr(getattr(exc, "mark", None), "line", 0) + 1, (),
                                        f"YAML cannot be read: {exc}".splitlines()[0]))
        return doc
    doc.data = builder.root
    return doc


def _syntax_hint(what: str) -> str:
    if "tab" in what:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in what:
        return "a value containing ': ' must be in quotes"
    if "found character" in what and "start" in what:
        return "text starting with a special character such as @, `, %, | or > must be in quotes"
    return "check the indentation and quoting around this line"


# A line holding a key: its indentation, any list dashes, the key, and what follows the colon.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)([A-Za-z0-9_][\w.-]*|'[^'\n]*'|\"[^\"\n]*\")[ \t]*:(?:[ \t]+(.*))?\Z")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?\Z")


def _key_at(line: str) -> tuple[int, str, str] | None:
    """(column of the key, from 0; the key; the text after its colon) for a 'key: value' line."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    return len(match.group(1)) + len(match.group(2)), match.group(3).strip("'\""), (match.group(4) or "").strip()


def _indent(what: str, n: int) -> str:
    return f"move {what} to the start of the line" if n == 0 else f"indent {what} by {counted(n, 'space')}"


def _misplaced_key(text: str, line: int, what: str) -> tuple[str, str] | None:
    """Message and hint when the syntax error at ``line`` (from 1) is a key indented out of
    line with the keys above it; None when it is some other mistake."""
    further = "mapping values are not allowed" in what
    if not (further or "did not find expected" in what or "expected <block end>" in what):
        return None
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    here = _key_at(lines[line - 1])
    if here is None:
        return None
    column, key, _ = here
    above: list[tuple[int, str, str]] = []  # the keys above, nearest first: (column, key, value)
    right_above = True  # is the nearest key the line just above (no list item or text between)?
    for previous in reversed(lines[:line - 1]):
        if previous.strip() and not previous.lstrip().startswith("#"):
            found = _key_at(previous)
            if found is not None:
                above.append(found)
            elif not above:
                right_above = False
    if not above:
        return None
    last_column, last_key, last_value = above[0]
    message = f"YAML syntax error: the key '{key}' is out of line with the keys above it"
    if further and column > last_column:
        if not right_above or not last_value or _BLOCK_SCALAR.match(last_value):
            return None  # continued text, or a block opened above: some other mistake
        return (f"{message}: it is indented further than '{last_key}', which already has a value",
                f"{_indent(repr(key), last_column)}, like '{last_key}'")
    if not further and column < last_column:
        choices, lowest = [], last_column + 1
        for other_column, other_key, _ in above:
            if other_column < lowest:
                choices.append(f"{_indent('it' if choices else repr(key), other_column)} to go with '{other_key}'")
                lowest = other_column
        spaces = counted(column, 'space')
        return (f"{message}: it is indented {spaces}, which matches no key above it",
                ", or ".join(choices))
    return None
