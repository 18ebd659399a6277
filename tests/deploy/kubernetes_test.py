#!/usr/bin/python3
"""deploy/kubernetes: every overlay builds with `kubectl kustomize`, is accepted
by `kubectl apply --dry-run=client`, and says what the binaries and the image
need.

`kubectl apply --dry-run=client` still asks a server which kinds exist and
whether each object exists already; no cluster is reachable here, so the test
answers those questions itself from a stub API server on loopback (discovery
of the few groups the manifests use, 404 for every object), with an empty
kubeconfig and a scratch HOME, so kubectl never reaches anything else.

In what each overlay builds, every Prongsai Deployment must
  - run a binary that the build makes and deploy/Dockerfile copies into the
    image, as the image's non-root user, with a read-only root file system, no
    privilege escalation, every capability dropped, no service account token
    and no service links (a Service named prongsai-x would put PRONGSAI_X_*
    variables into the environment the flags are read from);
  - have startup, readiness and liveness probes: gRPC (grpc.health.v1) on the
    port it listens on for the services (or, under mutual TLS as in the
    production overlay, prongsai-probe presenting the service's certificate),
    HTTP /healthz for the gateway;
  - request CPU and memory and limit memory;
  - set only PRONGSAI_* variables that are flags of its binary, which the
    binary really reads (its --helpfull shows them as current values), and
    mount secret files only where a flag reads them, every such flag pointing
    at a mounted file;
  - reach its peers through Services that select their pods on the ports they
    listen on: headless ones (dns:///...) for the services, whose channels
    balance round_robin over every address, ClusterIP ones for the gateway;
  - have a PodDisruptionBudget, and a grace period longer than its preStop
    pause plus --drain_deadline.
The NetworkPolicies must let only the services reach PostgreSQL and Redis and
only the gateway be reached from outside. The dev overlay's example secrets
must be deploy/secrets' examples; the production overlay commits no secret
and says how to create every one it mounts. The negative cases feed the same
checks a broken copy, so a check that could never fail would show here.

    kubernetes_test.py SOURCE_DIR BIN_DIR [unittest options]
"""

import copy
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compose_test  # noqa: E402  (its Dockerfile and --helpfull readers)

SOURCE_DIR = ""
BIN_DIR = ""
KUBERNETES = "deploy/kubernetes"
OVERLAYS = ("dev", "production")
DOCKERFILE = "deploy/Dockerfile"

PROBE = compose_test.PROBE
SERVICE_BINARIES = {"plan": "prongsai-plan", "complaint": "prongsai-complaint",
                    "ita": "prongsai-ita"}
GATEWAY = "gateway"
BINARIES = {**SERVICE_BINARIES, GATEWAY: "prongsai-gateway"}
# The peers each Deployment calls: address variable -> Deployment.
PEERS = {
    "plan": {"PRONGSAI_COMPLAINT_ADDRESS": "complaint", "PRONGSAI_ITA_ADDRESS": "ita"},
    "complaint": {"PRONGSAI_PLAN_ADDRESS": "plan"},
    "ita": {"PRONGSAI_PLAN_ADDRESS": "plan", "PRONGSAI_COMPLAINT_ADDRESS": "complaint"},
    GATEWAY: {"PRONGSAI_PLAN_ADDRESS": "plan", "PRONGSAI_COMPLAINT_ADDRESS": "complaint",
              "PRONGSAI_ITA_ADDRESS": "ita"},
}
# Files a service must be given (the flags that read them), as in compose.
REQUIRED_SECRET_VARIABLES = {
    "plan": {"PRONGSAI_API_KEYS", "PRONGSAI_PEER_API_KEY_FILE",
             "PRONGSAI_SESSION_VERIFY_KEYS_FILE", "PRONGSAI_SESSION_SIGNING_KEY_FILE"},
    "complaint": {"PRONGSAI_API_KEYS", "PRONGSAI_PEER_API_KEY_FILE",
                  "PRONGSAI_SESSION_VERIFY_KEYS_FILE", "PRONGSAI_PROTECTION_KEYS"},
    "ita": {"PRONGSAI_API_KEYS", "PRONGSAI_PEER_API_KEY_FILE",
            "PRONGSAI_SESSION_VERIFY_KEYS_FILE"},
    GATEWAY: {"PRONGSAI_OPEN311_LOOKUP_API_KEY_FILE"},
}
DATASTORE_PORTS = {"database": 5432, "cache": 6379}


