"""Charts drawn on the server as SVG (no script, no external asset): they print and scale."""

from markupsafe import Markup, escape

from bot.i18n import Translator
from models.reports import Stats

RATES = (("response_rate", "web-rate-response", "#2366d1"),
         ("resolution_rate", "web-rate-resolution", "#2f855a"),
         ("satisfaction_rate", "web-rate-satisfaction", "#b7791f"))  # fmt: skip
WIDTH, LABEL, BAR, GAP = 640, 150, 14, 4


def rate_bars(t: Translator, rows: list[tuple[str, Stats, Stats | None]]) -> Markup:
    """Per row (a grid or the community) three horizontal bars, this month's rates, with a
    dark tick at last month's rate; a rate with nothing to count is left empty."""
    plot = WIDTH - LABEL - 60
    block = len(RATES) * (BAR + GAP) + 14
    height = max(1, len(rows)) * block + 10
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12">']  # fmt: skip
    for index, (name, this, last) in enumerate(rows):
        top = index * block + 6
        parts.append(f'<text x="0" y="{top + 12}" font-weight="bold">{escape(name)}</text>')
        for line, (attribute, label_id, colour) in enumerate(RATES):
            y = top + line * (BAR + GAP)
            value = getattr(this, attribute)
            parts.append(f'<text x="{LABEL - 6}" y="{y + BAR - 3}" text-anchor="end" '
                         f'fill="#627d98">{escape(t(label_id))}</text>')  # fmt: skip
            parts.append(f'<rect x="{LABEL}" y="{y}" width="{plot}" height="{BAR}" '
                         f'fill="#eef2f7"/>')  # fmt: skip
            if value is not None:
                parts.append(f'<rect x="{LABEL}" y="{y}" width="{plot * value / 100:.1f}" '
                             f'height="{BAR}" fill="{colour}"><title>{value}%</title></rect>')
            previous = getattr(last, attribute) if last is not None else None
            if previous is not None:
                x = LABEL + plot * previous / 100
                parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + BAR + 2}" '
                             f'stroke="#1f2933" stroke-width="2"><title>{previous}%</title></line>')
            shown = "-" if value is None else f"{value:.0f}%"
            parts.append(f'<text x="{LABEL + plot + 6}" y="{y + BAR - 3}">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
