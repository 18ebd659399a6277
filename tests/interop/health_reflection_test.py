#!/usr/bin/python3
"""The three services as another team's Python client sees them.

Stubs are generated at test time from the repository's protos/ only, the way
a consumer of the API would (interop_support.generate_stubs: protoc +
grpc_python_plugin from Debian). Each service binary runs as its own
process on port 0 with SQLite files in a scratch directory (and Redis when
PRONGSAI_TEST_REDIS_URL is set); its address comes from its `listening` log
line. Checked: grpc.health.v1 (SERVING, NOT_FOUND for unknown names), server
reflection (service list, a descriptor a dynamic client can load), API keys
(none or a wrong one is UNAUTHENTICATED, a SYSTEM key is admitted) and that
SIGTERM ends each process with exit code 0.

    health_reflection_test.py BIN_DIR PROTO_DIR [unittest options]
"""

import dataclasses
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support  # noqa: E402  (tests/interop/interop_support.py)

BIN_DIR = ""
PROTO_DIR = ""
RPC_TIMEOUT = 5  # seconds; every call carries it as its deadline
ORGANIZATION = "organizations/6340101"


@dataclasses.dataclass(frozen=True)
class Api:
    binary: str
    full_name: str
    module: str  # generated modules: <module>_pb2, <module>_pb2_grpc
    methods: tuple  # Create, Get, List
    get_name: str  # a well-formed name of a resource that does not exist

    @property
    def stub_class(self):
        return self.full_name.rsplit(".", 1)[1] + "Stub"

    @property
    def get_method(self):
        return self.methods[1]

    @property
    def list_method(self):
        return self.methods[2]


APIS = (
    Api("prongsai-plan", "prongsai.plan.v1.PlanService", "prongsai.plan.v1.plan",
        ("CreateActionPlan", "GetActionPlan", "ListActionPlans"),
        ORGANIZATION + "/actionPlans/aaaaaaaaaaaaaaaa"),
    Api("prongsai-complaint", "prongsai.complaint.v1.ComplaintService",
        "prongsai.complaint.v1.complaint",
        ("CreateComplaint", "GetComplaint", "ListComplaints"),
        ORGANIZATION + "/complaints/aaaaaaaaaaaaaaaa"),
    Api("prongsai-ita", "prongsai.ita.v1.AssessmentService", "prongsai.ita.v1.ita",
        ("CreateAssessment", "GetAssessment", "ListAssessments"),
        ORGANIZATION + "/assessments/2567"),
)

HEALTH = "grpc.health.v1.Health"
REFLECTION = "grpc.reflection.v1alpha.ServerReflection"

# Filled by import_stubs().
health_pb2 = health_pb2_grpc = reflection_pb2 = reflection_pb2_grpc = None
api_modules = {}  # Api.module -> (messages module, grpc module)


def import_stubs():
    """Imports the modules interop_support.generate_stubs() made."""
    global health_pb2, health_pb2_grpc, reflection_pb2, reflection_pb2_grpc
    health_pb2 = importlib.import_module("grpc.health.v1.health_pb2")
    health_pb2_grpc = importlib.import_module("grpc.health.v1.health_pb2_grpc")
    reflection_pb2 = importlib.import_module("grpc.reflection.v1alpha.reflection_pb2")
    reflection_pb2_grpc = importlib.import_module(
        "grpc.reflection.v1alpha.reflection_pb2_grpc")
    for api in APIS:
        api_modules[api.module] = (importlib.import_module(api.module + "_pb2"),
                                   importlib.import_module(api.module + "_pb2_grpc"))


def start_service(api, scratch, api_keys):
    """The api's binary on 127.0.0.1:0 with a SQLite file in `scratch` (and
    Redis when PRONGSAI_TEST_REDIS_URL is set)."""
    args = ["--listen=127.0.0.1:0", f"--db=sqlite://{scratch}/{api.binary}.db"]
    if api_keys:
        args.append(f"--api_keys={api_keys}")
    redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")
    if redis:
        args.append(f"--redis={redis}")
    return interop_support.ServiceProcess(os.path.join(BIN_DIR, api.binary), args)


def start_services(test_class, api_keys):
    """Starts all three (in parallel) and returns them listening; each is
    killed at class clean-up whatever happens."""
    scratch = tempfile.mkdtemp(prefix="prongsai-interop-")
    test_class.addClassCleanup(shutil.rmtree, scratch, ignore_errors=True)
    processes = {}
    for api in APIS:
        processes[api.binary] = start_service(api, scratch, api_keys)
        test_class.addClassCleanup(processes[api.binary].kill)
    for process in processes.values():
        process.wait_listening()
    return processes


def health_check(channel, service):
    stub = health_pb2_grpc.HealthStub(channel)
    return stub.Check(health_pb2.HealthCheckRequest(service=service),
                      timeout=RPC_TIMEOUT).status


def reflect(channel, **request):
    """One ServerReflectionInfo exchange; returns the single response."""
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = list(stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=RPC_TIMEOUT))
    if len(responses) != 1:
        raise AssertionError(f"expected one reflection response, got {len(responses)}")
    response = responses[0]
    if response.HasField("error_response"):
        raise AssertionError(f"reflection error {response.error_response.error_code}: "
                             f"{response.error_response.error_message}")
    return response