# ------------------------------------------------------------- kubectl


def kustomize(overlay_dir):
    result = subprocess.run(["kubectl", "kustomize", overlay_dir],
                            capture_output=True, text=True, timeout=120)
    docs = ([d for d in yaml.safe_load_all(result.stdout) if d]
            if result.returncode == 0 else None)
    return result, docs


# Discovery for the groups the manifests use: group/version -> [(resource,
# kind, namespaced)].
API_RESOURCES = {
    "v1": [("namespaces", "Namespace", False), ("services", "Service", True),
           ("configmaps", "ConfigMap", True), ("secrets", "Secret", True),
           ("persistentvolumeclaims", "PersistentVolumeClaim", True)],
    "apps/v1": [("deployments", "Deployment", True), ("statefulsets", "StatefulSet", True)],
    "policy/v1": [("poddisruptionbudgets", "PodDisruptionBudget", True)],
    "networking.k8s.io/v1": [("networkpolicies", "NetworkPolicy", True)],
}


class StubApiServer(http.server.BaseHTTPRequestHandler):
    """Answers kubectl's discovery and says every object is absent."""

    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/version":
            return self.answer(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0"})
        if path == "/api":
            return self.answer(200, {"kind": "APIVersions", "versions": ["v1"]})
        if path == "/apis":
            groups = []
            for group_version in API_RESOURCES:
                if "/" in group_version:
                    group, version = group_version.split("/")
                    entry = {"groupVersion": group_version, "version": version}
                    groups.append({"name": group, "versions": [entry],
                                   "preferredVersion": entry})
            return self.answer(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                     "groups": groups})
        for group_version, resources in API_RESOURCES.items():
            if path == ("/api/v1" if group_version == "v1" else f"/apis/{group_version}"):
                return self.answer(200, {
                    "kind": "APIResourceList", "apiVersion": "v1",
                    "groupVersion": group_version,
                    "resources": [{"name": name, "singularName": "", "namespaced": namespaced,
                                   "kind": kind, "verbs": ["create", "get", "patch"]}
                                  for name, kind, namespaced in resources]})
        return self.answer(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                 "reason": "NotFound", "code": 404})


def dry_run_apply(manifest_text):
    """`kubectl apply --dry-run=client --validate=false -f -` against the stub."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StubApiServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                   "KUBECONFIG": os.path.join(home, "empty-kubeconfig")}
            return subprocess.run(
                ["kubectl", "--server", f"http://127.0.0.1:{server.server_address[1]}",
                 "apply", "--dry-run=client", "--validate=false", "-f", "-"],
                input=manifest_text, env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------ manifests


def of_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def prongsai_deployments(docs):
    return {name: d for name, d in of_kind(docs, "Deployment").items()
            if name in BINARIES}


def pod_spec(workload):
    return workload["spec"]["template"]["spec"]


def pod_labels(workload):
    return workload["spec"]["template"]["metadata"].get("labels") or {}


def selects(selector, labels):
    """Whether a label selector (matchLabels / matchExpressions) matches."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def container_env(docs, container):
    """Its environment as the pod sees it: envFrom ConfigMaps, then env
    (values only; valueFrom entries as None)."""
    config_maps = of_kind(docs, "ConfigMap")
    env = {}
    for source in container.get("envFrom") or []:
        name = (source.get("configMapRef") or {}).get("name")
        env.update((config_maps.get(name) or {}).get("data") or {})
    for entry in container.get("env") or []:
        env[entry["name"]] = entry.get("value") if "valueFrom" not in entry else None
    return env


def secret_files(spec, container):
    """{mounted path: Secret name} of the secret files a container sees."""
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    files = {}
    for mount in container.get("volumeMounts") or []:
        volume = volumes.get(mount["name"]) or {}
        sources = []
        if "secret" in volume:
            sources.append({"secret": dict(volume["secret"], name=volume["secret"]["secretName"])})
        sources += (volume.get("projected") or {}).get("sources") or []
        for source in sources:
            secret = source.get("secret")
            if secret is None:
                continue
            if not secret.get("items"):
                files[os.path.join(mount["mountPath"], "*")] = secret["name"]
            for item in secret.get("items") or []:
                files[os.path.join(mount["mountPath"], item["path"])] = secret["name"]
    return files


