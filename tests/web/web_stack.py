#!/usr/bin/python3
"""Runs the browser tests (tests/web/*.test.mjs, Node's test runner with
playwright-core and Debian's Chromium) against the real web application:
prongsai-gateway serving WEB_DIR with --web_root in front of the plan,
complaint and ITA binaries, on SQLite files in a scratch directory
(PostgreSQL and Redis when PRONGSAI_TEST_PG_URL and PRONGSAI_TEST_REDIS_URL
are set).

    web_stack.py BIN_DIR WEB_DIR [TEST_FILE...]

Before the tests it makes, over /v1 with a SYSTEM key, the organizations and
categories of seed.json, and API keys for SYSTEM and each staff role of the
seed's staff organization, each in its own private file. The tests get
  PRONGSAI_WEB_URL        http://127.0.0.1:PORT (the gateway)
  PRONGSAI_WEB_KEYS       a JSON file mapping role -> key file path
  PRONGSAI_WEB_ARTIFACTS  where screenshots go (PRONGSAI_WEB_ARTIFACTS when
                          set, else web-artifacts/ beside WEB_DIR)
Runs `npm ci` in tests/web first when node_modules is missing or older than
package-lock.json.

Exits 77 (skipped) when /usr/bin/chromium is missing, unless
PRONGSAI_TEST_REQUIRE_BACKENDS=1 makes that a failure.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
import interop_support  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SKIP = 77
# playwright-core 1.61 is the last release whose package.json says
# "engines": {"node": ">=18"}: Debian 12 ships Node.js 18.
MIN_NODE_MAJOR = 18
# The most one test (one `test(...)`) may take before Node's runner cancels
# it, so a page that never answers fails that test instead of hanging all.
TEST_TIMEOUT_MS = 120_000


def check_browser():
    if os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} is not installed (scripts/setup installs chromium)"
    if os.environ.get("PRONGSAI_TEST_REQUIRE_BACKENDS") == "1":
        sys.exit(message + ", and PRONGSAI_TEST_REQUIRE_BACKENDS=1 needs it")
    print(f"SKIP: {message}", file=sys.stderr)
    sys.exit(SKIP)


def check_node():
    """The path of node, after checking it is new enough for playwright-core."""
    node = shutil.which("node")
    if not node:
        sys.exit("node is not on PATH (scripts/setup installs nodejs and npm)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True,
                             timeout=30).stdout.strip()
    try:
        major = int(version.lstrip("v").split(".")[0])
    except ValueError:
        sys.exit(f"cannot read node's version from {version!r}")
    if major < MIN_NODE_MAJOR:
        sys.exit(f"node {version} is too old: playwright-core needs "
                 f"Node.js {MIN_NODE_MAJOR} or later")
    return node


def install_node_modules():
    """`npm ci` when node_modules is missing or older than the lock file (npm
    writes node_modules/.package-lock.json on every install)."""
    lock = os.path.join(HERE, "package-lock.json")
    installed = os.path.join(HERE, "node_modules", ".package-lock.json")
    if (os.path.exists(installed)
            and os.path.getmtime(installed) >= os.path.getmtime(lock)):
        return
    npm = shutil.which("npm")
    if not npm:
        sys.exit("npm is not on PATH (scripts/setup installs nodejs and npm)")
    print("web_stack: npm ci in tests/web", file=sys.stderr)
    # --prefer-offline: the exact versions of the lock come from npm's cache
    # when it has them.
    done = subprocess.run(
        [npm, "ci", "--prefer-offline", "--no-audit", "--no-fund"],
        cwd=HERE, stdin=subprocess.DEVNULL, timeout=600)
    if done.returncode != 0:
        sys.exit(f"npm ci in {HERE} failed (exit code {done.returncode})")


def call(base, method, path, body, key):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method=method,
        headers={"Content-Type": "application/json",
                 "Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(request, timeout=30):
            pass
    except urllib.error.HTTPError as error:
        # The answer is our own API's error JSON: no key in it.
        raise AssertionError(f"{method} {path}: HTTP {error.code} "
                             f"{error.read().decode(errors='replace')}") from None


def seed(base, system_key, facts):
    """The organizations of seed.json and their complaint categories, over
    /v1."""
    for org in facts["organizations"]:
        ref = {k: org[k] for k in ("code", "name", "kind", "province", "district")}
        call(base, "POST", "/v1/organizations", {"organization": ref}, system_key)
        for category in org["categories"]:
            call(base, "PUT",
                 f"/v1/organizations/{org['code']}/categories/{category['id']}",
                 {"display_name": category["display_name"],
                  "sla_days": category["sla_days"]},
                 system_key)


def main():
    # SIGTERM (e.g. from ctest or `timeout`) unwinds like an exception, so the
    # services are stopped and the scratch database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("web_stack: terminated"))
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bin_dir, web_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tests = [os.path.abspath(t) for t in sys.argv[3:]] or sorted(
        os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".test.mjs"))
    check_browser()
    node = check_node()
    if not os.path.isfile(os.path.join(web_dir, "index.html")):
        sys.exit(f"{web_dir}/index.html does not exist: build the prongsai_web target")
    install_node_modules()
    with open(os.path.join(HERE, "seed.json"), encoding="utf-8") as f:
        facts = json.load(f)
    artifacts = os.environ.get("PRONGSAI_WEB_ARTIFACTS") or os.path.join(
        os.path.dirname(web_dir), "web-artifacts")
    os.makedirs(artifacts, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="prongsai-web-") as scratch:
        staff_org = facts["staff_organization"]
        keys = {"SYSTEM": ("web-system", "*")}
        keys.update({role: (f"web-{role.lower().replace('_', '-')}", staff_org)
                     for role in facts["staff_roles"]})
        secret = {role: "wt_" + secrets.token_urlsafe(24) for role in keys}
        peer, lookup = ("wt_" + secrets.token_urlsafe(24) for _ in range(2))
        interop_support.write_private(
            os.path.join(scratch, "api_keys"),
            "".join(interop_support.key_line(secret[role], name, role, orgs)
                    for role, (name, orgs) in keys.items())
            + interop_support.key_line(peer, "web-peers", "SYSTEM", "*")
            # The gateway's own key for Open311's public lookups.
            + interop_support.key_line(lookup, "web-open311", "AUDITOR", "*"))
        key_files = {}
        for role in keys:
            key_files[role] = os.path.join(scratch, f"key_{role.lower()}")
            interop_support.write_private(key_files[role], secret[role] + "\n")
        for name, key in (("peer_key", peer), ("lookup_key", lookup)):
            interop_support.write_private(os.path.join(scratch, name), key + "\n")
        interop_support.write_private(os.path.join(scratch, "keys.json"),
                                      json.dumps(key_files, indent=2) + "\n")

        with interop_support.scratch_database("web") as db:
            redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")
            # Staff accounts: the plan service signs access tokens, every
            # service verifies them.
            subprocess.run([os.path.join(bin_dir, "prongsai"), "sessions", "keygen",
                            f"--signing_key_file={scratch}/session-signing.key",
                            f"--verify_keys_file={scratch}/session-verify.keys"],
                           check=True, stdout=subprocess.DEVNULL)
            verify = f"--session_verify_keys_file={scratch}/session-verify.keys"
            processes = []
            try:
                processes = interop_support.start_stack(
                    bin_dir, scratch, db, redis,
                    service_args={
                        "plan": [verify,
                                 f"--session_signing_key_file={scratch}/session-signing.key"],
                        "complaint": [verify], "ita": [verify]},
                    gateway_args=[f"--web_root={web_dir}",
                                  f"--open311_lookup_api_key_file={scratch}/lookup_key"])
                gateway = processes[-1]
                base = "http://" + gateway.address
                seed(base, secret["SYSTEM"], facts)

                test_env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}
                test_env.update({"PRONGSAI_WEB_URL": base,
                                 "PRONGSAI_WEB_KEYS": os.path.join(scratch, "keys.json"),
                                 "PRONGSAI_WEB_ARTIFACTS": artifacts})
                print(f"web_stack: {len(tests)} test file(s) against {base}, "
                      f"screenshots in {artifacts}", file=sys.stderr, flush=True)
                # One file at a time: the files share the stack's data, and one
                # Chromium at a time fits the machine.
                result = subprocess.run(
                    [node, "--test", "--test-concurrency=1",
                     f"--test-timeout={TEST_TIMEOUT_MS}", *tests],
                    cwd=HERE, env=test_env, stdin=subprocess.DEVNULL, timeout=1200)
                if result.returncode != 0:
                    for process in processes:
                        if process.process.poll() is not None:
                            print(f"{process.name} ended early (exit code "
                                  f"{process.process.returncode}); its log:\n{process.log()}",
                                  file=sys.stderr)
                    sys.exit(result.returncode)
            finally:
                for process in processes:
                    process.kill()


if __name__ == "__main__":
    main()
