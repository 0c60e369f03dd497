"""The completeness check reads a data export's records one at a time (coprod/site.py,
issue 25: memory): the same records json.loads gives, from every shape an export takes,
and broken JSON still an error."""

from __future__ import annotations

import json

import pytest

from coprod.pages import Page
from coprod.site import _json_records


def whole(text: str) -> list[dict]:
    """What the check read before: the whole file as Python objects."""
    data = json.loads(text)
    records = data.get("records", data) if isinstance(data, dict) else data
    return [r for r in records if isinstance(r, dict)]


SHAPES = [
    '{"title": "Case study", "count": 2, "records": [{"id": "a", "x": {"records": [1]}}, {"id": "b"}]}',
    '{\n  "records": [\n    {"id": "a"},\n    3,\n    "s",\n    {"id": "c", "n": [1, {"id": "inner"}]}\n  ],\n  "after": {"id": "z"}\n}\n',
    '[{"id": "a"}, [], {"id": "b"}]',
    '{"records": {"id": "a"}}',
    '{"other": [{"id": "a"}]}',
    '{"records": []}',
    '[]',
    '"text"',
    ' \t{ "a" : 1 , "records" : [ { "id" : "é\\u00e9" } ] } ',
]


@pytest.mark.parametrize("text", SHAPES)
def test_the_records_read_one_at_a_time_are_those_of_the_whole_file(text: str) -> None:
    assert list(_json_records(Page("data/x.json", text))) == whole(text)
    assert list(_json_records(Page("data/x.json", text.encode("utf-8")))) == whole(text)


@pytest.mark.parametrize("text", ['{"records": [{"id": "a"} {"id": "b"}]}', '{"records": [{"id": "a"}', '{"a" 1}',
                                  '[{"id": "a"},', "not json"])
def test_broken_json_is_still_an_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        list(_json_records(Page("data/x.json", text)))
    with pytest.raises(json.JSONDecodeError):
        whole(text)
