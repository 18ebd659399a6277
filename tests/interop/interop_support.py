"""What the interop tests share: Python stubs generated from protos/, and a
service binary run as its own process.

Used by health_reflection_test.py and cycle_interop_test.py, which import it
from their own directory:

    interop_support.generate_stubs(proto_dir, stubs_dir)
    plan_pb2 = importlib.import_module("prongsai.plan.v1.plan_pb2")

    service = interop_support.ServiceProcess(
        os.path.join(bin_dir, "prongsai-plan"), ["--listen=127.0.0.1:0", ...])
    address = service.wait_listening()
    ...
    exit_code = service.terminate()  # or kill(), at clean-up
"""

import base64
import contextlib
import hashlib
import importlib
import os
import re
import shutil
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

import grpc

# Seconds a service gets to report its listening address, and to end after a
# signal (the defaults of ServiceProcess's waits).
STARTUP_TIMEOUT = 30
SHUTDOWN_TIMEOUT = 15


def generate_stubs(proto_dir, out_dir):
    """Compiles every .proto under `proto_dir` into Python modules in
    `out_dir` and makes them importable: `prongsai.plan.v1.plan_pb2`,
    `grpc.health.v1.health_pb2`, `grpc.reflection.v1alpha.reflection_pb2` and
    their `_pb2_grpc` companions (import them with importlib afterwards).

    Stubs come from protoc + grpc_python_plugin (Debian's), the way a consumer
    of the API would build them: the grpc_tools.protoc that Debian packages is
    protoc 3.6, which rejects the proto3 `optional` fields the API uses. Exits
    the program when either tool is missing."""
    protoc, plugin = shutil.which("protoc"), shutil.which("grpc_python_plugin")
    if not protoc or not plugin:
        sys.exit("needs protoc and grpc_python_plugin (protobuf-compiler, "
                 "protobuf-compiler-grpc; scripts/setup installs them)")
    # The API imports google/api/annotations.proto for its HTTP routes; the
    # build unpacks Google's protos and names the folder here.
    google_dir = os.environ.get("PRONGSAI_GOOGLE_PROTO_DIR", "")
    if not os.path.isfile(os.path.join(google_dir, "google/api/annotations.proto")):
        sys.exit("PRONGSAI_GOOGLE_PROTO_DIR must name the folder holding "
                 "google/api/annotations.proto (the build tree's "
                 "protos/googleapis; ctest sets it)")
    protos = []
    for root in (proto_dir, google_dir):
        for directory, _, files in os.walk(root):
            protos += [os.path.relpath(os.path.join(directory, f), root)
                       for f in files if f.endswith(".proto")]
    subprocess.run(
        [protoc, f"-I{proto_dir}", f"-I{google_dir}", f"--python_out={out_dir}",
         f"--grpc_python_out={out_dir}", f"--plugin=protoc-gen-grpc_python={plugin}",
         *sorted(protos)],
        check=True, timeout=60)
    sys.path.insert(0, out_dir)
    # grpc is an installed regular package, so its subpackages are looked up
    # only in its own directory: let grpc.health and grpc.reflection also be
    # found in the generated tree.
    grpc.__path__.append(os.path.join(out_dir, "grpc"))


