"""The API reference page: the OpenAPI document rendered on the server.

No JavaScript and nothing from a CDN, so it passes the site's CSP as it is.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref_or_schema: dict) -> str:
    if not isinstance(ref_or_schema, dict):
        return ""
    if "$ref" in ref_or_schema:
        return ref_or_schema["$ref"].rpartition("/")[2]
    if ref_or_schema.get("type") == "array":
        return f"list of {_schema_name(ref_or_schema.get('items', {}))}"
    return ref_or_schema.get("type", "")


def _content(described: dict) -> list[dict]:
    return [
        {"media_type": media_type, "schema": _schema_name(body.get("schema", {}))}
        for media_type, body in (described.get("content") or {}).items()
    ]


def _operations(schema: dict) -> list[dict]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or [""])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema", {})),
                            "enum": p.get("schema", {}).get("enum", []),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "request": _content(operation.get("requestBody") or {}),
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "content": _content(response),
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


def _components(schema: dict) -> list[dict]:
    components = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(body.get("required", []))
        components.append(
            {
                "name": name,
                "enum": body.get("enum", []),
                "properties": [
                    {
                        "name": prop,
                        "type": _schema_name(spec)
                        or _schema_name((spec.get("allOf") or [{}])[0]),
                        "required": prop in required,
                        "read_only": spec.get("readOnly", False),
                        "description": spec.get("description", ""),
                    }
                    for prop, spec in body.get("properties", {}).items()
                ],
            }
        )
    return components


@require_http_methods(["GET", "HEAD"])
def reference(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/reference.html",
        {
            "info": schema.get("info", {}),
            "operations": _operations(schema),
            "components": _components(schema),
        },
    )
