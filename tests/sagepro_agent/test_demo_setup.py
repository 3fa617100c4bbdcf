"""`setup_sandbox --erp sagepro --erp-url`: the demo's Sage Pro connection
points at the agent, with the sandbox's key stored encrypted."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection as db

from integrations.models import Connection

pytestmark = pytest.mark.django_db

AGENT_URL = "http://127.0.0.1:8765/api/v1"


def setup(*args: str) -> dict:
    out = io.StringIO()
    call_command("setup_sandbox", "--erp", "sagepro", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_sage_pro_connection_points_at_the_agent():
    result = setup("--erp-url", AGENT_URL)
    again = setup("--erp-url", AGENT_URL)

    assert result == again
    assert result["erp"]["base_url"] == AGENT_URL
    sagepro = Connection.objects.get(kind=Connection.Kind.SAGEPRO)
    assert sagepro.base_url == AGENT_URL
    assert sagepro.secrets == {"api_key": settings.SANDBOX_SAGEPRO_API_KEY}
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT secrets FROM integrations_connection WHERE id = %s", [sagepro.pk]
        )
        [stored] = cursor.fetchone()
    assert settings.SANDBOX_SAGEPRO_API_KEY not in str(stored)
    # the SYSPRO stand-in connection still points at the portal's sandbox
    syspro = Connection.objects.get(kind=Connection.Kind.SYSPRO)
    assert syspro.base_url.startswith("http://127.0.0.1:8000/sandbox/syspro")


def test_without_an_agent_url_the_demo_agent_address_is_used():
    # make demo ERP=sagepro starts the agent on 127.0.0.1:8765 (AGENT_PORT)
    assert setup()["erp"]["base_url"] == AGENT_URL


def test_the_sage_pro_demo_needs_the_agents_data_folder_to_check_it():
    with pytest.raises(CommandError, match="--erp-data is required"):
        call_command("demo", "--erp", "sagepro", stdout=io.StringIO())
    assert not Connection.objects.exists()
