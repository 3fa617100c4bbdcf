"""A SYSPRO GL journal whose reply was lost, through the real ledger and
SysproConnector against the SYSPRO sandbox: SYSPRO cannot be asked for a
journal by our reference (GENQJR lists by year, period and number;
PROTOCOLS.md section 1), so the record waits in unknown_outcome until a
person settles it, and no second journal is posted."""

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Group, User

from integrations import ledger
from integrations.connectors import http
from integrations.erps import registry
from integrations.erps.registry import erp_package
from integrations.models import AuditEntry, SyncRecord
from integrations.roles import FINANCE_REVIEWERS
from integrations.workflows import EXECUTORS, Plan, PlannedRecord
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

from .conftest import SANDBOX_HOST, control, sandbox_state

pytest.importorskip("sandbox.syspro.views")
pytestmark = pytest.mark.django_db

Status = SyncRecord.Status
ROOT = "/sandbox/syspro"
JOURNAL = {
    "JournalDate": "2024-05-03",
    "lines": [
        {"LedgerCode": "1010", "EntryAmount": "10.00"},
        {"LedgerCode": "1090", "EntryAmount": "-10.00"},
    ],
}


class LostBeforeSyspro(requests.Session):
    """Sends nothing for the first GENTJL and times out on its reply, as a
    request that left but never reached SYSPRO looks from our side."""

    def __init__(self, inner: requests.Session) -> None:
        super().__init__()
        self.inner = inner
        self.lost = 1

    def get(self, url, **kwargs):
        if self.lost and "GENTJL" in str(kwargs.get("params")):
            self.lost -= 1
            raise requests.ReadTimeout("read timed out")
        return self.inner.get(url, **kwargs)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def sandbox(monkeypatch):
    sessions = {"factory": lambda: wsgi_session(SANDBOX_HOST)}
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: sessions["factory"]())
    session = wsgi_session(SANDBOX_HOST)
    session.sessions = sessions
    yield session
    session.close()
    registry.close_all()


@pytest.fixture
def integration(sandbox):
    return IntegrationFactory(
        erp_connection__secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        }
    )


@pytest.fixture
def journal_executor(monkeypatch):
    def execute(ctx):
        ctx.built_payload = ctx.record.payload = JOURNAL
        return ctx.connector.post_journal(JOURNAL, reference=ctx.record.stripe_id)

    monkeypatch.setitem(EXECUTORS, "post_journal", execute)


def journals(session) -> list[dict]:
    rows = sandbox_state(session, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY)
    return [j for j in rows["journals"] if j["reference"] == "po_Lost"]


def run_journal(integration):
    record = ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key="po_Lost:journal",
                    operation="post_journal",
                    stripe_id="po_Lost",
                    source={"stripe_id": "po_Lost"},
                ),
            )
        ),
    )[0]
    return ledger.sync_record_run(record_id=record.pk, worker="w1")


def person() -> User:
    user = User.objects.create_user("settler", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE_REVIEWERS))
    return user


def test_syspro_cannot_be_asked_about_a_journal():
    assert not erp_package("syspro").can_look_up("post_journal")


def test_a_journal_committed_behind_a_lost_reply_is_confirmed_not_reposted(
    integration, sandbox, journal_executor, django_capture_on_commit_callbacks
):
    # given: SYSPRO posts the journal and the reply is lost
    control(
        sandbox, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY, error_after_write_rate=1
    )
    record = run_journal(integration)
    control(
        sandbox, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY, error_after_write_rate=0
    )
    # then: a person decides; nothing posts it again
    assert record.status == Status.UNKNOWN_OUTCOME, record.error_message
    ledger.sync_records_sweep()
    assert ledger.sync_record_run(record_id=record.pk).status == Status.UNKNOWN_OUTCOME
    (posted,) = journals(sandbox)
    # when: the person reads the journal's key in SYSPRO and confirms it
    key = f"{posted['gl_year']}-{posted['gl_period']}-{posted['gl_journal']}"
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_confirm_posted(
            record=record, actor=person(), erp_reference=key
        )
    # then
    record.refresh_from_db()
    assert (record.status, record.erp_reference) == (Status.SUCCEEDED, key)
    assert len(journals(sandbox)) == 1


def test_a_journal_that_never_reached_syspro_is_posted_again_once(
    integration, sandbox, journal_executor, django_capture_on_commit_callbacks
):
    # given: the request left, SYSPRO never saw it, the read timed out
    sandbox.sessions["factory"] = lambda: LostBeforeSyspro(wsgi_session(SANDBOX_HOST))
    record = run_journal(integration)
    assert record.status == Status.UNKNOWN_OUTCOME, record.error_message
    assert journals(sandbox) == []
    # when: the person finds no journal in SYSPRO and posts it again
    settler = person()
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_post_again(
            record=record, actor=settler, reason="no journal po_Lost in GL"
        )
    # then: posted once, and the audit says who decided
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED, record.error_message
    assert len(journals(sandbox)) == 1
    entry = AuditEntry.objects.get(action="sync_record.post_again")
    assert entry.actor == settler
