#!/usr/bin/python3
"""docker-compose.yml, deploy/Dockerfile, deploy/secrets and docs/operations.md
agree with each other and with the build.

`docker-compose config` must accept the file as a fresh clone has it, and in the
configuration it resolves every Prongsai service must
  - run a binary that the build makes and the Dockerfile copies into the image,
    and probe its health with prongsai-probe (also built and copied) on the
    port it listens on;
  - read its API keys, peer key and protection keys from secrets it mounts,
    each defined and backed by an existing file (the examples by default);
  - reach its peers at services the file defines, on the ports they listen on;
  - set only PRONGSAI_* variables that are flags of its binary, which the
    binary really reads (its --helpfull shows them as current values);
  - wait for what it needs: postgres and redis healthy -> complaint healthy ->
    plan healthy -> ita.
The example secrets must be accepted by the binaries that mount them (each
service is started with them, on SQLite, and stopped with SIGTERM), and the
flag tables in docs/operations.md must be what the binaries' --helpfull says.
With deploy/compose.mtls.yml over it (certificates from deploy/tls/make-certs)
the same holds, every connection is mutual TLS, and a service started that
way answers the probe as compose runs it and refuses one without a
certificate.
The negative cases feed the same checks a broken copy of the configuration, so
a check that could never fail would show here.

    compose_test.py SOURCE_DIR BIN_DIR [unittest options]
    compose_test.py SOURCE_DIR BIN_DIR --write-flag-tables   # regenerate the doc's tables
"""

import copy
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import yaml

SOURCE_DIR = ""
BIN_DIR = ""

# compose service -> the binary it must run.
SERVICES = {
    "plan": "prongsai-plan",
    "complaint": "prongsai-complaint",
    "ita": "prongsai-ita",
}
# The HTTP gateway in front of them: checked like a service, minus the peer
# key (it presents each caller's own key; its one secret is the key of
# Open311's public lookups).
GATEWAY = "gateway"
BINARIES = {**SERVICES, GATEWAY: "prongsai-gateway"}
PROBE = "prongsai-probe"
CLI = "prongsai"
DOCKERFILE = "deploy/Dockerfile"
OPERATIONS_DOC = "docs/operations.md"

# The peers each service calls: address variable -> the compose service.
PEERS = {
    "plan": {"PRONGSAI_COMPLAINT_ADDRESS": "complaint", "PRONGSAI_ITA_ADDRESS": "ita"},
    "complaint": {"PRONGSAI_PLAN_ADDRESS": "plan"},
    "ita": {"PRONGSAI_PLAN_ADDRESS": "plan", "PRONGSAI_COMPLAINT_ADDRESS": "complaint"},
    GATEWAY: {"PRONGSAI_PLAN_ADDRESS": "plan", "PRONGSAI_COMPLAINT_ADDRESS": "complaint",
              "PRONGSAI_ITA_ADDRESS": "ita"},
}
# Variables that must name a mounted secret, per service.
SECRET_VARIABLES = {
    "plan": ("PRONGSAI_API_KEYS", "PRONGSAI_PEER_API_KEY_FILE"),
    "complaint": ("PRONGSAI_API_KEYS", "PRONGSAI_PROTECTION_KEYS",
                  "PRONGSAI_PEER_API_KEY_FILE"),
    "ita": ("PRONGSAI_API_KEYS", "PRONGSAI_PEER_API_KEY_FILE"),
    GATEWAY: ("PRONGSAI_OPEN311_LOOKUP_API_KEY_FILE",),
}
# Start-up order: every service waits for these to be healthy, and only these.
DEPENDS_ON = {
    "complaint": {"postgres", "redis"},
    "plan": {"postgres", "redis", "complaint"},
    "ita": {"postgres", "redis", "complaint", "plan"},
    GATEWAY: {"complaint", "plan", "ita"},
}
# PRONGSAI_* variables a binary reads that are not PRONGSAI_<FLAG>.
NON_FLAG_VARIABLES = {
    "prongsai-complaint": {"PRONGSAI_PROTECTION_KEYS_TEXT"},
}


# ------------------------------------------------------------- Dockerfile


