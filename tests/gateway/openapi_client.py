#!/usr/bin/python3
"""One integrity cycle over the gateway's HTTP/JSON API, by a client that
knows the API only from its OpenAPI document.

    openapi_client.py GATEWAY_BASE_URL

It fetches GATEWAY_BASE_URL/openapi.json and looks every operation up by
its operationId: the method, the path and its parameters, what goes in the
body and what in the query all come from the document (the path templates,
`x-prongsai-path-fields`, `x-prongsai-body`, the listed query parameters),
never from URLs written here. The request contents follow
tests/interop/cycle_interop_test.py, which drives the same cycle over gRPC.

The SYSTEM API key comes from the environment variable PRONGSAI_TEST_API_KEY
and is sent only as `Authorization: Bearer ...`; it is never printed. The
anonymous steps (filing and tracking a complaint) send no key.

Exits 0 when every step passed; otherwise prints which step failed and why
and exits 1 (2 for bad usage). Python's standard library only.
"""

import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 30  # seconds per HTTP request
PROVINCE = "ยโสธร"
# The organization's published FY2568 result (cycle_interop_test.py): the
# lowest indicator is 9; 9 and 4 are under 85.
OWN_2568 = {"overall": 89.60,
            "indicators": [99.50, 90.40, 87.70, 83.80, 96.00, 93.50, 89.10,
                           87.40, 72.60, 100.0]}
PLAN_TARGET_2568 = 89.0


class StepFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise StepFailed(what)


