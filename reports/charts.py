"""Print-quality charts as SVG (matplotlib), text drawn as paths so the PDF needs no extra fonts; the same
charts as PNG for the editable slides and report (PowerPoint and Word take a picture, not an SVG)."""

from __future__ import annotations

import io
import textwrap

LABEL_WIDTH = 32  # characters on a line of a bar's label
NAVY, TEAL, GREY, PALE_TEAL = "#1d4e89", "#0f766e", "#9ca3af", "#99c7c2"


def _svg(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def horizontal_bars(labels: list[str], values: list[float | None], *, unit: str = "%", width: float = 6.5,
                    hidden_label: str | list[str] | None = None) -> str:
    """Bars for shown values; a withheld value gets a grey stub and its label, never a number. `hidden_label`
    is one label for every withheld bar, or one per bar (say "fewer than 5" of one, "withheld" of another)."""
    return _svg(_bars(labels, values, unit=unit, width=width, hidden_label=hidden_label))


def horizontal_bars_png(labels: list[str], values: list[float | None], *, unit: str = "%", width: float = 6.5,
                        hidden_label: str | list[str] | None = None, dpi: int = 200, highlight: int | None = None) -> bytes:
    """The same bars as `horizontal_bars`, as a PNG picture; `highlight` is the index of a bar drawn in navy,
    the others paler (a theme's slide showing it among the others)."""
    import matplotlib.pyplot as plt

    figure = _bars(labels, values, unit=unit, width=width, hidden_label=hidden_label, highlight=highlight)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _bars(labels, values, *, unit: str, width: float, hidden_label, highlight: int | None = None):
    from django.utils.translation import gettext as _

    hidden_label = _("withheld") if hidden_label is None else hidden_label
    hidden_labels = hidden_label if isinstance(hidden_label, list) else [hidden_label] * len(labels)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Labels are names people typed (a school, a theme): a "$" in one is a dollar, never mathtext
    # (r"$\foo$" would otherwise fail to parse and take the whole report down).
    plt.rcParams.update({"svg.fonttype": "path", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                         "text.parse_math": False, "text.usetex": False})
    # A long label (a theme's name) wraps instead of squeezing the bars into a sliver beside it.
    labels = [textwrap.fill(str(label), LABEL_WIDTH) for label in labels]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    height = (0.42 + 0.16 * (lines - 1)) * len(labels) + 0.6
    figure, axis = plt.subplots(figsize=(width, height))
    positions = list(range(len(labels)))[::-1]
    shown = [v if v is not None else 0 for v in values]
    colors = [GREY if v is None else TEAL if highlight is None else NAVY if i == highlight else PALE_TEAL
              for i, v in enumerate(values)]
    axis.barh(positions, shown, color=colors, height=0.6)
    top = max([v for v in values if v is not None], default=1) or 1
    for position, value, hidden in zip(positions, values, hidden_labels, strict=True):
        text = f"{value:.0f}{unit}" if value is not None else hidden
        axis.text((value or 0) + top * 0.02, position, text, va="center", fontsize=8, color="#111827")
    axis.set_yticks(positions)
    axis.set_yticklabels(labels)
    axis.set_xlim(0, top * 1.25)
    axis.set_xticks([])
    axis.spines["bottom"].set_visible(False)
    return figure
