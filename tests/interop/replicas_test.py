"""Two replicas of the plan service on one PostgreSQL database, as a
deployment with two pods runs them (issue 15, "Faults the suite proves
survived"):
- concurrent read-modify-write updates of one integrity measure, half
  through each replica, each with the etag it read: a stale etag is refused
  with ABORTED, the client reads again, and in the end every update that
  was acknowledged is in the measure: no lost update;
- the same create with the same request id sent to both replicas at the
  same moment: both answer with one and the same measure, and only one is
  stored;
- a cached read (an annual plan, from each replica's near-cache) answered
  by one replica shows every write the other replica acknowledged just
  before it: no stale cached answer across replicas.

    replicas_test.py BIN_DIR PROTO_DIR

Needs the PostgreSQL server of PRONGSAI_TEST_PG_URL (scripts/test starts
one); without it the test exits 77 (skipped), or fails when
PRONGSAI_TEST_REQUIRE_BACKENDS=1.
"""

import os
import secrets
import shutil
import sys
import tempfile
import threading
import unittest

import grpc
from google.protobuf import field_mask_pb2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402

DEADLINE = 10  # seconds, every call's
WRITERS_PER_REPLICA = 3
UPDATES_PER_WRITER = 8
RACES = 20
ORGANIZATION = "6340155"
PARENT = f"organizations/{ORGANIZATION}"

BIN_DIR = PROTO_DIR = ""
plan_pb2 = plan_pb2_grpc = common_pb2 = None


class ReplicasTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="prongsai-replicas-")
        cls.addClassCleanup(shutil.rmtree, cls.scratch, ignore_errors=True)
        url = cls.enterClassContext(interop_support.scratch_database("replicas"))
        cls.key = secrets.token_urlsafe(32)
        keys = os.path.join(cls.scratch, "api_keys")
        interop_support.write_private(
            keys, interop_support.key_line(cls.key, "replicas-test", "SYSTEM", "*"))
        cls.stubs = []
        for _ in range(2):
            replica = interop_support.ServiceProcess(
                os.path.join(BIN_DIR, "prongsai-plan"),
                ["--listen=127.0.0.1:0", f"--db={url}", f"--api_keys={keys}",
                 "--workers=4"])
            cls.addClassCleanup(replica.kill)
            channel = grpc.insecure_channel(replica.wait_listening())
            cls.addClassCleanup(channel.close)
            cls.stubs.append(plan_pb2_grpc.PlanServiceStub(channel))
        cls.call(cls.stubs[0].CreateOrganization, plan_pb2.CreateOrganizationRequest(
            organization=plan_pb2.Organization(organization=common_pb2.OrganizationRef(
                code=ORGANIZATION, name="องค์การบริหารส่วนตำบลสองแบบ",
                province="ยโสธร", district="เมืองยโสธร",
                kind=common_pb2.SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION))))

    @classmethod
    def call(cls, method, request):
        return method(request, timeout=DEADLINE,
                      metadata=[("authorization", "Bearer " + cls.key)])

    def create_measure(self, stub, title, request_id=""):
        return self.call(stub.CreateIntegrityMeasure,
                         plan_pb2.CreateIntegrityMeasureRequest(
                             parent=PARENT, request_id=request_id,
                             integrity_measure=plan_pb2.IntegrityMeasure(
                                 be_year=2569, title=title)))

    def test_conflicting_updates_lose_no_acknowledged_update(self):
        name = self.create_measure(self.stubs[0], "มาตรการที่ทั้งสองแบบแก้พร้อมกัน").name
        acknowledged, refusals, errors = [], [], []
        lock = threading.Lock()

        def writer(stub, writer_id):
            try:
                for i in range(UPDATES_PER_WRITER):
                    step = f"{writer_id}-{i}"
                    while True:
                        measure = self.call(stub.GetIntegrityMeasure,
                                            plan_pb2.GetIntegrityMeasureRequest(name=name))
                        measure.steps.append(step)
                        try:
                            self.call(stub.UpdateIntegrityMeasure,
                                      plan_pb2.UpdateIntegrityMeasureRequest(
                                          integrity_measure=measure,
                                          update_mask=field_mask_pb2.FieldMask(
                                              paths=["steps"])))
                            with lock:
                                acknowledged.append(step)
                            break
                        except grpc.RpcError as error:
                            if error.code() != grpc.StatusCode.ABORTED:
                                raise
                            with lock:
                                refusals.append(step)
            except Exception as error:  # reported by the main thread
                with lock:
                    errors.append(repr(error))

        threads = [threading.Thread(target=writer, args=(self.stubs[r], f"r{r}w{w}"))
                   for r in range(2) for w in range(WRITERS_PER_REPLICA)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(len(acknowledged), 2 * WRITERS_PER_REPLICA * UPDATES_PER_WRITER)
        for stub in self.stubs:
            stored = self.call(stub.GetIntegrityMeasure,
                               plan_pb2.GetIntegrityMeasureRequest(name=name))
            self.assertEqual(sorted(stored.steps), sorted(acknowledged))
        print(f"{len(acknowledged)} updates, {len(refusals)} stale etags refused",
              file=sys.stderr)

    def test_one_request_id_creates_one_measure_across_replicas(self):
        answers = [[None, None] for _ in range(RACES)]
        errors = []
        barrier = threading.Barrier(2)

        def racer(replica):
            try:
                for race in range(RACES):
                    barrier.wait(DEADLINE)
                    answers[race][replica] = self.create_measure(
                        self.stubs[replica], f"มาตรการแข่งกันที่ {race}",
                        request_id=f"race-{race}")
            except Exception as error:  # reported by the main thread
                errors.append(repr(error))
                barrier.abort()

        threads = [threading.Thread(target=racer, args=(r,)) for r in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(errors, [])
        for race, (first, second) in enumerate(answers):
            self.assertEqual(first.name, second.name, f"race {race}")
            self.assertEqual(first.etag, second.etag, f"race {race}")
        listed = self.call(self.stubs[1].ListIntegrityMeasures,
                           plan_pb2.ListIntegrityMeasuresRequest(parent=PARENT,
                                                                 page_size=1000))
        raced = [m for m in listed.integrity_measures if m.title.startswith("มาตรการแข่ง")]
        self.assertEqual(len(raced), RACES)


    def test_a_cached_read_sees_the_other_replicas_write_at_once(self):
        plan = self.call(self.stubs[0].CreateActionPlan, plan_pb2.CreateActionPlanRequest(
            parent=PARENT, action_plan=plan_pb2.ActionPlan(
                title="แผนปฏิบัติการที่อ่านจากสองแบบ",
                fiscal_years=common_pb2.FiscalYearSpan(first_be_year=2566,
                                                       last_be_year=2570))))
        name = self.call(self.stubs[0].CreateAnnualPlan, plan_pb2.CreateAnnualPlanRequest(
            parent=plan.name, be_year=2569)).name
        reader, writer = self.stubs
        for i in range(RACES):
            # Read twice, so that the second answer comes from the cache.
            for _ in range(2):
                cached = self.call(reader.GetAnnualPlan,
                                   plan_pb2.GetAnnualPlanRequest(name=name))
            note = f"บันทึกครั้งที่ {i}"
            self.assertNotEqual(cached.note, note)
            cached.note = note
            self.call(writer.UpdateAnnualPlan, plan_pb2.UpdateAnnualPlanRequest(
                annual_plan=cached, update_mask=field_mask_pb2.FieldMask(paths=["note"])))
            seen = self.call(reader.GetAnnualPlan, plan_pb2.GetAnnualPlanRequest(name=name))
            self.assertEqual(seen.note, note, f"write {i}")
            reader, writer = writer, reader


def main():
    global BIN_DIR, PROTO_DIR
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, PROTO_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not os.environ.get("PRONGSAI_TEST_PG_URL"):
        if os.environ.get("PRONGSAI_TEST_REQUIRE_BACKENDS") == "1":
            sys.exit("PRONGSAI_TEST_PG_URL is not set")
        print("SKIPPED: PRONGSAI_TEST_PG_URL is not set", file=sys.stderr)
        sys.exit(77)
    interop_support.run_tests_with_stubs(PROTO_DIR, interop_support.PLAN_STUBS,
                                         globals(), [sys.argv[0]] + sys.argv[3:])


if __name__ == "__main__":
    main()
