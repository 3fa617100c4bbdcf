"""Fixtures shared by the integrations tests."""

import pytest

from tests.support.fake_erp import FakeErp


@pytest.fixture
def erp():
    """A SYSPRO-shaped fake ERP behind every connector (modules may override)."""
    fake = FakeErp(kind="syspro")
    with fake.installed():
        yield fake
