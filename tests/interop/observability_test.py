#!/usr/bin/python3
"""Every binary's /metrics as Prometheus scrapes it, after real traffic, and
one W3C trace followed through the gateway and the services' logs.

The three services and the gateway run as processes (interop_support.
start_stack), each with --metrics_address on its own free loopback port, on
SQLite files (or the PostgreSQL of PRONGSAI_TEST_PG_URL) and the Redis of
PRONGSAI_TEST_REDIS_URL when set. The test sends known traffic through the
gateway (creates, refusals, a public filing burst past its rate limit, a
cached read twice) and checks that each counter moved by exactly what was
sent, that the histograms counted the same calls, and that no label or value
carries what a citizen wrote, a tracking code or a key. Then it files one
complaint with a `traceparent` header and finds that trace id in the log
lines of the gateway, the complaint service and the plan service (which the
complaint service asks for the organization).

    observability_test.py BIN_DIR [unittest options]
"""

import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402

BIN_DIR = ""
ORG = "6340101"
PLAN = "prongsai.plan.v1.PlanService"
COMPLAINT = "prongsai.complaint.v1.ComplaintService"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """{(name, frozenset of (label, value))): float} of a text exposition."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not an exposition line: {line!r}"
        labels = frozenset(LABEL.findall(match.group(2) or ""))
        samples[(match.group(1), labels)] = float(match.group(3))
    return samples


def value(samples, name, **labels):
    """The sample of `name` whose labels include `labels`; 0 when absent
    (a counter that never moved is not exported)."""
    wanted = set(labels.items())
    found = [v for (n, l), v in samples.items() if n == name and wanted <= l]
    assert len(found) <= 1, f"{name}{labels} matches {len(found)} samples"
    return found[0] if found else 0.0


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        scratch = tempfile.mkdtemp(prefix="prongsai-metrics-")
        cls.addClassCleanup(shutil.rmtree, scratch, ignore_errors=True)
        cls.system_key = "metrics_" + secrets.token_urlsafe(32)
        peer_key = "metrics_" + secrets.token_urlsafe(32)
        interop_support.write_private(
            os.path.join(scratch, "api_keys"),
            interop_support.key_line(cls.system_key, "metrics-system", "SYSTEM", "*")
            + interop_support.key_line(peer_key, "metrics-peers", "SYSTEM", "*"))
        interop_support.write_private(os.path.join(scratch, "peer_key"),
                                      peer_key + "\n")
        database = interop_support.scratch_database("prongsai_metrics")
        db = database.__enter__()
        cls.addClassCleanup(database.__exit__, None, None, None)
        cls.metrics_port = {name: interop_support.free_port()
                            for name in ("plan", "complaint", "ita", "gateway")}
        processes = interop_support.start_stack(
            BIN_DIR, scratch, db=db, redis=os.environ.get("PRONGSAI_TEST_REDIS_URL"),
            service_args={name: [f"--metrics_address=127.0.0.1:{port}"]
                          for name, port in cls.metrics_port.items()},
            gateway_args=[f"--metrics_address=127.0.0.1:{cls.metrics_port['gateway']}"])
        for process in processes:
            cls.addClassCleanup(process.kill)
        cls.processes = dict(zip(("plan", "complaint", "ita", "gateway"), processes))
        cls.gateway = f"http://{processes[-1].address}"
        cls.redis = bool(os.environ.get("PRONGSAI_TEST_REDIS_URL"))

    def http(self, method, path, body=None, key=None, headers=None):
        request = urllib.request.Request(
            self.gateway + path, method=method,
            data=None if body is None else json.dumps(body).encode())
        request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Authorization", "Bearer " + key)
        for name, header in (headers or {}).items():
            request.add_header(name, header)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def scrape(self, name):
        port = self.metrics_port[name]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics",
                                    timeout=10) as answer:
            self.assertEqual(answer.status, 200)
            return answer.read().decode()

    def test_counters_move_by_exactly_the_traffic_sent(self):
        status, _ = self.http("POST", "/v1/organizations", {"organization": {
            "code": ORG, "name": "องค์การบริหารส่วนตำบลอีสานเขต",
            "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
            "province": "ยโสธร", "district": "เมืองยโสธร"}}, key=self.system_key)
        self.assertEqual(status, 200)
        for _ in range(3):
            status, _ = self.http("GET", "/v1/organizations/zz-metrics-missing",
                                  key=self.system_key)
            self.assertEqual(status, 404)

        # A citizen's filing burst: the public limit lets 5 through.
        description = "ถนนหน้าบ้านนายสมชาย ใจดี เป็นหลุม " + secrets.token_hex(8)
        tracking_codes, refused = [], 0
        for attempt in range(8):
            status, body = self.http(
                "POST", f"/v1/organizations/{ORG}/complaints",
                {"complaint": {"kind": "GENERAL", "channel": "WEBSITE",
                               "subject": "ถนนชำรุด", "description": description},
                 "request_id": f"metrics-{attempt}",
                 "replay_secret": "a-secret-the-app-keeps-1234"})
            if status == 200:
                tracking_codes.append(body["tracking_code"])
            else:
                self.assertEqual(status, 429, body)
                refused += 1
        self.assertEqual(len(tracking_codes), 5)
        self.assertEqual(refused, 3)

        statistics = (f"/v1/organizations/{ORG}/complaintStatistics"
                      "?fiscal_year.be_year=2569")
        for _ in range(2):
            status, _ = self.http("GET", statistics, key=self.system_key)
            self.assertEqual(status, 200)

        plan = parse_metrics(self.scrape("plan"))
        self.assertEqual(value(plan, "grpc_server_handled_total", grpc_service=PLAN,
                               grpc_method="CreateOrganization", grpc_code="OK"), 1)
        self.assertEqual(value(plan, "grpc_server_handled_total", grpc_service=PLAN,
                               grpc_method="GetOrganization",
                               grpc_code="NOT_FOUND"), 3)
        # The complaint service's registry lookups call GetOrganization too:
        # every call of it, whatever its code, is started, handled and timed
        # once.
        handled = sum(v for (n, l), v in plan.items()
                      if n == "grpc_server_handled_total"
                      and ("grpc_method", "GetOrganization") in l)
        self.assertGreaterEqual(handled, 4)
        self.assertEqual(value(plan, "grpc_server_handling_seconds_count",
                               grpc_service=PLAN, grpc_method="GetOrganization"),
                         handled)
        self.assertEqual(value(plan, "grpc_server_started_total", grpc_service=PLAN,
                               grpc_method="GetOrganization"), handled)
        backend = "postgres" if os.environ.get("PRONGSAI_TEST_PG_URL") else "sqlite"
        self.assertGreaterEqual(value(plan, "prongsai_db_call_seconds_count",
                                      backend=backend, operation="commit"), 1)
        # Every write went through group commit: at least the organization
        # created above, each group keeping at least one transaction.
        groups = value(plan, "prongsai_db_commit_group_size_count")
        self.assertGreaterEqual(groups, 1)
        self.assertGreaterEqual(value(plan, "prongsai_db_commit_group_size_sum"), groups)
        self.assertGreaterEqual(value(plan, "prongsai_worker_pool_wait_seconds_count"), 4)
        self.assertEqual(value(plan, "prongsai_worker_pool_queued"), 0)

        complaint = parse_metrics(self.scrape("complaint"))
        self.assertEqual(value(complaint, "grpc_server_handled_total",
                               grpc_service=COMPLAINT, grpc_method="CreateComplaint",
                               grpc_code="OK"), 5)
        self.assertEqual(value(complaint, "grpc_server_handled_total",
                               grpc_service=COMPLAINT, grpc_method="CreateComplaint",
                               grpc_code="RESOURCE_EXHAUSTED"), 3)
        self.assertEqual(value(complaint, "prongsai_rate_limit_refusals_total",
                               limit="filing"), 3)
        # The organization registry lookup of the first filing at least.
        self.assertGreaterEqual(value(complaint, "prongsai_peer_calls_total",
                                      peer="plan service", grpc_code="OK"), 1)
        if self.redis:
            # The first read misses Redis; the second is answered by the
            # process's near-cache, before Redis is asked.
            self.assertEqual(value(complaint, "prongsai_cache_requests_total",
                                   cache="complaint:statistics", result="miss"), 1)
            self.assertEqual(value(complaint, "prongsai_cache_requests_total",
                                   cache="complaint:statistics", result="near_hit"), 1)
            self.assertEqual(value(complaint, "prongsai_cache_requests_total",
                                   cache="complaint:statistics", result="hit"), 0)

        gateway = parse_metrics(self.scrape("gateway"))
        self.assertEqual(value(gateway, "prongsai_http_requests_total",
                               handler="api", code="404"), 3)
        self.assertEqual(value(gateway, "prongsai_http_requests_total",
                               handler="api", code="429"), 3)
        self.assertEqual(value(gateway, "prongsai_http_requests_total",
                               handler="health", code="200"),
                         value(gateway, "prongsai_http_request_seconds_count",
                               handler="health"))

        # Nothing a person wrote or holds appears anywhere.
        for name in self.metrics_port:
            text = self.scrape(name)
            for secret in [description, "สมชาย", self.system_key, *tracking_codes]:
                self.assertFalse(secret in text, f"{name} metrics leak {secret[:6]}...")
            self.assertFalse("zz-metrics-missing" in text, f"{name} metrics name a requested id")

    def test_one_trace_is_logged_by_the_gateway_and_each_service_it_reaches(self):
        trace_id = secrets.token_hex(16)
        status, body = self.http(
            "POST", f"/v1/organizations/zztrace{trace_id[:8]}/complaints",
            {"complaint": {"kind": "GENERAL", "channel": "WEBSITE",
                           "subject": "ไฟดับ", "description": "ไฟถนนดับทั้งซอย"},
             "request_id": "trace-1"}, key=self.system_key,
            headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"})
        # An organization the complaint service has not seen: it asks the
        # plan service's registry (known ones are remembered), which does
        # not know it either.
        self.assertEqual(status, 404, body)
        for name in ("gateway", "complaint", "plan"):
            lines = self.processes[name].lines_containing(f"trace_id={trace_id}")
            self.assertTrue(lines, f"{name} logged no line of trace {trace_id}")
        # A malformed header starts a new trace instead of being trusted.
        self.http("GET", "/v1/organizations/zz-trace-malformed", key=self.system_key,
                  headers={"traceparent": "00-XYZ-bad-01"})
        lines = self.processes["gateway"].lines_containing("zz-trace-malformed")
        self.assertTrue(lines, "the gateway logged no line of the 404")
        self.assertFalse(any("XYZ" in line for line in lines), lines)
        self.assertRegex(lines[0], r"trace_id=[0-9a-f]{32}\b")

    def test_every_sample_has_only_bounded_labels(self):
        allowed = {"grpc_service", "grpc_method", "grpc_type", "grpc_code", "backend",
                   "operation", "cache", "result", "breaker", "peer", "limit",
                   "handler", "code", "le", "quantile"}
        for name in self.metrics_port:
            for (_, labels) in parse_metrics(self.scrape(name)):
                self.assertLessEqual({label for label, _ in labels}, allowed, name)

    def test_alerts_and_dashboard_name_only_metrics_the_services_define(self):
        exported = set()
        for name in self.metrics_port:
            exported |= {sample for (sample, _) in parse_metrics(self.scrape(name))}
        # A family whose labelled series have not happened yet (no refusal, no
        # database error) is not in a scrape; the names the code registers
        # stand in for those.
        top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        for folder in ("common", "services", "gateway"):
            for directory, _, files in os.walk(os.path.join(top, folder)):
                for file in files:
                    if file.endswith((".cc", ".h")):
                        with open(os.path.join(directory, file), encoding="utf-8") as f:
                            exported |= set(re.findall(r'"((?:prongsai|grpc)_[a-z_]+)"', f.read()))
        self.assertIn("prongsai_complaints_overdue", exported)
        monitoring = os.path.join(top, "deploy", "monitoring")
        with open(os.path.join(monitoring, "alerts.yml")) as f:
            expressions = [rule["expr"] for group in yaml.safe_load(f)["groups"]
                           for rule in group["rules"]]
        with open(os.path.join(monitoring, "grafana-dashboard.json")) as f:
            expressions += [target["expr"] for panel in json.load(f)["panels"]
                            for target in panel.get("targets", [])]
        self.assertGreater(len(expressions), 10)
        promql = {"sum", "by", "rate", "max", "histogram_quantile", "le", "and",
                  "or", "offset", "up", "without", "increase", "min", "avg"}
        used = set()
        for expression in expressions:
            # Words outside label matchers and strings.
            bare = re.sub(r'\{[^}]*\}|"[^"]*"|\[[^\]]*\]', " ", expression)
            used |= {word for word in re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*", bare)
                     if "_" in word and word not in promql}
        self.assertIn("prongsai_complaints_overdue", used)
        unknown = sorted(word for word in used if word not in exported and
                         re.sub(r"_(bucket|sum|count)$", "", word) not in exported and
                         word not in ("grpc_service", "grpc_method", "grpc_code",
                                      "instance", "backend", "peer", "handler"))
        self.assertEqual(unknown, [], "named in deploy/monitoring, defined nowhere")


if __name__ == "__main__":
    BIN_DIR = sys.argv.pop(1)
    unittest.main()
