"""Chart geometry: scales, gaps and signed bars, without a database."""

from datetime import date, timedelta
from decimal import Decimal

from console import charts

DAYS = [date(2026, 11, 1) + timedelta(days=n) for n in range(5)]


def test_nice_ceiling():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 10, 11, 99, 0.3)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        100,
        0.5,
    ]


def test_a_line_spans_the_plot_and_peaks_at_the_top():
    points = [charts.Point(v, f"{v}") for v in (0, 5, 10, 5, 0)]

    chart = charts.line_chart(
        title="t", days=DAYS, series=[charts.SeriesIn("a", "c", points)]
    )

    [line] = chart.lines
    xs = [mark.x for mark in line.points]
    ys = [mark.y for mark in line.points]
    assert xs[0] == chart.left and xs[-1] == chart.right
    assert ys[0] == ys[-1] == chart.bottom
    assert ys[2] == chart.top
    assert line.path.startswith(f"M{xs[0]},{ys[0]} L")
    assert [tick.label for tick in chart.y_ticks] == ["0", "5", "10"]
    assert chart.x_ticks[0].label == "01 Nov" and chart.x_ticks[-1].label == "05 Nov"


def test_fractions_get_ticks_between_whole_numbers():
    points = [charts.Point(v, "") for v in (0.5, 1.5, 2.0, 3.5, 1.0)]

    chart = charts.line_chart(
        title="t", days=DAYS, series=[charts.SeriesIn("a", "c", points)]
    )

    assert [tick.label for tick in chart.y_ticks] == ["0", "1.25", "2.5", "3.75", "5"]


def test_a_day_without_data_breaks_the_line():
    points = [charts.Point(v, "") for v in (1, None, 2, 3, None)]

    chart = charts.line_chart(
        title="t", days=DAYS, series=[charts.SeriesIn("a", "c", points)]
    )

    [line] = chart.lines
    assert line.path.count("M") == 2
    assert len(line.points) == 3


def test_nothing_to_draw_is_said_so():
    points = [charts.Point(None, "") for _ in DAYS]

    chart = charts.line_chart(
        title="t", days=DAYS, series=[charts.SeriesIn("a", "c", points)]
    )

    assert chart.empty


def test_ordinal_scale_puts_label_i_at_value_i():
    labels = ["≤ 1 s", "≤ 2 s", "≤ 5 s"]
    points = [charts.Point(2, "")]

    chart = charts.line_chart(
        title="t",
        days=DAYS[:1],
        series=[charts.SeriesIn("p95", "c", points)],
        y_labels=labels,
    )

    assert [tick.label for tick in chart.y_ticks] == labels
    assert chart.lines[0].points[0].y == chart.y_ticks[2].position == chart.top


def test_bars_hang_from_zero_by_sign():
    bars = [
        charts.BarIn(Decimal("0.05"), "up", "/a"),
        charts.BarIn(Decimal("-0.10"), "down"),
        charts.BarIn(Decimal("0"), "flat"),
    ]

    chart = charts.bar_chart(title="t", bars=bars, unit="USD")

    up, down, flat = chart.bars
    assert up.css == "lb-bar-positive" and down.css == "lb-bar-negative"
    assert up.y + up.height == chart.baseline
    assert down.y == chart.baseline
    assert flat.height == 1.0
    assert up.url == "/a" and down.url == ""
    assert {tick.label for tick in chart.y_ticks} == {"0.05 USD", "0 USD", "-0.1 USD"}
