#!/usr/bin/python3
"""docker-compose.yml for real (run by scripts/test-containers, which builds
the images and makes the secrets): the stack comes up healthy, every
Prongsai container runs as the image's user on a read-only root file system
with its ports published on 127.0.0.1 only; the demo cycle runs through the
published ports (the image's own CLI on the host's network); a restart of
the containers and a `docker-compose down && up` keep every acknowledged
write; the image holds the binaries and pages and no compiler, source or
secret. Prints the image size and the stack's cold start.

    containers_test.py PROJECT API_KEY_FILE [unittest options]

PROJECT is the compose project name; the secrets' variables
(PRONGSAI_API_KEYS_FILE, ...) come from the environment.
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PROJECT = ""
API_KEY = ""
IMAGE = "prongsai:latest"
ORGANIZATION = "6340101"
GATEWAY = "http://127.0.0.1:8080"
PRONGSAI_SERVICES = ("plan", "complaint", "ita", "gateway")
ALL_SERVICES = PRONGSAI_SERVICES + ("postgres", "redis")


def run(*command, check=True, timeout=600):
    return subprocess.run(command, check=check, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def compose(*arguments, timeout=600):
    return run("docker-compose", "--project-name", PROJECT,
               "--file", os.path.join(ROOT, "docker-compose.yml"), *arguments,
               timeout=timeout)


def container_of(service):
    container = compose("ps", "-q", service).stdout.strip()
    if not container:
        raise AssertionError(f"no container for {service}")
    return container


def inspect(container):
    return json.loads(run("docker", "inspect", container).stdout)[0]


def wait_healthy(timeout_s=240):
    """Seconds until every service's container reports healthy."""
    start = time.monotonic()
    while True:
        states = {}
        for service in ALL_SERVICES:
            container = compose("ps", "-q", service).stdout.strip()
            states[service] = (inspect(container)["State"].get("Health", {}).get("Status")
                               if container else "absent")
        if all(state == "healthy" for state in states.values()):
            return time.monotonic() - start
        if time.monotonic() - start > timeout_s:
            raise AssertionError(f"not healthy after {timeout_s} s: {states}")
        time.sleep(1)


def call(method, path, body=None):
    request = urllib.request.Request(
        GATEWAY + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + API_KEY,
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path}: {error.code} {error.read().decode()}")


def listed(path, key):
    return call("GET", f"/v1/organizations/{ORGANIZATION}/{path}?page_size=1000").get(key, [])


