#!/usr/bin/env python3
"""Fails the build when a pure library includes what its layer may not.

A domain library holds rules only: it may use the protobuf messages, common/
base, common/thai and common/api/fields.h, never storage, Redis, gRPC or the
server. Linking catches calls; this catches includes, header-only ones too,
by asking the compiler for every header each source pulls in (-M, system
headers included) with the flags in compile_commands.json.

  check_layer.py --database build/compile_commands.json \
      --library libprongsai_plan_domain.a --source-dir services/plan \
      --sources "plan_domain.cc;plan_export.cc"

On a finding it prints the source, the header and why, removes --library (so
the next build links and checks again) and exits 1.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys

# (pattern on the header's path, what the layer would depend on).
FORBIDDEN = [
    (r"/grpcpp/|/grpc/|\.grpc\.pb\.h$", "gRPC"),
    (r"/hiredis/|/common/cache/", "Redis"),
    (r"sqlite3\.h$|libpq-fe\.h$|/common/storage/", "storage"),
    (r"/common/api/(?!fields\.h$)", "storage (common/api row helpers)"),
    (r"/common/(server|client|rpc|auth)/", "the RPC edge"),
]

# Flags that write files or name the object: dropped, -M replaces them.
OUTPUT_FLAGS_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ"}
OUTPUT_FLAGS = {"-c", "-MD", "-MMD"}


def headers_of(entry):
    """Every file the compiler reads for `entry`'s source."""
    words = shlex.split(entry["command"])
    command = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in OUTPUT_FLAGS_WITH_VALUE:
            skip = True
            continue
        if word in OUTPUT_FLAGS or word == entry["file"]:
            continue
        command.append(word)
    result = subprocess.run(command + ["-M", entry["file"]],
                            cwd=entry["directory"], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"check_layer: cannot list the headers of {entry['file']}:\n"
                 f"{result.stderr}")
    text = result.stdout.replace("\\\n", " ")
    _, _, deps = text.partition(":")
    return [os.path.normpath(d) for d in deps.split()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--layer", default="a domain library")
    args = parser.parse_args()
    with open(args.database, encoding="utf-8") as f:
        entries = {os.path.normpath(e["file"]): e for e in json.load(f)}
    findings = []
    for source in filter(None, args.sources.split(";")):
        path = os.path.normpath(os.path.join(args.source_dir, source))
        entry = entries.get(path)
        if entry is None or not path.endswith(".cc"):
            continue  # headers, and generated sources outside the database
        for header in headers_of(entry)[1:]:
            for pattern, what in FORBIDDEN:
                if re.search(pattern, header):
                    findings.append(f"  {path}\n    includes {header} ({what})")
                    break
    if findings:
        print(f"error: {args.layer} may use only protos, common/base, "
              "common/thai and common/api/fields.h:", file=sys.stderr)
        print("\n".join(sorted(set(findings))), file=sys.stderr)
        try:
            os.remove(args.library)
        except FileNotFoundError:
            pass
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