def dockerfile_instructions(text):
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def image_binaries(dockerfile_text):
    """Names the final stage copies from earlier stages into /usr/local/bin,
    keeping only those the build stage's `cmake --build --target` builds (when
    it names targets at all), plus the final stage's USER."""
    built_targets = None
    stage_names = []
    copied = set()
    user = "root"
    for keyword, rest in dockerfile_instructions(dockerfile_text):
        if keyword == "FROM":
            words = rest.split()
            stage_names.append(words[2] if len(words) >= 3 else str(len(stage_names)))
            copied = set()
            user = "root"
        elif keyword == "RUN" and "--target" in rest:
            words = shlex.split(rest.replace("&&", " && "))
            index = words.index("--target")
            built_targets = set()
            for word in words[index + 1:]:
                if word.startswith("-") or word == "&&":
                    break
                built_targets.add(word)
        elif keyword == "COPY" and rest.startswith("--from="):
            words = rest.split()
            source_stage = words[0][len("--from="):]
            sources, destination = words[1:-1], words[-1]
            if source_stage in stage_names and destination.rstrip("/") == "/usr/local/bin":
                copied.update(os.path.basename(s) for s in sources)
        elif keyword == "USER":
            user = rest.split(":")[0]
    if built_targets is not None:
        copied &= built_targets
    return copied, user


# ---------------------------------------------------------------- compose


def command_binary(service):
    """The program a compose service runs: its entrypoint, else its command."""
    for key in ("entrypoint", "command"):
        value = service.get(key)
        if value:
            words = shlex.split(value) if isinstance(value, str) else list(value)
            return words[0]
    return None


def port_of(address):
    match = re.fullmatch(r"(?:dns:///)?(.*):(\d+)", address or "")
    return (match.group(1), int(match.group(2))) if match else (None, None)


def environment(service):
    return {k: ("" if v is None else str(v))
            for k, v in (service.get("environment") or {}).items()}


def listen_port(service):
    return port_of(environment(service).get("PRONGSAI_LISTEN", ""))[1]


def healthcheck_target(service):
    """(binary, port) of a health check: the port of its --address (the probe)
    or --server (the CLI's `health` verb)."""
    test = (service.get("healthcheck") or {}).get("test")
    if not test:
        return None, None
    words = shlex.split(test) if isinstance(test, str) else list(test)
    if words and words[0] in ("CMD", "CMD-SHELL"):
        words = words[1:] if words[0] == "CMD" else shlex.split(" ".join(words[1:]))
    port = None
    for i, word in enumerate(words):
        address = None
        for flag in ("--address", "--server"):
            if word == flag and i + 1 < len(words):
                address = words[i + 1]
            elif word.startswith(flag + "="):
                address = word[len(flag) + 1:]
        if address:
            port = port_of(address)[1]
    return (words[0] if words else None), port


def published_targets(service):
    targets = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            targets.add(int(port["target"]))
        else:
            targets.add(int(str(port).split(":")[-1].split("/")[0]))
    return targets


def mounted_secrets(service):
    return {s["source"] if isinstance(s, dict) else s for s in service.get("secrets") or []}


