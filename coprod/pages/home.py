"""The live part of the home page: counts and the newest case studies."""

from __future__ import annotations

from .. import urls
from ..evidence import Evidence
from .listing import card_list, case_study_item

MARKER = "<!-- library-stats -->"
NEWEST = 5


def home_stats(evidence: Evidence, uri: str = urls.HOME) -> str:
    cases = [r for r in evidence.published("case-study") if r.status == "published"]
    claims = [r for r in evidence.published("claim") if r.status == "published"]
    gaps = sum(1 for r in claims if r.data.get("strength") == "gap")
    references = len(evidence.bibliography.entries)
    lines = [
        (f"The library holds **{len(cases)} case studies**, **{len(claims)} claims** in the business case "
        f"({gaps} of them marked as evidence gaps) and **{references} references**."),
        "",
        "### Newest case studies",
        "",
    ]
    newest = sorted(cases, key=lambda r: (str(r.data.get("published", "")), r.id), reverse=True)[:NEWEST]
    if newest:
        lines += [card_list(case_study_item(r, evidence, uri) for r in newest), ""]
    lines.append(f"[All case studies]({urls.rel(uri, urls.CATALOGUE)})")
    return "\n".join(lines)


def fill_home(markdown: str, evidence: Evidence, uri: str = urls.HOME) -> str:
    """The home page's markdown with the marker replaced by the live section."""
    return markdown.replace(MARKER, home_stats(evidence, uri), 1)
