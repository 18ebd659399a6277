"""gRPC-shaped stubs that call Prongsai over HTTP/JSON through
prongsai-gateway, written from the protos' `google.api.http` options and
protobuf's JSON mapping alone (as any transcoding client would be): a test
written against grpc stubs runs unchanged over HTTP.

    plan = HttpStub("http://127.0.0.1:8080", plan_pb2.DESCRIPTOR.services_by_name["PlanService"])
    organization = plan.GetOrganization(
        plan_pb2.GetOrganizationRequest(name="organizations/6340101"),
        metadata=[("authorization", "Bearer " + key)], timeout=10)

A refusal raises HttpRpcError, a grpc.RpcError whose code() comes from the
google.rpc.Status body; the HTTP status must be the one the gateway documents
for that code, or the call fails with AssertionError.
"""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import grpc
from google.api import annotations_pb2
from google.protobuf import json_format, symbol_database

# The HTTP status of each gRPC code (docs/operations.md, "The HTTP gateway").
HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400, grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409, grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429, grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNIMPLEMENTED: 501, grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}
CODES = {code.value[0]: code for code in grpc.StatusCode}


class HttpRpcError(grpc.RpcError):
    def __init__(self, code, details, http_status):
        super().__init__(f"{code.name}: {details}")
        self._code, self._details, self.http_status = code, details, http_status

    def code(self):
        return self._code

    def details(self):
        return self._details


def field_value(message, path):
    for part in path.split("."):
        message = getattr(message, part)
    return message


def expand(template, request):
    """The URL path of `template` for `request`, and the fields it used."""
    used = []

    def variable(match):
        field = match.group(1)
        used.append(field)
        value = str(field_value(request, field))
        # Slashes of a resource name stay; every segment is escaped.
        return "/".join(urllib.parse.quote(s, safe="") for s in value.split("/"))

    return re.sub(r"\{([\w.]+)(?:=[^}]*)?\}", variable, template), used


def drop(tree, path):
    parts = path.split(".")
    for part in parts[:-1]:
        tree = tree.get(part, {})
    tree.pop(parts[-1], None)


def flatten(tree, prefix=""):
    """Query parameters of a JSON object: nested fields dotted, lists
    repeated."""
    for name, value in tree.items():
        key = prefix + name
        if isinstance(value, dict):
            yield from flatten(value, key + ".")
        elif isinstance(value, list):
            for item in value:
                yield key, item if isinstance(item, str) else json.dumps(item)
        else:
            yield key, value if isinstance(value, str) else json.dumps(value)


class HttpStub:
    def __init__(self, base_url, service):
        self._base = base_url.rstrip("/")
        self._service = service

    def __getattr__(self, name):
        method = self._service.methods_by_name[name]
        return lambda request, metadata=None, timeout=None: self._call(
            method, request, metadata, timeout)

    def _call(self, method, request, metadata, timeout):
        rule = method.GetOptions().Extensions[annotations_pb2.http]
        verb = rule.WhichOneof("pattern")
        template = getattr(rule, verb)
        to_dict = lambda m: json_format.MessageToDict(m, preserving_proto_field_name=True)
        if method.client_streaming:
            messages = list(request)
            path, _ = expand(template, messages[0])
            body = "\n".join(json.dumps(to_dict(m), ensure_ascii=False) for m in messages)
            content_type, query = "application/x-ndjson", []
        else:
            path, used = expand(template, request)
            tree = to_dict(request)
            for field in used:
                drop(tree, field)
            body, query = None, []
            if rule.body == "*":
                body = json.dumps(tree, ensure_ascii=False)
            elif rule.body:
                body = json.dumps(tree.pop(rule.body, {}), ensure_ascii=False)
                query = list(flatten(tree))
            else:
                query = list(flatten(tree))
            content_type = "application/json"
        url = self._base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Content-Type": content_type}
        for key, value in metadata or []:
            headers[key] = value
        if timeout is not None:
            headers["grpc-timeout"] = f"{int(timeout * 1000)}m"
        http_request = urllib.request.Request(
            url, data=None if body is None else body.encode(), method=verb.upper(),
            headers=headers)
        try:
            with urllib.request.urlopen(http_request, timeout=timeout or 30) as answer:
                text = answer.read().decode()
        except urllib.error.HTTPError as refusal:
            status = json.loads(refusal.read().decode())
            code = CODES[status["code"]]
            if HTTP_STATUS.get(code, 500) != refusal.code:
                raise AssertionError(f"{method.name}: {code.name} came as HTTP "
                                     f"{refusal.code}, not {HTTP_STATUS.get(code, 500)}")
            raise HttpRpcError(code, status.get("message", ""), refusal.code) from None
        response = symbol_database.Default().GetSymbol(method.output_type.full_name)()
        json_format.Parse(text, response)
        return response
