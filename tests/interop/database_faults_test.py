"""The plan service under load while its PostgreSQL server is restarted
(crash-stopped, then started again) and while it is stopped for a while
(issue 15, "Faults the suite proves survived").

The server is this test's own: a cluster made with initdb in a scratch
directory, with PostgreSQL's durable defaults (fsync and synchronous commit
on), so that stopping it does not disturb the other tests' server. Four
client threads create organizations, each call with a 5 s deadline; the
test then checks that
- every call that failed, failed with UNAVAILABLE: none ran into its
  deadline (a hang), none got another error;
- the service recovered by itself: calls succeed again after the server is
  back, in the same process, which never exited;
- every create the service acknowledged is stored: nothing acknowledged was
  lost, whatever the crash did to the transactions in flight.

    database_faults_test.py BIN_DIR PROTO_DIR

Needs PostgreSQL 15's server programs (/usr/lib/postgresql/15/bin; scripts/
setup installs them). As root, the cluster belongs to the `postgres` user,
because initdb refuses to run as root.
"""

import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"
DEADLINE = 5  # seconds, every call's
THREADS = 4

BIN_DIR = PROTO_DIR = ""
plan_pb2 = plan_pb2_grpc = common_pb2 = None


class PrivatePostgres:
    """A PostgreSQL 15 cluster in `directory`, on a free loopback port."""

    def __init__(self, directory):
        self.directory = directory
        self.data = os.path.join(directory, "data")
        self.port = interop_support.free_port()
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(directory, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        self.start()
        admin = self.url("postgres", "postgres")
        interop_support.psql(admin, "CREATE ROLE prongsai LOGIN")
        interop_support.psql(admin, "CREATE DATABASE prongsai OWNER prongsai")

    def _run(self, program, *args):
        done = subprocess.run([*self.as_owner, os.path.join(PG_BIN, program), *args],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"{program} failed: {done.stderr.strip()[-2000:]}")

    def url(self, user="prongsai", database="prongsai"):
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.directory, "log"),
                  "-w", "-t", "60", "-o",
                  f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory}",
                  "start")

    def stop(self):
        """Immediate: the server's processes quit at once, as in a crash;
        it recovers from its write-ahead log at the next start."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def close(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.stop()


class Load:
    """THREADS threads that create organizations until stopped, recording
    every outcome; codes are unique across the whole test."""

    next_code = 6500000
    lock = threading.Lock()

    def __init__(self, stub, key):
        self.stub, self.key = stub, key
        self.acknowledged = []  # codes
        self.failures = []  # (code, grpc.StatusCode, details)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True)
                         for _ in range(THREADS)]
        for thread in self._threads:
            thread.start()

    @classmethod
    def new_code(cls):
        with cls.lock:
            cls.next_code += 1
            return str(cls.next_code)

    def _run(self):
        while not self._stop.is_set():
            code = self.new_code()
            request = plan_pb2.CreateOrganizationRequest(
                organization=plan_pb2.Organization(organization=org_ref(code)))
            try:
                self.stub.CreateOrganization(
                    request, timeout=DEADLINE,
                    metadata=[("authorization", "Bearer " + self.key)])
                with self.lock:
                    self.acknowledged.append(code)
            except grpc.RpcError as error:
                with self.lock:
                    self.failures.append((code, error.code(), error.details()))
                time.sleep(0.05)  # as a client backing off would

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(DEADLINE * 3)
            if thread.is_alive():
                raise AssertionError("a load thread is stuck in a call")


def org_ref(code):
    return common_pb2.OrganizationRef(
        code=code, name=f"องค์การบริหารส่วนตำบลทดสอบ {code}", province="ยโสธร",
        district="เมืองยโสธร", kind=common_pb2.SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION)


class DatabaseFaultsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="prongsai-faults-")
        os.chmod(cls.scratch, 0o755)
        cls.addClassCleanup(shutil.rmtree, cls.scratch, ignore_errors=True)
        pg_dir = os.path.join(cls.scratch, "pg")
        os.mkdir(pg_dir, 0o700)
        cls.pg = PrivatePostgres(pg_dir)
        cls.addClassCleanup(cls.pg.close)
        cls.key = secrets.token_urlsafe(32)
        keys = os.path.join(cls.scratch, "api_keys")
        interop_support.write_private(
            keys, interop_support.key_line(cls.key, "faults-test", "SYSTEM", "*"))
        cls.service = interop_support.ServiceProcess(
            os.path.join(BIN_DIR, "prongsai-plan"),
            ["--listen=127.0.0.1:0", f"--db={cls.pg.url()}", f"--api_keys={keys}",
             "--workers=4"])
        cls.addClassCleanup(cls.service.kill)
        cls.channel = grpc.insecure_channel(cls.service.wait_listening())
        cls.addClassCleanup(cls.channel.close)
        cls.stub = plan_pb2_grpc.PlanServiceStub(cls.channel)

    def metadata(self):
        return [("authorization", "Bearer " + self.key)]

    def create(self):
        code = Load.new_code()
        self.stub.CreateOrganization(
            plan_pb2.CreateOrganizationRequest(
                organization=plan_pb2.Organization(organization=org_ref(code))),
            timeout=DEADLINE, metadata=self.metadata())
        return code

    def wait_until_writes_succeed(self, seconds=30):
        """The first create that succeeds after the server is back; the
        service reconnects on its own, so this must come."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.create()
            except grpc.RpcError as error:
                self.assertEqual(error.code(), grpc.StatusCode.UNAVAILABLE,
                                 error.details())
                if time.monotonic() > deadline:
                    raise AssertionError(
                        "writes never succeeded again; the service's log:\n"
                        + self.service.log())
                time.sleep(0.2)

    def assert_stored(self, codes):
        for code in codes:
            got = self.stub.GetOrganization(
                plan_pb2.GetOrganizationRequest(name=f"organizations/{code}"),
                timeout=DEADLINE, metadata=self.metadata())
            self.assertEqual(got.organization.code, code)

    def assert_only_unavailable(self, failures):
        odd = [(code, status, details) for code, status, details in failures
               if status != grpc.StatusCode.UNAVAILABLE]
        self.assertEqual(odd, [], "a failed call must be UNAVAILABLE, never a "
                                  "hang to the deadline or another error")

    def run_load_around(self, fault, seconds_before=1.5, seconds_after=1.5):
        load = Load(self.stub, self.key)
        time.sleep(seconds_before)
        fault()
        time.sleep(seconds_after)
        load.stop()
        return load

    def test_a_restart_under_load_loses_no_acknowledged_write(self):
        def restart():
            self.pg.stop()
            self.pg.start()
        load = self.run_load_around(restart)
        self.assertGreater(len(load.acknowledged), 20)
        self.assert_only_unavailable(load.failures)
        after = self.wait_until_writes_succeed()
        self.assertIsNone(self.service.process.poll(), "the service exited")
        self.assert_stored(load.acknowledged + [after])
        print(f"restart: {len(load.acknowledged)} acknowledged, "
              f"{len(load.failures)} UNAVAILABLE", file=sys.stderr)

    def test_a_stopped_server_makes_calls_unavailable_until_it_is_back(self):
        load = self.run_load_around(self.pg.stop, seconds_after=3)
        try:
            self.assertGreater(len(load.failures), 0, "the outage was not seen")
            self.assert_only_unavailable(load.failures)
            # Reads fail the same way while the server is away.
            with self.assertRaises(grpc.RpcError) as read:
                self.stub.GetOrganization(
                    plan_pb2.GetOrganizationRequest(
                        name=f"organizations/{load.acknowledged[0]}"),
                    timeout=DEADLINE, metadata=self.metadata())
            self.assertEqual(read.exception.code(), grpc.StatusCode.UNAVAILABLE)
        finally:
            self.pg.start()
        after = self.wait_until_writes_succeed()
        self.assertIsNone(self.service.process.poll(), "the service exited")
        self.assert_stored(load.acknowledged + [after])
        print(f"stop: {len(load.acknowledged)} acknowledged, "
              f"{len(load.failures)} UNAVAILABLE", file=sys.stderr)


def main():
    global BIN_DIR, PROTO_DIR
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, PROTO_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not os.path.isfile(os.path.join(PG_BIN, "initdb")):
        sys.exit(f"PostgreSQL 15 server programs not found in {PG_BIN} (scripts/setup)")
    interop_support.run_tests_with_stubs(PROTO_DIR, interop_support.PLAN_STUBS,
                                         globals(), [sys.argv[0]] + sys.argv[3:])


if __name__ == "__main__":
    main()
