"""Chart geometry for server-side SVG: plain values in, coordinates out.

No charting library: the dashboard's three kinds of chart (daily lines, an
ordinal latency scale, signed bars) need only scaling and tick placement, and
the template `console/chart.html` draws the result as inline SVG, so a page
fetches nothing and runs no script.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 640
HEIGHT = 200
LEFT = 64
RIGHT = 24
TOP = 12
BOTTOM = 28


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Mark:
    """A point (width 0) or a bar, with its tooltip and the list it opens."""

    x: float
    y: float
    width: float
    height: float
    title: str
    url: str = ""
    css: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    path: str
    points: tuple[Mark, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    baseline: float
    lines: tuple[Line, ...] = ()
    bars: tuple[Mark, ...] = ()
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    empty: bool = False


@dataclass(frozen=True)
class Point:
    value: float | int | None
    title: str
    url: str = ""


@dataclass(frozen=True)
class SeriesIn:
    label: str
    css: str
    points: Sequence[Point]


@dataclass(frozen=True)
class BarIn:
    value: Decimal
    title: str
    url: str = ""


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above value (1 for 0)."""
    if value <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _round(value: float) -> float:
    return round(value, 1)


def _frame() -> dict:
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
    }


def _day_ticks(days: Sequence[date], x_of) -> tuple[Tick, ...]:
    if not days:
        return ()
    step = max(1, len(days) // 6)
    picked = list(range(0, len(days), step))
    if picked[-1] != len(days) - 1:
        picked.append(len(days) - 1)
    return tuple(Tick(_round(x_of(i)), days[i].strftime("%d %b")) for i in picked)


def line_chart(
    *,
    title: str,
    days: Sequence[date],
    series: Sequence[SeriesIn],
    y_labels: Sequence[str] | None = None,
) -> Chart:
    """Lines over days. With y_labels the scale is ordinal (value i at label
    i), else linear from zero to a round maximum. None leaves a gap."""
    frame = _frame()
    plot_width = frame["right"] - frame["left"]
    plot_height = frame["bottom"] - frame["top"]
    values = [point.value for each in series for point in each.points if point.value]
    if y_labels:
        top_value = float(max(len(y_labels) - 1, 1))
        y_ticks_values = [(i, label) for i, label in enumerate(y_labels)]
    else:
        top_value = nice_ceiling(max(values, default=0))
        y_ticks_values = [
            (top_value * share, _number(top_value * share))
            for share in (0, 0.25, 0.5, 0.75, 1)
        ]
        if all(isinstance(value, int) for value in values):
            # Counts: no tick between two whole numbers.
            y_ticks_values = [
                (value, label)
                for value, label in y_ticks_values
                if float(value).is_integer()
            ]

    def x_of(index: int) -> float:
        if len(days) < 2:
            return frame["left"] + plot_width / 2
        return frame["left"] + plot_width * index / (len(days) - 1)

    def y_of(value: float) -> float:
        return frame["bottom"] - plot_height * float(value) / top_value

    lines = []
    for each in series:
        commands = []
        marks = []
        pen_down = False
        for index, point in enumerate(each.points):
            if point.value is None:
                pen_down = False
                continue
            x, y = _round(x_of(index)), _round(y_of(point.value))
            commands.append(f"{'L' if pen_down else 'M'}{x},{y}")
            pen_down = True
            marks.append(Mark(x, y, 0, 0, point.title, point.url, each.css))
        lines.append(Line(each.label, each.css, " ".join(commands), tuple(marks)))
    return Chart(
        title=title,
        baseline=frame["bottom"],
        lines=tuple(lines),
        x_ticks=_day_ticks(days, x_of),
        y_ticks=tuple(Tick(_round(y_of(v)), label) for v, label in y_ticks_values),
        empty=not any(line.points for line in lines),
        **frame,
    )


def bar_chart(*, title: str, bars: Sequence[BarIn], unit: str = "") -> Chart:
    """Signed bars around a zero line, in the order given."""
    frame = _frame()
    plot_width = frame["right"] - frame["left"]
    plot_height = frame["bottom"] - frame["top"]
    high = nice_ceiling(float(max((b.value for b in bars), default=0)))
    low = -nice_ceiling(float(-min((b.value for b in bars), default=0)))
    if not any(b.value < 0 for b in bars):
        low = 0.0
    if not any(b.value > 0 for b in bars) and low < 0:
        high = 0.0
    span = high - low

    def y_of(value: float) -> float:
        return frame["top"] + plot_height * (high - float(value)) / span

    zero = y_of(0)
    slot = plot_width / max(len(bars), 1)
    width = max(min(slot * 0.7, 28), 1)
    marks = []
    for index, bar in enumerate(bars):
        x = frame["left"] + slot * index + (slot - width) / 2
        y = y_of(bar.value)
        marks.append(
            Mark(
                _round(x),
                _round(min(y, zero)),
                _round(width),
                # A zero difference still shows as a hairline to hover.
                max(_round(abs(zero - y)), 1.0),
                bar.title,
                bar.url,
                "lb-bar-negative" if bar.value < 0 else "lb-bar-positive",
            )
        )
    ticks = {high, low, 0.0}
    return Chart(
        title=title,
        baseline=_round(zero),
        bars=tuple(marks),
        y_ticks=tuple(
            Tick(_round(y_of(v)), f"{_number(v)} {unit}".strip()) for v in sorted(ticks)
        ),
        empty=not bars,
        **frame,
    )


def _number(value: float) -> str:
    """An axis label: whole numbers grouped, else up to three decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")