def listen_port(env):
    match = re.fullmatch(r".*:(\d+)", env.get("PRONGSAI_LISTEN") or "")
    return int(match.group(1)) if match else None


def named_port(container, port):
    """A probe's or Service's port (a number or a container port's name)."""
    if isinstance(port, int):
        return port
    for entry in container.get("ports") or []:
        if entry.get("name") == port:
            return entry["containerPort"]
    return None


def exec_probe_problems(name, kind, command, container, port):
    found = []
    arguments = dict(zip(command[1::2], command[2::2]))
    if arguments.get("--address") != f"127.0.0.1:{port}":
        found.append(f"{name}: {kind} probes {arguments.get('--address')}, "
                     f"it listens on {port}")
    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    if env.get("PRONGSAI_TLS_CLIENT_CA") and not {"--tls_cert", "--tls_key"} <= set(arguments):
        found.append(f"{name}: {kind} presents no certificate to a service that requires one")
    return found


def probe_problems(name, container, port):
    found = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        if probe is None:
            found.append(f"{name}: no {kind}")
        elif name in SERVICE_BINARIES:
            command = (probe.get("exec") or {}).get("command") or []
            if command[:1] == [PROBE]:
                # prongsai-probe in the container: the probe of mutual TLS,
                # which must present a certificate when the service asks.
                found += exec_probe_problems(name, kind, command, container, port)
            elif "grpc" not in probe:
                found.append(f"{name}: {kind} is not a gRPC health check")
            elif probe["grpc"].get("port") != port:
                found.append(f"{name}: {kind} probes port {probe['grpc'].get('port')}, "
                             f"it listens on {port}")
        else:
            http = probe.get("httpGet") or {}
            if http.get("path") != "/healthz" or named_port(container, http.get("port")) != port:
                found.append(f"{name}: {kind} is not GET /healthz on port {port}")
    return found


def security_problems(name, spec, container, image_uid):
    found = []
    pod = spec.get("securityContext") or {}
    own = container.get("securityContext") or {}
    if not pod.get("runAsNonRoot") and not own.get("runAsNonRoot"):
        found.append(f"{name}: runAsNonRoot is not set")
    uid = own.get("runAsUser", pod.get("runAsUser"))
    if uid != image_uid:
        found.append(f"{name}: runs as uid {uid}, the image's user is {image_uid}")
    if own.get("readOnlyRootFilesystem") is not True:
        found.append(f"{name}: the root file system is writable")
    if own.get("allowPrivilegeEscalation") is not False:
        found.append(f"{name}: allowPrivilegeEscalation is not false")
    if "ALL" not in ((own.get("capabilities") or {}).get("drop") or []):
        found.append(f"{name}: capabilities are not all dropped")
    if spec.get("automountServiceAccountToken") is not False:
        found.append(f"{name}: mounts a service account token")
    if spec.get("enableServiceLinks") is not False:
        found.append(f"{name}: service links put Services' variables in its environment")
    resources = container.get("resources") or {}
    for kind, what in (("requests", "cpu"), ("requests", "memory"), ("limits", "memory")):
        if what not in (resources.get(kind) or {}):
            found.append(f"{name}: no {what} in resources.{kind}")
    return found


def secret_problems(name, env, files):
    """Each secret file read by a flag, each flag's file mounted."""
    found = []
    read = {value for value in env.values() if value}
    for path, secret in sorted(files.items()):
        if path not in read:
            found.append(f"{name}: mounts {path} (Secret {secret}), which no flag reads")
    for variable in sorted(REQUIRED_SECRET_VARIABLES[name]):
        if variable not in env:
            found.append(f"{name}: {variable} is not set")
    for variable, value in sorted(env.items()):
        if (variable in REQUIRED_SECRET_VARIABLES[name]
                or (value or "").startswith("/run/secrets/")) and value not in files:
            found.append(f"{name}: {variable}={value!r} is not a secret file it mounts")
    return found


