"""One description of every field, read from the JSON Schemas and nothing else.

:func:`describe` turns a record kind's schema into its fields, in the schema's order: each
a :class:`Field` with its name, type, whether (and when) it is required, its vocabulary,
allowed values, limits, description and examples. The contributors' field reference and
the contribute form (:mod:`coprod.pages.contribute`), the open data's codebook and the Table
Schema of the CSV (:mod:`coprod.pages.exports`) are all written from it, so no two of them can
say different things about one field.

*Required* is read from the schema alone:

- a field is required when its parent's ``required`` lists it (so ``project.name`` is
  required wherever there is a ``project``);
- it is required on a condition when an ``if``/``then`` rule of the parent asks for it
  (``retraction`` if ``status`` is ``retracted``) or a ``dependentRequired`` of the parent
  does (``involved[].consent_reference`` if ``name`` is given);
- an item of a list (``outcomes[]``) is required when the list needs at least one item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .schema import TYPE_NAMES, WILDCARD, Schema, TypeName
from .words import counted

REQUIRED_NOTE = (
    "*Required*: *yes* means the field must be there whenever the part it belongs to is there "
    "(`project.name` in every `project`, `outcomes[].area` in every outcome); *if* names the "
    "condition that makes it required. A field name with `[]` is a field of each item of a list.")


@dataclass(frozen=True)
class Field:
    """One field of a record kind, as its schema describes it."""

    pattern: tuple[str, ...]  # ('outcomes', '*', 'area'); '*' stands for each item of a list
    type: Any  # the JSON Schema type: 'string', 'integer', 'array', 'object', a list of them, or None
    description: str
    required: bool  # always there where the part it belongs to is there
    required_if: tuple[str, ...] = ()  # otherwise: the conditions, in words, that make it required
    format: str | None = None  # 'date', 'uri', ...
    item: Field | None = None  # a list's item (for a list of groups, with its own fields)
    fields: tuple[Field, ...] = ()  # a group's fields
    vocabulary: str | None = None  # x-vocabulary: a key of this vocabulary in taxonomy.yml
    enum: tuple = ()
    reference: str | None = None  # x-reference: 'bibtex' or 'case-study'
    reserved: tuple = ()  # values that are not allowed ('not': {'enum': ...})
    examples: tuple = ()
    default: Any = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    unique: bool = False
    pattern_regex: str | None = None  # the schema's 'pattern' (a regular expression)
    private: bool = False  # x-private: never leaves the repository
    readability: bool = False  # x-readability
    dependent_required: dict[str, tuple[str, ...]] = field(default_factory=dict)  # of a group's fields

    @property
    def name(self) -> str:
        """``outcomes[].area``: the field as the reference, the codebook and the form name it."""
        return field_name(self.pattern)

    @property
    def key(self) -> str:
        """The key in its group (``area``), or ``*`` for an item of a list."""
        return self.pattern[-1]

    @property
    def is_list(self) -> bool:
        return self.type == "array"

    @property
    def is_group(self) -> bool:
        return self.type == "object" or bool(self.fields)

    @property
    def values(self) -> Field:
        """What each value must be: the field itself, or for a list, each of its items."""
        return self.item if self.is_list and self.item is not None else self

    @property
    def type_name(self) -> str:
        """``text``, ``whole number``, ``list of text``, ``date (YYYY-MM-DD)``, ..."""
        if self.is_list and self.item is not None:
            return "list of " + " or ".join(name.plural for name in _type_names(self.item))
        return " or ".join(name.name for name in _type_names(self))

    @property
    def required_text(self) -> str:
        """``yes``, ``no`` or ``if status is retracted``."""
        if self.required:
            return "yes"
        return "if " + " or ".join(self.required_if) if self.required_if else "no"

    @property
    def allowed(self) -> list[str]:
        """The allowed values and limits in words, without the vocabulary or references
        (which each page links in its own way): ``one of: a, b``, ``at least 1 item``,
        ``no repeats``, ``3 to 80 characters`` (``each 3 to 80 characters`` for the items of a
        list), ``from 1950 to 2100``, ``default CC-BY-4.0``."""
        values = self.values
        out = []
        if values.enum:
            out.append("one of: " + ", ".join(str(value) for value in values.enum))
        if self.is_list and self.min_items:
            out.append(f"at least {counted(self.min_items, 'item')}")
        if self.is_list and self.unique:
            out.append("no repeats")
        each = "each " if values is not self else ""  # the limits of each item of a list
        out += [each + text for text in _range(values.min_length, values.max_length, " characters")]
        out += [each + text for text in _range(values.minimum, values.maximum, "")]
        if self.default is not None:
            out.append(f"default {self.default}")
        return out

    def walk(self) -> Iterator[Field]:
        """This field and every field under it, in schema order. The item of a list of
        groups is a field of its own (``outcomes[]``); the item of a plain list is described
        by the list."""
        yield self
        if self.item is not None and self.item.is_group:
            yield from self.item.walk()
        for child in self.fields:
            yield from child.walk()


def field_name(pattern: tuple) -> str:
    """``('outcomes', '*', 'area')`` -> ``outcomes[].area``."""
    text = ""
    for part in pattern:
        text += "[]" if part == WILDCARD else (f".{part}" if text else part)
    return text


def describe(schema: Schema) -> tuple[Field, ...]:
    """The top-level fields of a record kind, in schema order, each with those under it."""
    root = schema.resolve_root()
    return tuple(_field(schema, (name,), root) for name in root.get("properties", {}))


def every_field(schema: Schema) -> list[Field]:
    """Every field of a record kind, in schema order (as :meth:`Field.walk`)."""
    return [found for top in describe(schema) for found in top.walk()]


def _field(schema: Schema, pattern: tuple[str, ...], parent: dict) -> Field:
    node = schema.field_schema(pattern) or {}
    required, conditions = _required(pattern[-1], parent)
    item = _field(schema, pattern + (WILDCARD,), node) if node.get("type") == "array" else None
    not_enum = node.get("not", {}).get("enum", []) if isinstance(node.get("not"), dict) else []
    description = node.get("description") or (f"One item of {field_name(pattern[:-1])}."
                                              if pattern[-1] == WILDCARD else "")
    return Field(
        pattern=pattern, type=node.get("type"), description=description, required=required,
        required_if=conditions, format=node.get("format"), item=item,
        fields=tuple(_field(schema, pattern + (name,), node) for name in node.get("properties", {})),
        vocabulary=node.get("x-vocabulary"), enum=tuple(node.get("enum", ())), reference=node.get("x-reference"),
        reserved=tuple(not_enum), examples=tuple(node.get("examples", ())), default=node.get("default"),
        min_length=node.get("minLength"), max_length=node.get("maxLength"), minimum=node.get("minimum"),
        maximum=node.get("maximum"), min_items=node.get("minItems"), unique=bool(node.get("uniqueItems")),
        pattern_regex=node.get("pattern"), private=bool(node.get("x-private")),
        readability=bool(node.get("x-readability")),
        dependent_required={name: tuple(needed) for name, needed in node.get("dependentRequired", {}).items()},
    )


def _required(name: str, parent: dict) -> tuple[bool, tuple[str, ...]]:
    """(always required, the conditions that make it required) from the parent's schema."""
    if name == WILDCARD:
        return (parent.get("minItems") or 0) >= 1, ()
    if name in parent.get("required", []):
        return True, ()
    rules = [*parent.get("allOf", []), *([parent] if "if" in parent else [])]
    conditions = [_condition(rule.get("if", {})) for rule in rules
                  if isinstance(rule, dict) and name in rule.get("then", {}).get("required", [])]
    conditions += [f"{trigger} is given" for trigger, needed in parent.get("dependentRequired", {}).items()
                   if name in needed]
    return False, tuple(c for c in conditions if c)


def _condition(rule: dict) -> str:
    tests = [f"{name} is {test['const']}" for name, test in rule.get("properties", {}).items()
             if isinstance(test, dict) and "const" in test]
    return " and ".join(tests)


def _type_names(f: Field) -> list[TypeName]:
    kinds = f.type if isinstance(f.type, list) else [f.type]
    names = []
    for kind in kinds:
        key = f.format if kind == "string" and f.format else kind
        names.append(TYPE_NAMES.get(key, TYPE_NAMES[kind] if kind in TYPE_NAMES else TYPE_NAMES[None]))
    return names


def _range(low: Any, high: Any, unit: str) -> Iterable[str]:
    if low is not None and high is not None:
        return [f"{low} to {high}{unit}" if unit else f"from {low} to {high}"]
    if low is not None:
        return [f"at least {low}{unit}"]
    if high is not None:
        return [f"at most {high}{unit}"]
    return []


def example_text(f: Field) -> str:
    """The schema's first example, as it is written in a file (a list as ``[a, b]``)."""
    if not f.examples:
        return ""
    value = f.examples[0]
    return "[" + ", ".join(str(v) for v in value) + "]" if isinstance(value, list) else str(value)
