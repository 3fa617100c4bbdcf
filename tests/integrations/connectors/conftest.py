import pytest
from django.conf import settings

from integrations.models import Connection
from tests.support.wsgi import wsgi_session

SANDBOX_HOST = "http://testserver"


@pytest.fixture
def sandbox_http():
    """A requests session routed in-process to the Django app and its sandboxes."""
    session = wsgi_session(SANDBOX_HOST)
    yield session
    session.close()


def control(session, root: str, key: str, **switches) -> None:
    """Set fault switches through the sandbox's own `_control` endpoint."""
    response = session.post(
        f"{SANDBOX_HOST}{root}/_control",
        json=switches,
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text


def sandbox_state(session, root: str, key: str) -> dict:
    response = session.get(
        f"{SANDBOX_HOST}{root}/_state",
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def syspro_connection() -> Connection:
    return Connection(
        pk=101,
        name="SYSPRO sandbox",
        kind=Connection.Kind.SYSPRO,
        base_url=f"{SANDBOX_HOST}/sandbox/syspro/SYSPROWCFService/Rest",
        config={
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
        },
        secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
        timeout_seconds=5,
    )
