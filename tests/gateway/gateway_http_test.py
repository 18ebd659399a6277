#!/usr/bin/python3
"""prongsai-gateway at its edges, over real HTTP on loopback: what it refuses
itself (and that nothing then reaches a service), how each service refusal
maps to an HTTP status, what it passes through (the key, the request id, the
deadline, the client's address for rate limits), and /healthz.

The three services and two gateways run as their own processes on SQLite in
a scratch directory (on a scratch PostgreSQL database when
PRONGSAI_TEST_PG_URL is set, with Redis when PRONGSAI_TEST_REDIS_URL is set):
`gateway` trusts nobody's X-Forwarded-For, `proxied` trusts 127.0.0.1 as a
proxy in front of it. The services trust both gateways (127.0.0.1).

    gateway_http_test.py BIN_DIR SOURCE_DIR [unittest options]
"""

import json
import os
import secrets
import signal
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "interop"))
import interop_support  # noqa: E402

BIN_DIR = ""
ORG = "6340101"
OTHER_ORG = "6340102"
MAX_BODY = 4096


key_line = interop_support.key_line
write_private = interop_support.write_private
psql = interop_support.psql


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.text = status, headers, body

    def json(self):
        return json.loads(self.text)


def http(base, method, path, body=None, headers=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    all_headers = dict(headers or {})
    if data is not None and content_type:
        all_headers.setdefault("Content-Type", content_type)
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return Answer(answer.status, answer.headers, answer.read().decode())
    except urllib.error.HTTPError as refusal:
        return Answer(refusal.code, refusal.headers, refusal.read().decode())


class GatewayHttpTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        scratch = tempfile.mkdtemp(prefix="prongsai-gateway-")
        cls.scratch = scratch
        cls.system = "gw_" + secrets.token_urlsafe(24)
        cls.operator = "gw_" + secrets.token_urlsafe(24)
        peer = "gw_" + secrets.token_urlsafe(24)
        write_private(os.path.join(scratch, "api_keys"),
                      key_line(cls.system, "gw-system", "SYSTEM", "*")
                      + key_line(peer, "gw-peers", "SYSTEM", "*")
                      + key_line(cls.operator, "gw-operator", "OPERATOR", OTHER_ORG))
        write_private(os.path.join(scratch, "peer_key"), peer + "\n")
        pg_admin = os.environ.get("PRONGSAI_TEST_PG_URL")
        if pg_admin:
            database = "gateway_" + secrets.token_hex(6)
            psql(pg_admin, f"CREATE DATABASE {database}")
            cls.addClassCleanup(psql, pg_admin,
                                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            parts = urllib.parse.urlsplit(pg_admin)
            db = {n: urllib.parse.urlunsplit(parts._replace(path="/" + database))
                  for n in ("plan", "complaint", "ita")}
        else:
            db = {n: f"sqlite://{scratch}/{n}.db" for n in ("plan", "complaint", "ita")}
        redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")
        cls.addresses = {}
        cls.processes = {}
        for name in ("plan", "complaint", "ita"):
            args = ["--listen=127.0.0.1:0", f"--db={db[name]}",
                    f"--api_keys={scratch}/api_keys", "--trusted_proxies=127.0.0.1"]
            if redis:
                args.append(f"--redis={redis}")
            if name == "complaint":
                args += [f"--plan_address={cls.addresses['plan']}",
                         f"--peer_api_key_file={scratch}/peer_key"]
            env = {}
            if name == "complaint":
                env["PRONGSAI_PROTECTION_KEYS_TEXT"] = interop_support.protection_keys_text()
            process = interop_support.ServiceProcess(
                os.path.join(BIN_DIR, "prongsai-" + name), args, env)
            cls.addClassCleanup(process.kill)
            cls.processes[name] = process
            cls.addresses[name] = process.wait_listening()
        backends = [f"--plan_address={cls.addresses['plan']}",
                    f"--complaint_address={cls.addresses['complaint']}",
                    f"--ita_address={cls.addresses['ita']}"]
        cls.bases = {}
        for name, extra in (("gateway", []), ("proxied", ["--trusted_proxies=127.0.0.1"])):
            process = interop_support.ServiceProcess(
                os.path.join(BIN_DIR, "prongsai-gateway"),
                ["--listen=127.0.0.1:0", f"--max_body_bytes={MAX_BODY}",
                 *backends, *extra])
            cls.addClassCleanup(process.kill)
            cls.processes[name] = process
            cls.bases[name] = "http://" + process.wait_listening()
        cls.base = cls.bases["gateway"]
        deadline = time.monotonic() + interop_support.STARTUP_TIMEOUT
        while http(cls.base, "GET", "/healthz").status != 200:
            if time.monotonic() > deadline:
                raise AssertionError("the services never became healthy")
            time.sleep(0.1)
        created = cls.call("POST", "/v1/organizations", {"organization": {
            "code": ORG, "name": "องค์การบริหารส่วนตำบลอีสานเขต",
            "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
            "province": "ยโสธร", "district": "เมืองยโสธร"}})
        assert created.status == 200, created.text

    @classmethod
    def call(cls, method, path, body=None, key="system", headers=None, base=None):
        all_headers = dict(headers or {})
        token = {"system": cls.system, "operator": cls.operator}.get(key, key)
        if token:
            all_headers["Authorization"] = "Bearer " + token
        text = None if body is None else (body if isinstance(body, str)
                                          else json.dumps(body, ensure_ascii=False))
        return http(base or cls.base, method, path, text, all_headers)

    def organizations(self):
        answer = self.call("GET", "/v1/organizations?page_size=100")
        self.assertEqual(answer.status, 200, answer.text)
        return [o["name"] for o in answer.json().get("organizations", [])]

    def assert_refused(self, answer, status, code, message_part=None):
        self.assertEqual(answer.status, status, answer.text)
        self.assertEqual(answer.headers.get("Content-Type"), "application/json")
        body = answer.json()
        self.assertEqual(body["code"], code, body)
        if message_part is not None:
            self.assertIn(message_part, body["message"])
        return body

    # ------------------------------------------- refused by the gateway

    def test_gateway_refusals_reach_no_service(self):
        before = self.organizations()
        new_org = {"organization": {"code": "6349999", "name": "อบต. ใหม่",
                                    "kind": "MUNICIPALITY", "province": "ยโสธร",
                                    "district": "เมือง"}}
        good = json.dumps(new_org, ensure_ascii=False)
        cases = [
            ("malformed JSON", good[:-1], 400, 3, "not valid JSON"),
            ("trailing comma", good[:-1] + ",}", 400, 3, "not valid JSON"),
            ("unknown field", good.replace('"province"', '"provinse"'), 400, 3, "provinse"),
            ("wrong type", good.replace('"6349999"', "6349999"), 400, 3, "code"),
            ("over the size limit", json.dumps({"organization": {
                "code": "6349999", "name": "ก" * MAX_BODY}}), 413, 8, str(MAX_BODY)),
        ]
        for what, body, status, code, part in cases:
            with self.subTest(what):
                self.assert_refused(self.call("POST", "/v1/organizations", body),
                                    status, code, part)
        with self.subTest("not JSON"):
            answer = http(self.base, "POST", "/v1/organizations", good,
                          {"Authorization": "Bearer " + self.system},
                          content_type="text/plain")
            self.assert_refused(answer, 415, 3, "application/json")
        with self.subTest("unknown query parameter"):
            self.assert_refused(self.call("GET", "/v1/organizations?colour=red"),
                                400, 3, "colour")
        with self.subTest("a query parameter of the wrong type"):
            self.assert_refused(self.call("GET", "/v1/organizations?page_size=ten"),
                                400, 3, "page_size")
        with self.subTest("unknown route"):
            self.assert_refused(self.call("GET", "/v1/organisations"), 404, 5)
            self.assert_refused(self.call("GET", "/nowhere"), 404, 5)
        with self.subTest("method the route does not take"):
            self.assert_refused(self.call("DELETE", f"/v1/organizations/{ORG}"),
                                405, 12, "DELETE")
        with self.subTest("malformed grpc-timeout"):
            self.assert_refused(self.call("GET", f"/v1/organizations/{ORG}",
                                          headers={"grpc-timeout": "soon"}),
                                400, 3, "grpc-timeout")
        self.assertEqual(self.organizations(), before)

    def test_ndjson_stream_names_the_bad_line(self):
        body = ('{"name": "organizations/6340101/assessments/2567"}\n'
                '{"respondents": [}\n')
        answer = http(self.base, "POST",
                      "/v1/organizations/6340101/assessments/2567:ingestRawAnswers",
                      body, {"Authorization": "Bearer " + self.system},
                      content_type="application/x-ndjson")
        self.assert_refused(answer, 400, 3, "body line 2")

    # ------------------------------------------- the services' refusals

    def test_service_codes_map_to_http_statuses(self):
        self.assert_refused(self.call("GET", f"/v1/organizations/{ORG}", key=None),
                            401, 16)
        self.assert_refused(self.call("GET", f"/v1/organizations/{ORG}", key="operator"),
                            403, 7)
        self.assert_refused(self.call("GET", "/v1/organizations/6340199"), 404, 5)
        duplicate = self.call("POST", "/v1/organizations", {"organization": {
            "code": ORG, "name": "ซ้ำ", "kind": "MUNICIPALITY", "province": "ยโสธร",
            "district": "เมือง"}})
        self.assert_refused(duplicate, 409, 6)
        stale = self.call("PATCH", f"/v1/organizations/{ORG}?update_mask=organization.district",
                          {"etag": "v0-stale", "organization": {"district": "อื่น"}})
        self.assert_refused(stale, 409, 10)
        missing = self.call("POST", "/v1/organizations", {"organization": {
            "code": "6340103", "name": "อบต.", "kind": "MUNICIPALITY",
            "province": "ยโสธร"}})
        body = self.assert_refused(missing, 400, 3, "district")
        violations = [v for d in body.get("details", [])
                      if d.get("@type", "").endswith("google.rpc.BadRequest")
                      for v in d["field_violations"]]
        self.assertEqual([v["field"] for v in violations],
                         ["organization.organization.district"], body)

    def test_z_a_paused_service_is_504_and_a_stopped_one_503(self):
        plan = self.processes["plan"].process
        os.kill(plan.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            answer = self.call("GET", f"/v1/organizations/{ORG}",
                               headers={"grpc-timeout": "300m"})
            self.assert_refused(answer, 504, 4)
            self.assertLess(time.monotonic() - started, 5)
            health = http(self.base, "GET", "/healthz")
            self.assertEqual(health.status, 503, health.text)
            self.assertEqual(health.json()["prongsai.plan.v1.PlanService"], "NOT_SERVING")
        finally:
            os.kill(plan.pid, signal.SIGCONT)
        self.assertEqual(self.call("GET", f"/v1/organizations/{ORG}").status, 200)
        # ITA last: the other tests do not need it.
        self.processes["ita"].kill()
        self.assert_refused(self.call("GET", "/v1/frameworks"), 503, 14)

    def test_a_healthz_when_all_serve(self):
        if self.processes["ita"].process.poll() is not None:
            self.skipTest("ita was stopped by an earlier test")
        health = http(self.base, "GET", "/healthz")
        self.assertEqual(health.status, 200, health.text)
        self.assertEqual(set(health.json().values()), {"SERVING"})

    # ------------------------------------------- passed through

    def test_request_id_travels_both_ways(self):
        given = "edge-" + secrets.token_hex(4)
        answer = self.call("GET", f"/v1/organizations/{ORG}", headers={"x-request-id": given})
        self.assertEqual(answer.status, 200, answer.text)
        self.assertEqual(answer.headers.get("x-request-id"), given)
        deadline = time.monotonic() + 5
        while not any(f"request_id={given}" in line for line in self.processes["plan"].lines):
            self.assertLess(time.monotonic(), deadline, "plan never logged the request id")
            time.sleep(0.05)
        made = self.call("GET", f"/v1/organizations/{ORG}")
        self.assertRegex(made.headers.get("x-request-id", ""), r"^[a-z2-7]{16}$")
        refused = self.call("GET", "/v1/organisations", headers={"x-request-id": given})
        self.assertEqual(refused.headers.get("x-request-id"), given)
        # Not printable: replaced.
        odd = self.call("GET", f"/v1/organizations/{ORG}", headers={"x-request-id": "a b"})
        self.assertNotEqual(odd.headers.get("x-request-id"), "a b")

    def file(self, base, client=None):
        headers = {"X-Forwarded-For": client} if client else {}
        return self.call("POST", f"/v1/organizations/{ORG}/complaints", {"complaint": {
            "kind": "GENERAL", "channel": "WEBSITE", "subject": "ไฟดับ",
            "description": "ไฟถนนดับทั้งซอย"}}, key=None, headers=headers, base=base)

    def test_rate_limits_count_the_real_client(self):
        # The public filing limit is a burst of 5 per client.
        proxied = self.bases["proxied"]
        statuses = [self.file(proxied, "203.0.113.7").status for _ in range(6)]
        self.assertEqual(statuses, [200] * 5 + [429], statuses)
        # Another client behind the same trusted proxy has a bucket of its own.
        self.assertEqual(self.file(proxied, "203.0.113.8").status, 200)
        # The gateway that trusts no proxy ignores the header: whatever a
        # caller writes there, all its filings count as the one loopback
        # client.
        statuses = [self.file(self.base, f"198.51.100.{i}").status for i in range(6)]
        self.assertEqual(statuses, [200] * 5 + [429], statuses)

    def test_openapi_document_is_served(self):
        answer = http(self.base, "GET", "/openapi.json")
        self.assertEqual(answer.status, 200)
        document = answer.json()
        self.assertTrue(document["openapi"].startswith("3."), document.get("openapi"))
        self.assertIn("/v1/{name}", "".join(document["paths"]))


def main():
    global BIN_DIR
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR = os.path.abspath(sys.argv[1])
    program = unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
