"""Calibrated confidence: a suggestion's raw score → the chance it is right.

The table is fitted by `bench/suggest.py --fit` on the development pairs of
the labelled data in bench/data only (isotonic: the empirical share of right
answers per score bin, made non-decreasing), together with the abstention
threshold that maximises the share of right decisions there. Both are kept
in suggest_calibration.json beside this module.
"""

import json
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("suggest_calibration.json")


@lru_cache(maxsize=1)
def calibration() -> dict:
    """{"edges": [...], "probabilities": [...], "threshold": float, ...}."""
    return json.loads(CALIBRATION_FILE.read_text())


def probability(score: float, table: dict | None = None) -> float:
    """The calibrated chance that a suggestion with this raw score is right.

    Scores fall in the bin whose lower edge is the largest not above them;
    below the first edge the first bin's figure applies. A score is read to
    the edges' four decimals: a sum of the same terms in another order must
    not fall under the edge it was fitted on.
    """
    table = table or calibration()
    edges, probabilities = table["edges"], table["probabilities"]
    index = max(0, bisect_right(edges, round(score, 4)) - 1)
    return probabilities[min(index, len(probabilities) - 1)]


def abstention_threshold(table: dict | None = None) -> float:
    return float((table or calibration())["threshold"])


def fit_isotonic(
    pairs: list[tuple[float, bool]], *, bin_size: int = 8
) -> tuple[list[float], list[float]]:
    """Bin edges (equal counts of bin_size) and non-decreasing hit rates per bin."""
    ordered = sorted(pairs)
    if not ordered:
        return [0.0], [0.5]
    size = max(1, bin_size)
    blocks: list[list[float]] = []  # [lower edge, hits, count]
    for start in range(0, len(ordered), size):
        chunk = ordered[start : start + size]
        blocks.append(
            [chunk[0][0], float(sum(hit for _, hit in chunk)), float(len(chunk))]
        )
    # Pool adjacent violators until the hit rates never fall.
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and (
            merged[-2][1] / merged[-2][2] > merged[-1][1] / merged[-1][2]
        ):
            last = merged.pop()
            merged[-1][1] += last[1]
            merged[-1][2] += last[2]
    edges = [round(b[0], 4) for b in merged]
    edges[0] = -1.0  # the first bin takes every lower score
    rates: list[float] = []
    for block in merged:
        # Laplace-smoothed, and never below the bin under it.
        rate = round((block[1] + 0.5) / (block[2] + 1.0), 4)
        rates.append(max(rate, rates[-1]) if rates else rate)
    return edges, rates
