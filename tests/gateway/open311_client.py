#!/usr/bin/env python3
"""An Open311 GeoReport v2 client written from the spec
(http://wiki.open311.org/GeoReport_v2, Service Discovery, and mySociety's
servicerequestupdates extension): it replays what reporting apps send and
checks every answer against the spec's field lists. Python stdlib only.

    open311_client.py --base-url http://127.0.0.1:8080/open311/v2 \\
        --jurisdiction 6340101 [--api-key-file FILE] [--service-code road]

The key is read from a file (or PRONGSAI_OPEN311_API_KEY), never from the
command line, and is sent only in the POST body, as the spec says. Exits 0
when every answer conforms, 1 on any mismatch (each one printed), 2 when the
endpoint cannot be reached.
"""

import argparse
import datetime
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

# The spec's field lists. Fields the spec marks "may not be returned" are
# optional; every other one must be present (possibly empty).
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata",
                  "type", "keywords", "group"}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
ATTRIBUTE_FIELDS = {"variable", "code", "datatype", "required",
                    "datatype_description", "order", "description", "values"}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist",
             "multivaluelist"}
POST_FIELDS = {"service_request_id", "token", "service_notice", "account_id"}
REQUEST_REQUIRED = {"service_request_id", "status", "service_name",
                    "service_code", "description", "requested_datetime",
                    "updated_datetime", "address", "address_id", "zipcode",
                    "lat", "long", "media_url"}
REQUEST_OPTIONAL = {"status_notes", "agency_responsible", "service_notice",
                    "expected_datetime"}
UPDATE_FIELDS = {"update_id", "service_request_id", "status",
                 "updated_datetime", "description", "media_url"}
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
# Prongsai's documented additions to the POST answer: the filer's tracking
# code (shown once) and the due date.
POST_EXTENSIONS = {"tracking_code", "expected_datetime"}
W3C = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


class Checker:
    def __init__(self):
        self.failures = []

    def check(self, condition, what):
        if not condition:
            self.failures.append(what)
            print(f"MISMATCH: {what}")
        return condition


