"""The business case as a PDF (/business-case/business-case.pdf), read back with pypdf from
the real build: every published claim is in it with its strength, and it carries the
library's version, the page's date and its permanent address."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from coprod import __version__, site
from coprod.pages import urls
from coprod.render.pdf import PDF_URI, PdfFacts, document

ROOT = Path(__file__).resolve().parents[1]


def _text(pdf: Path) -> str:
    reader = PdfReader(str(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def evidence():
    build = site.load(ROOT / "evidence")
    assert not build.report.errors
    return build.evidence


def _require_weasyprint() -> None:
    """WeasyPrint needs Debian's Pango (.ci/run installs it): without it the build leaves the
    PDF out, and this test skips on a developer's machine and fails in CI."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        if os.environ.get("CI"):
            pytest.fail(f"WeasyPrint cannot run: {error}", pytrace=False)
        pytest.skip(f"WeasyPrint cannot run here ({error}): sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def test_pdf_has_every_claim_with_its_strength(site_dir: Path, evidence) -> None:
    _require_weasyprint()
    pdf = site_dir / PDF_URI
    assert pdf.is_file(), f"{PDF_URI} was not made by the build"
    text = _text(pdf)
    strengths = evidence.taxonomy["strengths"]
    claims = [r for r in evidence.published("claim") if r.status == "published"]
    assert claims
    for record in claims:
        title = re.sub(r"\s+", " ", record.title)
        label = strengths.terms[record.strength].label
        # a claim graded as a gap says so in its title too ("Evidence gap: ...")
        assert re.search(re.escape(label) + r" (?:" + re.escape(label) + r": )?" + re.escape(title), text), \
            f"claim {record.id!r} ({title!r}) is not in the PDF after its strength {label!r}"
    address = "https://coproduction-evidence.example/" + urls.address(urls.BUSINESS_CASE).lstrip("/")
    assert f"Version {__version__}" in text
    assert re.search(r"Version \S+, \d{4}-\d{2}-\d{2}\. Permanent address: " + re.escape(address), text)
    assert "Page 1 of " in text  # every page's footer carries the address and the page number
    meta = PdfReader(str(pdf)).metadata
    assert meta.title == "The business case for co-production" and address in meta.subject


def test_pdf_document_keeps_no_script_and_makes_links_absolute() -> None:
    page = ('<html><body><article class="md-content__inner md-typeset"><h1 id="t">T<a class="headerlink" '
            'href="#t">¶</a></h1><p><a href="claim/">a claim</a> <a href="#rubric">rubric</a></p>'
            '<script>alert(1)</script><details><summary>s</summary>x</details></article></body></html>')
    out = document(page, PdfFacts("T", "1.2.3", "2026-01-01", "https://example.org/business-case/"))
    assert "<script" not in out and "headerlink" not in out
    assert 'href="https://example.org/business-case/claim/"' in out and 'href="#rubric"' in out
    assert "<details open>" in out and "Version 1.2.3, 2026-01-01. Permanent address:" in out
    with pytest.raises(ValueError, match="no <article"):
        document("<html></html>", PdfFacts("T", "1", "d", "https://example.org/"))