class Api:
    """The operations of an OpenAPI document, callable by operationId with
    the request message as a dict (proto field names)."""

    def __init__(self, base_url, api_key):
        self.base = base_url.rstrip("/")
        self.api_key = api_key
        status, document = self._http("GET", self.base + "/openapi.json", None, None,
                                      None)
        check(status == 200, f"GET /openapi.json answered HTTP {status}")
        check(isinstance(document, dict) and document.get("openapi", "").startswith("3."),
              "/openapi.json is not an OpenAPI 3 document")
        self.document = document
        self.operations = {}
        for path, item in document.get("paths", {}).items():
            for verb, operation in item.items():
                if isinstance(operation, dict) and "operationId" in operation:
                    self.operations[operation["operationId"]] = (verb.upper(), path,
                                                                 operation)
        check(self.operations, "the document has no operations")

    # --------------------------------------------------------- HTTP

    def _http(self, method, url, body, content_type, key):
        headers = {"Accept": "application/json"}
        if key is not None:
            headers["Authorization"] = "Bearer " + key
        data = None
        if body is not None:
            data = body.encode("utf-8")
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            try:
                status = json.loads(text)
                detail = f"{status.get('code')} {status.get('message')!r}"
            except ValueError:
                detail = text[:200]
            # The URL is ours (resource names, no secrets); the key is not in it.
            raise StepFailed(f"{method} {urllib.parse.urlsplit(url).path} answered "
                             f"HTTP {error.code}: {detail}") from None
        except urllib.error.URLError as error:
            raise StepFailed(f"{method} {urllib.parse.urlsplit(url).path}: "
                             f"{error.reason}") from None

    # ------------------------------------------------- request building

    @staticmethod
    def _take(message, dotted):
        """Removes and returns the value at `dotted` ("action_plan.name")."""
        parts = dotted.split(".")
        for part in parts[:-1]:
            message = message.get(part)
            if not isinstance(message, dict):
                return None
        return message.pop(parts[-1], None)

    @staticmethod
    def _split(template, value, rest_params):
        """The parameters of `template` ("organizations/{organization}") in
        `value` ("organizations/6340101"), or None."""
        names, pattern, at = [], "", 0
        for match in re.finditer(r"\{([^}]+)\}", template):
            pattern += re.escape(template[at:match.start()])
            names.append(match.group(1))
            pattern += "(.+)" if match.group(1) in rest_params else "([^/]+)"
            at = match.end()
        pattern += re.escape(template[at:])
        found = re.fullmatch(pattern, value)
        return dict(zip(names, found.groups())) if found else None

    @staticmethod
    def _flatten(message, prefix=""):
        """Query pairs for what is left of a request: nested fields dotted,
        repeated fields repeated."""
        pairs = []
        for name, value in message.items():
            key = prefix + name
            if isinstance(value, dict):
                pairs += Api._flatten(value, key + ".")
            elif isinstance(value, list):
                pairs += [(key, Api._scalar(v)) for v in value]
            else:
                pairs.append((key, Api._scalar(value)))
        return pairs

    @staticmethod
    def _scalar(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def call(self, operation_id, request, key="system"):
        """Sends `request` (a dict; for a client stream, a list of dicts) to
        the operation and returns the answer's JSON. key: "system" (the
        SYSTEM key), None (anonymous) or a key."""
        check(operation_id in self.operations,
              f"the document has no operation {operation_id}")
        verb, path, operation = self.operations[operation_id]
        key = self.api_key if key == "system" else key
        streaming = operation.get("x-prongsai-client-streaming", False)
        messages = [json.loads(json.dumps(m)) for m in
                    (request if streaming else [request])]
        first = messages[0]

        # The path: each request field the path carries, split into the
        # parameters its template names.
        parameters = operation.get("parameters", [])
        in_path = {p["name"]: p for p in parameters if p["in"] == "path"}
        rest = {n for n, p in in_path.items() if "x-prongsai-pattern" in p}
        values = {}
        for field, template in operation.get("x-prongsai-path-fields", {}).items():
            value = self._take(first, field)
            for other in messages[1:]:
                self._take(other, field)
            check(isinstance(value, str) and value,
                  f"{operation_id}: the request has no {field}")
            split = self._split(template, value, rest)
            check(split is not None,
                  f"{operation_id}: {field} {value!r} does not fit {template}")
            values.update(split)
        check(set(values) == set(in_path),
              f"{operation_id}: path parameters {sorted(in_path)} but the path "
              f"fields give {sorted(values)}")
        url_path = path
        for name, value in values.items():
            quoted = urllib.parse.quote(value, safe="/" if name in rest else "")
            url_path = url_path.replace("{" + name + "}", quoted)

        # The body, by the operation's body rule; the rest goes in the query.
        body_rule = operation.get("x-prongsai-body")
        body = content_type = None
        if body_rule is not None:
            check("requestBody" in operation,
                  f"{operation_id}: a body rule but no requestBody")
            content = operation["requestBody"]["content"]
            content_type = next(iter(content))
            if streaming:
                check(content_type == "application/x-ndjson",
                      f"{operation_id}: a stream documented as {content_type}")
                body = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages)
            elif body_rule == "*":
                body = json.dumps(first, ensure_ascii=False)
                first = {}
            else:
                body = json.dumps(first.pop(body_rule, {}), ensure_ascii=False)
        query = self._flatten(first)
        documented = {p["name"] for p in parameters if p["in"] == "query"}
        for name, _ in query:
            check(name in documented,
                  f"{operation_id}: the document lists no query parameter {name}")
        url = self.base + url_path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        status, answer = self._http(verb, url, body, content_type, key)
        check(status == 200, f"{operation_id} answered HTTP {status}")
        return answer


def org_ref(code):
    return {"code": code, "name": "องค์การบริหารส่วนตำบลอีสานเขต",
            "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
            "province": PROVINCE, "district": "เมืองยโสธร"}


def expected_strengths_and_weaknesses(indicators, threshold=90.0, weak_below=85.0):
    """services/ita/ita_analysis.h, as cycle_interop_test.py computes it."""
    strengths = sorted((n for n, s in indicators.items() if s > threshold),
                       key=lambda n: (-indicators[n], n))
    lowest = min(indicators.values())
    weaknesses = sorted((n for n, s in indicators.items()
                         if s == lowest or s < weak_below),
                        key=lambda n: (indicators[n], n))
    return strengths, weaknesses


