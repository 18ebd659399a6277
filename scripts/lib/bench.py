#!/usr/bin/python3
"""The measurements of scripts/bench: ceilings, then the product, on SQLite
and on PostgreSQL + Redis, printed as one table and written as JSON.

scripts/bench builds the binaries, starts Redis and a durable PostgreSQL
and runs this with their URLs; everything here runs on 127.0.0.1, every
process it starts is stopped before it returns (or on SIGTERM/SIGINT), and
its files live under --scratch, which scripts/bench removes. The API key it
makes is never printed: prongsai-load gets it in its environment.

    bench.py --root REPO --bin BIN_DIR --scratch DIR --redis URL \\
        --pg_url URL --pg_bin DIR --json OUT [--quick]

Rows (every gRPC figure from prongsai-load, --json):
  ceilings   a do-nothing gRPC server in its own process (prongsai-load
             --serve_echo); SQLite commits (Python's sqlite3, WAL,
             synchronous=FULL, one 1 KB row per commit and 100 per commit, in
             the scratch directory, the disk the services' files are on);
             PostgreSQL commits of one 1 KB row at 1 and 16 clients (pgbench);
             each service's gRPC health check.
  product    cached reads, filing on one organization and spread over 1,000,
             tracking, statistics of a year of N complaints (uncached: a
             complaint process without Redis on the same database), a plan
             import through the service; and, in process (Google Benchmark,
             prongsai_bench), national peer analytics over 8,300 agencies,
             the plan import into SQLite and raw-answer ingestion.
"""

import argparse
import concurrent.futures
import datetime
import importlib
import json
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time

import grpc

REPO_ROOT = ""
MAIN_ORG = "6340101"
STATS_ORG = "6340102"
SPREAD_ORGS = 1000
# 190 characters of Thai, the size the filing figures of docs/operations.md
# were measured with.
DESCRIPTION = ("ไฟถนนหน้าโรงเรียนบ้านหนองบัวดับมาสองสัปดาห์แล้ว ชาวบ้านสัญจรลำบาก"
               "ในเวลากลางคืน เด็กนักเรียนต้องเดินผ่านทุกเช้าเย็น ขอให้องค์การ"
               "บริหารส่วนตำบลส่งเจ้าหน้าที่มาตรวจสอบและซ่อมแซมโดยเร็วที่สุด"
               "เพื่อความปลอดภัยของทุกคน")
SERVICES = ("plan", "complaint", "ita")
HEALTH = "/grpc.health.v1.Health/Check"

health_pb2 = health_grpc = common_pb2 = plan_pb2 = plan_grpc = None
complaint_pb2 = complaint_grpc = text_format = None