def problems(config, dockerfile_text, bin_dir):
    """Everything wrong with a resolved compose configuration, as sentences."""
    found = []
    in_image, user = image_binaries(dockerfile_text)
    if user in ("root", "0"):
        found.append("the image's final stage runs as root")
    for binary in (PROBE, CLI):
        if binary not in in_image:
            found.append(f"{DOCKERFILE} does not build and copy {binary}")
    services = config.get("services") or {}
    defined_secrets = config.get("secrets") or {}
    for name, binary in BINARIES.items():
        service = services.get(name)
        if service is None:
            found.append(f"service {name} is missing")
            continue
        env = environment(service)
        dockerfile = (service.get("build") or {}).get("dockerfile")
        if dockerfile != DOCKERFILE:
            found.append(f"{name}: built from {dockerfile!r}, not {DOCKERFILE}")

        runs = command_binary(service)
        if runs != binary:
            found.append(f"{name}: runs {runs!r}, expected {binary}")
        health_binary, health_port = healthcheck_target(service)
        if health_binary is not None and health_binary != PROBE:
            found.append(f"{name}: health check runs {health_binary}, not {PROBE}")
        for what, program in (("command", runs), ("health check", health_binary)):
            if program is None:
                found.append(f"{name}: no {what}")
                continue
            if program not in in_image:
                found.append(f"{name}: {what} runs {program}, which {DOCKERFILE} does not copy")
            if not os.access(os.path.join(bin_dir, program), os.X_OK):
                found.append(f"{name}: {what} runs {program}, which the build did not make")

        port = listen_port(service)
        if port is None:
            found.append(f"{name}: PRONGSAI_LISTEN has no port")
        if health_port != port:
            found.append(f"{name}: health check probes port {health_port}, service listens on {port}")
        if port not in published_targets(service):
            found.append(f"{name}: port {port} is not published")

        # Secrets: the variables that must point into /run/secrets, and every
        # path there a secret that is mounted and defined.
        mounted = mounted_secrets(service)
        for variable in SECRET_VARIABLES[name]:
            if variable not in env:
                found.append(f"{name}: {variable} is not set")
        for variable, value in sorted(env.items()):
            if variable not in SECRET_VARIABLES[name] and not value.startswith("/run/secrets/"):
                continue
            secret = value[len("/run/secrets/"):] if value.startswith("/run/secrets/") else None
            if secret is None or secret not in mounted:
                found.append(f"{name}: {variable}={value!r} is not a secret it mounts")
        for secret in sorted(mounted):
            if secret not in defined_secrets:
                found.append(f"{name}: secret {secret} is not defined")

        # Peers: exactly the expected address variables, each naming a
        # defined service and the port it listens on.
        addresses = {k for k in env if re.fullmatch(r"PRONGSAI_[A-Z]+_ADDRESS", k)
                     and k != "PRONGSAI_METRICS_ADDRESS"}
        # Metrics: served, and only inside the compose network (Prometheus
        # scrapes them there); never on a published port.
        if "PRONGSAI_METRICS_ADDRESS" not in env:
            found.append(f"{name}: PRONGSAI_METRICS_ADDRESS is not set")
        else:
            metrics_port = port_of(env["PRONGSAI_METRICS_ADDRESS"])[1]
            published = {str(p.get("target")) if isinstance(p, dict) else str(p).rsplit(":", 1)[-1]
                         for p in service.get("ports") or []}
            if str(metrics_port) in published:
                found.append(f"{name}: its metrics port {metrics_port} is published")
        for variable in sorted(addresses ^ set(PEERS[name])):
            found.append(f"{name}: {variable} is " +
                         ("set but not expected" if variable in addresses else "not set"))
        for variable in sorted(addresses & set(PEERS[name])):
            host, peer_port = port_of(env[variable])
            peer = services.get(host)
            if host != PEERS[name][variable] or peer is None:
                found.append(f"{name}: {variable}={env[variable]!r} is not the "
                             f"{PEERS[name][variable]} service")
            elif peer_port != listen_port(peer):
                found.append(f"{name}: {variable}={env[variable]!r}, but {host} "
                             f"listens on {listen_port(peer)}")
        if name in SERVICES and bool(addresses) != ("PRONGSAI_PEER_API_KEY_FILE" in env):
            found.append(f"{name}: peer addresses and PRONGSAI_PEER_API_KEY_FILE "
                         "must come together")

        depends = service.get("depends_on") or {}
        if not isinstance(depends, dict):
            depends = {d: {} for d in depends}
        for dependency in sorted(set(depends) | DEPENDS_ON[name]):
            condition = (depends.get(dependency) or {}).get("condition")
            if dependency not in DEPENDS_ON[name]:
                found.append(f"{name}: depends on {dependency}, which it must not wait for")
            elif condition != "service_healthy":
                found.append(f"{name}: does not wait for a healthy {dependency}")

    found += trusted_gateway_problems(services)
    for secret, definition in sorted(defined_secrets.items()):
        path = (definition or {}).get("file")
        if not path or not os.path.isfile(os.path.join(SOURCE_DIR, path)):
            found.append(f"secret {secret}: file {path!r} does not exist")
    if "postgres-data" not in (config.get("volumes") or {}):
        found.append("volume postgres-data is not defined")
    return found


def trusted_gateway_problems(services):
    """The gateway names each HTTP caller in x-forwarded-for, which a service
    believes only from an address in its PRONGSAI_TRUSTED_PROXIES: the
    gateway needs a fixed address that every service trusts."""
    gateway = services.get(GATEWAY)
    if gateway is None:
        return []
    networks = gateway.get("networks") or {}
    address = ((networks.get("default") or {}) if isinstance(networks, dict)
               else {}).get("ipv4_address")
    if not address:
        return [f"{GATEWAY}: has no fixed ipv4_address for the services to trust"]
    found = []
    for name in SERVICES:
        trusted = environment(services.get(name) or {}).get("PRONGSAI_TRUSTED_PROXIES", "")
        if address not in [entry.strip() for entry in trusted.split(",")]:
            found.append(f"{name}: PRONGSAI_TRUSTED_PROXIES does not name the "
                         f"gateway's {address}")
    return found