class Endpoint:
    def __init__(self, base_url, timeout=20):
        self.base = base_url.rstrip("/")
        self.timeout = timeout

    def call(self, method, resource, query=None, form=None):
        url = f"{self.base}/{resource}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None
        headers = {"Accept": "*/*"}
        if form is not None:
            data = urllib.parse.urlencode(form).encode("utf-8")
            headers["Content-Type"] = (
                "application/x-www-form-urlencoded; charset=utf-8")
        request = urllib.request.Request(url, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as error:
            return (error.code, error.headers.get("Content-Type", ""),
                    error.read())


def parse_xml(checker, what, content_type, body):
    checker.check(content_type.startswith("text/xml"),
                  f"{what}: Content-Type {content_type!r} is not text/xml")
    checker.check("charset=utf-8" in content_type.lower().replace(" ", ""),
                  f"{what}: Content-Type {content_type!r} names no utf-8")
    checker.check(re.match(rb'^<\?xml version="1.0" encoding="utf-8"\?>',
                           body, re.I) is not None,
                  f"{what}: no XML declaration with encoding utf-8")
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        checker.check(False, f"{what}: not well-formed XML ({error})")
        return None


def fields_of(element):
    return {child.tag: child for child in element}


def check_fields(checker, what, element, required, optional=frozenset()):
    present = fields_of(element)
    for name in sorted(required - present.keys()):
        checker.check(False, f"{what}: <{name}> missing")
    for name in sorted(present.keys() - required - optional):
        checker.check(False, f"{what}: <{name}> is not a spec field")
    return present


def check_bool(checker, what, element):
    checker.check(element is not None and element.text in ("true", "false"),
                  f"{what}: not true/false")


def check_time(checker, what, element, required=True):
    text = element.text if element is not None else None
    if not text and not required:
        return None
    if not checker.check(bool(text) and W3C.match(text),
                         f"{what}: {text!r} is not a w3 datetime with zone"):
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_errors(checker, what, status, content_type, body, expected_status):
    checker.check(status == expected_status,
                  f"{what}: HTTP {status}, expected {expected_status}")
    root = parse_xml(checker, what, content_type, body)
    if root is None:
        return
    checker.check(root.tag == "errors", f"{what}: root <{root.tag}>")
    errors = list(root)
    checker.check(len(errors) >= 1, f"{what}: no <error>")
    for error in errors:
        checker.check(error.tag == "error", f"{what}: <{error.tag}> in errors")
        check_fields(checker, f"{what} error", error, {"code", "description"})


def check_request(checker, what, request, sent=None):
    present = check_fields(checker, what, request, REQUEST_REQUIRED,
                           REQUEST_OPTIONAL)
    status = present.get("status")
    checker.check(status is not None and status.text in ("open", "closed"),
                  f"{what}: status is not open/closed")
    check_time(checker, f"{what} requested_datetime",
               present.get("requested_datetime"))
    check_time(checker, f"{what} updated_datetime",
               present.get("updated_datetime"))
    check_time(checker, f"{what} expected_datetime",
               present.get("expected_datetime"), required=False)
    for name in ("lat", "long"):
        text = present[name].text if name in present else None
        if text:
            try:
                float(text)
            except ValueError:
                checker.check(False, f"{what}: {name} {text!r} not a number")
    if sent:
        checker.check(present.get("service_code") is not None and
                      present["service_code"].text == sent["service_code"],
                      f"{what}: service_code is not the one filed")
        checker.check(present.get("description") is not None and
                      present["description"].text == sent["description"],
                      f"{what}: description is not the one filed")
        for name in ("lat", "long"):
            text = present[name].text if name in present else None
            checker.check(text is not None and
                          abs(float(text) - float(sent[name])) < 1e-6,
                          f"{what}: {name} {text!r} is not {sent[name]}")
        checker.check(present.get("media_url") is not None and
                      present["media_url"].text == sent["media_url"],
                      f"{what}: media_url is not the one filed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True,
                        help="the endpoint, e.g. http://127.0.0.1:8080/open311/v2")
    parser.add_argument("--jurisdiction", required=True,
                        help="jurisdiction_id (an organization code)")
    parser.add_argument("--api-key-file",
                        help="file whose first line is the api_key to file "
                             "with (default: $PRONGSAI_OPEN311_API_KEY, or "
                             "none: filing anonymously)")
    parser.add_argument("--service-code",
                        help="the service to file under (default: the first "
                             "listed)")
    args = parser.parse_args()
    api_key = os.environ.get("PRONGSAI_OPEN311_API_KEY", "")
    if args.api_key_file:
        with open(args.api_key_file, encoding="utf-8") as f:
            api_key = f.readline().strip()

    checker = Checker()
    endpoint = Endpoint(args.base_url)
    jurisdiction = {"jurisdiction_id": args.jurisdiction}
    try:
        status, content_type, body = endpoint.call("GET", "discovery.xml")
    except OSError as error:
        print(f"cannot reach {args.base_url}: {error}", file=sys.stderr)
        return 2

    # --- Service discovery.
    checker.check(status == 200, f"discovery.xml: HTTP {status}")
    root = parse_xml(checker, "discovery.xml", content_type, body)
    if root is not None and checker.check(root.tag == "discovery",
                                          "discovery.xml: root tag"):
        present = check_fields(checker, "discovery", root, DISCOVERY_FIELDS)
        for endpoint_element in present.get("endpoints", []):
            fields = check_fields(checker, "discovery endpoint",
                                  endpoint_element, ENDPOINT_FIELDS)
            checker.check(fields.get("type") is not None and
                          fields["type"].text in ("production", "test"),
                          "discovery endpoint: type")
            formats = [f.text for f in fields.get("formats", [])]
            checker.check("text/xml" in formats,
                          "discovery endpoint: text/xml not among formats")
    status, content_type, body = endpoint.call("GET", "discovery.json")
    checker.check(status == 200 and content_type.startswith("application/json"),
                  f"discovery.json: HTTP {status} {content_type!r}")

    # --- GET Service List.
    status, content_type, body = endpoint.call("GET", "services.xml",
                                               jurisdiction)
    checker.check(status == 200, f"services.xml: HTTP {status}")
    root = parse_xml(checker, "services.xml", content_type, body)
    services = []
    if root is not None and checker.check(root.tag == "services",
                                          "services.xml: root tag"):
        for service in root:
            checker.check(service.tag == "service",
                          f"services.xml: <{service.tag}> in services")
            present = check_fields(checker, "service", service, SERVICE_FIELDS)
            check_bool(checker, "service metadata", present.get("metadata"))
            checker.check(present.get("type") is not None and
                          present["type"].text in SERVICE_TYPES,
                          "service type")
            services.append({name: el.text for name, el in present.items()})
    if not checker.check(services, "services.xml: no services to file under"):
        return 1
    chosen = next((s for s in services
                   if s.get("service_code") == args.service_code),
                  None) if args.service_code else services[0]
    if not checker.check(chosen is not None,
                         f"service {args.service_code!r} not listed"):
        return 1
    code = chosen["service_code"]

    # --- GET Service Definition.
    if chosen.get("metadata") == "true":
        status, content_type, body = endpoint.call(
            "GET", f"services/{urllib.parse.quote(code)}.xml", jurisdiction)
        checker.check(status == 200, f"services/{code}.xml: HTTP {status}")
        root = parse_xml(checker, "service definition", content_type, body)
        if root is not None and checker.check(
                root.tag == "service_definition", "definition: root tag"):
            present = check_fields(checker, "service_definition", root,
                                   {"service_code", "attributes"})
            checker.check(present.get("service_code") is not None and
                          present["service_code"].text == code,
                          "service_definition: service_code differs")
            orders = []
            for attribute in present.get("attributes", []):
                fields = check_fields(checker, "attribute", attribute,
                                      ATTRIBUTE_FIELDS)
                check_bool(checker, "attribute variable",
                           fields.get("variable"))
                check_bool(checker, "attribute required",
                           fields.get("required"))
                checker.check(fields.get("datatype") is not None and
                              fields["datatype"].text in DATATYPES,
                              "attribute datatype")
                order = fields.get("order")
                checker.check(order is not None and order.text and
                              order.text.isdigit() and int(order.text) > 0,
                              "attribute order: not a positive integer")
                if order is not None and order.text:
                    orders.append(order.text)
                for value in fields.get("values", []):
                    check_fields(checker, "attribute value", value,
                                 {"key", "name"})
            checker.check(len(orders) == len(set(orders)),
                          "attribute order: repeated")
    status, content_type, body = endpoint.call(
        "GET", "services/no-such-service-0.xml", jurisdiction)
    check_errors(checker, "unknown service", status, content_type, body, 404)

    # --- POST Service Request, as the spec's example sends it.
    marker = uuid.uuid4().hex[:12]
    identity = {"email": f"open311-{marker}@example.com",
                "first_name": f"สมชาย{marker}",
                "last_name": f"ใจดี{marker}",
                "phone": "08" + str(uuid.uuid4().int)[:8]}
    form = {"jurisdiction_id": args.jurisdiction, "service_code": code,
            "lat": "17.1545", "long": "104.1348",
            "address_string": "หน้าโรงเรียนบ้านทดสอบ",
            "device_id": "tt222111", "account_id": "123456",
            "description": f"ถนนเป็นหลุม <ลึก> & อันตราย {marker}",
            "media_url": "https://img.example/open311.jpg", **identity}
    if api_key:
        form = {"api_key": api_key, **form}
    status, content_type, body = endpoint.call("POST", "requests.xml",
                                               form=form)
    checker.check(status == 200, f"POST requests.xml: HTTP {status} {body[:300]!r}")
    root = parse_xml(checker, "POST requests.xml", content_type, body)
    request_id = None
    if root is not None and checker.check(root.tag == "service_requests",
                                          "POST answer: root tag"):
        requests = list(root)
        checker.check(len(requests) == 1, "POST answer: not one <request>")
        for request in requests:
            present = check_fields(checker, "POST answer", request, set(),
                                   POST_FIELDS | POST_EXTENSIONS)
            checker.check(("service_request_id" in present) !=
                          ("token" in present),
                          "POST answer: service_request_id xor token")
            if "service_request_id" in present:
                request_id = present["service_request_id"].text
            tracking = present.get("tracking_code")
            if tracking is not None:
                checker.check(tracking.text != request_id,
                              "POST answer: the id is the tracking code")
    body_text = body.decode("utf-8", "replace")
    if not checker.check(request_id, "POST answer: no service_request_id"):
        return 1

    # --- GET Service Request.
    status, content_type, body = endpoint.call(
        "GET", f"requests/{urllib.parse.quote(request_id)}.xml", jurisdiction)
    checker.check(status == 200, f"requests/{{id}}.xml: HTTP {status}")
    root = parse_xml(checker, "GET request", content_type, body)
    tracking = re.search(r"<tracking_code>([^<]+)</tracking_code>", body_text)
    lookups = [body]
    if root is not None and checker.check(root.tag == "service_requests",
                                          "GET request: root tag"):
        requests = list(root)
        checker.check(len(requests) == 1, "GET request: not one <request>")
        for request in requests:
            check_request(checker, "GET request", request, form)
            checker.check(request.findtext("service_request_id") == request_id,
                          "GET request: another id")
            checker.check(request.findtext("status") == "open",
                          "GET request: a new request is not open")

    # --- GET Service Requests: by id, and by window and status.
    status, content_type, body = endpoint.call(
        "GET", "requests.xml",
        {**jurisdiction, "service_request_id": f"{request_id},nosuchid0"})
    lookups.append(body)
    root = parse_xml(checker, "GET requests by id", content_type, body)
    if root is not None:
        ids = [r.findtext("service_request_id") for r in root]
        checker.check(ids == [request_id],
                      f"GET requests by id: {ids} is not [{request_id}]")
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {**jurisdiction, "service_code": code, "status": "open",
              "start_date": (now - datetime.timedelta(days=1)).strftime(
                  "%Y-%m-%dT%H:%M:%SZ"),
              "end_date": (now + datetime.timedelta(minutes=5)).strftime(
                  "%Y-%m-%dT%H:%M:%SZ")}
    status, content_type, body = endpoint.call("GET", "requests.xml", window)
    lookups.append(body)
    checker.check(status == 200, f"GET requests.xml: HTTP {status}")
    root = parse_xml(checker, "GET requests", content_type, body)
    if root is not None and checker.check(root.tag == "service_requests",
                                          "GET requests: root tag"):
        checker.check(len(root) <= 1000, "GET requests: over 1000 records")
        ids = []
        for request in root:
            check_request(checker, "GET requests record", request)
            ids.append(request.findtext("service_request_id"))
            checker.check(request.findtext("status") == "open",
                          "GET requests: status=open gave a closed one")
            checker.check(request.findtext("service_code") == code,
                          "GET requests: service_code filter ignored")
        checker.check(request_id in ids, "GET requests: the new one missing")
    status, content_type, body = endpoint.call("GET", "requests.json",
                                               jurisdiction)
    lookups.append(body)
    checker.check(status == 200 and content_type.startswith("application/json"),
                  f"GET requests.json: HTTP {status} {content_type!r}")
    try:
        records = json.loads(body)
        checker.check(isinstance(records, list), "requests.json: not an array")
        for record in records if isinstance(records, list) else []:
            missing = REQUEST_REQUIRED - record.keys()
            checker.check(not missing, f"requests.json: {sorted(missing)} missing")
    except ValueError:
        checker.check(False, "requests.json: not JSON")
    wide = {**jurisdiction, "start_date": "2010-01-01T00:00:00Z",
            "end_date": "2010-06-01T00:00:00Z"}
    status, content_type, body = endpoint.call("GET", "requests.xml", wide)
    check_errors(checker, "a window over 90 days", status, content_type, body,
                 400)

    # --- servicerequestupdates (extension).
    status, content_type, body = endpoint.call(
        "GET", "servicerequestupdates.xml", jurisdiction)
    lookups.append(body)
    checker.check(status == 200, f"servicerequestupdates.xml: HTTP {status}")
    root = parse_xml(checker, "updates", content_type, body)
    if root is not None and checker.check(
            root.tag == "service_request_updates", "updates: root tag"):
        for update in root:
            fields = check_fields(checker, "request_update", update,
                                  UPDATE_FIELDS)
            checker.check(update.findtext("status") in ("open", "closed"),
                          "request_update: status")
            check_time(checker, "request_update updated_datetime",
                       fields.get("updated_datetime"))

    # --- What a lookup must never show.
    for lookup in lookups:
        text = lookup.decode("utf-8", "replace")
        for name, value in identity.items():
            checker.check(value not in text,
                          f"a lookup shows the filer's {name}")
        if tracking:
            checker.check(tracking.group(1) not in text,
                          "a lookup shows the tracking code")

    # --- Errors.
    status, content_type, body = endpoint.call(
        "GET", "requests/nosuchid0.xml", jurisdiction)
    check_errors(checker, "unknown request", status, content_type, body, 404)
    status, content_type, body = endpoint.call("GET", "services.xml")
    check_errors(checker, "no jurisdiction_id", status, content_type, body, 400)
    status, content_type, body = endpoint.call(
        "GET", "services.xml", {"jurisdiction_id": "no-such-jurisdiction-0"})
    check_errors(checker, "unknown jurisdiction", status, content_type, body,
                 404)
    no_code = {k: v for k, v in form.items() if k != "service_code"}
    status, content_type, body = endpoint.call("POST", "requests.xml",
                                               form=no_code)
    check_errors(checker, "POST without service_code", status, content_type,
                 body, 400)
    status, content_type, body = endpoint.call(
        "POST", "requests.xml", form={**form, "api_key": "psk_not_a_key"})
    check_errors(checker, "POST with a bad api_key", status, content_type,
                 body, 403)

    if checker.failures:
        print(f"{len(checker.failures)} mismatch(es)")
        return 1
    print("every answer conforms to GeoReport v2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