def cycle(api, steps):
    # A fresh organization each run, so a reused database does not clash.
    code = "9" + "".join(secrets.choice("0123456789") for _ in range(6))
    parent = "organizations/" + code
    run = secrets.token_hex(4)

    with steps("create the organization (SYSTEM)"):
        organization = api.call("PlanService_CreateOrganization",
                                {"organization": {"organization": org_ref(code)}})
        check(organization.get("name") == parent, f"name {organization.get('name')!r}")

    with steps("create an action plan"):
        plan = api.call("PlanService_CreateActionPlan", {
            "parent": parent, "request_id": f"openapi-{run}-plan",
            "action_plan": {
                "title": "แผนปฏิบัติการป้องกันการทุจริต ๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐)",
                "fiscal_years": {"first_be_year": 2566, "last_be_year": 2570},
                "targets": [{"be_year": 2568, "ita_score_target": PLAN_TARGET_2568}]}})
        check(plan.get("name", "").startswith(parent + "/actionPlans/"),
              f"name {plan.get('name')!r}")
        check(plan.get("state") == "DRAFT", f"state {plan.get('state')!r}")

    with steps("approve the action plan"):
        approved = api.call("PlanService_ApproveActionPlan",
                            {"name": plan["name"], "etag": plan.get("etag", "")})
        check(approved.get("state") == "APPROVED", f"state {approved.get('state')!r}")

    with steps("announce the action plan"):
        announced = api.call("PlanService_AnnounceActionPlan",
                             {"name": plan["name"], "etag": approved.get("etag", "")})
        check(announced.get("state") == "ANNOUNCED", f"state {announced.get('state')!r}")
        check(announced.get("announce_time"), "no announce_time")

    with steps("read the action plan back (GET)"):
        read = api.call("PlanService_GetActionPlan", {"name": plan["name"]})
        check(read.get("state") == "ANNOUNCED", f"state {read.get('state')!r}")
        targets = {t.get("be_year"): t.get("ita_score_target")
                   for t in read.get("targets", [])}
        check(targets.get(2568) == PLAN_TARGET_2568, f"targets {targets}")

    with steps("create the annual plan 2569"):
        annual = api.call("PlanService_CreateAnnualPlan", {
            "parent": plan["name"], "be_year": 2569, "request_id": f"openapi-{run}-annual"})
        check(annual.get("name") == plan["name"] + "/annualPlans/2569",
              f"name {annual.get('name')!r}")

    with steps("create an integrity measure"):
        measure = api.call("PlanService_CreateIntegrityMeasure", {
            "parent": parent, "request_id": f"openapi-{run}-measure",
            "integrity_measure": {
                "be_year": 2569,
                "title": "มาตรการส่งเสริมการปฏิบัติงานตามประมวลจริยธรรม",
                "guideline": "ประชุมชี้แจงและติดตามผลทุกไตรมาส",
                "quarters": [1, 2, 3, 4], "ita_indicators": ["9"]}})
        check(measure.get("name", "").startswith(parent + "/integrityMeasures/"),
              f"name {measure.get('name')!r}")

    with steps("report progress on the measure"):
        report = api.call("PlanService_CreateProgressReport", {
            "parent": parent, "request_id": f"openapi-{run}-report",
            "progress_report": {
                "subject": measure["name"], "be_year": 2569, "round": "HALF_YEAR",
                "status": "IN_PROGRESS", "output": "จัดประชุมชี้แจง ๑ ครั้ง",
                "spent": {"satang": "150000"}}})
        check(report.get("subject") == measure["name"], f"subject {report.get('subject')!r}")
        check(report.get("spent", {}).get("satang") == "150000",
              f"spent {report.get('spent')!r} (int64 is a JSON string)")

    with steps("list progress reports (query parameters)"):
        listed = api.call("PlanService_ListProgressReports",
                          {"parent": parent, "be_year": 2569, "round": "HALF_YEAR"})
        names = [r.get("name") for r in listed.get("progress_reports", [])]
        check(report["name"] in names, f"{report['name']} not in {names}")

    with steps("file a complaint anonymously (PUBLIC, no key)"):
        complaint = api.call("ComplaintService_CreateComplaint", {
            "parent": parent,
            "complaint": {"kind": "GENERAL", "channel": "WEBSITE",
                          "subject": "ไฟฟ้าส่องสว่างดับ",
                          "description": "ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์"}},
            key=None)
        check(complaint.get("name", "").startswith(parent + "/complaints/"),
              f"name {complaint.get('name')!r}")
        check(complaint.get("tracking_code"), "no tracking code")
        check(complaint.get("audit", {}).get("creator") == "public",
              f"creator {complaint.get('audit', {}).get('creator')!r}")

    with steps("track the complaint (PUBLIC, sloppy code)"):
        sloppy = complaint["tracking_code"].replace("-", "").lower()
        tracked = api.call("ComplaintService_TrackComplaint",
                           {"tracking_code": sloppy}, key=None)
        check(tracked.get("subject") == "ไฟฟ้าส่องสว่างดับ",
              f"subject {tracked.get('subject')!r}")
        check(tracked.get("state") == "RECEIVED", f"state {tracked.get('state')!r}")

    assessment = parent + "/assessments/2568"
    with steps("create the ITA assessment 2568"):
        created = api.call("AssessmentService_CreateAssessment", {
            "parent": parent, "request_id": f"openapi-{run}-assessment",
            "assessment": {"organization": org_ref(code),
                           "fiscal_year": {"be_year": 2568}}})
        check(created.get("name") == assessment, f"name {created.get('name')!r}")

    with steps("ingest the published scores"):
        grade = "ผ่าน"  # 85 <= 89.60 < 95 in the FY2568 bands
        ingested = api.call("AssessmentService_IngestPublishedScores", {
            "name": assessment, "organization": org_ref(code),
            "published": {
                "overall": {"code": "overall", "score": OWN_2568["overall"]},
                "grade": grade,
                "indicators": [{"code": str(i + 1), "score": s}
                               for i, s in enumerate(OWN_2568["indicators"])]}})
        check(ingested.get("published", {}).get("overall", {}).get("score")
              == OWN_2568["overall"], f"published {ingested.get('published')!r}")

    with steps("analyze the assessment"):
        analysis = api.call("AssessmentService_AnalyzeAssessment",
                            {"name": assessment, "strength_threshold": 90})
        indicators = {i + 1: s for i, s in enumerate(OWN_2568["indicators"])}
        strengths, weaknesses = expected_strengths_and_weaknesses(indicators)
        got_strengths = [r.get("number") for r in analysis.get("strengths", [])]
        got_weaknesses = [r.get("number") for r in analysis.get("weaknesses", [])]
        check(got_strengths == strengths, f"strengths {got_strengths}, want {strengths}")
        check(got_weaknesses == weaknesses,
              f"weaknesses {got_weaknesses}, want {weaknesses}")
        check(analysis.get("basis") == "published", f"basis {analysis.get('basis')!r}")
        check(abs(analysis.get("overall", 0) - OWN_2568["overall"]) < 1e-9,
              f"overall {analysis.get('overall')!r}")
        check(analysis.get("plan_target") == PLAN_TARGET_2568,
              f"plan_target {analysis.get('plan_target')!r} (missing: "
              f"{analysis.get('missing')})")


class Steps:
    """Runs and names each step; the first failure ends the run."""

    def __init__(self):
        self.passed = 0

    def __call__(self, name):
        steps = self

        class Step:
            def __enter__(self):
                print(f"... {name}", file=sys.stderr, flush=True)

            def __exit__(self, kind, error, _):
                if error is None:
                    steps.passed += 1
                    return False
                if isinstance(error, StepFailed):
                    raise StepFailed(f"step '{name}' failed: {error}") from None
                return False

        return Step()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    api_key = os.environ.get("PRONGSAI_TEST_API_KEY", "")
    if not api_key:
        print("PRONGSAI_TEST_API_KEY must hold a SYSTEM API key", file=sys.stderr)
        return 2
    steps = Steps()
    try:
        with steps("fetch the OpenAPI document"):
            api = Api(sys.argv[1], api_key)
        cycle(api, steps)
    except StepFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"ok: {steps.passed} steps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
