"""The one name type (coprod.cite.names): one initials rule, one "Family, Given" split, one
month table."""

from __future__ import annotations

import pytest
from pybtex.database import Person

from coprod.cite.names import Name, initials, month_number


@pytest.mark.parametrize(("given", "expected"), [
    ("Sarah E.", "S. E."),
    ("Jean-Pierre", "J.-P."),
    ("Anne-Marie Louise", "A.-M. L."),
    ("R.C.", "R. C."),
    ("R. C.", "R. C."),
    ("émile", "É."),
    ("(Jo)", "J."),
    ("", ""),
])
def test_the_initials_rule(given: str, expected: str) -> None:
    assert initials(given) == expected


def test_one_name_from_bibtex_from_a_page_and_from_csl_reads_the_same() -> None:
    from_bibtex = Name.from_person(Person("Dupont, Jean-Pierre"))
    from_page = Name.parse("Dupont, Jean-Pierre")
    assert from_bibtex == from_page == Name.from_csl(from_page.csl())
    assert from_page.reference == "Dupont, J.-P."
    assert from_page.initials_first == "J.-P. Dupont"
    assert from_page.vancouver == "Dupont JP"
    assert from_page.family_given == "Dupont, Jean-Pierre"
    assert from_page.schema() == {"@type": "Person", "familyName": "Dupont", "givenName": "Jean-Pierre",
                                  "name": "Jean-Pierre Dupont"}


def test_particles_suffixes_organisations_and_others() -> None:
    van = Name.from_person(Person("van der Berg, Anne-Marie"))
    assert (van.particle, van.family, van.surname) == ("van der", "Berg", "van der Berg")
    assert van.reference == "van der Berg, A.-M." and van.family_given == "van der Berg, Anne-Marie"
    assert van.csl() == {"family": "Berg", "given": "Anne-Marie", "non-dropping-particle": "van der"}
    assert Name.from_csl(van.csl()) == van
    junior = Name.from_person(Person("King, Jr, Martin Luther"))
    assert junior.reference == "King, M. L., Jr" and junior.csl()["suffix"] == "Jr"
    group = Name.from_person(Person("{Centre for Reach, Health Services}"))
    assert group.organisation and group.reference == "Centre for Reach, Health Services"
    assert group.csl() == {"literal": "Centre for Reach, Health Services"}
    assert group.schema() == {"@type": "Organization", "name": "Centre for Reach, Health Services"}
    assert Name.parse("Health Research Authority") == Name("Health Research Authority", organisation=True)
    assert Name.from_person(Person("others")).others


@pytest.mark.parametrize(("text", "number"), [
    ("3", 3), ("03", 3), ("12", 12), ("mar", 3), ("March", 3), ("sept", 9), ("SEP", 9),
    ("13", None), ("0", None), ("ma", None), ("", None), ("Spring", None),
])
def test_the_month_table(text: str, number: int | None) -> None:
    assert month_number(text) == number
