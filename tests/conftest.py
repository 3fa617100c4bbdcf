import pytest
from django.core.cache import cache

from tests.factories import IntegrationFactory

# The real Sage Pro agent as a subprocess over generated tables.
from tests.support.sagepro_agent import (  # noqa: F401
    sagepro_agent,
    sagepro_agent_faulty,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture
def integration(db):
    return IntegrationFactory()
