"""The bar charts (coprod/pages/charts.py) from their template, overrides/partials/coprod/chart.html:
Python computes the numbers, the template writes the markup, every text escaped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from coprod.pages.charts import BAR_HEIGHT, LABEL_SIZE, ROW_HEIGHT, WIDTH, bar_chart
from coprod.render import templates

HOSTILE = '<script>alert(1)</script> "q" & \'x\''


def test_a_chart_escapes_its_text_and_draws_its_numbers() -> None:
    chart = bar_chart(HOSTILE, [(HOSTILE, 4, 'a"b/'), ("Two", 2, None), ("None", 0, None)], chart_id="chart-x",
                      label_heading=HOSTILE, value_heading="Case studies", note=HOSTILE)
    assert "<script" not in chart and "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; &#x27;x&#x27;" in chart
    assert '<a href="a&quot;b/">' in chart
    assert f'viewBox="0 0 {WIDTH} {3 * ROW_HEIGHT + 4}"' in chart
    # the longest bar spans the width less the room for its number; half the count, half the bar
    assert f'<rect x="0" y="{LABEL_SIZE + 6}" width="424" height="{BAR_HEIGHT}"' in chart
    assert f'<rect x="0" y="{ROW_HEIGHT + LABEL_SIZE + 6}" width="212" height="{BAR_HEIGHT}"' in chart
    assert chart.count("<rect") == 2  # a zero has its number and no bar
    assert "<desc id=\"chart-x-desc\">Bar chart. &lt;script&gt;" in chart
    assert chart.startswith('<figure class="coprod-chart" id="chart-x">\n<svg') and chart.endswith("</figure>")


def test_an_empty_chart_says_so() -> None:
    chart = bar_chart("Nothing", [], chart_id="chart-empty")
    assert chart == ('<figure class="coprod-chart" id="chart-empty">\n<figcaption>Nothing</figcaption>\n'
                     "<p>There is nothing to show yet.</p>\n</figure>")
    with pytest.raises(ValueError, match="chart_id"):
        bar_chart("x", [], chart_id='x" onload="y')


def test_the_projects_own_chart_template_is_used(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    (overrides / "partials" / "coprod" / "chart.html").write_text(
        '<p class="ours">{{ chart.title }}: {% for bar in chart.bars %}{{ bar.name }}={{ bar.value }} {% endfor %}</p>',
        encoding="utf-8")
    templates.use_theme(overrides)
    try:
        assert bar_chart("T & U", [("A", 1, None)], chart_id="c") == '<p class="ours">T &amp; U: A=1 </p>'
    finally:
        templates.use_theme(None)
    assert bar_chart("T", [("A", 1, None)], chart_id="c").startswith('<figure class="coprod-chart"')
