#!/usr/bin/python3
"""Runs a client written apart from our code against a real gateway in front
of the three service binaries, on SQLite files in a scratch directory
(PostgreSQL and Redis when PRONGSAI_TEST_PG_URL and PRONGSAI_TEST_REDIS_URL
are set):

  openapi  openapi_client.py: the integrity cycle by a client that knows the
           API only from /openapi.json;
  open311  open311_client.py: what reporting apps send to Open311 GeoReport
           v2, checked against the spec's field lists, anonymously and with
           an OPERATOR key, after an organization and a category are made
           over /v1.

    gateway_clients_test.py BIN_DIR openapi|open311
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
import interop_support  # noqa: E402


ORG = "6340101"


def make_jurisdiction(base, system_key):
    """The organization and one complaint category (an Open311 service),
    over /v1."""
    for method, path, body in (
            ("POST", "/v1/organizations", {"organization": {
                "code": ORG, "name": "องค์การบริหารส่วนตำบลอีสานเขต",
                "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
                "province": "ยโสธร", "district": "เมืองยโสธร"}}),
            ("PUT", f"/v1/organizations/{ORG}/categories/roads",
             {"display_name": "ถนนชำรุด", "sla_days": 15})):
        request = urllib.request.Request(
            base + path, data=json.dumps(body).encode(), method=method,
            headers={"Content-Type": "application/json",
                     "Authorization": "Bearer " + system_key})
        with urllib.request.urlopen(request, timeout=30):
            pass


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("openapi", "open311"):
        sys.exit(__doc__)
    bin_dir, client = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="prongsai-openapi-") as scratch:
        system, peer, lookup, operator = (
            "gc_" + secrets.token_urlsafe(24) for _ in range(4))
        interop_support.write_private(
            os.path.join(scratch, "api_keys"),
            interop_support.key_line(system, "clients-system", "SYSTEM", "*")
            + interop_support.key_line(peer, "clients-peers", "SYSTEM", "*")
            # The gateway's own key for Open311's public lookups.
            + interop_support.key_line(lookup, "clients-open311", "AUDITOR", "*")
            + interop_support.key_line(operator, "clients-operator", "OPERATOR", ORG))
        for name, key in (("peer_key", peer), ("lookup_key", lookup),
                          ("operator_key", operator)):
            interop_support.write_private(os.path.join(scratch, name), key + "\n")
        with interop_support.scratch_database("openapi") as db:
            redis = os.environ.get("PRONGSAI_TEST_REDIS_URL")
            processes = []
            try:
                processes = interop_support.start_stack(
                    bin_dir, scratch, db, redis,
                    gateway_args=[f"--open311_lookup_api_key_file={scratch}/lookup_key"])
                gateway = processes[-1]
                base = "http://" + gateway.address
                client_env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_")}
                if client == "openapi":
                    client_env["PRONGSAI_TEST_API_KEY"] = system
                    runs = [[os.path.join(HERE, "openapi_client.py"), base]]
                else:
                    make_jurisdiction(base, system)
                    endpoint = ["--base-url", base + "/open311/v2", "--jurisdiction", ORG]
                    runs = [[os.path.join(HERE, "open311_client.py"), *endpoint],
                            [os.path.join(HERE, "open311_client.py"), *endpoint,
                             "--api-key-file", f"{scratch}/operator_key"]]
                for run in runs:
                    result = subprocess.run([sys.executable, *run], env=client_env, timeout=300)
                    if result.returncode != 0:
                        sys.exit(result.returncode)
            finally:
                for process in processes:
                    process.kill()


if __name__ == "__main__":
    main()
