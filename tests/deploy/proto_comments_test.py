#!/usr/bin/python3
"""The .proto files document the API for a client who has never seen our
internal documents:
  - no comment refers to the seed documents ("seed 002") or to domain.md;
    the comment explains the term itself;
  - every rpc has a leading comment with an "Errors:" sentence listing the
    errors that are specific to the method (or saying that only the common
    ones apply), so that a caller knows what to handle.
The negative cases feed the same checks broken text, so a check that could
never fail would show here.

    proto_comments_test.py SOURCE_DIR [unittest options]
"""

import glob
import os
import re
import sys
import unittest

FORBIDDEN = [re.compile(r"seed", re.IGNORECASE),
             re.compile(r"domain\.md", re.IGNORECASE)]
RPC = re.compile(r"^\s*rpc\s+(\w+)\s*\(")


def reference_problems(path, text):
    """Lines that mention the internal documents, as "path:line: text"."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if any(pattern.search(line) for pattern in FORBIDDEN):
            problems.append(f"{path}:{number}: {line.strip()}")
    return problems


def leading_comment(lines, index):
    """The // comment block directly above lines[index], without the slashes."""
    block = []
    i = index - 1
    while i >= 0 and lines[i].strip().startswith("//"):
        block.insert(0, lines[i].strip()[2:].strip())
        i -= 1
    return " ".join(block)


def error_problems(path, text):
    """Rpcs whose leading comment has no "Errors:" sentence."""
    problems = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = RPC.match(line)
        if not match:
            continue
        comment = leading_comment(lines, index)
        if not comment:
            problems.append(f"{path}:{index + 1}: rpc {match.group(1)} has no "
                            "leading comment")
        elif "Errors:" not in comment:
            problems.append(f"{path}:{index + 1}: rpc {match.group(1)} does "
                            "not document its errors (\"Errors: ...\")")
    return problems


def proto_files():
    files = sorted(glob.glob(os.path.join(SOURCE_DIR, "protos", "prongsai",
                                          "*", "v1", "*.proto")))
    return [(os.path.relpath(f, SOURCE_DIR),
             open(f, encoding="utf-8").read()) for f in files]


class ProtoCommentsTest(unittest.TestCase):

    def test_files_are_found(self):
        names = [path for path, _ in proto_files()]
        for service in ("plan", "complaint", "ita"):
            self.assertIn(f"protos/prongsai/{service}/v1/{service}.proto", names)

    def test_no_reference_to_internal_documents(self):
        problems = []
        for path, text in proto_files():
            problems += reference_problems(path, text)
        self.assertEqual(problems, [])

    def test_every_rpc_documents_its_errors(self):
        problems, rpcs = [], 0
        for path, text in proto_files():
            rpcs += sum(1 for line in text.splitlines() if RPC.match(line))
            problems += error_problems(path, text)
        self.assertGreater(rpcs, 0)
        self.assertEqual(problems, [])

    # Negative cases: the checks find what they are for.

    def test_seed_reference_is_reported(self):
        text = ("// The two kinds (Seed 002, projects 18 and 26).\n"
                "enum Kind {}\n"
                "// As domain.md says.\n")
        self.assertEqual(reference_problems("x.proto", text), [
            "x.proto:1: // The two kinds (Seed 002, projects 18 and 26).",
            "x.proto:3: // As domain.md says."])

    def test_rpc_without_errors_is_reported(self):
        text = ("service S {\n"
                "  // Returns one thing.\n"
                "  rpc GetThing(GetThingRequest) returns (Thing) {}\n"
                "\n"
                "  rpc ListThings(ListThingsRequest) returns (Things) {}\n"
                "  // Errors: NOT_FOUND when there is no such thing.\n"
                "\n"
                "  // Deletes one thing. Errors: NOT_FOUND when there is\n"
                "  // no such thing.\n"
                "  rpc DeleteThing(DeleteThingRequest) returns (Empty) {}\n"
                "}\n")
        self.assertEqual(error_problems("x.proto", text), [
            "x.proto:3: rpc GetThing does not document its errors "
            "(\"Errors: ...\")",
            "x.proto:5: rpc ListThings has no leading comment"])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    SOURCE_DIR = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
