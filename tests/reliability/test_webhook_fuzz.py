"""Webhook endpoint fuzzing: random bodies, headers, signatures, sizes, paths.

Whatever arrives, the answer is never a 5xx, and an event is stored only when
an independent oracle says it is a correctly signed, fresh, well-formed Stripe
event that was not stored before. Runs in-process through Django's test
client, on PostgreSQL too, where NUL bytes and lone surrogates are real
hazards.
"""

import json
import os
import time
from urllib.parse import quote

import pytest
import stripe
from django.db.models import Max
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import WebhookEvent
from tests.factories import WEBHOOK_SECRET, IntegrationFactory

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "40"))
MAX_BODY = 4096
TOLERANCE = 300
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Header values as a WSGI server hands them over: latin-1 decodable.
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=200
)
json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture
def fuzz_integration(db, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = MAX_BODY
    settings.STRIPE_WEBHOOK_TOLERANCE = TOLERANCE
    return IntegrationFactory()


def _looks_valid(data) -> bool:
    """The oracle: what a Stripe event must look like to be stored."""
    if not isinstance(data, dict) or data.get("object") != "event":
        return False
    event_id, event_type = data.get("id"), data.get("type")
    if not _storable_text(event_id, 1, 255) or not _storable_text(event_type, 1, 100):
        return False
    body = data.get("data")
    if not (isinstance(body, dict) and isinstance(body.get("object"), dict)):
        return False
    for value, max_length in (
        (data.get("api_version"), 40),
        (body["object"].get("id"), 255),
    ):
        if value is not None and not _storable_text(value, 0, max_length):
            return False
    created = data.get("created")
    return created is None or (type(created) is int and 0 <= created <= 253402300799)


def _storable_text(value, min_length: int, max_length: int) -> bool:
    if not isinstance(value, str) or not min_length <= len(value) <= max_length:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


@pytest.fixture
def client():
    return Client()


def _post(client: Client, path: str, body: bytes, **meta) -> int:
    method = meta.pop("method", "POST")
    content_type = meta.pop("content_type", "application/json")
    response = client.generic(
        method, path, data=body, content_type=content_type, **meta
    )
    return response.status_code


def _path(integration) -> str:
    return f"/webhooks/stripe/{integration.uuid}/"


def _new_rows(before: int) -> list[WebhookEvent]:
    return list(WebhookEvent.objects.filter(pk__gt=before))


def _high_water() -> int:
    return WebhookEvent.objects.aggregate(top=Max("pk"))["top"] or 0


events = st.fixed_dictionaries(
    {
        "id": st.text(min_size=0, max_size=40) | st.integers() | st.none(),
        "object": st.sampled_from(["event", "event", "charge", ""]) | json_scalars,
        "type": st.sampled_from(["charge.succeeded", "refund.created", "x"])
        | st.text(max_size=120)
        | json_scalars,
        "created": st.integers(min_value=-(2**40), max_value=2**40)
        | st.text(max_size=5)
        | st.none(),
        "data": st.fixed_dictionaries({"object": json_values}) | json_values,
        "api_version": st.text(max_size=60) | json_scalars,
        "livemode": json_scalars,
    },
    optional={"extra": json_values},
)


@FUZZ
@given(data=events, signed=st.booleans(), tamper=st.booleans())
def test_signed_json_is_stored_only_when_valid(
    client, fuzz_integration, data, signed, tamper
):
    # given: a JSON body, signed correctly or not, maybe altered after signing
    body = json.dumps(data)
    signature = stripe.WebhookSignature.generate_signature_header(
        body, WEBHOOK_SECRET if signed else "whsec_wrong"
    )
    sent = body + (" " if tamper else "")
    expected_valid = signed and not tamper and _looks_valid(data)
    already = expected_valid and WebhookEvent.objects.filter(stripe_id=data["id"])
    already = bool(already and already.exists())
    before = _high_water()

    # when
    status = _post(
        client,
        _path(fuzz_integration),
        sent.encode("utf-8", "surrogatepass"),
        HTTP_STRIPE_SIGNATURE=signature,
    )

    # then
    assert status < 500
    rows = _new_rows(before)
    if expected_valid:
        assert status == 200
        assert len(rows) == (0 if already else 1)
        if rows:
            assert rows[0].stripe_id == data["id"] and rows[0].body == sent
    else:
        assert 400 <= status < 500
        assert rows == []


@FUZZ
@given(
    body=st.binary(max_size=MAX_BODY + 200),
    signature=st.none() | header_text,
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
    ),
    headers=st.dictionaries(
        st.from_regex(r"HTTP_[A-Z][A-Z_]{0,20}", fullmatch=True),
        header_text,
        max_size=4,
    ),
)
def test_random_bytes_and_headers_never_store(
    client, fuzz_integration, body, signature, content_type, headers
):
    meta = dict(headers)
    meta.pop("HTTP_STRIPE_SIGNATURE", None)
    if signature is not None:
        meta["HTTP_STRIPE_SIGNATURE"] = signature
    before = _high_water()

    status = _post(
        client, _path(fuzz_integration), body, content_type=content_type, **meta
    )

    assert 400 <= status < 500
    assert _new_rows(before) == []


