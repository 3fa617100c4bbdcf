"""SYSPRO e.net REST endpoints: GET with URL-encoded parameters, HTTP 200 errors.

Thin: check injected faults, resolve the session, call one service, render
the text body e.net would send.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox.faults import (
    FaultHit,
    bearer_required,
    control_view,
    faults_check,
    faults_lose_reply,
    faults_request_scope,
)

from . import selectors, services
from .xmldoc import processed_nothing

KEY_SETTING = "SANDBOX_SYSPRO_CONTROL_KEY"


def _transport_failure(hit: FaultHit) -> HttpResponse:
    # SYSPRO has no rate-limit reply of its own: an overloaded or stopped
    # e.net service looks like a refused connection, stood in for by a 503.
    status = 502 if hit.kind == "error" else 503
    response = HttpResponse(
        f"{status} {hit.message}", status=status, content_type="text/plain"
    )
    if hit.retry_after:
        response["Retry-After"] = str(hit.retry_after)
    return response


# IIS request filtering's default maxQueryString; over it IIS answers
# 404.15 before e.net sees the call
# (https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/requestlimits/).
IIS_MAX_QUERY_STRING = 2048


def _max_query_string() -> int:
    return int(
        getattr(settings, "SANDBOX_SYSPRO_MAX_QUERY_STRING", IIS_MAX_QUERY_STRING)
    )


def _query_string_too_long() -> HttpResponse:
    return HttpResponse(
        "HTTP Error 404.15 - Not Found\r\nThe request filtering module is "
        "configured to deny a request where the query string is too long.",
        status=404,
        content_type="text/html",
    )


def _text(body: str) -> HttpResponse:
    content_type = "text/xml" if body.startswith("<") else "text/plain"
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")


def enet(*, writes: bool = False):
    def decorator(handler: Callable[[HttpRequest], str]):
        @csrf_exempt
        @require_GET
        def view(request: HttpRequest) -> HttpResponse:
            with faults_request_scope():
                return answer(request)

        def answer(request: HttpRequest) -> HttpResponse:
            hit = faults_check("syspro")
            if hit:
                return _transport_failure(hit)
            if len(request.META.get("QUERY_STRING", "")) > _max_query_string():
                return _query_string_too_long()
            try:
                body = handler(request)
            except (services.SessionError, services.EnetException) as exc:
                return _text(exc.body())
            wrote = writes and not processed_nothing(body)
            if wrote and faults_lose_reply("syspro"):
                return _transport_failure(
                    FaultHit(kind="error", message="reply lost after write")
                )
            return _text(body)

        view.__name__ = handler.__name__
        return view

    return decorator


def _param(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "")


@enet()
def logon(request: HttpRequest) -> str:
    return services.session_logon(
        operator=_param(request, "Operator"),
        operator_password=_param(request, "OperatorPassword"),
        company_id=_param(request, "CompanyId"),
        company_password=_param(request, "CompanyPassword"),
    )


@enet()
def logoff(request: HttpRequest) -> str:
    services.session_logoff(user_id=_param(request, "UserId"))
    return "0"


@enet()
def logon_profile(request: HttpRequest) -> str:
    session = services.session_require(user_id=_param(request, "UserId"))
    return services.logon_profile(session=session)


@enet(writes=True)
def transaction_post(request: HttpRequest) -> str:
    session = services.session_require(user_id=_param(request, "UserId"))
    return services.transaction_post(
        session=session,
        business_object=_param(request, "BusinessObject"),
        xml_parameters=_param(request, "XmlParameters"),
        xml_in=_param(request, "XmlIn"),
    )


@enet()
def query(request: HttpRequest) -> str:
    session = services.session_require(user_id=_param(request, "UserId"))
    return selectors.query_run(
        session=session,
        business_object=_param(request, "BusinessObject"),
        xml_in=_param(request, "XmlIn"),
    )


def _setup(request: HttpRequest, *, adding: bool) -> str:
    session = services.session_require(user_id=_param(request, "UserId"))
    return services.setup_post(
        session=session,
        business_object=_param(request, "BusinessObject"),
        xml_parameters=_param(request, "XmlParameters"),
        xml_in=_param(request, "XmlIn"),
        adding=adding,
    )


@enet(writes=True)
def setup_add(request: HttpRequest) -> str:
    return _setup(request, adding=True)


@enet(writes=True)
def setup_update(request: HttpRequest) -> str:
    return _setup(request, adding=False)


control = control_view("syspro", KEY_SETTING)


@bearer_required(KEY_SETTING)
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    return JsonResponse(selectors.sandbox_state())


@bearer_required(KEY_SETTING)
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    services.sandbox_reset()
    return JsonResponse({"reset": True})
