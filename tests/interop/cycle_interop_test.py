#!/usr/bin/python3
"""One integrity cycle across the three services, as another team's system
drives it over gRPC.

Stubs are generated at test time from the repository's protos/ (protoc +
grpc_python_plugin from Debian: interop_support.generate_stubs). The three
binaries run as their own processes on free ports, wired to each other with a
SYSTEM peer key, on SQLite files in a scratch directory, or, when
PRONGSAI_TEST_PG_URL is set, on a scratch PostgreSQL database created with
psql and dropped at the end; with Redis when PRONGSAI_TEST_REDIS_URL is set.

The scenario (test methods run in name order and build on each other):
  1. plan: organization, seed 002 imported (projects, annual plan 2569 and its
     totals), reconciliation findings, CSV export.
  2. ita: frameworks (public), published FY2568 scores of the organization and
     peers, the analysis (strengths, weaknesses, plan target read from the
     plan service), peer analytics, measures adopted into the plan (twice:
     idempotent), raw answers streamed and scored (checked against scores
     computed here from the rules of services/ita/ita_scoring.h).
  3. complaint: a public filing, tracking with a sloppy code, statistics.
  4. errors as an integrator sees them (codes and field paths).
  5. the complaint service stopped: ita and plan still answer, saying what is
     missing.

    cycle_interop_test.py BIN_DIR REPO_ROOT [--over-http] [unittest options]

With --over-http the same scenario runs through prongsai-gateway as HTTP/JSON:
the stubs are http_stub.HttpStub, built from the protos' google.api.http
options and protobuf's JSON mapping, so every call and every refusal the
scenario checks also checks the gateway's routes, transcoding and status
mapping.

Nothing secret (API keys, protection keys) is printed.
"""

import datetime
import importlib
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import unittest
import urllib.parse

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402  (tests/interop/interop_support.py)

BIN_DIR = ""
REPO_ROOT = ""
PROTO_DIR = ""
SEED_002 = ""
OVER_HTTP = False  # --over-http
RPC_TIMEOUT = 10  # seconds; every call carries it as its deadline

ORG = "6340101"
PARENT = "organizations/" + ORG
PROVINCE = "ยโสธร"
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))

# Filled by import_stubs().
health_pb2 = health_pb2_grpc = None
common_pb2 = plan_pb2 = plan_grpc = ita_pb2 = ita_grpc = None
complaint_pb2 = complaint_grpc = None


def import_stubs():
    """Imports the modules interop_support.generate_stubs() made."""
    global health_pb2, health_pb2_grpc, common_pb2, plan_pb2, plan_grpc
    global ita_pb2, ita_grpc, complaint_pb2, complaint_grpc
    health_pb2 = importlib.import_module("grpc.health.v1.health_pb2")
    health_pb2_grpc = importlib.import_module("grpc.health.v1.health_pb2_grpc")
    common_pb2 = importlib.import_module("prongsai.common.v1.common_pb2")
    plan_pb2 = importlib.import_module("prongsai.plan.v1.plan_pb2")
    plan_grpc = importlib.import_module("prongsai.plan.v1.plan_pb2_grpc")
    ita_pb2 = importlib.import_module("prongsai.ita.v1.ita_pb2")
    ita_grpc = importlib.import_module("prongsai.ita.v1.ita_pb2_grpc")
    complaint_pb2 = importlib.import_module("prongsai.complaint.v1.complaint_pb2")
    complaint_grpc = importlib.import_module(
        "prongsai.complaint.v1.complaint_pb2_grpc")


# ------------------------------------------------------------------ set-up

def new_key():
    return "interop_" + secrets.token_urlsafe(32)


# Shared with tests/gateway (interop_support.py).
free_port = interop_support.free_port
key_line = interop_support.key_line
write_private = interop_support.write_private
protection_keys_text = interop_support.protection_keys_text
psql = interop_support.psql


def wait_serving(address, service, deadline):
    serving = health_pb2.HealthCheckResponse.SERVING
    last = None
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                status = stub.Check(health_pb2.HealthCheckRequest(service=service),
                                    timeout=2).status
                if status == serving:
                    return
                last = health_pb2.HealthCheckResponse.ServingStatus.Name(status)
            except grpc.RpcError as error:
                last = error.code().name
            time.sleep(0.1)
    raise AssertionError(f"{service} at {address} not SERVING in time (last: {last})")


# ------------------------------------------------------- expected figures

FOUR_LEVEL_SCORES = (0, 33, 67, 100)