# docker-compose.yml requires the protection-key file (no public default);
# the tests point it at the example.
EXAMPLE_PROTECTION_KEYS = "./deploy/secrets/protection_keys.example"


def compose_config(path=None, protection_keys=EXAMPLE_PROTECTION_KEYS,
                   overrides=(), variables=None):
    """`docker-compose config` of the file as committed (with `overrides`
    after it, and `variables` set), parsed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRONGSAI_", "COMPOSE_"))}
    if protection_keys is not None:
        env["PRONGSAI_PROTECTION_KEYS_FILE"] = protection_keys
    env.update(variables or {})
    files = [path or os.path.join(SOURCE_DIR, "docker-compose.yml")]
    files += [os.path.join(SOURCE_DIR, o) for o in overrides]
    result = subprocess.run(
        ["docker-compose"] + [a for f in files for a in ("-f", f)] + ["config"],
        cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=60)
    return result, (yaml.safe_load(result.stdout) if result.returncode == 0 else None)


# ------------------------------------------------------------------ flags


def helpfull(binary, env=None):
    """Flags of `binary` from its --helpfull, run with only `env` (plus PATH):
    {flag: {"file", "help", "default", "current"}}; absl's own flags left out.
    "current" is shown by absl only when the value differs from the default."""
    with tempfile.TemporaryDirectory() as cwd:
        result = subprocess.run(
            [os.path.join(BIN_DIR, binary), "--helpfull"],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
            cwd=cwd, capture_output=True, text=True, timeout=30)
    text = result.stdout + result.stderr
    flags, source, entry = {}, None, []

    def finish():
        if not entry or source is None:
            return
        joined = " ".join(part.strip() for part in entry)
        match = re.fullmatch(
            r"--(\w+) \((.*)\); default: (.*?);(?: currently: (.*);)?", joined, re.S)
        if match is None:
            raise AssertionError(f"{binary} --helpfull: cannot read {joined!r}")
        flags[match.group(1)] = {"file": source, "help": match.group(2),
                                 "default": match.group(3), "current": match.group(4)}

    for line in text.splitlines():
        header = re.fullmatch(r"  Flags from (.*):", line)
        if header or not line.strip() or line.startswith("Try --helpfull"):
            finish()
            entry = []
            if header:
                source = None if "absl/flags" in header.group(1) else header.group(1)
        elif line.startswith("    --"):
            finish()
            entry = [line]
        elif line.startswith("      ") and entry:
            entry.append(line)
    finish()
    if not flags:
        raise AssertionError(f"{binary} --helpfull shows no flags (exit "
                             f"{result.returncode}): {text[:500]}")
    return flags


def unquote(value):
    return value[1:-1] if value and len(value) >= 2 and value[0] == value[-1] == '"' else value


def env_flag_problems(config):
    """PRONGSAI_* variables of a service that its binary does not read."""
    found = []
    for name, binary in BINARIES.items():
        service = (config.get("services") or {}).get(name)
        if service is None:
            continue
        env = {k: v for k, v in environment(service).items() if k.startswith("PRONGSAI_")}
        flags = helpfull(binary, env)
        for variable, value in sorted(env.items()):
            if variable in NON_FLAG_VARIABLES.get(binary, set()):
                continue
            flag = variable[len("PRONGSAI_"):].lower()
            if flag not in flags:
                found.append(f"{name}: {variable} is not a flag of {binary} (--{flag})")
                continue
            current = flags[flag]["current"]
            shown = unquote(current if current is not None else flags[flag]["default"])
            if shown != value:
                found.append(f"{name}: {binary} does not read {variable} "
                             f"(--{flag} is {shown!r}, not {value!r})")
    return found


# Groups of flags in docs/operations.md: name -> (binaries, source file, the
# environment variable of a flag or None, flags to list or None for all).
CLI_FLAGS = {"server": "PRONGSAI_SERVER", "api_key": "PRONGSAI_API_KEY",
             "timeout": None, "tls": None, "json": None}
FLAG_GROUPS = {
    "server": (list(SERVICES.values()), "common/server/server_main.cc",
               lambda flag: f"PRONGSAI_{flag.upper()}", None),
    "complaint": (["prongsai-complaint"], "services/complaint/main.cc",
                  lambda flag: f"PRONGSAI_{flag.upper()}", None),
    "plan": (["prongsai-plan"], "services/plan/main.cc",
             lambda flag: f"PRONGSAI_{flag.upper()}", None),
    "peer": (["prongsai-plan", "prongsai-complaint", "prongsai-ita"],
             "common/client/peer_flags.cc",
             lambda flag: f"PRONGSAI_{flag.upper()}", None),
    "probe": ([PROBE], "tools/probe/prongsai_probe.cc",
              lambda flag: f"PRONGSAI_PROBE_{flag.upper()}", None),
    "cli": ([CLI], "tools/cli/main.cc", CLI_FLAGS.get, set(CLI_FLAGS)),
    "gateway": ([BINARIES[GATEWAY]], "gateway/main.cc",
                lambda flag: f"PRONGSAI_{flag.upper()}", None),
}


def flag_table(group):
    """The Markdown table of one group, from the --helpfull of its binaries
    (which must all agree on it)."""
    binaries, source, variable, only = FLAG_GROUPS[group]
    tables = set()
    for binary in binaries:
        flags = helpfull(binary)
        rows = ["| flag | environment | default | meaning |", "|---|---|---|---|"]
        names = sorted(f for f, v in flags.items() if v["file"].endswith(source))
        if not names:
            raise AssertionError(f"{binary}: no flags from {source}")
        for flag in names:
            if only is not None and flag not in only:
                continue
            info = flags[flag]
            env = variable(flag)
            default = "(empty)" if info["default"] == '""' else f"`{info['default']}`"
            meaning = (info["help"].replace("|", "\\|")
                       .replace("<", "&lt;").replace(">", "&gt;"))
            rows.append(f"| `--{flag}` | {f'`{env}`' if env else '-'} | {default} | {meaning} |")
        tables.add("\n".join(rows))
    if len(tables) != 1:
        raise AssertionError(f"{binaries} disagree on the flags from {source}")
    return tables.pop()


def generated_block(group):
    return re.compile(
        rf"(<!-- BEGIN GENERATED flags:{group} [^>]*-->\n)(.*?)(<!-- END GENERATED flags:{group} -->)",
        re.S)


def write_flag_tables():
    path = os.path.join(SOURCE_DIR, OPERATIONS_DOC)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for group in FLAG_GROUPS:
        text, count = generated_block(group).subn(
            lambda m, g=group: m.group(1) + flag_table(g) + "\n" + m.group(3), text)
        if count != 1:
            sys.exit(f"{OPERATIONS_DOC}: no block for flags:{group}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------- example secrets


def start_and_stop(binary, env, timeout=60):
    """Starts `binary` with only `env` (plus PATH) in a scratch directory,
    waits for its `listening` log line, stops it with SIGTERM. (exit code, log)."""
    with tempfile.TemporaryDirectory() as cwd:
        process = subprocess.Popen(
            [os.path.join(BIN_DIR, binary)],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log = []
        listening = threading.Event()

        def read():
            for line in process.stderr:
                log.append(line)
                if " listening " in line:
                    listening.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + timeout
        while not listening.is_set() and process.poll() is None and time.monotonic() < deadline:
            listening.wait(0.1)
        if listening.is_set():
            process.send_signal(signal.SIGTERM)
        elif process.poll() is None:
            process.kill()
        code = process.wait(timeout=30)
        reader.join(timeout=10)
        process.stderr.close()
        return code, "".join(log)


def service_env_with_local_files(config, name, scratch):
    """The service's PRONGSAI_* environment with /run/secrets/X replaced by the
    secret's file, SQLite instead of PostgreSQL, no Redis and a free port."""
    secrets = config.get("secrets") or {}
    env = {}
    for variable, value in environment(config["services"][name]).items():
        if not variable.startswith("PRONGSAI_"):
            continue
        if value.startswith("/run/secrets/"):
            value = os.path.join(SOURCE_DIR, secrets[value[len("/run/secrets/"):]]["file"])
        env[variable] = value
    env["PRONGSAI_DB"] = f"sqlite://{scratch}/{name}.db"
    env.pop("PRONGSAI_REDIS", None)
    env["PRONGSAI_LISTEN"] = "127.0.0.1:0"
    return env


