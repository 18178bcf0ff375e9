"""Server-rendered SVG charts, the same ones on the dashboard and in the PDF report.

Each chart is a ``Chart``: an inline SVG (``role="img"`` with a ``<title>`` and a
``<desc>``, colours by presentation attributes only, so a strict CSP needs no inline style)
and the rows it draws, which the template ``evaluation/dashboard_chart.html`` shows in a
table beside it, so the numbers are readable without the picture.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH = 480
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 170
LINE_HEIGHT = 200
PADDING = 30
COLOR = "#0d6efd"
TEXT = "#212529"
GRID = "#adb5bd"


@dataclass
class Chart:
    title: str
    rows: list[tuple[str, float | int | None]]
    unit: str
    svg: SafeString
    value_label: str = ""


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _describe(rows, unit: str) -> str:
    return "; ".join(
        f"{label}: {_number(value)}{unit if value is not None else ''}" for label, value in rows
    )


def bar_chart(
    *, title: str, rows, unit: str = "", max_value: float | None = None, value_label: str = ""
) -> Chart:
    """Horizontal bars, one per (label, value); a missing value draws no bar."""
    rows = [(str(label), value) for label, value in rows]
    top = max_value or max([value for _label, value in rows if value] or [1])
    height = max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    plot = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value) in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = 0 if not value else max(1, round(plot * min(value, top) / top))
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}{}</text>',
                LABEL_WIDTH - 6,
                y + 15,
                TEXT,
                label,
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                COLOR,
                LABEL_WIDTH + length + 4,
                y + 15,
                TEXT,
                _number(value),
                unit if value is not None else "",
            )
        )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" class="chart"><title>{title}</title><desc>{desc}</desc>'
        "{bars}</svg>",
        w=WIDTH,
        h=height,
        title=title,
        desc=_describe(rows, unit),
        bars=mark_safe("".join(bars)),  # noqa: S308 — each part built by format_html
    )
    return Chart(title=title, rows=rows, unit=unit, svg=svg, value_label=value_label)


def line_chart(
    *, title: str, points, unit: str = "", y_max: float | None = None, value_label: str = ""
) -> Chart:
    """A line through (label, value) points in order, with a dot and the value at each."""
    points = [(str(label), value) for label, value in points]
    top = y_max or max([value for _label, value in points if value] or [1])
    plot_w = WIDTH - 2 * PADDING
    plot_h = LINE_HEIGHT - 2 * PADDING
    step = plot_w / max(len(points) - 1, 1)
    coords = []
    for index, (label, value) in enumerate(points):
        x = round(PADDING + index * step, 1)
        y = None if value is None else round(PADDING + plot_h - plot_h * value / top, 1)
        coords.append((x, y, label, value))
    path = " ".join(f"{x},{y}" for x, y, _label, _value in coords if y is not None)
    marks = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        (
            (x, y, COLOR, x, y - 8, TEXT, _number(value))
            for x, y, _l, value in coords
            if y is not None
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        ((x, LINE_HEIGHT - 8, TEXT, label) for x, _y, label, _v in coords),
    )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" class="chart"><title>{title}</title><desc>{desc}</desc>'
        '<line x1="{p}" y1="{base}" x2="{right}" y2="{base}" stroke="{grid}"></line>'
        '<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"></polyline>'
        "{marks}{labels}</svg>",
        w=WIDTH,
        h=LINE_HEIGHT,
        title=title,
        desc=_describe(points, unit),
        p=PADDING,
        right=WIDTH - PADDING,
        base=PADDING + plot_h,
        grid=GRID,
        path=path,
        color=COLOR,
        marks=marks,
        labels=labels,
    )
    return Chart(title=title, rows=points, unit=unit, svg=svg, value_label=value_label)


def dashboard_charts(figures: dict) -> list[Chart]:
    """The charts of a figures dict (``evaluation.metrics.figures`` or a report snapshot)."""
    matches = figures["matches"]
    charts = [
        bar_chart(
            title=gettext("Match retention"),
            rows=[
                (gettext("%(n)s months") % {"n": row["months"]}, row["percent"])
                for row in matches["retention"]
            ],
            unit="%",
            max_value=100,
            value_label=gettext("Share of matches reaching it"),
        ),
        bar_chart(
            title=gettext("Early closures by reason"),
            rows=[(row["reason"], row["count"]) for row in matches["early_closure_reasons"]],
            value_label=gettext("Matches"),
        ),
        line_chart(
            title=gettext("Feedback rating by month"),
            points=[(row["month"], row["mean_rating"]) for row in figures["feedback"]["trend"]],
            y_max=5,
            value_label=gettext("Mean rating (1–5)"),
        ),
        bar_chart(
            title=gettext("Support given in held sessions"),
            rows=[(row["label"], row["percent"]) for row in figures["sessions"]["support_mix"]],
            unit="%",
            max_value=100,
            value_label=gettext("Share of held sessions"),
        ),
    ]
    measures = figures.get("measures") or {}
    if measures.get("completion"):
        charts.append(
            bar_chart(
                title=gettext("Measure completion"),
                rows=[(row["instrument"], row["percent"]) for row in measures["completion"]],
                unit="%",
                max_value=100,
                value_label=gettext("Completed of those due"),
            )
        )
    if measures.get("outcomes"):
        charts.append(
            bar_chart(
                title=gettext("Improved since baseline"),
                rows=[(row["instrument"], row["improved_percent"]) for row in measures["outcomes"]],
                unit="%",
                max_value=100,
                value_label=gettext("Share improved"),
            )
        )
    return charts