class ServiceProcess:
    """One service binary started with `args`; its stderr is collected in a
    thread, and the address it serves on is read from its `listening ...
    address=` log line (so `--listen=127.0.0.1:0` works).

    The process gets the caller's environment without any PRONGSAI_*
    variable (the tests' own PRONGSAI_TEST_* included; a stray
    PRONGSAI_TLS_CERT would turn on TLS), plus `extra_env`: only what the test
    says configures it."""

    def __init__(self, binary_path, args, extra_env=None):
        self.name = os.path.basename(binary_path)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}
        env.update(extra_env or {})
        self.process = subprocess.Popen(
            [binary_path, *args], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, errors="replace")
        self.lines = []  # stderr so far, without line ends
        self.address = None  # host:port once it is listening
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if self.address is None and " listening " in line:
                match = re.search(r"address=(\S+)", line)
                if match:
                    self.address = match.group(1)
                    self._listening.set()
        self._listening.set()  # EOF: the process is gone

    def lines_containing(self, text, timeout=5):
        """The stderr lines that contain `text`, waiting up to `timeout`
        seconds for the first: a line is read by another thread and may be
        written after the answer it describes (an access log line is)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in self.lines if text in line]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def log(self):
        """The last 30 lines of its stderr, for failure messages."""
        return "\n".join(self.lines[-30:])

    def wait_listening(self, timeout=STARTUP_TIMEOUT):
        """Waits up to `timeout` seconds for the listening line and returns
        the address; AssertionError (with the log) when there is none."""
        self._listening.wait(timeout)
        if self.address is None:
            raise AssertionError(
                f"{self.name} did not report a listening address "
                f"(exit code {self.process.poll()}); its log:\n{self.log()}")
        return self.address

    def terminate(self, timeout=SHUTDOWN_TIMEOUT):
        """SIGTERM (unless it has already ended) and waits up to `timeout`
        seconds; returns the exit code. subprocess.TimeoutExpired when it is
        still running."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self._reader.join(timeout)

    def kill(self, timeout=SHUTDOWN_TIMEOUT):
        """SIGKILL (unless it has already ended) and waits up to `timeout`
        seconds for it and for its log."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout)
        self._reader.join(timeout)


# ------------------------------------------------ keys, files, PostgreSQL

# The plan service's stubs the fault tests use, by the global name they
# use them under.
PLAN_STUBS = {
    "plan_pb2": "prongsai.plan.v1.plan_pb2",
    "plan_pb2_grpc": "prongsai.plan.v1.plan_pb2_grpc",
    "common_pb2": "prongsai.common.v1.common_pb2",
}


def run_tests_with_stubs(proto_dir, stubs, namespace, argv):
    """Generates the Python stubs in a scratch folder, imports `stubs`
    (global name -> module) into `namespace` (the test module's globals()),
    runs the __main__ module's unittest tests with `argv` and exits with
    their verdict."""
    with tempfile.TemporaryDirectory(prefix="prongsai-stubs-") as out:
        generate_stubs(proto_dir, out)
        for name, module in stubs.items():
            namespace[name] = importlib.import_module(module)
        program = unittest.main(argv=argv, verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


def key_line(key, name, roles, orgs):
    return f"{hashlib.sha256(key.encode()).hexdigest()} {name} {roles} {orgs}\n"


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)


def protection_keys_text():
    """services/complaint/protection.h: `seal <id> <base64 of 32 bytes>` and
    exactly one `tracking <base64 of 32 bytes>`."""
    return (f"seal k1 {base64.b64encode(secrets.token_bytes(32)).decode()}\n"
            f"tracking {base64.b64encode(secrets.token_bytes(32)).decode()}\n")


def psql(admin_url, sql):
    done = subprocess.run(
        ["/usr/bin/psql", admin_url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        # The URL may hold a password: report psql's message only.
        raise AssertionError(f"psql failed ({sql.split()[0]} ...): {done.stderr.strip()}")


def free_port():
    """A loopback port nothing listens on, claimed for ten minutes in
    $TMPDIR/prongsai-test-ports as tests/support/net.cc claims its ports, so
    that no test run side by side is handed it before our child binds it."""
    claims = os.path.join(tempfile.gettempdir(), "prongsai-test-ports")
    os.makedirs(claims, exist_ok=True)
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        claim = os.path.join(claims, str(port))
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return port
        except FileExistsError:
            try:
                if time.time() - os.stat(claim).st_mtime >= 600:
                    os.utime(claim)  # stale: a finished run's
                    return port
            except OSError:
                pass
    return port


def start_stack(bin_dir, scratch, db=None, redis=None, service_args=None,
                gateway_args=(), attempts=3):
    """start_stack_once, again on new ports when a service could not listen
    on the ones chosen (another test took a port between free_port and the
    bind: the services refuse to share a port)."""
    for attempt in range(attempts):
        try:
            return start_stack_once(bin_dir, scratch, db, redis, service_args,
                                    gateway_args)
        except PortTaken:
            if attempt == attempts - 1:
                raise


class PortTaken(AssertionError):
    """A service of the stack did not listen: its port was taken."""


def start_stack_once(bin_dir, scratch, db=None, redis=None, service_args=None,
                     gateway_args=()):
    """Starts prongsai-plan, -complaint and -ita on free loopback ports, each
    on `db` (a PostgreSQL URL) or its own SQLite file in `scratch`, with the
    keys of `scratch`/api_keys and `scratch`/peer_key (which the caller
    writes), `redis` when given, and `service_args` ({name: [flag, ...]})
    added; then prongsai-gateway in front of them with `gateway_args`.
    Returns the processes, the gateway last, once all listen and the
    gateway's /healthz says every service is SERVING; the caller kills them.
    When this raises, it has killed what it started."""
    address = {name: f"127.0.0.1:{free_port()}" for name in ("plan", "complaint", "ita")}
    peers = {"plan": ["--complaint_address=" + address["complaint"],
                      "--ita_address=" + address["ita"]],
             "complaint": ["--plan_address=" + address["plan"]],
             "ita": ["--plan_address=" + address["plan"],
                     "--complaint_address=" + address["complaint"]]}
    processes = []
    try:
        for name in ("plan", "complaint", "ita"):
            args = [f"--listen={address[name]}",
                    f"--db={db or f'sqlite://{scratch}/{name}.db'}",
                    f"--api_keys={scratch}/api_keys",
                    f"--peer_api_key_file={scratch}/peer_key", *peers[name],
                    *(service_args or {}).get(name, [])]
            if redis:
                args.append(f"--redis={redis}")
            env = ({"PRONGSAI_PROTECTION_KEYS_TEXT": protection_keys_text()}
                   if name == "complaint" else {})
            processes.append(ServiceProcess(
                os.path.join(bin_dir, "prongsai-" + name), args, env))
        processes.append(ServiceProcess(
            os.path.join(bin_dir, "prongsai-gateway"),
            ["--listen=127.0.0.1:0", *gateway_args,
             *(f"--{n}_address={a}" for n, a in address.items())]))
        for process in processes:
            try:
                process.wait_listening()
            except AssertionError as failed:
                if any("ddress already in use" in line for line in process.lines):
                    raise PortTaken(str(failed)) from failed
                raise
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(
                        f"http://{processes[-1].address}/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the services never became healthy")
                time.sleep(0.1)
    except BaseException:
        for process in processes:
            process.kill()
        raise
    return processes


@contextlib.contextmanager
def scratch_database(prefix):
    """A fresh PostgreSQL database named `prefix`_<random> on the server of
    PRONGSAI_TEST_PG_URL, as a URL, dropped afterwards; None without that
    variable (the services then use SQLite files)."""
    admin = os.environ.get("PRONGSAI_TEST_PG_URL")
    if not admin:
        yield None
        return
    database = f"{prefix}_{secrets.token_hex(6)}"
    psql(admin, f"CREATE DATABASE {database}")
    try:
        parts = urllib.parse.urlsplit(admin)
        yield urllib.parse.urlunsplit(parts._replace(path="/" + database))
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
