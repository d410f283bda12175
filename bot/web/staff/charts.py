"""Charts as SVG drawn on the server by pygal, sent as `data:` images: no script ever runs.

pygal puts a <style> and a tooltip <script> inside its SVG. Shown through an <img>, an SVG is a static
picture: browsers run no script in it and load nothing it links to, and the page's strict CSP
(`script-src 'self'`) is untouched. The SVG still gets the tooltip config script stripped, and `js=[]`
means pygal links no script at all. Hidden (suppressed) figures are drawn as gaps, never as numbers.
Each chart stands beside a table with the same figures, which is what a screen reader reads.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

from bot.web.staff.suppression import Figure

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#464e57",
    colors=("#1a4f8b", "#8a4b00", "#2e6b30", "#6b3fa0", "#9b1c31"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    value_label_font_size=14,
    title_font_size=16,
    legend_font_size=14,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def _config() -> dict[str, object]:
    return {
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "print_values": True,
        "print_zeroes": True,
        "explicit_size": False,
        "width": 800,
        "margin": 20,
        "truncate_label": -1,
        "no_data_text": "No answers to show",
    }


def _data_uri(chart: pygal.graph.graph.Graph) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def bar_chart(labels: Sequence[str], figures: Sequence[Figure], *, horizontal: bool = True) -> str:
    """A bar per label; hidden figures are left out. Returns a `data:` URI for an <img>."""
    chart_type = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(220, 60 + 44 * len(labels)) if horizontal else 380
    chart = chart_type(height=height, **_config())
    chart.x_labels = list(labels)
    chart.add("People", [f.value if f.shown else None for f in figures])
    return _data_uri(chart)


def line_chart(labels: Sequence[str], figures: Sequence[Figure]) -> str:
    chart = pygal.Line(height=360, x_label_rotation=30, show_minor_x_labels=True, **_config())
    chart.x_labels = list(labels)
    chart.add("People", [f.value if f.shown else None for f in figures])
    return _data_uri(chart)


def lines_chart(labels: Sequence[str], series: dict[str, Sequence[Figure]]) -> str:
    """One line per answer over time, with a legend; hidden figures are gaps."""
    config = {**_config(), "show_legend": True, "legend_at_bottom": True, "print_values": False}
    chart = pygal.Line(height=420, x_label_rotation=30, **config)
    chart.x_labels = list(labels)
    for name, figures in series.items():
        chart.add(name, [f.value if f.shown else None for f in figures])
    return _data_uri(chart)