signature_parts = st.lists(
    st.one_of(
        st.builds(lambda t: f"t={t}", st.integers(-(2**70), 2**70) | header_text),
        st.builds(lambda s: f"v1={s}", st.text("0123456789abcdef", max_size=70)),
        st.builds(lambda s: f"v0={s}", header_text),
        header_text,
    ),
    max_size=5,
)


@FUZZ
@given(parts=signature_parts, skew=st.integers(-(10**6), 10**6))
def test_forged_and_stale_signatures_never_store(client, fuzz_integration, parts, skew):
    # given: a valid event whose signature header is random, or valid but skewed
    body = json.dumps(
        {
            "id": "evt_fuzz_sig",
            "object": "event",
            "type": "charge.succeeded",
            "created": int(time.time()),
            "data": {"object": {"id": "ch_fuzz"}},
        }
    )
    timestamp = int(time.time()) + skew
    good = stripe.WebhookSignature.generate_signature_header(
        body, WEBHOOK_SECRET, timestamp
    )
    forged = ",".join(parts)
    before = _high_water()

    status_forged = _post(
        client, _path(fuzz_integration), body.encode(), HTTP_STRIPE_SIGNATURE=forged
    )
    status_skewed = _post(
        client, _path(fuzz_integration), body.encode(), HTTP_STRIPE_SIGNATURE=good
    )

    assert 400 <= status_forged < 500
    rows = _new_rows(before)
    if abs(skew) <= TOLERANCE - 5:
        assert status_skewed == 200
        assert len(rows) <= 1
    elif abs(skew) > TOLERANCE + 5:
        assert 400 <= status_skewed < 500
        assert rows == []
    else:
        assert status_skewed < 500


@FUZZ
@given(
    token=st.text(max_size=80),
    method=st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "POST", "HEAD"]),
)
def test_unknown_endpoints_and_methods_are_4xx(client, fuzz_integration, token, method):
    body = json.dumps(
        {
            "id": "evt_fuzz_path",
            "object": "event",
            "type": "charge.succeeded",
            "created": int(time.time()),
            "data": {"object": {}},
        }
    )
    signature = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    before = _high_water()

    status = _post(
        client,
        f"/webhooks/stripe/{quote(token, safe='')}/",
        body.encode(),
        method=method,
        HTTP_STRIPE_SIGNATURE=signature,
    )
    valid_path_status = _post(
        client,
        _path(fuzz_integration),
        body.encode(),
        method=method,
        HTTP_STRIPE_SIGNATURE=signature,
    )

    assert 400 <= status < 500
    assert valid_path_status < 500
    if method != "POST":
        assert 400 <= valid_path_status < 500
        assert _new_rows(before) == []


@FUZZ
@given(size=st.integers(min_value=0, max_value=3 * MAX_BODY))
def test_body_sizes_around_the_limit(client, fuzz_integration, size):
    # given: a correctly signed event padded to `size` bytes
    event = {
        "id": f"evt_size_{size}",
        "object": "event",
        "type": "charge.succeeded",
        "created": int(time.time()),
        "data": {"object": {"id": "ch_size", "description": ""}},
    }
    bare = len(json.dumps(event))
    event["data"]["object"]["description"] = "x" * max(0, size - bare)
    body = json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    before = _high_water()

    status = _post(
        client, _path(fuzz_integration), body.encode(), HTTP_STRIPE_SIGNATURE=signature
    )

    if len(body) > MAX_BODY:
        assert status == 413
        assert _new_rows(before) == []
    else:
        assert status == 200
        assert len(_new_rows(before)) <= 1
