#!/usr/bin/python3
"""Runs openapi_client.py (the integrity cycle by a client that knows the API
only from /openapi.json) against a real gateway in front of the three
service binaries, on SQLite files in a scratch directory (PostgreSQL and
Redis when PRONGSAI_TEST_PG_URL and PRONGSAI_TEST_REDIS_URL are set).

    openapi_client_test.py BIN_DIR
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
import interop_support  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bin_dir = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="prongsai-openapi-") as scratch:
        system, peer = "oa_" + secrets.token_urlsafe(24), "oa_" + secrets.token_urlsafe(24)
        interop_support.write_private(
            os.path.join(scratch, "api_keys"),
            interop_support.key_line(system, "openapi-system", "SYSTEM", "*")
            + interop_support.key_line(peer, "openapi-peers", "SYSTEM", "*"))
        interop_support.write_private(os.path.join(scratch, "peer_key"), peer + "\n")
        pg_admin = os.environ.get("PRONGSAI_TEST_PG_URL")
        database = None
        if pg_admin:
            database = "openapi_" + secrets.token_hex(6)
            interop_support.psql(pg_admin, f"CREATE DATABASE {database}")
            parts = urllib.parse.urlsplit(pg_admin)
            db = urllib.parse.urlunsplit(parts._replace(path="/" + database))
        redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")
        ports = {name: interop_support.free_port() for name in ("plan", "complaint", "ita")}
        address = {name: f"127.0.0.1:{port}" for name, port in ports.items()}
        peers = {"plan": ["--complaint_address=" + address["complaint"],
                          "--ita_address=" + address["ita"]],
                 "complaint": ["--plan_address=" + address["plan"]],
                 "ita": ["--plan_address=" + address["plan"],
                         "--complaint_address=" + address["complaint"]]}
        processes = []
        try:
            for name in ("plan", "complaint", "ita"):
                args = [f"--listen={address[name]}",
                        f"--db={db if pg_admin else f'sqlite://{scratch}/{name}.db'}",
                        f"--api_keys={scratch}/api_keys",
                        f"--peer_api_key_file={scratch}/peer_key", *peers[name]]
                if redis:
                    args.append(f"--redis={redis}")
                env = ({"PRONGSAI_PROTECTION_KEYS_TEXT": interop_support.protection_keys_text()}
                       if name == "complaint" else {})
                processes.append(interop_support.ServiceProcess(
                    os.path.join(bin_dir, "prongsai-" + name), args, env))
            gateway = interop_support.ServiceProcess(
                os.path.join(bin_dir, "prongsai-gateway"),
                ["--listen=127.0.0.1:0", *(f"--{n}_address={a}" for n, a in address.items())])
            processes.append(gateway)
            for process in processes:
                process.wait_listening()
            base = "http://" + gateway.address
            deadline = time.monotonic() + interop_support.STARTUP_TIMEOUT
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        sys.exit("the services never became healthy")
                    time.sleep(0.1)
            client_env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}
            client_env["PRONGSAI_TEST_API_KEY"] = system
            result = subprocess.run(
                [sys.executable, os.path.join(HERE, "openapi_client.py"), base],
                env=client_env, timeout=300)
            sys.exit(result.returncode)
        finally:
            for process in processes:
                process.kill()
            if database:
                interop_support.psql(pg_admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    main()
