"""Reliability scenarios: marked `reliability`, run with `-m reliability`.

The in-process fuzz tests are quick and also run in the normal suite; the
scenarios that drive real processes (gunicorn, qcluster, the sandbox webhook
deliverer) against a throwaway PostgreSQL database only run when the marker is
selected explicitly, and skip with a reason when a prerequisite is missing.
"""

import os

import pytest

HEAVY_MARK = "processes"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{HEAVY_MARK}: drives real server/worker processes (slow)"
    )


def pytest_collection_modifyitems(config, items):
    selected = "reliability" in (config.option.markexpr or "")
    for item in items:
        if "tests/reliability" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.reliability)
        if item.get_closest_marker(HEAVY_MARK) and not selected:
            item.add_marker(
                pytest.mark.skip(
                    reason="process-level scenario: run with "
                    "`pytest -m reliability tests/reliability`"
                )
            )


def scale(default: int) -> int:
    """Event counts scale with RELIABILITY_SCALE (1.0 = the CI default)."""
    factor = float(os.environ.get("RELIABILITY_SCALE", "1"))
    return max(1, int(default * factor))