def expected_scores(framework, respondents, oit_checks):
    """The figures of services/ita/ita_scoring.h, computed independently:
    answer 0-3 → 0/33/67/100 (YES_NO and OIT 100/0), item = mean over who
    answered it, indicator = mean of its items with data, tool = mean of its
    indicators weighted by Indicator.weight (0 = its number of items in the
    framework), overall = Σ tool weight × tool / Σ weight over tools with data.
    Returns (overall, {tool: score}, {indicator: score}, {item: score})."""
    items = {item.code: item for item in framework.items}
    per_item = {}
    for respondent in respondents:
        for code, answer in respondent["answers"].items():
            item = items[code]
            if item.scale == ita_pb2.YES_NO:
                score = 100.0 if answer else 0.0
            else:
                score = float(FOUR_LEVEL_SCORES[answer])
            per_item.setdefault(code, []).append(score)
    for code, published in oit_checks.items():
        per_item.setdefault(code, []).append(100.0 if published else 0.0)
    item_scores = {code: sum(v) / len(v) for code, v in per_item.items()}

    indicator_scores = {}
    for indicator in framework.indicators:
        scores = [s for code, s in item_scores.items()
                  if items[code].indicator == indicator.number]
        if scores:
            indicator_scores[indicator.number] = sum(scores) / len(scores)

    tool_scores = {}
    for tool in framework.tools:
        total = weights = 0.0
        for indicator in framework.indicators:
            if indicator.tool != tool.code or indicator.number not in indicator_scores:
                continue
            weight = indicator.weight or sum(
                1 for item in framework.items if item.indicator == indicator.number)
            total += weight * indicator_scores[indicator.number]
            weights += weight
        if weights:
            tool_scores[tool.code] = total / weights

    present = [t for t in framework.tools if t.code in tool_scores]
    overall = (sum(t.weight * tool_scores[t.code] for t in present)
               / sum(t.weight for t in present))
    return overall, tool_scores, indicator_scores, item_scores


def expected_strengths_and_weaknesses(indicators, threshold=90.0, weak_below=85.0):
    """services/ita/ita_analysis.h: strengths strictly above the threshold,
    best first (ties by number); weaknesses the lowest (ties all) plus every
    indicator under 85, lowest first."""
    strengths = sorted((n for n, s in indicators.items() if s > threshold),
                       key=lambda n: (-indicators[n], n))
    lowest = min(indicators.values())
    weaknesses = sorted((n for n, s in indicators.items()
                         if s == lowest or s < weak_below),
                        key=lambda n: (indicators[n], n))
    return strengths, weaknesses


def grade_of(score):
    # The FY2568 bands (services/ita/frameworks/2568.textproto).
    return "ผ่านดีเยี่ยม" if score >= 95 else "ผ่าน" if score >= 85 else "ต้องปรับปรุง"


# The organization's published FY2568 result: indicator 9 is the lowest and
# indicators 9 and 4 are under 85.
OWN_2568 = {"overall": 89.60,
            "indicators": [99.50, 90.40, 87.70, 83.80, 96.00, 93.50, 89.10,
                           87.40, 72.60, 100.0]}
# (code, province, overall, shift of every indicator); one ties with ORG.
PEERS_2568 = [
    ("6340111", PROVINCE, 92.10, 2.5),
    ("6340112", PROVINCE, 89.60, 0.0),
    ("6340113", PROVINCE, 84.20, -5.4),
    ("6340114", PROVINCE, 95.30, 5.7),
    ("6340115", PROVINCE, 78.00, -11.6),
    ("6340116", PROVINCE, 88.00, -1.6),
    ("3410101", "อุบลราชธานี", 97.00, 7.4),
    ("3410102", "อุบลราชธานี", 70.00, -19.6),
]


# ------------------------------------------------------------------- test

