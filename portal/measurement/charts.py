"""Charts drawn on the server as SVG: no script, no library, readable without either.

Each chart is a picture of a table shown beside it (the table is what screen readers
read; the chart is ``aria-hidden``). Bars of categories are HTML and CSS, so their text
keeps its size on a phone.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 400
HEIGHT = 180
LEFT = 40  # room for the scale
BOTTOM = 28  # room for the labels


def _nice_top(value: float) -> float:
    """A round number at or above ``value`` for the top of the scale."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString


def _compact(value: float) -> str:
    """A scale's figure in few characters: 2,500 and 25k."""
    if value >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def hbars(points: list[tuple[str, float]], *, title: str) -> Chart:
    """Horizontal bars drawn with HTML and CSS, one per (label, value), each labelled
    above its bar: for categories with long names (the funnel's steps), so the text keeps
    its size on a phone."""
    top = max((value for _, value in points), default=0) or 1
    # <meter> draws the bar from attributes: the page's security policy allows no inline
    # styles.
    items = format_html_join(
        "",
        '<li><span class="hbar-label">{}</span>'
        '<meter class="hbar-meter" min="0" max="{}" value="{}"></meter>'
        '<span class="hbar-figure">{}</span></li>',
        ((label, top, value, _figure(value)) for label, value in points),
    )
    return Chart(title, format_html('<ul class="hbars" aria-hidden="true">{}</ul>', items))


def bars(points: list[tuple[str, float]], *, title: str) -> Chart:
    """Vertical bars, one per (label, value), with a scale; every label when they fit,
    otherwise about six of them."""
    if not points:
        return Chart(title, SafeString(""))
    top = _nice_top(max(value for _, value in points))
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - BOTTOM - 10
    slot = plot_width / len(points)
    every = max(1, -(-len(points) // 6))
    shapes = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = LEFT + index * slot + slot * 0.15
        y = 10 + plot_height - height
        shapes.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar">'
                "<title>{}: {}</title></rect>",
                f"{x:.1f}",
                f"{y:.1f}",
                f"{slot * 0.7:.1f}",
                f"{height:.1f}",
                label,
                _figure(value),
            )
        )
        if index % every == 0:
            shapes.append(
                format_html(
                    '<text x="{}" y="{}" class="chart-label" text-anchor="middle">{}</text>',
                    f"{x + slot * 0.35:.1f}",
                    HEIGHT - 10,
                    label,
                )
            )
    scale = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - 8, f"{y:.1f}", f"{y:.1f}", LEFT - 6, f"{y + 4:.1f}", text)
            for y, text in (
                (10 + plot_height * (1 - fraction), _compact(top * fraction))
                for fraction in (0, 0.5, 1)
            )
        ),
    )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}{}</svg>',
        WIDTH,
        HEIGHT,
        scale,
        SafeString("".join(shapes)),
    )
    return Chart(title, svg)