def peer_problems(docs, name, env):
    """Peer addresses name Services selecting the peer's pods on its port."""
    found = []
    deployments = prongsai_deployments(docs)
    services = of_kind(docs, "Service")
    # PRONGSAI_METRICS_ADDRESS is where this pod serves /metrics, not a peer.
    addresses = {k for k in env if re.fullmatch(r"PRONGSAI_[A-Z]+_ADDRESS", k)
                 and k != "PRONGSAI_METRICS_ADDRESS"}
    for variable in sorted(addresses ^ set(PEERS[name])):
        found.append(f"{name}: {variable} is " +
                     ("set but not expected" if variable in addresses else "not set"))
    for variable in sorted(addresses & set(PEERS[name])):
        value = env[variable] or ""
        match = re.fullmatch(r"(dns:///)?([a-z0-9-]+):(\d+)", value)
        peer = deployments.get(PEERS[name][variable])
        if match is None or peer is None:
            found.append(f"{name}: {variable}={value!r} is not host:port")
            continue
        headless_wanted = name in SERVICE_BINARIES
        service = services.get(match.group(2))
        if service is None:
            found.append(f"{name}: {variable}={value!r} names no Service")
            continue
        headless = service["spec"].get("clusterIP") == "None"
        if headless_wanted and not (headless and match.group(1)):
            found.append(f"{name}: {variable}={value!r} is not dns:/// of a headless "
                         "Service (its channel balances over the addresses DNS gives)")
        if not headless_wanted and headless:
            found.append(f"{name}: {variable}={value!r} is a headless Service, but its "
                         "channels pick one address each")
        if not selects({"matchLabels": service["spec"].get("selector") or {}},
                       pod_labels(peer)):
            found.append(f"{name}: Service {match.group(2)} does not select the "
                         f"{PEERS[name][variable]} pods")
            continue
        peer_container = pod_spec(peer)["containers"][0]
        peer_port = listen_port(container_env(docs, peer_container))
        ports = {p["port"]: named_port(peer_container, p.get("targetPort", p["port"]))
                 for p in service["spec"].get("ports") or []}
        if ports.get(int(match.group(3))) != peer_port:
            found.append(f"{name}: {variable}={value!r}, but {PEERS[name][variable]} "
                         f"listens on {peer_port}")
    return found