class ContainersTest(unittest.TestCase):
    """The tests run in their order (test_1_... to test_5_...): each later
    one relies on the writes of the ones before."""

    written = []  # names of measures whose creation was acknowledged

    @classmethod
    def setUpClass(cls):
        start = time.monotonic()
        compose("up", "-d", "--no-build")
        wait_healthy()
        size = int(run("docker", "image", "inspect", "-f", "{{.Size}}", IMAGE).stdout)
        print(f"\nimage {IMAGE}: {size / 1e6:.1f} MB; cold start (up -d to all "
              f"healthy): {time.monotonic() - start:.1f} s", file=sys.stderr)

    def write_measure(self):
        title = f"มาตรการทดสอบคอนเทนเนอร์ {uuid.uuid4().hex[:8]}"
        made = call("POST", f"/v1/organizations/{ORGANIZATION}/integrityMeasures"
                    f"?request_id={uuid.uuid4().hex}",
                    {"be_year": 2569, "title": title, "quarters": [1, 2]})
        self.assertEqual(made["title"], title)
        self.written.append(made["name"])

    def assert_every_write_is_there(self):
        for name in self.written:
            self.assertEqual(call("GET", f"/v1/{name}")["name"], name)
        self.assertEqual(len(listed("complaints", "complaints")), 4)
        self.assertEqual(len(listed("actionPlans", "action_plans")), 1)

    def test_1_containers_are_healthy_non_root_read_only_and_on_loopback(self):
        for service in PRONGSAI_SERVICES:
            container = container_of(service)
            details = inspect(container)
            self.assertEqual(details["State"]["Health"]["Status"], "healthy", service)
            self.assertEqual(run("docker", "exec", container, "id", "-u").stdout.strip(),
                             "10001", service)
            self.assertTrue(details["HostConfig"]["ReadonlyRootfs"], service)
            for path in ("/usr/local/bin/x", "/var/lib/prongsai/x"):
                wrote = run("docker", "exec", container, "touch", path, check=False)
                self.assertNotEqual(wrote.returncode, 0, f"{service} could write {path}")
            bindings = [b for port in details["NetworkSettings"]["Ports"].values() if port
                        for b in port]
            self.assertTrue(bindings, service)
            for binding in bindings:
                self.assertEqual(binding["HostIp"], "127.0.0.1", f"{service}: {binding}")

    def test_2_demo_cycle_through_the_published_ports(self):
        done = run("docker", "run", "--rm", "--network", "host", "--read-only",
                   "-e", "PRONGSAI_API_KEY=" + API_KEY, IMAGE,
                   "prongsai", "demo", "load",
                   "--plan_server=127.0.0.1:50051", "--complaint_server=127.0.0.1:50052",
                   "--ita_server=127.0.0.1:50053", check=False)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        steps = [line for line in done.stdout.splitlines() if line.startswith(("ok", "FAILED"))]
        self.assertGreater(len(steps), 10, done.stdout)
        self.assertEqual([s for s in steps if not s.startswith("ok")], [], done.stdout)
        self.assertIn("imported from the sample document", done.stdout)
        # Read back through the gateway, as any HTTP caller would.
        plans = listed("actionPlans", "action_plans")
        self.assertEqual(len(plans), 1)
        self.assertEqual(plans[0]["fiscal_years"], {"first_be_year": 2566, "last_be_year": 2570})
        years = {a["name"].rsplit("/", 1)[1] for a in listed("assessments", "assessments")}
        self.assertEqual(years, {"2565", "2566", "2567", "2568"})
        self.assertEqual(len(listed("complaints", "complaints")), 4)
        self.assertTrue(listed("progressReports", "progress_reports"))
        with urllib.request.urlopen(GATEWAY + "/", timeout=10) as page:
            self.assertIn("<html", page.read().decode().lower())
        self.write_measure()

    def test_3_a_restart_keeps_every_write(self):
        self.write_measure()
        compose("restart", *PRONGSAI_SERVICES)
        wait_healthy()
        self.assert_every_write_is_there()

    def test_4_down_and_up_keeps_every_write(self):
        self.write_measure()
        compose("down")
        self.assertEqual(compose("ps", "-q").stdout.strip(), "")
        compose("up", "-d", "--no-build")
        wait_healthy()
        self.assert_every_write_is_there()
        self.assertEqual(len(self.written), 3)

    def test_5_image_holds_no_compiler_source_or_secret(self):
        container = run("docker", "create", IMAGE).stdout.strip()
        try:
            with tempfile.TemporaryFile() as exported:
                subprocess.run(["docker", "export", container], stdout=exported, check=True)
                exported.seek(0)
                with tarfile.open(fileobj=exported) as tar:
                    members = {m.name.lstrip("./"): m for m in tar.getmembers()}
        finally:
            run("docker", "rm", container)
        for binary in ("prongsai-plan", "prongsai-complaint", "prongsai-ita",
                       "prongsai-gateway", "prongsai-probe", "prongsai"):
            self.assertIn(f"usr/local/bin/{binary}", members)
        self.assertIn("usr/share/prongsai/web/index.html", members)
        tools = {"gcc", "g++", "cc", "c++", "clang", "cmake", "make", "ld", "as",
                 "protoc", "node", "npm"}
        found = []
        for path, member in members.items():
            base = os.path.basename(path)
            if member.isfile() or member.issym():
                if base in tools and "/bin/" in f"/{path}":
                    found.append(path)
                if base.endswith((".cc", ".cpp", ".proto")) or base == "CMakeLists.txt":
                    found.append(path)
                # deploy/secrets' files and their .example forms.
                if base.split(".")[0] in ("api_keys", "protection_keys", "peer_api_key",
                                          "session_signing_key", "session_verify_keys",
                                          "open311_lookup_api_key"):
                    found.append(path)
            if path.startswith(("usr/include/", "src/")) or "node_modules" in path:
                found.append(path)
        self.assertEqual(found[:20], [], f"{len(found)} paths that do not belong in the image")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    PROJECT = sys.argv[1]
    with open(sys.argv[2]) as key_file:
        API_KEY = key_file.readline().strip()
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
