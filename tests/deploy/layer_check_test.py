#!/usr/bin/env python3
"""scripts/lib/check_layer.py, the guard of the pure domain libraries, run as
the build runs it on sources written here: a pure one passes, and one that
reaches storage or gRPC, directly or through another header, fails the
build and removes the library so that the next build checks again.

  layer_check_test.py <source dir> <build dir>
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = BUILD_DIR = ""


class LayerCheckTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name
        self.library = os.path.join(self.root, "libprongsai_x_domain.a")
        with open(self.library, "wb") as f:
            f.write(b"!<arch>\n")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.root, name), "w", encoding="utf-8") as f:
            f.write(text)

    def check(self, sources):
        entries = [{
            "directory": self.root,
            "file": os.path.join(self.root, source),
            "command": (f"c++ -I{SOURCE_DIR} -isystem {BUILD_DIR}/protos "
                        f"-std=c++20 -o {source}.o -c "
                        f"{os.path.join(self.root, source)}"),
        } for source in sources]
        database = os.path.join(self.root, "compile_commands.json")
        with open(database, "w", encoding="utf-8") as f:
            json.dump(entries, f)
        return subprocess.run(
            [sys.executable,
             os.path.join(SOURCE_DIR, "scripts/lib/check_layer.py"),
             "--database", database, "--library", self.library,
             "--source-dir", self.root, "--sources", ";".join(sources),
             "--layer", "prongsai_x_domain"],
            capture_output=True, text=True, check=False)

    def test_pure_sources_pass_and_keep_the_library(self):
        self.write("rules.cc", '#include "common/base/status_macros.h"\n'
                   '#include "common/api/fields.h"\n'
                   '#include "common/thai/thai.h"\n'
                   '#include "prongsai/plan/v1/plan.pb.h"\n')
        result = self.check(["rules.cc"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(self.library))

    def test_storage_through_another_header_fails_the_build(self):
        self.write("helper.h", '#include "common/storage/storage.h"\n')
        self.write("rules.cc", '#include "common/base/validation.h"\n')
        self.write("store_rules.cc", '#include "helper.h"\n')
        result = self.check(["rules.cc", "store_rules.cc"])
        self.assertEqual(result.returncode, 1)
        self.assertIn("store_rules.cc", result.stderr)
        self.assertIn("common/storage/storage.h (storage)", result.stderr)
        self.assertNotIn("rules.cc\n", result.stderr.replace(
            "store_rules.cc\n", ""))
        self.assertFalse(os.path.exists(self.library))

    def test_grpc_redis_and_row_helpers_are_named(self):
        cases = {
            "grpc.cc": ("#include <grpcpp/support/status.h>\n", "(gRPC)"),
            "stubs.cc": ('#include "prongsai/plan/v1/plan.grpc.pb.h"\n',
                         "(gRPC)"),
            "cache.cc": ('#include "common/cache/cache_aside.h"\n',
                         "(Redis)"),
            "rows.cc": ('#include "common/api/row_fields.h"\n',
                        "row helpers"),
            "edge.cc": ('#include "common/rpc/grpc_status.h"\n',
                        "(the RPC edge)"),
        }
        for name, (text, why) in cases.items():
            with self.subTest(name):
                self.write(name, text)
                result = self.check([name])
                self.assertEqual(result.returncode, 1, name)
                self.assertIn(why, result.stderr)


if __name__ == "__main__":
    SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
