"""Every finding code the plan service emits has its Thai text in
web/src/finding_text.ts, and that file names no code the service does not
emit (a renamed code would otherwise leave its page text behind).

    python3 tests/web/finding_text_test.py SOURCE_DIR
"""
import os
import re
import sys
import unittest

EMITTED = re.compile(r'Finding::(?:ERROR|WARNING|INFO),\s*"([A-Z][A-Z_]+)"|set_code\("([A-Z][A-Z_]+)"\)')
LISTED = re.compile(r'^\s+([A-Z][A-Z_]+): "([^"]+)",$', re.M)


class FindingTextTest(unittest.TestCase):
    def test_every_code_has_thai_text_and_no_text_is_stale(self):
        emitted = set()
        for directory, _, files in os.walk(os.path.join(SOURCE, "services", "plan")):
            for name in files:
                if name.endswith(".cc"):
                    with open(os.path.join(directory, name), encoding="utf-8") as f:
                        for match in EMITTED.finditer(f.read()):
                            emitted.add(match.group(1) or match.group(2))
        self.assertIn("TOTAL_MISMATCH", emitted)
        self.assertIn("FINDINGS_TRUNCATED", emitted)
        with open(os.path.join(SOURCE, "web", "src", "finding_text.ts"), encoding="utf-8") as f:
            listed = dict(LISTED.findall(f.read()))
        self.assertEqual(sorted(emitted - listed.keys()), [], "codes without Thai text")
        self.assertEqual(sorted(listed.keys() - emitted), [], "texts of codes nobody emits")
        for code, text in listed.items():
            self.assertRegex(text, r"[\u0e00-\u0e7f]", f"{code}: not Thai")


if __name__ == "__main__":
    SOURCE = sys.argv.pop(1)
    unittest.main()
