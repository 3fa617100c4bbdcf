"""Test hooks: faults for the tests and the demo, impossible to enable in production."""

import pytest
from conftest import COMPANY, KEY, WsgiClient, make_agent, order_body, read_table

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import KeyStore
from ledgerbridge_agent.cli import main


@pytest.mark.parametrize(
    "extra",
    [
        ["--host", "0.0.0.0", "--cert", "c.pem", "--key", "k.pem"],
        ["--host", "192.0.2.10"],
        ["--cert", "c.pem", "--key", "k.pem"],
    ],
)
def test_test_hooks_are_refused_off_loopback_or_with_tls(data_dir, key_file, extra):
    argv = ["serve", "--data", str(data_dir), "--company", COMPANY]
    argv += ["--key-file", str(key_file), "--test-hooks", *extra]
    with pytest.raises(SystemExit, match="test-hooks"):
        main(argv)


def test_plain_http_off_loopback_is_refused(data_dir, key_file):
    argv = ["serve", "--data", str(data_dir), "--company", COMPANY]
    argv += ["--key-file", str(key_file), "--host", "0.0.0.0", "--server", "gunicorn"]
    with pytest.raises(SystemExit, match="without TLS"):
        main(argv)


def test_without_test_hooks_the_control_endpoint_does_not_exist(data_dir, key_file):
    client = WsgiClient(AgentApp(make_agent(data_dir), KeyStore(key_file)))
    assert client.request("POST", "/_hooks", {"down": True}).status_code == 404
    assert client.get("info").json()["test_hooks"] is False


def test_faults_rate_limit_outage_errors_and_rejected_key(client, data_dir):
    set_hooks = client.request(
        "POST", "/_hooks", {"rate_limit_next": 1, "retry_after": 7}
    )
    assert set_hooks.status_code == 200
    limited = client.get("customers")
    assert limited.error == (429, "rate_limited", "")
    assert limited.headers["Retry-After"] == "7"
    assert client.get("customers").status_code == 200

    client.request("POST", "/_hooks", {"down": True})
    assert client.post("salesorders", order_body("ch_down")).error[0] == 503
    client.request("POST", "/_hooks", {"fail_next": 1})
    assert client.post("salesorders", order_body("ch_down")).error[0] == 500
    client.request("POST", "/_hooks", {"reject_key": True})
    assert client.get("customers", key=KEY).error[0] == 401
    client.request("POST", "/_hooks", {})
    assert not [r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_down"]
    assert client.post("salesorders", order_body("ch_down")).status_code == 201


def test_the_hooks_in_force_can_be_read(client):
    client.request("POST", "/_hooks", {"latency_ms": 0, "down": False, "fail_next": 2})
    current = client.request("GET", "/_hooks").json()
    assert current["fail_next"] == 2
    assert current["crash_at"] == ""


def test_a_bad_hook_setting_is_400(client):
    assert client.request("POST", "/_hooks", {"crash_at": "never"}).error[0] == 400
    assert client.request("POST", "/_hooks", {"down": "yes"}).error[0] == 400
    assert client.request("POST", "/_hooks", {"colour": 1}).error[0] == 400
    assert client.request("POST", "/_hooks", {"down": True}, key=None).error[0] == 401


def test_the_portal_sandbox_switch_names_work_with_a_driven_clock_and_dice(
    client, agent
):
    # given: a clock and dice the test drives
    now = [100.0]
    roll = [0.5]
    agent.hooks.clock = lambda: now[0]
    agent.hooks.chance = lambda: roll[0]
    # rate_limit_per_second: two pass in a second, the third is 429
    client.request("POST", "/_hooks", {"rate_limit_per_second": 2})
    codes = [client.get("items").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    now[0] = 101.0
    assert client.get("items").status_code == 200
    # error_rate: a roll under the rate fails, over it passes
    client.request("POST", "/_hooks", {"error_rate": 0.6})
    assert client.get("items").error == (500, "server_error", "")
    roll[0] = 0.7
    assert client.get("items").status_code == 200
    # reject_credentials
    client.request("POST", "/_hooks", {"reject_credentials": True})
    assert client.get("items").error[0] == 401
    # error_after_write_rate: written, then the reply is lost
    client.request("POST", "/_hooks", {"error_after_write_rate": 1})
    assert client.post("salesorders", order_body("ch_ew")).error[0] == 500
    client.request("POST", "/_hooks", {})
    assert client.post("salesorders", order_body("ch_ew")).error[0] == 409
    assert client.request("POST", "/_hooks", {"error_rate": 2}).error[0] == 400


def test_latency_is_waited_before_each_answer(client, agent):
    # given: a sleep the test records instead of waiting
    slept: list[float] = []
    agent.hooks.sleep = slept.append
    client.request("POST", "/_hooks", {"latency_ms": 120})
    # when
    assert client.get("customers").status_code == 200
    assert client.post("salesorders", order_body("ch_slow")).status_code == 201
    # then: each answer waited, and the write was made
    assert slept == [0.12, 0.12]
    client.request("POST", "/_hooks", {})
    assert client.get("customers").status_code == 200
    assert slept == [0.12, 0.12]


def test_a_lost_reply_keeps_every_kind_of_document_written_once(client, data_dir):
    # given: the next three writes are made, then answered 500
    client.request("POST", "/_hooks", {"lose_reply_next": 3})
    receipt = {
        "custno": "0000001",
        "reference": "ch_lost",
        "amount": "19.99",
        "date": "2025-04-01",
        "bank": "STRIPE",
    }
    memo = {**receipt, "reference": "re_lost", "reason": "Refund"}
    memo.pop("bank")
    journal = {
        "date": "2025-04-30",
        "reference": "po_lost",
        "descrip": "Stripe payout",
        "lines": [
            {"account": "1010", "debit": "95.00", "credit": "0"},
            {"account": "1090", "debit": "0", "credit": "95.00"},
        ],
    }
    sent = [("cashreceipts", receipt), ("creditmemos", memo)]
    sent.append(("journalentries", journal))
    assert [client.post(path, body).error[0] for path, body in sent] == [500] * 3
    # when the portal sends each again
    again = [client.post(path, body) for path, body in sent]
    # then each is answered 409 with the document, and written once
    assert [r.error[:2] for r in again] == [(409, "duplicate")] * 3
    assert [r["reference"] for r in read_table(data_dir, "arcash")] == ["ch_lost"]
    assert [r["reference"] for r in read_table(data_dir, "arref")] == ["re_lost"]
    assert [r["artype"] for r in read_table(data_dir, "armast")].count("C") == 1
    batch = [r for r in read_table(data_dir, "glbtch") if r["reference"] == "po_lost"]
    assert len(batch) == 2
