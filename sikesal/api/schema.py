"""drf-spectacular postprocessing: the answers every endpoint may give, documented on each.

Some refusals come before an endpoint's own code runs, so no endpoint's `extend_schema`
names them, yet a client meets them on any operation: a control character in the address
(400, core.middleware.ControlCharacterMiddleware), a token that is wrong, expired or
revoked on an endpoint that reads one (401, api.authentication), the throttles (429), a
database too busy to answer (503, api.errors), and on a paged list a page past the last
(404). This hook adds each to every operation that lacks it, in the one error shape.
Schemathesis (.ci/api-fuzz) fails on any status a schema does not document.
"""

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

SHARED = {
    "400": (
        "Permintaan tidak valid, misalnya karakter kendali di alamat. / "
        "Bad request, e.g. a control character in the address.",
        "bad_request",
    ),
    "429": (
        "Terlalu banyak permintaan: kirim ulang setelah Retry-After detik. / "
        "Too many requests: send again after Retry-After seconds.",
        "throttled",
    ),
    "503": (
        "Server sedang sibuk: kirim ulang setelah Retry-After detik. / "
        "The server is busy: send again after Retry-After seconds.",
        "busy",
    ),
}
UNAUTHENTICATED = (
    "Token tidak ada, salah, kedaluwarsa atau dicabut. / "
    "The token is missing, wrong, expired or revoked.",
    "not_authenticated",
)
PAGE_NOT_FOUND = (
    "Halaman tidak ada (melewati halaman terakhir). / There is no such page (past the last).",
    "not_found",
)


def document_shared_errors(result: dict, generator, request, public) -> dict:
    """POSTPROCESSING_HOOKS entry: add the shared error responses to every operation."""
    error_schema = _error_schema(result)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = dict(SHARED)
            if _reads_credentials(operation, result):
                wanted["401"] = UNAUTHENTICATED
            if any(p.get("name") == "page" for p in operation.get("parameters", [])):
                wanted["404"] = PAGE_NOT_FOUND
            for status, (description, code) in wanted.items():
                responses.setdefault(status, _response(description, code, error_schema))
    return result


def _reads_credentials(operation: dict, result: dict) -> bool:
    """Whether the endpoint authenticates a request (and so refuses a bad token with a 401)."""
    security = operation.get("security", result.get("security", []))
    return any(requirement for requirement in security)


def _error_schema(result: dict) -> dict:
    if "Error" in result.get("components", {}).get("schemas", {}):
        return {"$ref": "#/components/schemas/Error"}
    detail = {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "required": ["code", "message"],
    }
    return {"type": "object", "properties": {"error": detail}, "required": ["error"]}


def _response(description: str, code: str, schema: dict) -> dict:
    message = description.split(" / ")[0]
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": schema,
                "examples": {code: {"value": {"error": {"code": code, "message": message}}}},
            }
        },
    }


def link_lists_to_their_items(result: dict, generator, request, public) -> dict:
    """POSTPROCESSING_HOOKS entry: OpenAPI links from a list or a creation to its items.

    `GET /api/v1/complaints/` lists complaints whose `tracking_number` is the `{tracking}` of
    every operation under `/api/v1/complaints/{tracking}/`, and `POST` there answers the new
    one: each such operation gets a link, so a client (and Schemathesis's stateful phase)
    can follow a real item instead of guessing one.
    """
    paths = result.get("paths", {})
    schemas = result.get("components", {}).get("schemas", {})
    for path, operations in paths.items():
        for method, status in (("get", "200"), ("post", "201")):
            response = operations.get(method, {}).get("responses", {}).get(status)
            if response is None:
                continue
            item, pointer = _item_schema(response, schemas)
            if item is None:
                continue
            links = {}
            for target_path, target_operations in paths.items():
                parameter = _first_parameter_below(path, target_path)
                field = _field_for(parameter, item, schemas) if parameter else None
                if field is None:
                    continue
                for target_method, target in target_operations.items():
                    if target_method in HTTP_METHODS and "operationId" in target:
                        links[target["operationId"]] = {
                            "operationId": target["operationId"],
                            "parameters": {parameter: f"$response.body#{pointer}/{field}"},
                        }
            if links:
                response.setdefault("links", {}).update(links)
    return result


def _resolve(schema: dict, schemas: dict) -> dict:
    while "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[1], {})
    return schema


def _item_schema(response: dict, schemas: dict) -> tuple[dict | None, str]:
    """The schema of one item the response carries, and its JSON pointer's prefix."""
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None, ""
    schema = _resolve(schema, schemas)
    if schema.get("type") == "array":
        return _resolve(schema.get("items", {}), schemas), "/0"
    results = schema.get("properties", {}).get("results")
    if results is not None:  # a page: {"count", "next", "previous", "results": [...]}
        return _resolve(_resolve(results, schemas).get("items", {}), schemas), "/results/0"
    return schema, ""


def _first_parameter_below(path: str, target: str) -> str | None:
    """`tracking` for `/x/` and `/x/{tracking}/...`; None when target is not below path."""
    if not target.startswith(path) or target == path:
        return None
    segment = target[len(path) :].split("/", 1)[0]
    if segment.startswith("{") and segment.endswith("}"):
        return segment[1:-1]
    return None


def _field_for(parameter: str, item: dict, schemas: dict) -> str | None:
    properties = item.get("properties", {})
    for name in (parameter, f"{parameter}_number", "id"):
        if name in properties:
            return name
    return None
