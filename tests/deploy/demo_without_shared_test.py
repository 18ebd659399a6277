#!/usr/bin/python3
"""`prongsai demo load` from a checkout with nothing beside it: no
../shared/seeds. The demo must still make the sample organization in all
three services, its plan coming from the project's own sample document
(tools/cli/demo_sample_plan.h) without one import finding, with ITA results,
adopted measures with progress, and complaints. With a ../shared/seeds that
holds seed 002, the demo imports that document instead.

The services are the real binaries on loopback, on SQLite files (PostgreSQL
and Redis when PRONGSAI_TEST_PG_URL and PRONGSAI_TEST_REDIS_URL are set),
behind the gateway, which the test reads the results through.

    demo_without_shared_test.py BIN_DIR SOURCE_DIR [unittest options]
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
import interop_support  # noqa: E402

BIN_DIR = ""
SOURCE_DIR = ""
ORGANIZATION = "6340101"
# The projects of the sample document (tools/cli/demo_sample_plan.h), one
# per dimension.
SAMPLE_PROJECTS = {
    "โครงการอบรมคุณธรรมจริยธรรมแก่บุคลากรขององค์การบริหารส่วนตำบลอีสานเขต",
    "มาตรการเผยแพร่ข้อมูลสาธารณะ",
    "กิจกรรมเวทีประชาคมต่อต้านการทุจริต",
    "มาตรการตรวจสอบการจัดซื้อจัดจ้างโดยหน่วยตรวจสอบภายใน",
}
# A document in the same template that stands in for seed 002 in the second
# case: the project's own fixture of a 2566-2570 plan.
STAND_IN_SEED = "tests/testdata/plan/crlf_whitespace.txt"
SEED_002 = "002_da2eef7f943bd544.txt"


class Stack:
    """The three services and the gateway on scratch storage, with a SYSTEM
    key for the demo and the reads."""

    def __init__(self, scratch, database):
        self.key = "demo_" + secrets.token_urlsafe(32)
        peer_key = "demo_" + secrets.token_urlsafe(32)
        interop_support.write_private(
            os.path.join(scratch, "api_keys"),
            interop_support.key_line(self.key, "demo-system", "SYSTEM", "*")
            + interop_support.key_line(peer_key, "demo-peers", "SYSTEM", "*"))
        interop_support.write_private(os.path.join(scratch, "peer_key"), peer_key + "\n")
        self.processes = interop_support.start_stack(
            BIN_DIR, scratch, db=database, redis=os.environ.get("PRONGSAI_TEST_REDIS_URL"))
        self.address = {name: process.address for name, process in
                        zip(("plan", "complaint", "ita", "gateway"), self.processes)}

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.process.stderr.close()

    def demo_load(self, cwd, *flags):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}
        env["PRONGSAI_API_KEY"] = self.key
        return subprocess.run(
            [os.path.join(BIN_DIR, "prongsai"), "demo", "load",
             f"--plan_server={self.address['plan']}",
             f"--complaint_server={self.address['complaint']}",
             f"--ita_server={self.address['ita']}", *flags],
            cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)

    def get(self, path, **query):
        url = f"http://{self.address['gateway']}/v1/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + self.key})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def plans(self):
        return self.get(f"organizations/{ORGANIZATION}/actionPlans").get("action_plans", [])

    def project_titles(self, plan_name):
        answer = self.get(f"{plan_name}/projects", page_size=100)
        return {p.get("title") for p in answer.get("projects", [])}


def checkout_without_shared(scratch):
    """A directory whose ../shared does not exist (the demo's default
    --seeds is ../shared/seeds, relative to where it runs)."""
    checkout = os.path.join(scratch, "tree", "prongsai")
    os.makedirs(checkout)
    assert not os.path.exists(os.path.join(checkout, "..", "shared"))
    return checkout


class DemoWithoutSharedTest(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="demo_test_")
        self.addCleanup(shutil.rmtree, self.scratch, True)
        database = self.enterContext(interop_support.scratch_database("demo"))
        self.stack = Stack(self.scratch, database)
        self.addCleanup(self.stack.stop)

    def assert_every_step_ok(self, done):
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        steps = [line for line in done.stdout.splitlines() if line.startswith(("ok", "FAILED"))]
        self.assertGreater(len(steps), 10, done.stdout)
        self.assertEqual([s for s in steps if not s.startswith("ok")], [], done.stdout)

    def test_demo_loads_the_sample_organization_from_the_repository_alone(self):
        checkout = checkout_without_shared(self.scratch)
        done = self.stack.demo_load(checkout)
        self.assert_every_step_ok(done)
        self.assertIn("plan 2566-2570 imported from the sample document", done.stdout)

        organization = self.stack.get(f"organizations/{ORGANIZATION}")
        self.assertIn("อีสานเขต", json.dumps(organization, ensure_ascii=False))
        plans = self.stack.plans()
        self.assertEqual(len(plans), 1, plans)
        plan = plans[0]
        self.assertEqual(plan["fiscal_years"], {"first_be_year": 2566, "last_be_year": 2570})
        # The sample adds up: the importer found nothing to report.
        self.assertEqual(plan.get("import_findings", []), [])
        self.assertEqual(len(plan.get("targets", [])), 5)
        # The sample's four projects, and the ITA measures adopted for 2569.
        self.assertEqual(self.stack.project_titles(plan["name"]), SAMPLE_PROJECTS)
        measures = self.stack.get(f"organizations/{ORGANIZATION}/integrityMeasures")
        self.assertTrue(measures.get("integrity_measures"), measures)
        assessments = self.stack.get(f"organizations/{ORGANIZATION}/assessments")
        years = {a["name"].rsplit("/", 1)[1] for a in assessments.get("assessments", [])}
        self.assertEqual(years, {"2565", "2566", "2567", "2568"})
        progress = self.stack.get(f"organizations/{ORGANIZATION}/progressReports")
        self.assertTrue(progress.get("progress_reports"), progress)
        complaints = self.stack.get(f"organizations/{ORGANIZATION}/complaints")
        self.assertEqual(len(complaints.get("complaints", [])), 4, complaints)

        # Again: every create carries a request id, so nothing is added.
        self.assert_every_step_ok(self.stack.demo_load(checkout))
        self.assertEqual(len(self.stack.plans()), 1)
        again = self.stack.get(f"organizations/{ORGANIZATION}/complaints")
        self.assertEqual(len(again.get("complaints", [])), 4)

    def test_the_analysis_evidences_exactly_the_oit_items_the_demo_data_supports(self):
        self.assert_every_step_ok(self.stack.demo_load(checkout_without_shared(self.scratch)))
        org = f"organizations/{ORGANIZATION}"
        analysis = self.stack.get(f"{org}/assessments/2568:analyze")
        evidence = analysis["oit_evidence"]
        states = {item["item"]: item["state"] for item in evidence["items"]}
        sources = {item["item"]: item["source"] for item in evidence["items"]}

        # What the demo's records are, read through the same gateway.
        (plan,) = self.stack.plans()
        published = "PRESENT" if plan.get("state") == "ANNOUNCED" else "NOT_PUBLISHED"
        risks = self.stack.get(f"{plan['name']}/risks", page_size=1000).get("risks", [])
        categories = self.stack.get(f"{org}/categories").get("categories", [])
        annual = [r for r in self.stack.get(f"{org}/progressReports", be_year=2567,
                                            round="FULL_YEAR", page_size=1000)
                  .get("progress_reports", []) if "/actionPlans/" in r["subject"]]
        expected = {
            "ANTI_CORRUPTION_PLAN": published,
            "ANTI_CORRUPTION_PLAN_REPORT": "PRESENT" if annual else "MISSING",
            "COMPLAINT_CHANNELS": "PRESENT" if categories else "MISSING",
            "COMPLAINT_STATISTICS": "PRESENT",
            "CORRUPTION_RISK_ASSESSMENT": published if risks else "MISSING",
            "CORRUPTION_RISK_CONTROL": published if risks else "MISSING",
        }
        self.assertEqual({code: expected[source] for code, source in sources.items()}, states)
        # The 2568 framework's six items, the plan's draft among them.
        self.assertEqual(sorted(sources.values()), sorted(expected))
        self.assertTrue(risks, "the sample plan has a risk table")
        plan_item = next(i for i in evidence["items"] if i["source"] == "ANTI_CORRUPTION_PLAN")
        self.assertEqual(plan_item["resources"], [plan["name"]])

        # The ceiling: every OIT item of 2568 scores 100 but those not present.
        framework = self.stack.get("frameworks/2568")
        oit = {i["number"] for i in framework["indicators"] if i["tool"] == "OIT"}
        items = [i for i in framework["items"] if i["indicator"] in oit]
        absent = sum(1 for state in states.values() if state != "PRESENT")
        self.assertAlmostEqual(evidence["oit_score_ceiling"],
                               100 * (len(items) - absent) / len(items), places=6)
        self.assertEqual(len(evidence["not_held"]) + len(states), len(items))

    def test_demo_uses_seed_002_when_the_seeds_are_there(self):
        checkout = checkout_without_shared(self.scratch)
        seeds = os.path.join(self.scratch, "tree", "shared", "seeds")
        os.makedirs(seeds)
        shutil.copy(os.path.join(SOURCE_DIR, STAND_IN_SEED), os.path.join(seeds, SEED_002))
        done = self.stack.demo_load(checkout)
        self.assert_every_step_ok(done)
        self.assertIn("imported from seed 002", done.stdout)
        plans = self.stack.plans()
        self.assertEqual(len(plans), 1, plans)
        titles = self.stack.project_titles(plans[0]["name"])
        self.assertFalse(SAMPLE_PROJECTS & titles, titles)
        # The stand-in's project (its title split over two lines there).
        self.assertIn("โครงการเปิดเผยข้อมูลข่าวสารของหน่วยงาน",
                      {t.replace(" ", "").replace("\u200b", "") for t in titles})


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
