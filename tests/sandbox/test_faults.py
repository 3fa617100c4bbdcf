import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sandbox import faults as faults_module
from sandbox.faults import (
    Faults,
    control_view,
    faults_check,
    faults_get,
    faults_register_switch,
    faults_request_scope,
    faults_reset,
    faults_set,
    rate_limit_hit,
)
from sandbox.models import FaultConfig

pytestmark = pytest.mark.django_db

KEY = "syspro_control_sandbox"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    faults_module._cache.clear()
    yield
    faults_module._cache.clear()


def test_defaults_when_nothing_stored():
    assert faults_get("syspro") == Faults()


def test_set_keeps_other_switches_and_persists():
    faults_set("syspro", latency_ms=50)
    faults_set("syspro", down=True)

    stored = FaultConfig.objects.get(sandbox="syspro").settings
    assert stored["latency_ms"] == 50
    assert stored["down"] is True
    assert faults_get("syspro") == Faults(latency_ms=50, down=True)


def test_set_parses_form_strings():
    faults = faults_set(
        "stripe",
        error_rate="0.25",
        rate_limit_per_second="3",
        reject_credentials="true",
        webhook_shuffle="on",
        webhook_delay_ms="10",
    )
    assert faults.error_rate == 0.25
    assert faults.rate_limit_per_second == 3
    assert faults.reject_credentials is True
    assert faults.extra == {"webhook_shuffle": True, "webhook_delay_ms": 10}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"error_rate": 1.5}, "between 0 and 1"),
        ({"error_rate": "lots"}, "number between 0 and 1"),
        ({"latency_ms": -1}, "between 0 and"),
        ({"latency_ms": "1.5"}, "must be an integer"),
        ({"down": "maybe"}, "boolean"),
        ({"explode": True}, "unknown fault switch 'explode'"),
        ({"webhook_shuffle": True}, "unknown fault switch"),  # a Stripe switch
    ],
)
def test_set_rejects_bad_names_and_values(changes, message):
    with pytest.raises(ValueError, match=message):
        faults_set("syspro", **changes)
    assert not FaultConfig.objects.filter(sandbox="syspro").exists()


def test_unknown_sandbox_is_refused():
    with pytest.raises(ValueError, match="unknown sandbox"):
        faults_get("oracle")


def test_reset_restores_defaults():
    faults_set("syspro", down=True, session_expired=True)
    assert faults_reset("syspro") == Faults()
    assert faults_get("syspro") == Faults()


def test_registered_switch_is_accepted():
    faults_register_switch(
        sandbox="syspro", name="test_only_switch", parser=faults_module.bool_switch
    )
    try:
        assert faults_set("syspro", test_only_switch="1").extra == {
            "test_only_switch": True
        }
    finally:
        del faults_module.EXTRA_SWITCHES["syspro"]["test_only_switch"]


def test_change_by_another_process_is_seen_after_cache_window(monkeypatch):
    # given a value cached outside any transaction
    monkeypatch.setattr(faults_module, "_cacheable", lambda: True)
    clock = [100.0]
    monkeypatch.setattr(faults_module.time, "monotonic", lambda: clock[0])
    assert faults_get("syspro").down is False
    # when another process writes the row directly
    FaultConfig.objects.create(sandbox="syspro", settings={"down": True})
    # then the old value is served only within the cache window
    clock[0] += faults_module.CACHE_SECONDS / 2
    assert faults_get("syspro").down is False
    clock[0] += faults_module.CACHE_SECONDS
    assert faults_get("syspro").down is True


def test_one_request_reads_its_faults_once_and_sees_its_own_changes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given a request inside a transaction (no process-wide cache there)
    faults_set("syspro", latency_ms=5)
    with faults_request_scope(), CaptureQueriesContext(connection) as queries:
        # when it reads the faults three times
        reads = [faults_get("syspro").latency_ms for _ in range(3)]
    # then it read the row once
    assert reads == [5, 5, 5]
    assert sum("sandbox_faultconfig" in q["sql"] for q in queries) == 1

    # and a switch it changes itself (a one-shot) is read again
    with faults_request_scope():
        assert faults_get("syspro").latency_ms == 5
        faults_set("syspro", latency_ms=0)
        assert faults_get("syspro").latency_ms == 0
    # and the next request reads the row again
    FaultConfig.objects.filter(sandbox="syspro").update(settings={"down": True})
    with faults_request_scope():
        assert faults_get("syspro").down is True