def duration_seconds(text):
    total = 0.0
    for number, unit in re.findall(r"([\d.]+)(ms|s|m|h)", text or ""):
        total += float(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def lifecycle_problems(docs, name, deployment, container, env, flags):
    found = []
    spec = pod_spec(deployment)
    pdbs = [p for p in of_kind(docs, "PodDisruptionBudget").values()
            if selects(p["spec"].get("selector"), pod_labels(deployment))]
    if not pdbs:
        found.append(f"{name}: no PodDisruptionBudget selects its pods")
    pause = 0
    command = (((container.get("lifecycle") or {}).get("preStop") or {})
               .get("exec") or {}).get("command") or []
    if command[:1] == ["sleep"] and len(command) == 2:
        pause = float(command[1])
    drain = 0.0
    if "drain_deadline" in flags:
        drain = duration_seconds(env.get("PRONGSAI_DRAIN_DEADLINE")
                                 or flags["drain_deadline"]["default"])
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if grace <= pause + drain:
        found.append(f"{name}: terminationGracePeriodSeconds {grace} leaves no time after "
                     f"the preStop pause ({pause:g} s) and the drain ({drain:g} s)")
    return found


def deployment_problems(docs, image_binaries, image_uid, bin_dir):
    """Everything wrong with the Prongsai Deployments of one overlay."""
    found = []
    deployments = prongsai_deployments(docs)
    for name in sorted(set(BINARIES) - set(deployments)):
        found.append(f"Deployment {name} is missing")
    for name, deployment in sorted(deployments.items()):
        spec = pod_spec(deployment)
        container = spec["containers"][0]
        binary = (container.get("command") or [None])[0]
        if binary != BINARIES[name]:
            found.append(f"{name}: runs {binary!r}, expected {BINARIES[name]}")
            continue
        if binary not in image_binaries:
            found.append(f"{name}: runs {binary}, which {DOCKERFILE} does not copy")
        if not os.access(os.path.join(bin_dir, binary), os.X_OK):
            found.append(f"{name}: runs {binary}, which the build did not make")
            continue
        env = container_env(docs, container)
        port = listen_port(env)
        if named_port(container, "grpc" if name in SERVICE_BINARIES else "http") != port:
            found.append(f"{name}: its container port is not PRONGSAI_LISTEN's {port}")
        flags = compose_test.helpfull(
            binary, {k: v for k, v in env.items() if k.startswith("PRONGSAI_") and v is not None})
        found += probe_problems(name, container, port)
        found += security_problems(name, spec, container, image_uid)
        found += env_flag_problems(name, binary, env, flags)
        found += secret_problems(name, env, secret_files(spec, container))
        found += peer_problems(docs, name, env)
        found += lifecycle_problems(docs, name, deployment, container, env, flags)
    return found


def env_flag_problems(name, binary, env, flags):
    found = []
    for variable, value in sorted(env.items()):
        if not variable.startswith("PRONGSAI_"):
            continue
        flag = variable[len("PRONGSAI_"):].lower()
        if flag not in flags:
            found.append(f"{name}: {variable} is not a flag of {binary} (--{flag})")
            continue
        current = flags[flag]["current"]
        shown = compose_test.unquote(current if current is not None else flags[flag]["default"])
        if value is not None and shown != value:
            found.append(f"{name}: {binary} does not read {variable} "
                         f"(--{flag} is {shown!r}, not {value!r})")
    return found


# -------------------------------------------------------- network policy


def ingress_allowed(policies, source_labels, target_labels, port):
    """Whether NetworkPolicies let a pod (same namespace; None: outside the
    namespace) reach a pod on a TCP port."""
    applying = [p for p in policies.values()
                if "Ingress" in (p["spec"].get("policyTypes") or ["Ingress"])
                and selects(p["spec"].get("podSelector") or {}, target_labels)]
    if not applying:
        return True
    for policy in applying:
        for rule in policy["spec"].get("ingress") or []:
            ports = rule.get("ports")
            if ports and not any(p.get("port") in (None, port) for p in ports):
                continue
            peers = rule.get("from")
            if not peers:
                return True
            for peer in peers:
                if "ipBlock" in peer and source_labels is None:
                    return True
                if "namespaceSelector" in peer and source_labels is None:
                    if not peer.get("podSelector"):
                        return True
                if ("podSelector" in peer and "namespaceSelector" not in peer
                        and source_labels is not None
                        and selects(peer["podSelector"], source_labels)):
                    return True
    return False


def egress_allowed(policies, source_labels, target_labels, port):
    """Whether a pod's egress policies let it reach a pod of the namespace
    (target_labels) or an address outside the cluster (None)."""
    applying = [p for p in policies.values()
                if "Egress" in (p["spec"].get("policyTypes") or [])
                and selects(p["spec"].get("podSelector") or {}, source_labels)]
    if not applying:
        return True
    for policy in applying:
        for rule in policy["spec"].get("egress") or []:
            ports = rule.get("ports")
            if ports and not any(p.get("port") in (None, port) for p in ports):
                continue
            peers = rule.get("to")
            if not peers:
                return True
            for peer in peers:
                if "ipBlock" in peer and target_labels is None:
                    return True
                if ("podSelector" in peer and "namespaceSelector" not in peer
                        and target_labels is not None
                        and selects(peer["podSelector"], target_labels)):
                    return True
    return False


def network_problems(docs):
    """Who reaches whom, from the labels of the pods the overlay runs."""
    found = []
    policies = of_kind(docs, "NetworkPolicy")
    deployments = prongsai_deployments(docs)
    labels = {name: pod_labels(d) for name, d in deployments.items()}
    ports = {name: listen_port(container_env(docs, pod_spec(d)["containers"][0]))
             for name, d in deployments.items()}
    stray = {"app.kubernetes.io/name": "debug-shell"}
    datastores = {}
    for kind in ("Deployment", "StatefulSet"):
        for name, workload in of_kind(docs, kind).items():
            component = pod_labels(workload).get("app.kubernetes.io/component")
            if component in DATASTORE_PORTS:
                datastores[name] = (pod_labels(workload), DATASTORE_PORTS[component])
    # Datastores: the services only.
    for store, (store_labels, port) in sorted(datastores.items()):
        for name in sorted(labels):
            allowed = ingress_allowed(policies, labels[name], store_labels, port)
            if allowed != (name in SERVICE_BINARIES):
                found.append(f"{name} {'can' if allowed else 'cannot'} reach {store}:{port}")
        if ingress_allowed(policies, stray, store_labels, port):
            found.append(f"a pod of no Prongsai part can reach {store}:{port}")
        if ingress_allowed(policies, None, store_labels, port):
            found.append(f"outside the namespace can reach {store}:{port}")
    # Outside the cluster (a managed database): not from the gateway.
    if GATEWAY in labels:
        for port in DATASTORE_PORTS.values():
            if egress_allowed(policies, labels[GATEWAY], None, port):
                found.append(f"gateway can reach port {port} outside the namespace")
    # The services: from the gateway and each other only.
    for name in sorted(set(labels) & set(SERVICE_BINARIES)):
        for source in sorted(labels):
            if source == name:
                continue
            if not (ingress_allowed(policies, labels[source], labels[name], ports[name])
                    and egress_allowed(policies, labels[source], labels[name], ports[name])):
                found.append(f"{source} cannot reach {name}:{ports[name]}")
        for source, what in ((stray, "a pod of no Prongsai part"),
                             (None, "outside the namespace")):
            if ingress_allowed(policies, source, labels[name], ports[name]):
                found.append(f"{what} can reach {name}:{ports[name]}")
    if GATEWAY in labels and not ingress_allowed(policies, None, labels[GATEWAY],
                                                 ports[GATEWAY]):
        found.append(f"outside the namespace cannot reach gateway:{ports[GATEWAY]}")
    return found


# ------------------------------------------------------------------ tests


def image_user_uid(dockerfile_text):
    match = re.search(r"useradd[^\n]*--uid (\d+)", dockerfile_text.replace("\\\n", " "))
    return int(match.group(1)) if match else None


@unittest.skipIf(shutil.which("kubectl") is None, "kubectl is not installed")
class KubernetesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(SOURCE_DIR, DOCKERFILE), encoding="utf-8") as f:
            dockerfile = f.read()
        cls.image_binaries, user = compose_test.image_binaries(dockerfile)
        cls.image_uid = image_user_uid(dockerfile)
        cls.built = {}
        for overlay in OVERLAYS:
            cls.built[overlay] = kustomize(
                os.path.join(SOURCE_DIR, KUBERNETES, "overlays", overlay))

    def docs(self, overlay):
        result, docs = self.built[overlay]
        self.assertEqual(result.returncode, 0,
                         f"kubectl kustomize {overlay} failed:\n{result.stderr}")
        return docs

    def test_every_overlay_is_accepted_by_kubectl_apply_dry_run(self):
        for overlay in OVERLAYS:
            with self.subTest(overlay=overlay):
                docs = self.docs(overlay)
                result = dry_run_apply(self.built[overlay][0].stdout)
                self.assertEqual(result.returncode, 0, result.stderr)
                lines = [line for line in result.stdout.splitlines() if line.strip()]
                self.assertEqual(len(lines), len(docs), result.stdout)
                self.assertTrue(all(line.endswith(" created (dry run)") for line in lines),
                                result.stdout)

    def test_dry_run_rejects_a_kind_the_api_does_not_have(self):
        # The same invocation fails when an object is not what the API serves.
        docs = self.docs("dev")
        broken = copy.deepcopy(docs)
        broken[0]["apiVersion"] = "apps/v0"
        result = dry_run_apply(yaml.safe_dump_all(broken))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("apps/v0", result.stderr)

    def test_deployments_agree_with_the_image_and_the_binaries(self):
        self.assertIsNotNone(self.image_uid, f"{DOCKERFILE}: no useradd --uid")
        for overlay in OVERLAYS:
            with self.subTest(overlay=overlay):
                self.assertEqual(deployment_problems(self.docs(overlay), self.image_binaries,
                                                     self.image_uid, BIN_DIR), [])

    def test_only_the_services_reach_the_datastores_and_only_the_gateway_is_open(self):
        for overlay in OVERLAYS:
            with self.subTest(overlay=overlay):
                self.assertEqual(network_problems(self.docs(overlay)), [])
        # The dev overlay runs the datastores, so the rules above were tried.
        self.assertTrue({"postgres", "redis"} <= set(of_kind(self.docs("dev"), "StatefulSet"))
                        | set(of_kind(self.docs("dev"), "Deployment")))

    def test_servers_close_old_connections_so_new_replicas_get_calls(self):
        # The peers' channels resolve again only when a connection ends.
        for binary in SERVICE_BINARIES.values():
            flags = compose_test.helpfull(binary)
            with self.subTest(binary=binary):
                self.assertIn("max_connection_age", flags)
                age = duration_seconds(flags["max_connection_age"]["default"])
                self.assertGreater(age, 0)
                self.assertLessEqual(age, 30 * 60)

    def test_dev_secrets_are_the_examples_and_every_mounted_secret_is_defined(self):
        docs = self.docs("dev")
        secrets = of_kind(docs, "Secret")
        overlay = os.path.join(SOURCE_DIR, KUBERNETES, "overlays", "dev", "secrets")
        for name in sorted(os.listdir(overlay)):
            with open(os.path.join(overlay, name), "rb") as copy_file, \
                    open(os.path.join(SOURCE_DIR, "deploy/secrets", name), "rb") as example:
                self.assertEqual(copy_file.read(), example.read(), name)
        for deployment in prongsai_deployments(docs).values():
            spec = pod_spec(deployment)
            for secret in secret_files(spec, spec["containers"][0]).values():
                self.assertIn(secret, secrets)

    def test_production_commits_no_secret_and_says_how_to_create_each(self):
        docs = self.docs("production")
        self.assertEqual(of_kind(docs, "Secret"), {})
        with open(os.path.join(SOURCE_DIR, KUBERNETES, "overlays/production/kustomization.yaml"),
                  encoding="utf-8") as f:
            instructions = f.read()
        mounted = {"prongsai-database"}
        for deployment in prongsai_deployments(docs).values():
            spec = pod_spec(deployment)
            mounted |= set(secret_files(spec, spec["containers"][0]).values())
        for secret in sorted(mounted):
            self.assertRegex(instructions, rf"create secret generic {secret} ")

    # Negative cases: each breaks one thing and expects exactly its sentence.

    def broken(self, overlay="dev"):
        docs = copy.deepcopy(self.docs(overlay))
        return docs, prongsai_deployments(docs)

    def problems(self, docs):
        return deployment_problems(docs, self.image_binaries, self.image_uid, BIN_DIR)

    def test_tcp_probe_and_wrong_port_are_reported(self):
        docs, deployments = self.broken()
        container = pod_spec(deployments["ita"])["containers"][0]
        container["livenessProbe"] = {"tcpSocket": {"port": 50053}}
        container["readinessProbe"]["grpc"]["port"] = 50051
        gateway = pod_spec(deployments[GATEWAY])["containers"][0]
        gateway["startupProbe"]["httpGet"]["path"] = "/"
        self.assertEqual(self.problems(docs), [
            "gateway: startupProbe is not GET /healthz on port 8080",
            "ita: readinessProbe probes port 50051, it listens on 50053",
            "ita: livenessProbe is not a gRPC health check"])

    def test_mutual_tls_probe_without_certificate_or_on_a_wrong_port_is_reported(self):
        docs, deployments = self.broken("production")
        container = pod_spec(deployments["plan"])["containers"][0]
        command = container["readinessProbe"]["exec"]["command"]
        cut = command.index("--tls_cert")
        container["readinessProbe"]["exec"]["command"] = command[:cut] + command[cut + 4:]
        container["livenessProbe"]["exec"]["command"][2] = "127.0.0.1:50053"
        self.assertEqual(self.problems(docs), [
            "plan: readinessProbe presents no certificate to a service that requires one",
            "plan: livenessProbe probes 127.0.0.1:50053, it listens on 50051"])

    def test_root_writable_and_unbounded_containers_are_reported(self):
        docs, deployments = self.broken()
        spec = pod_spec(deployments["complaint"])
        spec["securityContext"] = {}
        spec["enableServiceLinks"] = True
        container = spec["containers"][0]
        container["securityContext"]["readOnlyRootFilesystem"] = False
        del container["resources"]["limits"]
        self.assertEqual(self.problems(docs), [
            "complaint: runAsNonRoot is not set",
            "complaint: runs as uid None, the image's user is 10001",
            "complaint: the root file system is writable",
            "complaint: service links put Services' variables in its environment",
            "complaint: no memory in resources.limits"])

    def test_variable_that_is_no_flag_is_reported(self):
        docs, deployments = self.broken()
        container = pod_spec(deployments["plan"])["containers"][0]
        container["env"].append({"name": "PRONGSAI_PROTECTION_KEYS", "value": "/x"})
        self.assertEqual(self.problems(docs), [
            "plan: PRONGSAI_PROTECTION_KEYS is not a flag of prongsai-plan (--protection_keys)"])

    def test_secret_no_flag_reads_and_flag_without_its_file_are_reported(self):
        docs, deployments = self.broken()
        spec = pod_spec(deployments["complaint"])
        sources = spec["volumes"][0]["projected"]["sources"]
        for source in sources:
            for item in source["secret"]["items"]:
                if item["key"] == "protection_keys":
                    item["path"] = "protection.keys"
        self.assertEqual(self.problems(docs), [
            "complaint: mounts /run/secrets/protection.keys (Secret "
            f"{sources[2]['secret']['name']}), which no flag reads",
            "complaint: PRONGSAI_PROTECTION_KEYS='/run/secrets/protection_keys' is not a "
            "secret file it mounts"])

    def test_peers_through_the_wrong_services_are_reported(self):
        docs, deployments = self.broken()
        plan_env = pod_spec(deployments["plan"])["containers"][0]["env"]
        gateway_env = pod_spec(deployments[GATEWAY])["containers"][0]["env"]
        for entry in plan_env:
            if entry["name"] == "PRONGSAI_ITA_ADDRESS":
                entry["value"] = "ita:50053"
            if entry["name"] == "PRONGSAI_COMPLAINT_ADDRESS":
                entry["value"] = "dns:///complaint-peers:50051"
        for entry in gateway_env:
            if entry["name"] == "PRONGSAI_PLAN_ADDRESS":
                entry["value"] = "plan-peers:50051"
        self.assertEqual(self.problems(docs), [
            "gateway: PRONGSAI_PLAN_ADDRESS='plan-peers:50051' is a headless Service, but "
            "its channels pick one address each",
            "plan: PRONGSAI_COMPLAINT_ADDRESS='dns:///complaint-peers:50051', but complaint "
            "listens on 50052",
            "plan: PRONGSAI_ITA_ADDRESS='ita:50053' is not dns:/// of a headless Service "
            "(its channel balances over the addresses DNS gives)"])

    def test_missing_disruption_budget_and_short_grace_are_reported(self):
        docs, deployments = self.broken()
        docs[:] = [d for d in docs if not (d["kind"] == "PodDisruptionBudget"
                                           and d["metadata"]["name"] == "ita")]
        pod_spec(deployments["plan"])["terminationGracePeriodSeconds"] = 12
        self.assertEqual(self.problems(docs), [
            "ita: no PodDisruptionBudget selects its pods",
            "plan: terminationGracePeriodSeconds 12 leaves no time after the preStop pause "
            "(5 s) and the drain (10 s)"])

    def test_open_datastores_and_services_are_reported(self):
        docs = copy.deepcopy(self.docs("dev"))
        policies = of_kind(docs, "NetworkPolicy")
        stores = policies["prongsai-datastores-ingress"]["spec"]["ingress"][0]["from"][0]
        stores["podSelector"] = {"matchLabels": {"app.kubernetes.io/part-of": "prongsai"}}
        policies["prongsai-gateway-egress"]["spec"]["egress"].append(
            {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]})
        found = network_problems(docs)
        self.assertEqual(found, [
            "gateway can reach postgres:5432",
            "gateway can reach redis:6379",
            "gateway can reach port 5432 outside the namespace",
            "gateway can reach port 6379 outside the namespace"])
        docs = [d for d in copy.deepcopy(self.docs("dev"))
                if d["metadata"]["name"] != "prongsai-default-deny-ingress"]
        docs = [d for d in docs if d["metadata"]["name"] != "prongsai-datastores-ingress"]
        found = network_problems(docs)
        self.assertIn("outside the namespace can reach postgres:5432", found)
        self.assertIn("gateway can reach redis:6379", found)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    SOURCE_DIR, BIN_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    compose_test.SOURCE_DIR, compose_test.BIN_DIR = SOURCE_DIR, BIN_DIR
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