# ------------------------------------------------------------------ tests


class ComposeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.result, cls.config = compose_config()
        with open(os.path.join(SOURCE_DIR, DOCKERFILE), encoding="utf-8") as f:
            cls.dockerfile = f.read()

    def setUp(self):
        self.assertEqual(self.result.returncode, 0,
                         f"docker-compose config failed:\n{self.result.stderr}")

    def test_compose_config_is_consistent_with_image_and_build(self):
        self.assertEqual(problems(self.config, self.dockerfile, BIN_DIR), [])

    def test_image_holds_every_service_the_probe_and_the_cli(self):
        binaries, user = image_binaries(self.dockerfile)
        self.assertEqual(binaries, set(BINARIES.values()) | {PROBE, CLI})
        self.assertNotIn(user, ("root", "0"))

    def test_every_prongsai_variable_is_a_flag_the_binary_reads(self):
        self.assertEqual(env_flag_problems(self.config), [])

    def test_example_secrets_are_accepted_by_the_services(self):
        # The compose defaults, as the binaries that mount them read them.
        for name, binary in SERVICES.items():
            with self.subTest(service=name), tempfile.TemporaryDirectory() as scratch:
                env = service_env_with_local_files(self.config, name, scratch)
                code, log = start_and_stop(binary, env)
                self.assertIn(" listening ", log)
                self.assertEqual(code, 0, log)

    def test_example_protection_keys_are_marked_not_for_production(self):
        path = self.config["secrets"]["protection_keys"]["file"]
        with open(os.path.join(SOURCE_DIR, path), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("NOT FOR PRODUCTION", text)
        self.assertRegex(text, r"(?m)^seal EXAMPLE-NOT-PROD ")

    def test_operations_doc_flag_tables_match_the_binaries(self):
        with open(os.path.join(SOURCE_DIR, OPERATIONS_DOC), encoding="utf-8") as f:
            doc = f.read()
        for group in FLAG_GROUPS:
            with self.subTest(group=group):
                match = generated_block(group).search(doc)
                self.assertIsNotNone(match, f"no flags:{group} block in {OPERATIONS_DOC}")
                self.assertEqual(match.group(2), flag_table(group) + "\n",
                                 f"regenerate with: {sys.argv[0]} SOURCE BIN --write-flag-tables")
        for variable in ("PRONGSAI_API_KEY", "PRONGSAI_SERVER", "PRONGSAI_PROTECTION_KEYS_TEXT"):
            self.assertIn(f"`{variable}`", doc)

    # Negative cases: each breaks one thing and expects exactly its sentence.

    def test_untrusted_gateway_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["environment"]["PRONGSAI_TRUSTED_PROXIES"] = "10.0.0.1"
        del config["services"]["ita"]["environment"]["PRONGSAI_TRUSTED_PROXIES"]
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "plan: PRONGSAI_TRUSTED_PROXIES does not name the gateway's 172.28.0.80",
            "ita: PRONGSAI_TRUSTED_PROXIES does not name the gateway's 172.28.0.80"])

    def test_gateway_aimed_at_a_wrong_port_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"][GATEWAY]["environment"]["PRONGSAI_ITA_ADDRESS"] = "ita:50051"
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "gateway: PRONGSAI_ITA_ADDRESS='ita:50051', but ita listens on 50053"])

    def test_wrong_health_port_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["complaint"]["healthcheck"]["test"] = [
            "CMD", PROBE, "--address", "127.0.0.1:50051"]
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "complaint: health check probes port 50051, service listens on 50052"])

    def test_health_check_without_the_probe_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["healthcheck"]["test"] = [
            "CMD", CLI, "health", "--server", "127.0.0.1:50051"]
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            f"plan: health check runs {CLI}, not {PROBE}"])

    def test_binary_the_build_does_not_make_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["ita"]["command"] = ["prongsai-itaa"]
        found = problems(config, self.dockerfile, BIN_DIR)
        self.assertIn("ita: runs 'prongsai-itaa', expected prongsai-ita", found)
        self.assertIn("ita: command runs prongsai-itaa, which the build did not make", found)

    def test_probe_missing_from_image_is_reported(self):
        dockerfile, count = re.subn(rf"\S*/bin/{PROBE}(?=\s)", "", self.dockerfile)
        self.assertEqual(count, 1, "expected one COPY source for the probe")
        found = problems(self.config, dockerfile, BIN_DIR)
        self.assertIn(f"{DOCKERFILE} does not build and copy {PROBE}", found)
        self.assertIn(f"plan: health check runs {PROBE}, which {DOCKERFILE} does not copy", found)
        self.assertEqual(len(found), 1 + len(BINARIES), found)

    def test_cli_missing_from_image_is_reported(self):
        dockerfile, count = re.subn(r"\S*/bin/prongsai(?=\s)", "", self.dockerfile)
        self.assertEqual(count, 1, "expected one COPY source for the CLI")
        self.assertEqual(problems(self.config, dockerfile, BIN_DIR),
                         [f"{DOCKERFILE} does not build and copy {CLI}"])

    def test_keys_outside_secrets_are_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["environment"]["PRONGSAI_API_KEYS"] = "/etc/prongsai/keys"
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "plan: PRONGSAI_API_KEYS='/etc/prongsai/keys' is not a secret it mounts"])

    def test_unmounted_and_undefined_secrets_are_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["complaint"]["secrets"] = [{"source": "api_keys"},
                                                      {"source": "peer_api_key"},
                                                      {"source": "session_verify_keys"}]
        config["services"]["ita"]["secrets"].append({"source": "nope"})
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "complaint: PRONGSAI_PROTECTION_KEYS='/run/secrets/protection_keys' is not a "
            "secret it mounts",
            "ita: secret nope is not defined"])

    def test_protection_keys_file_is_required(self):
        # Without the variable compose refuses to run rather than seal
        # reporters' identities with the public example keys.
        result, config = compose_config(protection_keys=None)
        self.assertNotEqual(result.returncode, 0)
        self.assertIsNone(config)
        self.assertIn("PRONGSAI_PROTECTION_KEYS_FILE", result.stderr)

    def test_missing_secret_file_is_reported(self):
        config = copy.deepcopy(self.config)
        config["secrets"]["peer_api_key"]["file"] = "/nonexistent/peer_api_key"
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "secret peer_api_key: file '/nonexistent/peer_api_key' does not exist"])

    def test_wrong_peer_addresses_are_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["environment"]["PRONGSAI_ITA_ADDRESS"] = "ita:50051"
        config["services"]["ita"]["environment"]["PRONGSAI_PLAN_ADDRESS"] = "planner:50051"
        del config["services"]["ita"]["environment"]["PRONGSAI_COMPLAINT_ADDRESS"]
        config["services"]["complaint"]["environment"]["PRONGSAI_ITA_ADDRESS"] = "ita:50053"
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "plan: PRONGSAI_ITA_ADDRESS='ita:50051', but ita listens on 50053",
            "complaint: PRONGSAI_ITA_ADDRESS is set but not expected",
            "ita: PRONGSAI_COMPLAINT_ADDRESS is not set",
            "ita: PRONGSAI_PLAN_ADDRESS='planner:50051' is not the plan service"])

    def test_wrong_start_up_order_is_reported(self):
        config = copy.deepcopy(self.config)
        del config["services"]["ita"]["depends_on"]["plan"]
        config["services"]["plan"]["depends_on"]["ita"] = {"condition": "service_healthy"}
        config["services"]["complaint"]["depends_on"]["redis"] = {"condition": "service_started"}
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "plan: depends on ita, which it must not wait for",
            "complaint: does not wait for a healthy redis",
            "ita: does not wait for a healthy plan"])

    def test_variable_that_is_no_flag_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["environment"]["PRONGSAI_PROTECTION_KEYS"] = "/x"
        config["services"]["ita"]["environment"]["PRONGSAI_WORKER"] = "4"
        self.assertEqual(env_flag_problems(config), [
            "plan: PRONGSAI_PROTECTION_KEYS is not a flag of prongsai-plan (--protection_keys)",
            "ita: PRONGSAI_WORKER is not a flag of prongsai-ita (--worker)"])

    def test_rejected_example_secret_fails_to_start(self):
        with tempfile.TemporaryDirectory() as scratch:
            env = service_env_with_local_files(self.config, "complaint", scratch)
            bad = os.path.join(scratch, "protection_keys")
            with open(bad, "w", encoding="utf-8") as f:
                f.write("seal k1 c2hvcnQ=\ntracking c2hvcnQ=\n")
            env["PRONGSAI_PROTECTION_KEYS"] = bad
            code, log = start_and_stop(SERVICES["complaint"], env)
        self.assertNotEqual(code, 0)
        self.assertIn("start_failed", log)


