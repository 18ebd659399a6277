"""The plan service on SQLite when its disk fills up (issue 15, "Faults the
suite proves survived"): the database lives on a small tmpfs this test
mounts, a filler file takes the rest of it, and the test checks that
- writes fail cleanly, with RESOURCE_EXHAUSTED, and never with anything
  else;
- reads keep working meanwhile;
- once space is freed, writes succeed again in the same process;
- afterwards the database passes SQLite's integrity check and holds every
  write that was acknowledged, read back by a new process.

    disk_full_test.py BIN_DIR PROTO_DIR

Mounting needs root (CI runs as root); otherwise the test exits 77, which
ctest reports as skipped.
"""

import errno
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402

DEADLINE = 5  # seconds, every call's
DISK_BYTES = 6 << 20

BIN_DIR = PROTO_DIR = ""
plan_pb2 = plan_pb2_grpc = common_pb2 = None


def org_ref(code):
    return common_pb2.OrganizationRef(
        code=code, name=f"เทศบาลตำบลทดสอบ {code} " + "ก" * 200, province="ยโสธร",
        district="เมืองยโสธร", kind=common_pb2.MUNICIPALITY)


def fill(path):
    """Writes zeros to `path` until the file system is full."""
    chunk = b"\0" * 65536
    with open(path, "wb", buffering=0) as filler:
        while True:
            try:
                filler.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                chunk = chunk[:len(chunk) // 2]
                if not chunk:
                    return


class DiskFullTest(unittest.TestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="prongsai-disk-full-")
        self.addCleanup(shutil.rmtree, self.scratch, ignore_errors=True)
        self.disk = os.path.join(self.scratch, "disk")
        os.mkdir(self.disk)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs",
                        self.disk], check=True, capture_output=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.disk], check=False)
        self.key = secrets.token_urlsafe(32)
        self.keys = os.path.join(self.scratch, "api_keys")
        interop_support.write_private(
            self.keys, interop_support.key_line(self.key, "disk-test", "SYSTEM", "*"))
        self.db = os.path.join(self.disk, "plan.db")
        self.next_code = 6600000

    def start(self):
        service = interop_support.ServiceProcess(
            os.path.join(BIN_DIR, "prongsai-plan"),
            ["--listen=127.0.0.1:0", f"--db=sqlite://{self.db}",
             f"--api_keys={self.keys}", "--workers=2"])
        self.addCleanup(service.kill)
        channel = grpc.insecure_channel(service.wait_listening())
        self.addCleanup(channel.close)
        return service, plan_pb2_grpc.PlanServiceStub(channel)

    def metadata(self):
        return [("authorization", "Bearer " + self.key)]

    def create(self, stub):
        self.next_code += 1
        code = str(self.next_code)
        stub.CreateOrganization(
            plan_pb2.CreateOrganizationRequest(
                organization=plan_pb2.Organization(organization=org_ref(code))),
            timeout=DEADLINE, metadata=self.metadata())
        return code

    def get(self, stub, code):
        return stub.GetOrganization(
            plan_pb2.GetOrganizationRequest(name=f"organizations/{code}"),
            timeout=DEADLINE, metadata=self.metadata())

    def test_a_full_disk_refuses_writes_keeps_reads_and_loses_nothing(self):
        service, stub = self.start()
        acknowledged = [self.create(stub) for _ in range(20)]
        fill(os.path.join(self.disk, "filler"))

        # Writes go on into space SQLite already holds, then fail.
        failures = []
        for _ in range(5000):
            try:
                acknowledged.append(self.create(stub))
            except grpc.RpcError as error:
                failures.append((error.code(), error.details()))
                if len(failures) >= 5:
                    break
        self.assertEqual(len(failures), 5, "the disk never filled up")
        self.assertEqual(
            [f for f in failures if f[0] != grpc.StatusCode.RESOURCE_EXHAUSTED], [],
            "a write on a full disk must fail with RESOURCE_EXHAUSTED")
        self.assertNotIn("ก" * 20, "".join(d for _, d in failures),
                         "the error repeats the request's data")
        for code in acknowledged:
            self.assertEqual(self.get(stub, code).organization.code, code)

        os.remove(os.path.join(self.disk, "filler"))
        acknowledged.append(self.create(stub))
        self.assertIsNone(service.process.poll(), "the service exited")
        self.assertEqual(service.terminate(), 0, service.log())

        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        _, stub = self.start()
        for code in acknowledged:
            self.assertEqual(self.get(stub, code).organization.code, code)
        print(f"{len(acknowledged)} acknowledged, 5 refused on a full disk",
              file=sys.stderr)


def main():
    global BIN_DIR, PROTO_DIR
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, PROTO_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("SKIPPED: mounting a tmpfs needs root", file=sys.stderr)
        sys.exit(77)
    interop_support.run_tests_with_stubs(PROTO_DIR, interop_support.PLAN_STUBS,
                                         globals(), [sys.argv[0]] + sys.argv[3:])


if __name__ == "__main__":
    main()