class ServingTest(unittest.TestCase):
    """Health, reflection and authentication on three running services."""

    @classmethod
    def setUpClass(cls):
        scratch = tempfile.mkdtemp(prefix="prongsai-interop-keys-")
        cls.addClassCleanup(shutil.rmtree, scratch, ignore_errors=True)
        api_keys = os.path.join(scratch, "api_keys")
        added = subprocess.run(
            [os.path.join(BIN_DIR, "prongsai"), "keys", "add", f"--file={api_keys}",
             "--name=interop", "--roles=SYSTEM", "--orgs=*"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, check=True)
        cls.system_key = added.stdout.strip()
        if not cls.system_key:
            raise AssertionError("`prongsai keys add` printed no key")
        cls.processes = start_services(cls, api_keys)
        cls.channels = {}
        for binary, process in cls.processes.items():
            cls.channels[binary] = grpc.insecure_channel(process.address)
            cls.addClassCleanup(cls.channels[binary].close)

    def call(self, api, method, key=None, **fields):
        """`method` of the api's service with a request made of `fields`."""
        messages, services = api_modules[api.module]
        stub = getattr(services, api.stub_class)(self.channels[api.binary])
        request = getattr(messages, method + "Request")(**fields)
        metadata = None if key is None else [("authorization", "Bearer " + key)]
        return getattr(stub, method)(request, metadata=metadata, timeout=RPC_TIMEOUT)

    def assert_code(self, code, call):
        with self.assertRaises(grpc.RpcError) as raised:
            call()
        self.assertEqual(raised.exception.code(), code, raised.exception.details())

    def test_health_is_serving_overall_and_per_service(self):
        serving = health_pb2.HealthCheckResponse.SERVING
        for api in APIS:
            with self.subTest(service=api.full_name):
                channel = self.channels[api.binary]
                self.assertEqual(health_check(channel, ""), serving)
                self.assertEqual(health_check(channel, api.full_name), serving)

    def test_health_of_unknown_service_is_not_found(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                channel = self.channels[api.binary]
                self.assert_code(grpc.StatusCode.NOT_FOUND,
                                 lambda: health_check(channel, "prongsai.nothing.v1.Nothing"))

    def test_reflection_lists_the_service_health_and_reflection(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                channel = self.channels[api.binary]
                response = reflect(channel, list_services="")
                names = {s.name for s in response.list_services_response.service}
                self.assertLessEqual({api.full_name, HEALTH, REFLECTION}, names)
                others = {a.full_name for a in APIS} - {api.full_name}
                self.assertFalse(names & others, f"{api.binary} also serves {names & others}")

    def test_reflection_describes_the_service_completely(self):
        # What a dynamic client (grpcurl, Postman) does: load the file that
        # declares the service, with its dependencies, into an empty pool.
        from google.protobuf import descriptor_pb2, descriptor_pool
        for api in APIS:
            with self.subTest(service=api.full_name):
                channel = self.channels[api.binary]
                response = reflect(channel, file_containing_symbol=api.full_name)
                files = {}
                for serialized in response.file_descriptor_response.file_descriptor_proto:
                    file = descriptor_pb2.FileDescriptorProto.FromString(serialized)
                    files[file.name] = file
                pool = descriptor_pool.DescriptorPool()
                added = set()

                def add(name):
                    if name in added:
                        return
                    self.assertIn(name, files, "reflection left out a dependency")
                    for dependency in files[name].dependency:
                        add(dependency)
                    pool.Add(files[name])
                    added.add(name)

                for name in files:
                    add(name)
                service = pool.FindServiceByName(api.full_name)
                self.assertLessEqual(set(api.methods), {m.name for m in service.methods})

    def test_calls_without_a_key_are_unauthenticated(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                self.assert_code(grpc.StatusCode.UNAUTHENTICATED,
                                 lambda: self.call(api, api.get_method, name=api.get_name))

    def test_calls_with_a_wrong_key_are_unauthenticated(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                self.assert_code(grpc.StatusCode.UNAUTHENTICATED,
                                 lambda: self.call(api, api.get_method, key="not-a-key",
                                                   name=api.get_name))

    def test_system_key_is_admitted(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                listed = self.call(api, api.list_method, key=self.system_key,
                                   parent=ORGANIZATION)
                # A fresh database: no items and no next page.
                self.assertEqual(listed.ListFields(), [])
                self.assert_code(grpc.StatusCode.NOT_FOUND,
                                 lambda: self.call(api, api.get_method, key=self.system_key,
                                                   name=api.get_name))


class ShutdownTest(unittest.TestCase):
    """SIGTERM after serving a call: a graceful stop with exit code 0."""

    @classmethod
    def setUpClass(cls):
        cls.processes = start_services(cls, api_keys=None)  # PUBLIC only

    def test_sigterm_stops_each_service_with_exit_code_0(self):
        for api in APIS:
            with self.subTest(service=api.full_name):
                process = self.processes[api.binary]
                with grpc.insecure_channel(process.address) as channel:
                    self.assertEqual(health_check(channel, api.full_name),
                                     health_pb2.HealthCheckResponse.SERVING)
                try:
                    code = process.terminate()
                except subprocess.TimeoutExpired:
                    self.fail(f"{api.binary} still running "
                              f"{interop_support.SHUTDOWN_TIMEOUT} s after SIGTERM; "
                              f"its log:\n{process.log()}")
                self.assertEqual(code, 0, f"{api.binary} log:\n{process.log()}")


def main():
    global BIN_DIR, PROTO_DIR
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN_DIR, PROTO_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="prongsai-interop-stubs-") as stubs:
        interop_support.generate_stubs(PROTO_DIR, stubs)
        import_stubs()
        program = unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2, exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