MTLS_OVERRIDE = "deploy/compose.mtls.yml"
# What each component must set under the override: its own certificate and
# the CA, as a server and as a caller of its peers.
MTLS_VARIABLES = {
    **{name: {"PRONGSAI_TLS_CERT", "PRONGSAI_TLS_KEY", "PRONGSAI_TLS_CLIENT_CA",
              "PRONGSAI_PEER_TLS_CA", "PRONGSAI_PEER_TLS_CERT", "PRONGSAI_PEER_TLS_KEY"}
       for name in SERVICES},
    GATEWAY: {"PRONGSAI_BACKEND_CA", "PRONGSAI_BACKEND_TLS_CERT", "PRONGSAI_BACKEND_TLS_KEY"},
}


def mtls_problems(config):
    """Where the mutual-TLS configuration leaves a connection without it."""
    found = []
    for name, variables in MTLS_VARIABLES.items():
        service = config["services"][name]
        env = environment(service)
        mounted = mounted_secrets(service)
        for variable in sorted(variables):
            value = env.get(variable, "")
            if not value.startswith("/run/secrets/") or value[len("/run/secrets/"):] not in mounted:
                found.append(f"{name}: {variable} is not a mounted secret")
        if name in SERVICES:
            test = service["healthcheck"]["test"]
            for flag in ("--tls_ca", "--tls_cert", "--tls_key"):
                if flag not in test:
                    found.append(f"{name}: the health check has no {flag}")
    return found


