import pytest
from django.core.cache import cache

from tests.factories import IntegrationFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture
def integration(db):
    return IntegrationFactory()
