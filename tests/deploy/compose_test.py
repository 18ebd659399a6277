#!/usr/bin/python3
"""docker-compose.yml and deploy/Dockerfile agree with each other and with the build.

`docker-compose config` must accept the file as a fresh clone has it, and in the
configuration it resolves every Prongsai service must run a binary that the
build makes and the Dockerfile copies into the image, probe its health on the
port it listens on, and read its API keys from a secret it mounts. The
negative cases feed the same checks a broken copy of the configuration, so a
check that could never fail would show here.

    compose_test.py SOURCE_DIR BIN_DIR [unittest options]
"""

import copy
import os
import re
import shlex
import subprocess
import sys
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
DOCKERFILE = "deploy/Dockerfile"


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


def command_binary(service):
    """The program a compose service runs: its entrypoint, else its command."""
    for key in ("entrypoint", "command"):
        value = service.get(key)
        if value:
            words = shlex.split(value) if isinstance(value, str) else list(value)
            return words[0]
    return None


def listen_port(service):
    listen = (service.get("environment") or {}).get("PRONGSAI_LISTEN", "")
    match = re.fullmatch(r".*:(\d+)", listen or "")
    return int(match.group(1)) if match else None


def healthcheck_target(service):
    """(binary, port) of a `prongsai health --server HOST:PORT` health check."""
    test = (service.get("healthcheck") or {}).get("test")
    if not test:
        return None, None
    words = shlex.split(test) if isinstance(test, str) else list(test)
    if words and words[0] in ("CMD", "CMD-SHELL"):
        words = words[1:] if words[0] == "CMD" else shlex.split(" ".join(words[1:]))
    port = None
    for i, word in enumerate(words):
        server = None
        if word == "--server" and i + 1 < len(words):
            server = words[i + 1]
        elif word.startswith("--server="):
            server = word[len("--server="):]
        if server:
            match = re.fullmatch(r".*:(\d+)", server)
            port = int(match.group(1)) if match else None
    return (words[0] if words else None), port


def published_targets(service):
    targets = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            targets.add(int(port["target"]))
        else:
            targets.add(int(str(port).split(":")[-1].split("/")[0]))
    return targets


def problems(config, dockerfile_text, bin_dir):
    """Everything wrong with a resolved compose configuration, as sentences."""
    found = []
    in_image, user = image_binaries(dockerfile_text)
    if user in ("root", "0"):
        found.append("the image's final stage runs as root")
    services = config.get("services") or {}
    for name, binary in SERVICES.items():
        service = services.get(name)
        if service is None:
            found.append(f"service {name} is missing")
            continue
        dockerfile = (service.get("build") or {}).get("dockerfile")
        if dockerfile != DOCKERFILE:
            found.append(f"{name}: built from {dockerfile!r}, not {DOCKERFILE}")

        runs = command_binary(service)
        if runs != binary:
            found.append(f"{name}: runs {runs!r}, expected {binary}")
        for what, program in (("command", runs), ("health check", healthcheck_target(service)[0])):
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
        health_port = healthcheck_target(service)[1]
        if health_port != port:
            found.append(f"{name}: health check probes port {health_port}, service listens on {port}")
        if port not in published_targets(service):
            found.append(f"{name}: port {port} is not published")

        keys = (service.get("environment") or {}).get("PRONGSAI_API_KEYS", "")
        mounted = {s["source"] if isinstance(s, dict) else s for s in service.get("secrets") or []}
        secret = os.path.basename(keys)
        if not keys.startswith("/run/secrets/") or secret not in mounted:
            found.append(f"{name}: PRONGSAI_API_KEYS={keys!r} is not a secret it mounts")
        elif secret not in (config.get("secrets") or {}):
            found.append(f"{name}: secret {secret} is not defined")

        depends = service.get("depends_on") or {}
        for backend in ("postgres", "redis"):
            condition = depends.get(backend, {}).get("condition") if isinstance(depends, dict) else None
            if condition != "service_healthy":
                found.append(f"{name}: does not wait for a healthy {backend}")
    return found


def compose_config():
    """`docker-compose config` of the file as committed, parsed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRONGSAI_", "COMPOSE_"))}
    result = subprocess.run(
        ["docker-compose", "-f", os.path.join(SOURCE_DIR, "docker-compose.yml"), "config"],
        cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=60)
    return result, (yaml.safe_load(result.stdout) if result.returncode == 0 else None)


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

    def test_image_holds_every_service_and_the_health_probe(self):
        binaries, user = image_binaries(self.dockerfile)
        self.assertEqual(binaries, set(SERVICES.values()) | {"prongsai"})
        self.assertNotIn(user, ("root", "0"))

    def test_wrong_health_port_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["complaint"]["healthcheck"]["test"] = [
            "CMD", "prongsai", "health", "--server", "127.0.0.1:50051"]
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "complaint: health check probes port 50051, service listens on 50052"])

    def test_binary_the_build_does_not_make_is_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["ita"]["command"] = ["prongsai-itaa"]
        found = problems(config, self.dockerfile, BIN_DIR)
        self.assertIn("ita: runs 'prongsai-itaa', expected prongsai-ita", found)
        self.assertIn("ita: command runs prongsai-itaa, which the build did not make", found)

    def test_binary_missing_from_image_is_reported(self):
        # Drop the CLI (`.../bin/prongsai`, not `.../bin/prongsai-plan`) from COPY.
        dockerfile, count = re.subn(r"\S*/bin/prongsai(?=\s)", "", self.dockerfile)
        self.assertEqual(count, 1, "expected one COPY source for the CLI")
        found = problems(self.config, dockerfile, BIN_DIR)
        self.assertEqual(len(found), len(SERVICES), found)
        self.assertIn(f"plan: health check runs prongsai, which {DOCKERFILE} does not copy", found)

    def test_keys_outside_secrets_are_reported(self):
        config = copy.deepcopy(self.config)
        config["services"]["plan"]["environment"]["PRONGSAI_API_KEYS"] = "/etc/prongsai/keys"
        self.assertEqual(problems(config, self.dockerfile, BIN_DIR), [
            "plan: PRONGSAI_API_KEYS='/etc/prongsai/keys' is not a secret it mounts"])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    SOURCE_DIR, BIN_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