class ComposeMutualTlsTest(unittest.TestCase):
    """docker-compose.yml with deploy/compose.mtls.yml and certificates from
    deploy/tls/make-certs: consistent as the plain file is, every connection
    mutual TLS, and a service started with that configuration serves its
    health check to the probe as compose runs it, and refuses the probe
    without a client certificate."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.certs = os.path.join(cls.scratch.name, "tls")
        cls.made = subprocess.run(
            ["bash", os.path.join(SOURCE_DIR, "deploy/tls/make-certs"), cls.certs, "2"],
            capture_output=True, text=True, timeout=120)
        cls.result, cls.config = compose_config(
            overrides=(MTLS_OVERRIDE,), variables={"PRONGSAI_TLS_DIR": cls.certs})
        with open(os.path.join(SOURCE_DIR, DOCKERFILE), encoding="utf-8") as f:
            cls.dockerfile = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def setUp(self):
        self.assertEqual(self.made.returncode, 0, self.made.stderr)
        self.assertEqual(self.result.returncode, 0,
                         f"docker-compose config failed:\n{self.result.stderr}")

    def test_consistent_and_every_connection_mutual_tls(self):
        self.assertEqual(problems(self.config, self.dockerfile, BIN_DIR), [])
        self.assertEqual(env_flag_problems(self.config), [])
        self.assertEqual(mtls_problems(self.config), [])

    def test_a_missing_certificate_is_reported(self):
        config = copy.deepcopy(self.config)
        del config["services"]["ita"]["environment"]["PRONGSAI_PEER_TLS_CERT"]
        config["services"]["plan"]["healthcheck"]["test"] = [
            "CMD", "prongsai-probe", "--address", "127.0.0.1:50051"]
        self.assertEqual(mtls_problems(config), [
            "plan: the health check has no --tls_ca",
            "plan: the health check has no --tls_cert",
            "plan: the health check has no --tls_key",
            "ita: PRONGSAI_PEER_TLS_CERT is not a mounted secret"])

    def test_the_service_answers_its_health_check_and_refuses_a_client_without_a_certificate(self):
        secrets = self.config["secrets"]

        def local(argument):
            if argument.startswith("/run/secrets/"):
                return os.path.join(SOURCE_DIR, secrets[argument[len("/run/secrets/"):]]["file"])
            return argument

        with tempfile.TemporaryDirectory() as scratch:
            env = service_env_with_local_files(self.config, "plan", scratch)
            port = free_port()
            env["PRONGSAI_LISTEN"] = f"127.0.0.1:{port}"
            process = subprocess.Popen(
                [os.path.join(BIN_DIR, SERVICES["plan"])],
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
                cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                test = [local(a) for a in self.config["services"]["plan"]["healthcheck"]["test"][1:]]
                test[0] = os.path.join(BIN_DIR, test[0])
                test[test.index("--address") + 1] = f"127.0.0.1:{port}"
                deadline = time.monotonic() + 60
                while True:
                    probe = subprocess.run(test, capture_output=True, text=True, timeout=30)
                    if probe.returncode == 0 or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                self.assertEqual(probe.returncode, 0, probe.stderr)
                # The same probe without its certificate is refused.
                cut = test.index("--tls_cert")
                without = test[:cut] + test[cut + 4:]
                refused = subprocess.run(without, capture_output=True, text=True, timeout=30)
                self.assertEqual(refused.returncode, 1)
                self.assertIn("UNAVAILABLE", refused.stderr)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    SOURCE_DIR, BIN_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if sys.argv[3:] == ["--write-flag-tables"]:
        write_flag_tables()
        sys.exit(0)
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