def say(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def percentile(sorted_values, q):
    """Nearest rank, as prongsai-load computes it."""
    if not sorted_values:
        return 0.0
    rank = max(1, int(-(-q * len(sorted_values) // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_row(latencies_us, elapsed_s, units=1):
    """QPS (units per second) and latency figures of a list of samples."""
    values = sorted(latencies_us)
    return {"qps": len(values) * units / elapsed_s if elapsed_s > 0 else 0.0,
            "calls": len(values), "p50_us": percentile(values, 0.50),
            "p99_us": percentile(values, 0.99),
            "max_us": values[-1] if values else 0.0}


# The generated modules the measurements use, by their global names here.
STUBS = {
    "health_pb2": "grpc.health.v1.health_pb2",
    "health_grpc": "grpc.health.v1.health_pb2_grpc",
    "common_pb2": "prongsai.common.v1.common_pb2",
    "plan_pb2": "prongsai.plan.v1.plan_pb2",
    "plan_grpc": "prongsai.plan.v1.plan_pb2_grpc",
    "complaint_pb2": "prongsai.complaint.v1.complaint_pb2",
    "complaint_grpc": "prongsai.complaint.v1.complaint_pb2_grpc",
    "text_format": "google.protobuf.text_format",
}


def import_stubs(build_dir, scratch):
    """Python stubs from protos/, as the interop tests make them, imported
    under the names of STUBS."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "interop"))
    interop_support = importlib.import_module("interop_support")
    os.environ.setdefault("PRONGSAI_GOOGLE_PROTO_DIR",
                          os.path.join(build_dir, "protos", "googleapis"))
    out = os.path.join(scratch, "stubs")
    os.mkdir(out)
    interop_support.generate_stubs(os.path.join(REPO_ROOT, "protos"), out)
    for name, module in STUBS.items():
        globals()[name] = importlib.import_module(module)
    return interop_support


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)


def memory_kib(pid):
    """VmRSS and VmHWM of a running process, in KiB."""
    figures = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0])
    return figures


class Child:
    """A process started by the bench, its output in a log file, stopped by
    stop() (SIGTERM, then SIGKILL after `grace` seconds)."""

    running = []

    def __init__(self, name, argv, log_path, env=None, cwd=None):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "w", encoding="utf-8")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True)
        Child.running.append(self)

    def log_tail(self, lines=20):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])

    def wait_for_address(self, timeout=30):
        """The address of its `listening ... address=HOST:PORT` line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                match = re.search(r" listening .*address=(\S+)", log.read())
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError(f"{self.name} did not listen (exit "
                           f"{self.process.poll()}):\n{self.log_tail()}")

    def stop(self, grace=15):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self in Child.running:
            Child.running.remove(self)
        return self.process.returncode


def stop_all():
    for child in reversed(list(Child.running)):
        child.stop()


def wait_serving(address, timeout=60):
    """Polls the gRPC health service until the server says SERVING."""
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(address) as channel:
        stub = health_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                if stub.Check(health_pb2.HealthCheckRequest(), timeout=1).status == \
                        health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.01)
    raise RuntimeError(f"{address} was not SERVING within {timeout} s")


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.duration = 1.0 if args.quick else 5.0
        self.warmup = 0.2 if args.quick else 1.0
        self.stats_complaints = args.stats_complaints or (
            5000 if args.quick else 100000)
        self.bin = args.bin
        self.scratch = args.scratch
        self.key = "bench_" + secrets.token_urlsafe(32)
        self.rows = []
        self.services = []  # per stack: start-up time and memory
        self.notes = []
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("PRONGSAI_")}
        self.load_env = dict(self.env, PRONGSAI_API_KEY=self.key)

    # ------------------------------------------------------------ helpers

    def metadata(self):
        return (("authorization", "Bearer " + self.key),)

    def load(self, target, method, request=None, requests=None, concurrency=16,
             channels=4, count=0, deadline=5, duration=None):
        """One prongsai-load run; its JSON report."""
        argv = [os.path.join(self.bin, "prongsai-load"), "--json",
                f"--target={target}", f"--method={method}",
                f"--concurrency={concurrency}", f"--channels={channels}",
                f"--deadline={deadline}s"]
        if count:
            argv += [f"--count={count}", "--warmup=0s"]
        else:
            argv += [f"--duration={duration or self.duration}s",
                     f"--warmup={self.warmup}s"]
        if requests is not None:
            path = os.path.join(self.scratch, f"requests-{secrets.token_hex(4)}.txt")
            with open(path, "w", encoding="utf-8") as out:
                out.write("\n---\n".join(requests))
            argv.append(f"--requests_file={path}")
        elif request:
            argv.append(f"--request={request}")
        done = subprocess.run(argv, env=self.load_env, capture_output=True,
                              text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"prongsai-load {method}: {done.stderr.strip()}")
        return json.loads(done.stdout)

    def add(self, stack, name, figures, in_flight="", ceiling=None, source="gRPC",
            note=""):
        """A row; `ceiling` is (name, qps) of what it is compared with."""
        row = {"stack": stack, "name": name, "in_flight": in_flight,
               "qps": figures.get("qps", 0.0), "p50_us": figures.get("p50_us", 0.0),
               "p99_us": figures.get("p99_us"), "max_us": figures.get("max_us", 0.0),
               "calls": figures.get("calls", 0), "source": source}
        errors = figures.get("errors_by_code") or {}
        if errors:
            row["errors_by_code"] = errors
        if ceiling and ceiling[1]:
            row["ceiling"] = ceiling[0]
            row["ratio"] = row["qps"] / ceiling[1]
        if note:
            row["note"] = note
        self.rows.append(row)
        return row

    def grpc_row(self, stack, name, target, method, request=None, ceiling=None,
                 note="", **load_args):
        say(f"{stack}: {name}")
        report = self.load(target, method, request, **load_args)
        return self.add(stack, name, report,
                        f"{report['concurrency']}/{report['channels']}ch",
                        ceiling, note=note)

    # ------------------------------------------------------------ ceilings

    def echo_ceiling(self):
        echo = Child("echo", [os.path.join(self.bin, "prongsai-load"),
                              "--serve_echo=127.0.0.1:0"],
                     os.path.join(self.scratch, "echo.log"), env=self.env)
        address = echo.wait_for_address()
        row = self.grpc_row("ceiling", "do-nothing gRPC server (own process)",
                            address, "/prongsai.tools.v1.Echo/Echo")
        row["rss_kib"] = memory_kib(echo.process.pid)
        echo.stop()
        return row["qps"]

    def sqlite_ceiling(self):
        """Durable commits of 1 KB rows in the scratch directory."""
        path = os.path.join(self.scratch, "ceiling.db")
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)")
        body = "x" * 1000
        figures = {}
        for name, batch in (("SQLite commit, 1 row per commit", 1),
                            ("SQLite commit, 100 rows per commit", 100)):
            say(f"ceiling: {name}")
            latencies = []
            start = time.monotonic()
            stop = start + self.duration
            while time.monotonic() < stop:
                began = time.monotonic()
                db.execute("BEGIN")
                db.executemany("INSERT INTO rows (body) VALUES (?)",
                               ((body,) for _ in range(batch)))
                db.execute("COMMIT")
                latencies.append((time.monotonic() - began) * 1e6)
            row = latency_row(latencies, time.monotonic() - start, units=batch)
            self.add("ceiling", name, row, "1", source="sqlite3",
                     note="rows/s; latency per commit")
            figures[batch] = row["qps"]
        db.close()
        return figures

    def postgres_ceiling(self):
        """Durable commits of one 1 KB row, pgbench at 1 and 16 clients."""
        url = self.args.pg_url
        subprocess.run(["/usr/bin/psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "-c", "CREATE TABLE bench_commit (id bigserial PRIMARY KEY,"
                        " body text)"], check=True, capture_output=True, timeout=60)
        script = os.path.join(self.scratch, "commit.sql")
        with open(script, "w", encoding="ascii") as out:
            out.write("INSERT INTO bench_commit (body) VALUES (repeat('x', 1000));\n")
        figures = {}
        for clients in (1, 16):
            name = f"PostgreSQL commit, {clients} client{'s' if clients > 1 else ''}"
            say(f"ceiling: {name}")
            work = os.path.join(self.scratch, f"pgbench-{clients}")
            os.mkdir(work)
            done = subprocess.run(
                [os.path.join(self.args.pg_bin, "pgbench"), "-n", "-f", script,
                 "-c", str(clients), "-j", str(min(clients, 2)),
                 "-T", str(max(1, int(self.duration))), "-l",
                 "--log-prefix", os.path.join(work, "tx"), url],
                capture_output=True, text=True, timeout=600, cwd=work)
            if done.returncode != 0:
                raise RuntimeError(f"pgbench: {done.stderr.strip()}")
            latencies = []
            for log in os.listdir(work):
                with open(os.path.join(work, log), encoding="ascii") as lines:
                    latencies += [float(line.split()[2]) for line in lines]
            tps = re.search(r"tps = ([\d.]+)", done.stdout)
            row = latency_row(latencies, max(1, int(self.duration)))
            if tps:
                row["qps"] = float(tps.group(1))
            self.add("ceiling", name, row, str(clients), source="pgbench")
            figures[clients] = row["qps"]
        subprocess.run(["/usr/bin/psql", url, "-X", "-q", "-c",
                        "DROP TABLE bench_commit"], capture_output=True, timeout=60)
        return figures

    # ------------------------------------------------------------ services

    def start_stack(self, stack, db_for, redis):
        """plan, complaint and ita one after the other (so each start-up time
        is its own); returns {name: (Child, address)}."""
        directory = os.path.join(self.scratch, stack)
        os.makedirs(os.path.join(directory, "var"), mode=0o700)
        write_private(os.path.join(directory, "api_keys"), self.key_line)
        write_private(os.path.join(directory, "peer_key"), self.key + "\n")
        address = {name: f"127.0.0.1:{free_port()}" for name in SERVICES}
        peers = {"plan": [f"--complaint_address={address['complaint']}",
                          f"--ita_address={address['ita']}"],
                 "complaint": [f"--plan_address={address['plan']}"],
                 "ita": [f"--plan_address={address['plan']}",
                         f"--complaint_address={address['complaint']}"]}
        started = {}
        for name in SERVICES:
            argv = [os.path.join(self.bin, f"prongsai-{name}"),
                    f"--listen={address[name]}", f"--db={db_for(name)}",
                    f"--api_keys={directory}/api_keys", "--trusted_proxies=127.0.0.1",
                    f"--peer_api_key_file={directory}/peer_key", *peers[name]]
            if redis:
                argv.append(f"--redis={redis}")
            env = dict(self.env)
            if name == "complaint":
                env["PRONGSAI_PROTECTION_KEYS_TEXT"] = self.protection_keys
            child = Child(f"{stack} {name}", argv,
                          os.path.join(directory, f"{name}.log"), env=env,
                          cwd=directory)
            child.wait_for_address()
            try:
                wait_serving(address[name])
            except RuntimeError as failed:
                raise RuntimeError(f"{failed}; its log:\n{child.log_tail()}") from None
            startup = time.monotonic() - child.started
            started[name] = (child, address[name])
            self.services.append({"stack": stack, "service": name,
                                  "startup_s": startup,
                                  "idle_rss_kib": memory_kib(child.process.pid)["VmRSS"]})
            say(f"{stack}: prongsai-{name} SERVING after {startup:.2f} s")
        return started

    def extra_complaint(self, stack, db_url, plan_address):
        """A second complaint process on the same database without Redis:
        every statistics call computes its figures."""
        directory = os.path.join(self.scratch, stack)
        address = f"127.0.0.1:{free_port()}"
        env = dict(self.env, PRONGSAI_PROTECTION_KEYS_TEXT=self.protection_keys)
        child = Child(f"{stack} complaint (no cache)",
                      [os.path.join(self.bin, "prongsai-complaint"),
                       f"--listen={address}", f"--db={db_url}",
                       f"--api_keys={directory}/api_keys",
                       f"--peer_api_key_file={directory}/peer_key",
                       f"--plan_address={plan_address}"],
                      os.path.join(directory, "complaint-nocache.log"), env=env,
                      cwd=directory)
        child.wait_for_address()
        wait_serving(address)
        return child, address

    # ------------------------------------------------------------ seeding

    @staticmethod
    def org_ref(code, name):
        return common_pb2.OrganizationRef(
            code=code, name=name, province="ขอนแก่น", district="เมืองขอนแก่น",
            kind=common_pb2.SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION)

    def spread_codes(self):
        return [f"64{i:05d}" for i in range(1, SPREAD_ORGS + 1)]

    def seed(self, plan_address):
        """The organizations, and seed 002 imported for MAIN_ORG; returns
        its annual plan's name (None without the seed)."""
        orgs = [(MAIN_ORG, "องค์การบริหารส่วนตำบลอีสานเขต"),
                (STATS_ORG, "องค์การบริหารส่วนตำบลสถิติ")]
        orgs += [(code, f"อบต.ทดสอบ {code}") for code in self.spread_codes()]
        with grpc.insecure_channel(plan_address) as channel:
            stub = plan_grpc.PlanServiceStub(channel)

            def create(org):
                stub.CreateOrganization(plan_pb2.CreateOrganizationRequest(
                    organization=plan_pb2.Organization(
                        organization=self.org_ref(*org))),
                    metadata=self.metadata(), timeout=30)

            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                list(pool.map(create, orgs))
            if not self.seed_text:
                return None
            imported = stub.ImportActionPlan(plan_pb2.ImportActionPlanRequest(
                parent=f"organizations/{MAIN_ORG}", text=self.seed_text,
                organization=self.org_ref(*orgs[0])),
                metadata=self.metadata(), timeout=60)
            return imported.annual_plan.name or None

    def filing_request(self, org):
        return (f'parent: "organizations/{org}" complaint {{ kind: GENERAL '
                f'channel: WEBSITE subject: "ไฟฟ้าส่องสว่างดับ" '
                f'description: "{DESCRIPTION}" }}')

    def tracking_codes(self, complaint_address, count):
        with grpc.insecure_channel(complaint_address) as channel:
            stub = complaint_grpc.ComplaintServiceStub(channel)
            request = complaint_pb2.CreateComplaintRequest()
            text_format.Parse(self.filing_request(MAIN_ORG), request)
            return [stub.CreateComplaint(request, metadata=self.metadata(),
                                         timeout=30).tracking_code
                    for _ in range(count)]

    # ------------------------------------------------------------ a stack

    def run_stack(self, stack, db_for, redis, filing_ceiling, echo_qps):
        services = self.start_stack(stack, db_for, redis)
        plan, complaint, ita = (services[n][1] for n in SERVICES)
        try:
            say(f"{stack}: seeding {SPREAD_ORGS + 2} organizations and seed 002")
            annual_plan = self.seed(plan)
            health = {}
            for name in SERVICES:
                row = self.grpc_row(stack, f"{name} health check", services[name][1],
                                    HEALTH, ceiling=("do-nothing server", echo_qps))
                health[name] = row["qps"]
            if annual_plan:
                for in_flight, channels in ((16, 4), (64, 4)):
                    self.grpc_row(
                        stack, "plan GetAnnualPlan (cached)", plan,
                        "/prongsai.plan.v1.PlanService/GetAnnualPlan",
                        f'name: "{annual_plan}"', concurrency=in_flight,
                        channels=channels, ceiling=("plan health", health["plan"]))
            else:
                self.notes.append("seed 002 not found beside the repository: "
                                  "no GetAnnualPlan or plan-import rows")
            create = "/prongsai.complaint.v1.ComplaintService/CreateComplaint"
            self.grpc_row(stack, "CreateComplaint, one organization", complaint,
                          create, self.filing_request(MAIN_ORG),
                          ceiling=filing_ceiling, deadline=30)
            self.grpc_row(stack, f"CreateComplaint, over {SPREAD_ORGS} organizations",
                          complaint, create,
                          requests=[self.filing_request(c) for c in self.spread_codes()],
                          ceiling=filing_ceiling, deadline=30)

            say(f"{stack}: filing {self.stats_complaints} complaints for the "
                "statistics year")
            seeded = self.load(complaint, create, self.filing_request(STATS_ORG),
                               count=self.stats_complaints, deadline=60,
                               concurrency=64, channels=4)
            self.notes.append(
                f"{stack}: {seeded['ok']:,} complaints for the statistics year filed "
                f"at {seeded['qps']:,.0f}/s (64 in flight)")
            if seeded["ok"] != self.stats_complaints:
                self.notes.append(f"{stack}: only {seeded['ok']} of "
                                  f"{self.stats_complaints} seeding filings succeeded "
                                  f"({seeded['errors_by_code']})")
            stats = "/prongsai.complaint.v1.ComplaintService/GetComplaintStatistics"
            today = datetime.date.today()
            be_year = today.year + 543 + (1 if today.month >= 10 else 0)
            stats_request = (f'parent: "organizations/{STATS_ORG}" '
                             f'fiscal_year {{ be_year: {be_year} }}')
            # One call first fills the cache: 16 concurrent misses of a big
            # year each compute it (no single flight there), and past their
            # deadline none of them is cached.
            primed = self.load(complaint, stats, stats_request, count=1,
                               concurrency=1, channels=1, deadline=300)
            self.notes.append(
                f"{stack}: the first statistics call of the {seeded['ok']:,}-complaint "
                f"year (filling the cache) took {primed['max_us'] / 1e3:,.0f} ms")
            self.grpc_row(stack, f"complaint statistics, {seeded['ok']:,} complaints "
                          "(cached)", complaint, stats, stats_request,
                          ceiling=("complaint health", health["complaint"]))
            extra, extra_address = self.extra_complaint(
                stack, db_for("complaint"), plan)
            try:
                # One call at a time: the figure is the cost of one
                # computation, not of 16 competing for the cores.
                self.grpc_row(stack, f"complaint statistics, {seeded['ok']:,} "
                              "complaints (uncached)", extra_address, stats,
                              stats_request, deadline=120, concurrency=1,
                              channels=1,
                              ceiling=("complaint health", health["complaint"]),
                              note="a complaint process without Redis, 1 in flight")
            finally:
                extra.stop()

            codes = [c for c in self.tracking_codes(complaint, 200) if c]
            if codes:
                self.grpc_row(stack, f"TrackComplaint, {len(codes)} codes", complaint,
                              "/prongsai.complaint.v1.ComplaintService/TrackComplaint",
                              requests=[f'tracking_code: "{c}"' for c in codes],
                              ceiling=("complaint health", health["complaint"]))
            else:
                self.notes.append(f"{stack}: CreateComplaint returned no tracking "
                                  "code: no tracking row")

            if annual_plan:
                imports = 3 if self.quick else 20
                requests = []
                for code in self.spread_codes()[:imports]:
                    request = plan_pb2.ImportActionPlanRequest(
                        parent=f"organizations/{code}", text=self.seed_text,
                        organization=self.org_ref(code, f"อบต.ทดสอบ {code}"))
                    requests.append(text_format.MessageToString(
                        request, as_utf8=True, as_one_line=True))
                self.grpc_row(stack, "ImportActionPlan, seed 002 (308 KB)", plan,
                              "/prongsai.plan.v1.PlanService/ImportActionPlan",
                              requests=requests, concurrency=1, channels=1,
                              count=imports, deadline=120,
                              note=f"{imports} imports, one at a time")
        finally:
            for entry in self.services:
                if entry["stack"] == stack:
                    child = services[entry["service"]][0]
                    entry["peak_rss_kib"] = memory_kib(child.process.pid)["VmHWM"]
                    entry["exit"] = child.stop()

    # ------------------------------------------------------------ in process

    def in_process(self):
        say("in process: prongsai_bench (Google Benchmark)")
        binary = os.path.join(self.bin, "prongsai_bench")
        done = subprocess.run(
            [binary, "--benchmark_format=json",
             "--benchmark_filter=PeerAnalyticsNational|ImportSeed002IntoSqlite|"
             "IngestRawAnswersThroughTheService",
             f"--benchmark_repetitions={3 if self.quick else 5}",
             f"--benchmark_min_time={0.2 if self.quick else 1.0}"],
            capture_output=True, text=True, timeout=1800, env=self.env)
        if done.returncode != 0:
            self.notes.append(f"prongsai_bench failed: {done.stderr.strip()[-300:]}")
            return
        report = json.loads(done.stdout)
        names = {"BM_PeerAnalyticsNational/8300":
                 "national peer analytics, 8,300 agencies",
                 "BM_ImportSeed002IntoSqlite": "plan import, seed 002 into SQLite",
                 "BM_IngestRawAnswersThroughTheService/2000/real_time":
                 "raw-answer ingestion, 2,000 respondents a call"}
        runs = {}
        for bench in report["benchmarks"]:
            if bench.get("run_type") != "iteration" or "error_occurred" in bench:
                if bench.get("error_occurred"):
                    self.notes.append(f"{bench['run_name']}: {bench.get('error_message')}")
                continue
            runs.setdefault(bench["run_name"], []).append(bench)
        scale = {"ns": 1e-3, "us": 1, "ms": 1e3, "s": 1e6}
        for run_name, label in names.items():
            reps = runs.get(run_name)
            if not reps:
                continue
            times = sorted(r["real_time"] * scale[r["time_unit"]] for r in reps)
            median = times[len(times) // 2]
            row = {"qps": 1e6 / median, "p50_us": median, "p99_us": None,
                   "max_us": times[-1], "calls": sum(r["iterations"] for r in reps)}
            note = f"in-process, median of {len(times)} repetitions"
            if "items_per_second" in reps[0]:
                rate = sorted(r["items_per_second"] for r in reps)[len(reps) // 2]
                note += f"; {rate:,.0f} answers/s" if "Ingest" in run_name else ""
            self.add("in-process", label, row, "1", source="prongsai_bench",
                     note=note)

    # ------------------------------------------------------------ all

    def run(self):
        seed = os.path.join(REPO_ROOT, "..", "shared", "seeds",
                            "002_da2eef7f943bd544.txt")
        self.seed_text = None
        if os.path.isfile(seed):
            with open(seed, encoding="utf-8") as text:
                self.seed_text = text.read()
        support = import_stubs(os.path.dirname(self.bin), self.scratch)
        self.key_line = support.key_line(self.key, "bench", "SYSTEM", "*")
        self.protection_keys = support.protection_keys_text()

        echo_qps = self.echo_ceiling()
        sqlite = self.sqlite_ceiling()
        postgres = self.postgres_ceiling()

        say("stack sqlite+redis: three services on SQLite files, with Redis")
        self.run_stack(
            "sqlite", lambda name: f"sqlite://{self.scratch}/sqlite/{name}.db",
            self.args.redis, ("SQLite 1 row/commit", sqlite[1]), echo_qps)
        say("stack postgres+redis: three services on one PostgreSQL database")
        self.run_stack("postgres", lambda name: self.args.pg_url, self.args.redis,
                       ("PostgreSQL 16 clients", postgres[16]), echo_qps)
        self.in_process()


# ---------------------------------------------------------------- output

def fmt_latency(us):
    if us is None:
        return "-"
    if us < 10000:
        return f"{us:.0f}us"
    if us < 10e6:
        return f"{us / 1000:.1f}ms"
    return f"{us / 1e6:.2f}s"


def table(bench):
    lines = []
    lines.append("flight: calls in flight/channels; ratio: QPS over the "
                 "ceiling's QPS (rows/s for SQLite, transactions/s for pgbench)")
    header = (f"{'stack':<10} {'measurement':<52} {'flight':>8} {'QPS':>10} "
              f"{'p50':>8} {'p99':>8} {'max':>8}  {'ratio to ceiling':<32}")
    lines.append(header)
    lines.append("-" * len(header))
    for row in bench.rows:
        ratio = ""
        if "ratio" in row:
            ratio = f"{row['ratio']:.3g} of {row['ceiling']}"
        errors = row.get("errors_by_code")
        if errors:
            ratio += " ERR " + ",".join(f"{k}:{v}" for k, v in errors.items())
        lines.append(f"{row['stack']:<10} {row['name'][:52]:<52} {row['in_flight']:>8} "
                     f"{row['qps']:>10,.1f} {fmt_latency(row['p50_us']):>8} "
                     f"{fmt_latency(row['p99_us']):>8} "
                     f"{fmt_latency(row['max_us']):>8}  {ratio}")
    lines.append("")
    lines.append(f"{'stack':<10} {'service':<10} {'start-up':>9} {'idle RSS':>10} "
                 f"{'peak RSS':>10}")
    for entry in bench.services:
        peak = entry.get("peak_rss_kib")
        lines.append(f"{entry['stack']:<10} {entry['service']:<10} "
                     f"{entry['startup_s']:>8.2f}s "
                     f"{entry['idle_rss_kib'] / 1024:>8.1f}MB "
                     f"{(peak or 0) / 1024:>8.1f}MB")
    for row in bench.rows:
        if row.get("note"):
            lines.append(f"note: {row['stack']} {row['name']}: {row['note']}")
    for note in bench.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def main():
    global REPO_ROOT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--pg_url", required=True)
    parser.add_argument("--pg_bin", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stats_complaints", type=int, default=0)
    args = parser.parse_args()
    REPO_ROOT = args.root
    # SIGTERM ends the run through the finally clauses, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench = Bench(args)
    started = time.monotonic()
    try:
        bench.run()
    finally:
        stop_all()
    print(table(bench))
    result = {"quick": args.quick, "duration_s": bench.duration,
              "warmup_s": bench.warmup, "host_cpus": os.cpu_count(),
              "time": datetime.datetime.now(datetime.timezone.utc).isoformat(),
              "rows": bench.rows, "services": bench.services, "notes": bench.notes,
              "elapsed_s": time.monotonic() - started}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=False, indent=1)
    say(f"wrote {args.json} ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