def test_rate_limiter_counts_per_second(monkeypatch):
    monkeypatch.setattr(faults_module, "clock", lambda: 1_000.0)
    assert [rate_limit_hit("syspro", limit=2) for _ in range(3)] == [0, 0, 1]
    monkeypatch.setattr(faults_module, "clock", lambda: 1_001.0)
    assert rate_limit_hit("syspro", limit=2) == 0
    assert rate_limit_hit("syspro", limit=0) == 0


def test_check_applies_latency_and_reports_faults():
    slept = []
    assert faults_check("syspro", sleep=slept.append) is None
    faults_set("syspro", latency_ms=40, down=True)
    hit = faults_check("syspro", sleep=slept.append)
    assert slept == [0.04]
    assert hit.kind == "down"


def test_check_error_rate_one_always_fails_and_zero_never():
    faults_set("syspro", error_rate=1)
    assert all(faults_check("syspro").kind == "error" for _ in range(20))
    faults_set("syspro", error_rate=0)
    assert all(faults_check("syspro") is None for _ in range(20))


def test_check_rate_limit(monkeypatch):
    monkeypatch.setattr(faults_module, "clock", lambda: 1_000.5)
    faults_set("syspro", rate_limit_per_second=1)
    results = [faults_check("syspro") for _ in range(3)]
    assert results[0] is None
    assert results[-1].kind == "rate_limited"
    assert results[-1].retry_after >= 1


class TestControlView:
    view = staticmethod(control_view("syspro", "SANDBOX_SYSPRO_CONTROL_KEY"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {KEY}"}

    def test_requires_bearer_key(self, rf: RequestFactory):
        assert self.view(rf.get("/_control")).status_code == 401
        wrong = rf.get("/_control", HTTP_AUTHORIZATION="Bearer nope")
        assert self.view(wrong).status_code == 401

    def test_get_returns_current(self, rf: RequestFactory):
        faults_set("syspro", latency_ms=5)
        response = self.view(rf.get("/_control", **self.auth))
        assert response.status_code == 200
        assert json.loads(response.content)["faults"]["latency_ms"] == 5

    def test_post_json_changes(self, rf: RequestFactory):
        request = rf.post(
            "/_control",
            data=json.dumps({"down": True, "error_rate": 0.5}),
            content_type="application/json",
            **self.auth,
        )
        body = json.loads(self.view(request).content)
        assert body["faults"]["down"] is True
        assert faults_get("syspro").error_rate == 0.5

    def test_post_form_and_reset(self, rf: RequestFactory):
        faults_set("syspro", down=True)
        request = rf.post(
            "/_control", data={"reset": "1", "latency_ms": "7"}, **self.auth
        )
        assert self.view(request).status_code == 200
        assert faults_get("syspro") == Faults(latency_ms=7)

    @pytest.mark.parametrize(
        "body",
        ['{"error_rate": 2}', '{"nope": 1}', "not json", "[1]", '{"sandbox": 1}'],
    )
    def test_post_bad_input_is_400(self, rf: RequestFactory, body):
        request = rf.post(
            "/_control", data=body, content_type="application/json", **self.auth
        )
        response = self.view(request)
        assert response.status_code == 400
        assert json.loads(response.content)["error"]["message"]


def test_admin_lists_sandbox_tables_read_only(admin_client):
    from django.apps import apps as django_apps
    from django.contrib import admin

    faults_set("syspro", down=True)
    labels = {"sandbox", "sandbox_syspro"}
    registered = [
        model
        for model in admin.site._registry
        if model._meta.app_label in labels and model.__name__ != "Counter"
    ]
    expected = {
        m
        for label in labels
        for m in django_apps.get_app_config(label).get_models()
        if m.__name__
        not in {"Counter", "SalesOrderLine", "GlJournalLine", "JournalLine"}
    }
    assert set(registered) == expected
    for model in registered:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert admin_client.get(url + "add/").status_code == 403


def test_admin_reset_action(admin_client):
    faults_set("syspro", down=True)
    row = FaultConfig.objects.get(sandbox="syspro")
    response = admin_client.post(
        "/admin/sandbox/faultconfig/",
        {"action": "reset_faults", "_selected_action": [row.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert faults_get("syspro") == Faults()
