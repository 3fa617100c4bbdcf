import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

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


@pytest.fixture
def keep_db_connection():
    """Keep the test transaction's connection across in-process WSGI calls to
    the sandboxes (tests/support/wsgi.py): a bare WSGIHandler's request signals
    close it (fatal on PostgreSQL), as Django's own test Client avoids."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