class CycleInteropTest(unittest.TestCase):
    """The scenario; methods run in name order and share what they create."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        scratch = tempfile.mkdtemp(prefix="prongsai-cycle-")
        cls.addClassCleanup(shutil.rmtree, scratch, ignore_errors=True)

        # API keys: one SYSTEM key for us and one for the services' peer
        # calls, an operator of another organization, nothing else.
        cls.system_key, peer_key, cls.other_operator_key = new_key(), new_key(), new_key()
        write_private(os.path.join(scratch, "api_keys"),
                      "# cycle_interop_test\n"
                      + key_line(cls.system_key, "interop-system", "SYSTEM", "*")
                      + key_line(peer_key, "interop-peers", "SYSTEM", "*")
                      + key_line(cls.other_operator_key, "interop-op-9999999",
                                 "OPERATOR", "9999999"))
        write_private(os.path.join(scratch, "peer_key"), peer_key + "\n")

        # Storage.
        pg_admin = os.environ.get("PRONGSAI_TEST_PG_URL")
        cls.backend = "sqlite"
        if pg_admin:
            cls.backend = "postgresql"
            database = "interop_" + secrets.token_hex(6)
            psql(pg_admin, f"CREATE DATABASE {database}")
            # Registered before the processes' clean-ups: runs after them.
            cls.addClassCleanup(psql, pg_admin,
                                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            parts = urllib.parse.urlsplit(pg_admin)
            db_url = urllib.parse.urlunsplit(parts._replace(path="/" + database))
            db_urls = {name: db_url for name in ("plan", "complaint", "ita")}
        else:
            db_urls = {name: f"sqlite://{scratch}/{name}.db"
                       for name in ("plan", "complaint", "ita")}
        redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")

        ports = {name: free_port() for name in ("plan", "complaint", "ita")}
        addresses = {name: f"127.0.0.1:{port}" for name, port in ports.items()}
        peers = {
            "plan": [f"--complaint_address={addresses['complaint']}",
                     f"--ita_address={addresses['ita']}"],
            "complaint": [f"--plan_address={addresses['plan']}"],
            "ita": [f"--plan_address={addresses['plan']}",
                    f"--complaint_address={addresses['complaint']}"],
        }
        cls.processes = {}
        for name in ("plan", "complaint", "ita"):
            args = [f"--listen={addresses[name]}", f"--db={db_urls[name]}",
                    f"--api_keys={os.path.join(scratch, 'api_keys')}",
                    "--trusted_proxies=127.0.0.1", *peers[name]]
            if peers[name]:
                args.append(f"--peer_api_key_file={os.path.join(scratch, 'peer_key')}")
            if redis:
                args.append(f"--redis={redis}")
            env = {}
            if name == "complaint":
                env["PRONGSAI_PROTECTION_KEYS_TEXT"] = protection_keys_text()
            cls.processes[name] = interop_support.ServiceProcess(
                os.path.join(BIN_DIR, "prongsai-" + name), args, env)
            cls.addClassCleanup(cls.processes[name].kill)

        full_names = {"plan": "prongsai.plan.v1.PlanService",
                      "complaint": "prongsai.complaint.v1.ComplaintService",
                      "ita": "prongsai.ita.v1.AssessmentService"}
        deadline = time.monotonic() + interop_support.STARTUP_TIMEOUT
        for name, process in cls.processes.items():
            address = process.wait_listening()
            wait_serving(address, full_names[name], deadline)

        cls.channels = {}
        for name, process in cls.processes.items():
            cls.channels[name] = grpc.insecure_channel(process.address)
            cls.addClassCleanup(cls.channels[name].close)
        cls.plan = plan_grpc.PlanServiceStub(cls.channels["plan"])
        cls.ita = ita_grpc.AssessmentServiceStub(cls.channels["ita"])
        cls.complaints = complaint_grpc.ComplaintServiceStub(cls.channels["complaint"])
        if OVER_HTTP:
            gateway = interop_support.ServiceProcess(
                os.path.join(BIN_DIR, "prongsai-gateway"),
                ["--listen=127.0.0.1:0", f"--plan_address={addresses['plan']}",
                 f"--complaint_address={addresses['complaint']}",
                 f"--ita_address={addresses['ita']}"])
            cls.addClassCleanup(gateway.kill)
            base = "http://" + gateway.wait_listening()
            cls.processes["gateway"] = gateway
            http_stub = importlib.import_module("http_stub")
            cls.plan = http_stub.HttpStub(
                base, plan_pb2.DESCRIPTOR.services_by_name["PlanService"])
            cls.ita = http_stub.HttpStub(
                base, ita_pb2.DESCRIPTOR.services_by_name["AssessmentService"])
            cls.complaints = http_stub.HttpStub(
                base, complaint_pb2.DESCRIPTOR.services_by_name["ComplaintService"])
        print(f"\nbackend: {cls.backend}; redis: {'yes' if redis else 'no'}; "
              f"transport: {'HTTP/JSON' if OVER_HTTP else 'gRPC'}", file=sys.stderr)
        cls.state = {}

    # ----------------------------------------------------------- helpers

    @staticmethod
    def metadata(key):
        return None if key is None else [("authorization", "Bearer " + key)]

    def call(self, method, request, key="system"):
        """A unary call with our SYSTEM key (key="system"), no key (None) or
        the given key."""
        key = self.system_key if key == "system" else key
        try:
            return method(request, metadata=self.metadata(key), timeout=RPC_TIMEOUT)
        except grpc.RpcError as error:
            raise AssertionError(
                f"unexpected {error.code().name}: {error.details()}") from None

    def assert_error(self, code, method, request, key="system", details_prefix=None):
        key = self.system_key if key == "system" else key
        with self.assertRaises(grpc.RpcError) as raised:
            method(request, metadata=self.metadata(key), timeout=RPC_TIMEOUT)
        error = raised.exception
        self.assertEqual(error.code(), code, error.details())
        if details_prefix is not None:
            self.assertTrue(error.details().startswith(details_prefix),
                            f"details {error.details()!r} do not start with "
                            f"{details_prefix!r}")
        return error

    def need(self, *names):
        missing = [n for n in names if n not in self.state]
        if missing:
            self.skipTest(f"an earlier step did not produce {missing}")
        return [self.state[n] for n in names]

    def org_ref(self, code=ORG, name="องค์การบริหารส่วนตำบลอีสานเขต",
                province=PROVINCE, district="เมืองยโสธร"):
        return common_pb2.OrganizationRef(
            code=code, name=name, province=province, district=district,
            kind=common_pb2.SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION)

    def publish_2568(self, code, province, overall, indicators):
        request = ita_pb2.IngestPublishedScoresRequest(
            name=f"organizations/{code}/assessments/2568",
            organization=self.org_ref(code, f"อบต. ทดสอบ {code}", province,
                                      "อำเภอทดสอบ"),
            published=ita_pb2.ScoreSet(
                overall=ita_pb2.Score(code="overall", score=overall),
                grade=grade_of(overall),
                indicators=[ita_pb2.Score(code=str(i + 1), score=s)
                            for i, s in enumerate(indicators)]))
        return self.call(self.ita.IngestPublishedScores, request)

    # ------------------------------------------------------------ 1. plan

    def test_1_plan_import_reconcile_export(self):
        organization = self.call(self.plan.CreateOrganization,
                                 plan_pb2.CreateOrganizationRequest(
                                     organization=plan_pb2.Organization(
                                         organization=self.org_ref())))
        self.assertEqual(organization.name, PARENT)

        with open(SEED_002, encoding="utf-8") as seed:
            text = seed.read()
        imported = self.call(self.plan.ImportActionPlan,
                             plan_pb2.ImportActionPlanRequest(
                                 parent=PARENT, text=text, organization=self.org_ref(),
                                 request_id="interop-seed-002"))
        plan = imported.action_plan
        self.assertTrue(plan.name.startswith(PARENT + "/actionPlans/"), plan.name)
        self.state["plan"] = plan.name
        self.assertEqual((plan.fiscal_years.first_be_year, plan.fiscal_years.last_be_year),
                         (2566, 2570))
        self.assertEqual(len(imported.projects), 27)
        targets = {t.be_year: t.ita_score_target for t in plan.targets
                   if t.HasField("ita_score_target")}
        self.assertEqual(targets.get(2568), 89.0, targets)

        annual = imported.annual_plan
        self.assertEqual(annual.be_year, 2569)
        self.assertEqual(annual.name, plan.name + "/annualPlans/2569")
        self.assertEqual(len(annual.entries), 15)
        self.assertEqual(annual.totals.budget.satang, 2000000)
        self.assertEqual(list(annual.totals.projects_per_quarter), [10, 8, 11, 8])
        # The totals add up by hand too.
        self.assertEqual(sum(e.budget.satang for e in annual.entries), 2000000)
        self.assertEqual([sum(1 for e in annual.entries if q in e.quarters)
                          for q in (1, 2, 3, 4)], [10, 8, 11, 8])
        self.state["annual_plan"] = annual.name

        # Read back through the API: the same annual plan.
        read = self.call(self.plan.GetAnnualPlan,
                         plan_pb2.GetAnnualPlanRequest(name=annual.name))
        self.assertEqual(read.totals.budget.satang, 2000000)
        self.assertEqual(len(read.entries), 15)

        reconciled = self.call(self.plan.ReconcileAnnualPlan,
                               plan_pb2.ReconcileAnnualPlanRequest(name=annual.name))
        codes = {f.code for f in reconciled.findings}
        self.assertIn("ADDED_PROJECT", codes)
        self.assertIn("DROPPED_PROJECT", codes)
        self.assertFalse(reconciled.consistent)

        exported = self.call(self.plan.ExportAnnualPlan,
                             plan_pb2.ExportAnnualPlanRequest(
                                 name=annual.name, format=plan_pb2.CSV))
        self.assertTrue(exported.content.startswith("\ufeff"),
                        repr(exported.content[:20]))
        self.assertIn("20,000.00", exported.content)
        self.assertTrue(exported.content_type.startswith("text/csv"),
                        exported.content_type)

    # ------------------------------------------------------------- 2. ita

    def test_2a_ita_frameworks_are_public(self):
        listed = self.call(self.ita.ListFrameworks, ita_pb2.ListFrameworksRequest(), key=None)
        years = {f.be_year for f in listed.frameworks}
        self.assertLessEqual(set(range(2562, 2569)), years)
        framework = self.call(self.ita.GetFramework,
                              ita_pb2.GetFrameworkRequest(name="frameworks/2567"), key=None)
        self.assertEqual(framework.be_year, 2567)
        self.assertEqual(sum(t.weight for t in framework.tools), 100)
        self.state["framework_2567"] = framework

    def test_2b_ita_published_scores_and_analysis(self):
        plan, = self.need("plan")  # the plan target comes from the plan service
        own = self.publish_2568(ORG, PROVINCE, OWN_2568["overall"], OWN_2568["indicators"])
        self.assertEqual(own.name, PARENT + "/assessments/2568")
        self.assertEqual(own.published.overall.score, OWN_2568["overall"])
        for code, province, overall, shift in PEERS_2568:
            self.publish_2568(code, province, overall,
                              [min(100.0, max(0.0, s + shift))
                               for s in OWN_2568["indicators"]])
        self.state["published_2568"] = True

        analysis = self.call(self.ita.AnalyzeAssessment, ita_pb2.AnalyzeAssessmentRequest(
            name=PARENT + "/assessments/2568"))
        indicators = {i + 1: s for i, s in enumerate(OWN_2568["indicators"])}
        strengths, weaknesses = expected_strengths_and_weaknesses(indicators)
        self.assertEqual(strengths, [10, 1, 5, 6, 2])  # the rule, by hand
        self.assertEqual(weaknesses, [9, 4])
        self.assertEqual([r.number for r in analysis.strengths], strengths)
        self.assertEqual([r.number for r in analysis.weaknesses], weaknesses)
        self.assertEqual([r.score for r in analysis.weaknesses], [72.60, 83.80])
        self.assertEqual(analysis.basis, "published")
        self.assertAlmostEqual(analysis.overall, 89.60)
        self.assertEqual(analysis.grade, "ผ่าน")
        self.assertTrue(analysis.passed)
        self.assertEqual(analysis.strength_threshold, 90.0)
        self.assertTrue(analysis.HasField("plan_target"), list(analysis.missing))
        self.assertEqual(analysis.plan_target, 89.0)
        self.assertAlmostEqual(analysis.gap_to_target, 89.0 - 89.60)
        # Every peer answered: nothing missing, complaint handling present.
        self.assertEqual(list(analysis.missing), [])
        self.assertTrue(analysis.HasField("complaint_handling"))

    def test_2c_ita_peer_analytics_same_province(self):
        self.need("published_2568")
        peers = self.call(self.ita.GetPeerAnalytics, ita_pb2.GetPeerAnalyticsRequest(
            name=PARENT + "/assessments/2568", group=ita_pb2.SAME_PROVINCE))
        own = OWN_2568["overall"]
        group = [own] + [o for _, p, o, _ in PEERS_2568 if p == PROVINCE]
        self.assertEqual(peers.peers, len(group))  # 7: ORG and 6 peers
        self.assertEqual(peers.rank, 1 + sum(1 for o in group if o > own))  # 3
        self.assertAlmostEqual(peers.percentile,
                               100.0 * sum(1 for o in group if o <= own) / len(group))
        self.assertAlmostEqual(peers.mean, statistics.mean(group))
        self.assertAlmostEqual(peers.median, statistics.median(group))
        self.assertAlmostEqual(peers.pass_rate,
                               100.0 * sum(1 for o in group if o >= 85) / len(group))
        self.assertAlmostEqual(peers.overall, own)
        self.assertEqual(peers.group, ita_pb2.SAME_PROVINCE)
        self.assertEqual(sum(b.count for b in peers.histogram), len(group))
        self.assertEqual(dict(peers.grade_counts),
                         {g: sum(1 for o in group if grade_of(o) == g)
                          for g in {grade_of(o) for o in group}})
        # NATIONAL has all nine.
        national = self.call(self.ita.GetPeerAnalytics, ita_pb2.GetPeerAnalyticsRequest(
            name=PARENT + "/assessments/2568", group=ita_pb2.NATIONAL))
        self.assertEqual(national.peers, 1 + len(PEERS_2568))
        self.assertEqual(national.rank, 1 + sum(1 for _, _, o, _ in PEERS_2568 if o > own))

    def test_2d_ita_adopt_recommended_measures_is_idempotent(self):
        self.need("plan", "published_2568")
        request = ita_pb2.AdoptRecommendedMeasuresRequest(name=PARENT + "/assessments/2568")
        first = self.call(self.ita.AdoptRecommendedMeasures, request)
        self.assertEqual(list(first.missing), [])
        self.assertTrue(first.measures, "no measure adopted")
        second = self.call(self.ita.AdoptRecommendedMeasures, request)
        self.assertEqual(list(second.missing), [])
        self.assertEqual(sorted(m.name for m in first.measures),
                         sorted(m.name for m in second.measures))
        for measure in first.measures:
            self.assertTrue(measure.name.startswith(PARENT + "/integrityMeasures/"),
                            measure.name)
            self.assertEqual(measure.be_year, 2569)
        # The plan service holds each once.
        listed = self.call(self.plan.ListIntegrityMeasures,
                           plan_pb2.ListIntegrityMeasuresRequest(
                               parent=PARENT, be_year=2569, page_size=1000))
        self.assertEqual(sorted(m.name for m in listed.integrity_measures),
                         sorted(m.name for m in first.measures))

    def raw_answers(self, seed, iit, eit, oit):
        """Deterministic respondents: each answers a random part of its tool's
        items with 0-3; OIT checks of a random part of the checklist."""
        framework, = self.need("framework_2567")
        rng = random.Random(seed)
        tool_of = {i.number: i.tool for i in framework.indicators}
        codes = {"IIT": [], "EIT": [], "OIT": []}
        for item in framework.items:
            codes[tool_of[item.indicator]].append(item.code)
        respondents = []
        for tool, count in (("IIT", iit), ("EIT", eit)):
            for _ in range(count):
                answered = rng.sample(codes[tool], rng.randint(5, len(codes[tool])))
                respondents.append({"tool": tool,
                                    "answers": {c: rng.randint(0, 3) for c in answered}})
        checks = {c: rng.random() < 0.8 for c in rng.sample(codes["OIT"], oit)} if oit else {}
        return framework, respondents, checks

    def stream(self, name, organization, respondents, checks, override=None):
        """IngestRawAnswers messages: the first names the assessment, then
        two respondents per message, the OIT checks in the last one (and
        `override`, a check repeated with another value, after it)."""
        def messages():
            yield ita_pb2.IngestRawAnswersRequest(name=name, organization=organization)
            for i in range(0, len(respondents), 2):
                yield ita_pb2.IngestRawAnswersRequest(respondents=[
                    ita_pb2.Respondent(tool=r["tool"], answers=r["answers"])
                    for r in respondents[i:i + 2]])
            if checks:
                yield ita_pb2.IngestRawAnswersRequest(oit_checks=checks)
            if override:
                yield ita_pb2.IngestRawAnswersRequest(oit_checks=override)
        return messages()

    def test_2e_ita_raw_answers_are_scored_by_the_framework(self):
        framework, respondents, checks = self.raw_answers(2567, iit=5, eit=4, oit=30)
        # A later message's check replaces an earlier one.
        flipped = next(iter(sorted(checks)))
        override = {flipped: not checks[flipped]}
        final_checks = dict(checks, **override)
        assessment = self.ita.IngestRawAnswers(
            self.stream(PARENT + "/assessments/2567", self.org_ref(), respondents,
                        checks, override),
            metadata=self.metadata(self.system_key), timeout=RPC_TIMEOUT)
        computed = assessment.computed
        self.assertTrue(computed.HasField("overall"), "computed.overall missing")
        overall, tools, indicators, items = expected_scores(framework, respondents,
                                                            final_checks)
        self.assertAlmostEqual(computed.overall.score, overall, places=6)
        self.assertEqual({t.code: round(t.score, 6) for t in computed.tools},
                         {c: round(s, 6) for c, s in tools.items()})
        self.assertEqual({int(i.code): round(i.score, 6) for i in computed.indicators},
                         {n: round(s, 6) for n, s in indicators.items()})
        self.assertEqual({i.code: round(i.score, 6) for i in computed.items},
                         {c: round(s, 6) for c, s in items.items()})
        self.assertEqual((assessment.iit_respondents, assessment.eit_respondents), (5, 4))
        # Every tool present: respondents are the survey's, and fewer than 30
        # make the figure low-confidence.
        self.assertEqual(computed.overall.respondents, 9)
        self.assertTrue(computed.overall.low_confidence)
        self.assertEqual(computed.grade, grade_of(overall))  # 2567 has the same bands
        self.state["computed_2567"] = (overall, indicators)

        # Only IIT respondents: the weights renormalize over the tools present.
        framework, respondents, _ = self.raw_answers(25671, iit=3, eit=0, oit=0)
        other = self.ita.IngestRawAnswers(
            self.stream("organizations/6340102/assessments/2567",
                        self.org_ref("6340102", "อบต. ทดสอบ 6340102"), respondents, {}),
            metadata=self.metadata(self.system_key), timeout=RPC_TIMEOUT)
        overall, tools, _, _ = expected_scores(framework, respondents, {})
        self.assertEqual(set(tools), {"IIT"})
        self.assertAlmostEqual(other.computed.overall.score, overall, places=6)
        self.assertAlmostEqual(other.computed.overall.score, tools["IIT"], places=6)
        self.assertEqual(other.computed.overall.respondents, 0)
        self.assertTrue(other.computed.overall.low_confidence)

    # ------------------------------------------------------- 3. complaint

    def test_3_complaint_public_filing_tracking_statistics(self):
        created = self.call(self.complaints.CreateComplaint,
                            complaint_pb2.CreateComplaintRequest(
                                parent=PARENT,
                                complaint=complaint_pb2.Complaint(
                                    kind=complaint_pb2.Complaint.GENERAL,
                                    channel=complaint_pb2.Complaint.WEBSITE,
                                    subject="ไฟฟ้าส่องสว่างดับ",
                                    description="ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์")),
                            key=None)
        self.assertTrue(created.name.startswith(PARENT + "/complaints/"), created.name)
        self.assertTrue(created.tracking_code)
        self.assertEqual(created.audit.creator, "public")
        self.state["complaint"] = created.name

        sloppy = created.tracking_code.replace("-", "").lower()
        tracked = self.call(self.complaints.TrackComplaint,
                            complaint_pb2.TrackComplaintRequest(tracking_code=sloppy),
                            key=None)
        self.assertEqual(tracked.subject, "ไฟฟ้าส่องสว่างดับ")
        self.assertEqual(tracked.state, complaint_pb2.Complaint.RECEIVED)
        self.assertEqual(tracked.organization.code, ORG)
        spaced = " " + " ".join(created.tracking_code.split("-")).lower() + " "
        self.assertEqual(self.call(self.complaints.TrackComplaint,
                                   complaint_pb2.TrackComplaintRequest(tracking_code=spaced),
                                   key=None).subject, "ไฟฟ้าส่องสว่างดับ")
        # A mistyped code (its last character is the check character).
        last = created.tracking_code[-1]
        mistyped = created.tracking_code[:-1] + ("B" if last == "A" else "A")
        self.assert_error(grpc.StatusCode.INVALID_ARGUMENT, self.complaints.TrackComplaint,
                          complaint_pb2.TrackComplaintRequest(tracking_code=mistyped),
                          key=None, details_prefix="tracking_code")

        received = created.receive_time.ToDatetime(tzinfo=datetime.timezone.utc)
        day = received.astimezone(BANGKOK)
        be_year = day.year + 543 + (1 if day.month >= 10 else 0)
        stats = self.call(self.complaints.GetComplaintStatistics,
                          complaint_pb2.GetComplaintStatisticsRequest(
                              parent=PARENT,
                              fiscal_year=common_pb2.FiscalYear(be_year=be_year)))
        self.assertEqual(stats.received, 1)
        self.assertEqual(stats.in_progress, 1)
        by_kind = {row.key: row.received for row in stats.by_kind}
        self.assertEqual(by_kind.get("GENERAL"), 1, by_kind)
        by_channel = {row.key: row.received for row in stats.by_channel}
        self.assertEqual(by_channel.get("WEBSITE"), 1, by_channel)

    # ---------------------------------------------------------- 4. errors

    def test_4_errors_as_an_integrator_sees_them(self):
        plan, = self.need("plan")
        # A budget for a year the project (and plan) does not run.
        self.assert_error(
            grpc.StatusCode.INVALID_ARGUMENT, self.plan.CreateProject,
            plan_pb2.CreateProjectRequest(parent=plan, project=plan_pb2.Project(
                sequence=901, dimension=1, title="โครงการทดสอบ",
                fiscal_years=[2569],
                budgets=[plan_pb2.YearBudget(
                    be_year=2575, planned=common_pb2.Money(satang=100000))])),
            details_prefix="project.budgets[0].be_year")
        # Nothing stored.
        projects = self.call(self.plan.ListProjects,
                             plan_pb2.ListProjectsRequest(parent=plan, page_size=1000))
        self.assertNotIn(901, [p.sequence for p in projects.projects])

        # An operator key of another organization.
        self.assert_error(grpc.StatusCode.PERMISSION_DENIED, self.plan.GetActionPlan,
                          plan_pb2.GetActionPlanRequest(name=plan),
                          key=self.other_operator_key)
        self.assert_error(grpc.StatusCode.PERMISSION_DENIED, self.ita.GetAssessment,
                          ita_pb2.GetAssessmentRequest(name=PARENT + "/assessments/2568"),
                          key=self.other_operator_key)
        # A wrong key, on each service.
        wrong = "interop_" + secrets.token_urlsafe(32)
        self.assert_error(grpc.StatusCode.UNAUTHENTICATED, self.plan.GetActionPlan,
                          plan_pb2.GetActionPlanRequest(name=plan), key=wrong)
        self.assert_error(grpc.StatusCode.UNAUTHENTICATED, self.ita.ListFrameworks,
                          ita_pb2.ListFrameworksRequest(), key=wrong)
        self.assert_error(grpc.StatusCode.UNAUTHENTICATED, self.complaints.ListComplaints,
                          complaint_pb2.ListComplaintsRequest(parent=PARENT), key=wrong)
        # An unknown plan.
        self.assert_error(grpc.StatusCode.NOT_FOUND, self.plan.GetActionPlan,
                          plan_pb2.GetActionPlanRequest(
                              name=PARENT + "/actionPlans/aaaaaaaaaaaaaaaa"))
        self.assert_error(grpc.StatusCode.NOT_FOUND, self.plan.EvaluateTargets,
                          plan_pb2.EvaluateTargetsRequest(
                              name=PARENT + "/actionPlans/aaaaaaaaaaaaaaaa"))
        # A raw-answer stream with one bad answer stores nothing.
        if "framework_2567" in self.state:
            _, respondents, _ = self.raw_answers(7, iit=3, eit=0, oit=0)
            respondents[-1]["answers"]["i1"] = 4
            name = "organizations/6340103/assessments/2567"
            with self.assertRaises(grpc.RpcError) as raised:
                self.ita.IngestRawAnswers(
                    self.stream(name, self.org_ref("6340103", "อบต. ทดสอบ 6340103"),
                                respondents, {}),
                    metadata=self.metadata(self.system_key), timeout=RPC_TIMEOUT)
            self.assertEqual(raised.exception.code(), grpc.StatusCode.INVALID_ARGUMENT,
                             raised.exception.details())
            self.assertIn("answers[i1]", raised.exception.details())
            self.assert_error(grpc.StatusCode.NOT_FOUND, self.ita.GetAssessment,
                              ita_pb2.GetAssessmentRequest(name=name))

    # ------------------------------------------------ 5. one service down

    def test_5_complaint_service_stopped(self):
        plan, = self.need("plan")
        self.need("published_2568")
        assessment = PARENT + "/assessments/2568"
        # Before: every peer answers.
        evaluated = self.call(self.plan.EvaluateTargets,
                              plan_pb2.EvaluateTargetsRequest(name=plan))
        self.assertFalse([m for m in evaluated.missing if "complaint service" in m],
                         list(evaluated.missing))
        years = {y.be_year: y for y in evaluated.years}
        self.assertEqual(years[2568].ita_score, plan_pb2.TargetEvaluation.MET)  # 89.6 >= 89
        self.assertAlmostEqual(years[2568].target.actual_ita_score, 89.60)
        if "computed_2567" in self.state:
            # The plan reads the computed 2567 score from the ITA service.
            overall_2567, _ = self.state["computed_2567"]
            self.assertAlmostEqual(years[2567].target.actual_ita_score, overall_2567,
                                   places=6)
            self.assertEqual(years[2567].ita_score,
                             plan_pb2.TargetEvaluation.MET if overall_2567 >= 87
                             else plan_pb2.TargetEvaluation.NOT_MET)

        code = self.processes["complaint"].terminate()
        self.assertEqual(code, 0, self.processes["complaint"].log())

        analysis = self.call(self.ita.AnalyzeAssessment,
                             ita_pb2.AnalyzeAssessmentRequest(name=assessment))
        self.assertTrue([m for m in analysis.missing if "complaint service" in m],
                        list(analysis.missing))
        self.assertFalse(analysis.HasField("complaint_handling"))
        # The rest of the analysis is intact, the plan service included.
        self.assertEqual([r.number for r in analysis.weaknesses], [9, 4])
        self.assertEqual(analysis.plan_target, 89.0)
        if "computed_2567" in self.state:
            # Against 2567 as computed from the raw answers.
            _, indicators_2567 = self.state["computed_2567"]
            self.assertEqual(analysis.previous_be_year, 2567)
            self.assertEqual(
                {c.indicator: (round(c.previous, 6), round(c.change, 6))
                 for c in analysis.changes},
                {n: (round(s, 6), round(OWN_2568["indicators"][n - 1] - s, 6))
                 for n, s in indicators_2567.items()})

        evaluated = self.call(self.plan.EvaluateTargets,
                              plan_pb2.EvaluateTargetsRequest(name=plan))
        self.assertTrue(evaluated.missing, "EvaluateTargets reports nothing missing")
        self.assertTrue([m for m in evaluated.missing if "complaint service" in m],
                        list(evaluated.missing))
        years = {y.be_year: y for y in evaluated.years}
        self.assertEqual(years[2568].ita_score, plan_pb2.TargetEvaluation.MET)


def main():
    global BIN_DIR, REPO_ROOT, PROTO_DIR, SEED_002, OVER_HTTP
    if "--over-http" in sys.argv:
        sys.argv.remove("--over-http")
        OVER_HTTP = True
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, REPO_ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    PROTO_DIR = os.path.join(REPO_ROOT, "protos")
    SEED_002 = os.path.join(REPO_ROOT, "..", "shared", "seeds", "002_da2eef7f943bd544.txt")
    if not os.path.exists(SEED_002):
        # A clone without ../shared: skip, saying so (ctest's SKIP_RETURN_CODE).
        print(f"SKIPPED: seed 002 not found at {SEED_002}", file=sys.stderr)
        sys.exit(77)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="prongsai-interop-stubs-") as stubs:
        interop_support.generate_stubs(PROTO_DIR, stubs)
        import_stubs()
        program = unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2, exit=False)
    print(f"run time {time.monotonic() - started:.1f} s", file=sys.stderr)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
