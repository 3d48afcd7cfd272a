"""Charts as inline SVG, drawn on the server: no JavaScript, no network, the same markup on
the monitoring page and in the PDF.

Each chart is an image with a title and a description (`role="img"`, `aria-labelledby`),
and writes every number beside its bar, so nothing is told by colour alone. The two series
of the trend chart also differ by fill pattern (solid and hatched) and have a legend.
Pages show the same numbers in a table next to the chart.
"""

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from sikesal.reports.figures import MonthRow

INK = "#1b1b1b"
BAR = "#1f4e79"  # 8.9:1 on white
RULE = "#767676"
FONT = "DejaVu Sans, Arial, sans-serif"

LABEL_WIDTH = 190
BAR_AREA = 330
VALUE_WIDTH = 60
ROW_HEIGHT = 22
LABEL_CHARACTERS = 30


def _shorten(text: str, length: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(
    chart_id: str, width: int, height: int, title: str, description: str, body: list
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="12">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{body}</svg>",
        id=chart_id,
        width=width,
        height=height,
        font=FONT,
        title=title,
        description=description,
        body=_join(body),
    )


def bar_chart(
    *, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int]]
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written after each bar."""
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = max(1, len(rows)) * ROW_HEIGHT + 8
    largest = max((value for _, value in rows), default=0) or 1
    body = []
    for index, (label, value) in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        length = round(BAR_AREA * value / largest)
        body.append(
            format_html(
                "<g><title>{label}: {value}</title>"
                '<text x="{label_x}" y="{text_y}" text-anchor="end" fill="{ink}">{short}</text>'
                '<rect x="{bar_x}" y="{bar_y}" width="{length}" height="{thickness}" '
                'fill="{bar}"/>'
                '<text x="{value_x}" y="{text_y}" fill="{ink}">{value}</text></g>',
                label=label,
                short=_shorten(label),
                value=value,
                label_x=LABEL_WIDTH - 6,
                text_y=top + ROW_HEIGHT // 2 + 4,
                bar_x=LABEL_WIDTH,
                bar_y=top + 3,
                length=length,
                thickness=ROW_HEIGHT - 6,
                value_x=LABEL_WIDTH + length + 4,
                ink=INK,
                bar=BAR,
            )
        )
    body.append(
        format_html(
            '<line x1="{x}" y1="2" x2="{x}" y2="{bottom}" stroke="{rule}" stroke-width="1"/>',
            x=LABEL_WIDTH,
            bottom=height - 2,
            rule=RULE,
        )
    )
    return _svg(chart_id, width, height, title, description, body)


def trend_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    months: Sequence[MonthRow],
    submitted_label: str,
    responded_label: str,
) -> SafeString:
    """Two bars per month: submitted (solid) and, of those, answered (hatched); the
    numbers above the bars and the month below."""
    group, bar = 56, 20
    left, top, plot = 8, 40, 150
    width = max(360, left * 2 + group * len(months))
    height = top + plot + 34
    largest = max((max(m.submitted, m.responded) for m in months), default=0) or 1
    hatch = f"{chart_id}-hatch"
    body = [
        format_html(
            '<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="6" height="6" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            '<rect width="3" height="6" fill="{bar}"/></pattern></defs>'
            # The legend: a swatch of each fill and its name.
            '<rect x="{left}" y="6" width="14" height="14" fill="{bar}"/>'
            '<text x="{first_text}" y="18" fill="{ink}">{submitted}</text>'
            '<rect x="{second}" y="6" width="14" height="14" fill="url(#{hatch})" '
            'stroke="{bar}" stroke-width="1"/>'
            '<text x="{second_text}" y="18" fill="{ink}">{responded}</text>'
            '<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="{rule}" '
            'stroke-width="1"/>',
            hatch=hatch,
            bar=BAR,
            ink=INK,
            rule=RULE,
            left=left,
            first_text=left + 20,
            second=left + 200,
            second_text=left + 220,
            submitted=submitted_label,
            responded=responded_label,
            axis=top + plot,
            right=width - left,
        )
    ]
    for index, month in enumerate(months):
        x = left + index * group + 6
        name = date_format(month.month, "M Y")
        bars = []
        for offset, value, fill in (
            (0, month.submitted, BAR),
            (bar + 2, month.responded, f"url(#{hatch})"),
        ):
            length = round(plot * value / largest)
            bars.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{bar}" height="{length}" fill="{fill}" '
                    'stroke="{stroke}" stroke-width="1"/>'
                    '<text x="{middle}" y="{label_y}" text-anchor="middle" font-size="10" '
                    'fill="{ink}">{value}</text>',
                    x=x + offset,
                    y=top + plot - length,
                    bar=bar,
                    length=length,
                    fill=fill,
                    stroke=BAR,
                    middle=x + offset + bar // 2,
                    label_y=top + plot - length - 3,
                    ink=INK,
                    value=value,
                )
            )
        body.append(
            format_html(
                "<g><title>{name}: {submitted} / {responded}</title>{bars}"
                '<text x="{middle}" y="{y}" text-anchor="middle" font-size="10" '
                'fill="{ink}">{name}</text></g>',
                name=name,
                submitted=month.submitted,
                responded=month.responded,
                bars=_join(bars),
                middle=x + bar + 1,
                y=top + plot + 16,
                ink=INK,
            )
        )
    return _svg(chart_id, width, height, title, description, body)
