"""Runs clang-tidy over the project's own .cc files; scripts/check tidy.

  tidy_pass.py ROOT BUILD_DIR CACHE_DIR JOBS KNOWN_COMPLEX_LIST [PATH_REGEX]
      [-- COMPILER_FLAG...]

Takes each file's command from BUILD_DIR/compile_commands.json (configured
with clang++) and runs clang-tidy-14 on it with the COMPILER_FLAGs added
(clang's own warnings are findings too: .clang-tidy enables
clang-diagnostic-*), JOBS at a time, each file's output kept apart (never
interleaved). Prints every finding but the
cognitive-complexity warnings once (a header's finding comes from every file
that includes it), then compares the functions over the complexity threshold
with KNOWN_COMPLEX_LIST:
 - a function over the threshold that the list does not name fails the run;
 - a listed function that is no longer over it is a NOTE (remove its line):
   splitting a function must never break the build of whoever lists it.
Exits 1 on any finding or new complex function. With PATH_REGEX, only the
files whose path (from ROOT) it matches are analysed and compared, e.g.
"^common/" while working on common/.

A function is named "path name", e.g. "services/plan/plan_domain.cc
ValidateProject"; a lambda is "path (lambda)". gtest bodies (TestBody) are
left out: a test reads as its list of expectations, and the check is for the
code they test and the tests' own helpers, which stay in.

Results are cached in CACHE_DIR, keyed by the preprocessed file (so every
header it includes), its command, the added flags, clang-tidy's version and
every .clang-tidy: a file is analysed again exactly when something it sees
changed, and a cached result is the one a fresh run would give. ROOT is
written as a placeholder in the key and the stored output, so a clone
elsewhere (CI's) finds what this one stored.
"""

import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys

TIDY = "clang-tidy-14"
COMPLEXITY = "readability-function-cognitive-complexity"
DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<severity>warning|error): (?P<message>.*?)(?: \[(?P<check>[^\]]+)\])?$")
ROOT_MARK = "@PRONGSAI_ROOT@"
COMPLEX = re.compile(r"^(?:function '(?P<name>[^']*)'|lambda) has cognitive "
                     r"complexity")
SOURCE_DIRS = ("common/", "gateway/", "services/", "tests/", "tools/")


def git_files(root, pattern):
    return subprocess.check_output(["git", "-C", root, "ls-files", pattern],
                                   text=True).split()


def commands_of(root, build_dir, selected):
    """(path, compile arguments, directory) of each tracked source file."""
    tracked = {path for path in git_files(root, "*.cc")
               if path.startswith(SOURCE_DIRS) and selected.search(path)}
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    commands = {}
    for entry in entries:
        path = os.path.relpath(entry["file"], root)
        if path not in tracked:
            continue
        args, skip = [], False
        for arg in shlex.split(entry["command"]):
            if skip:
                skip = False
            elif arg == "-o":
                skip = True
            elif arg != "-c":
                args.append(arg)
        commands[path] = (args, entry["directory"])
    missing = sorted(tracked - set(commands))
    return [(path, *commands[path]) for path in sorted(commands)], missing


def static_key(root):
    """What every file's result depends on besides the file itself."""
    digest = hashlib.sha256()
    digest.update(subprocess.check_output([TIDY, "--version"]))
    for path in sorted(git_files(root, "*.clang-tidy")):
        digest.update(path.encode())
        with open(os.path.join(root, path), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def analyse(root, build_dir, cache_dir, key, flags, command):
    """clang-tidy's output for one file (from the cache when it is there)."""
    path, args, directory = command
    preprocessed = subprocess.run(args + flags + ["-E"], cwd=directory,
                                  capture_output=True)
    if preprocessed.returncode != 0:
        return path, None, preprocessed.stderr.decode(errors="replace")
    digest = hashlib.sha256(key.encode())
    digest.update(shlex.join(args + flags).replace(root, ROOT_MARK).encode())
    digest.update(preprocessed.stdout.replace(root.encode(),
                                              ROOT_MARK.encode()))
    cached = os.path.join(cache_dir, digest.hexdigest())
    if os.path.exists(cached):
        with open(cached, encoding="utf-8") as f:
            return path, f.read().replace(ROOT_MARK, root), ""
    done = subprocess.run(
        [TIDY, "-p", build_dir, "--quiet"] +
        [f"--extra-arg={flag}" for flag in flags] + [os.path.join(root, path)],
        capture_output=True)
    output = done.stdout.decode(errors="replace")
    # 0: clean; 1: findings (WarningsAsErrors). Anything else, or a signal,
    # is clang-tidy failing: never cached, always reported.
    if done.returncode not in (0, 1):
        return path, None, done.stderr.decode(errors="replace") + output
    with open(cached + ".tmp", "w", encoding="utf-8") as f:
        f.write(output.replace(root, ROOT_MARK))
    os.replace(cached + ".tmp", cached)
    return path, output, ""


def blocks(output):
    """Each diagnostic with the lines (notes, source, caret) that follow it."""
    current = None
    for line in output.splitlines():
        if DIAGNOSTIC.match(line):
            if current:
                yield current
            current = [line]
        elif current is not None:
            current.append(line)
    if current:
        yield current


def function_name(match):
    """The list's name of a function over the threshold."""
    return match.group("name") or "(lambda)"


def known_functions(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f
                if line.strip() and not line.startswith("#")}


def main(argv):
    flags = []
    if "--" in argv:
        flags = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    root, build_dir, cache_dir, jobs, known_path = (argv[1], argv[2], argv[3],
                                                    int(argv[4]), argv[5])
    selected = re.compile(argv[6] if len(argv) > 6 else "")
    commands, missing = commands_of(root, build_dir, selected)
    if missing:
        print("not in compile_commands.json: " + " ".join(missing))
        return 1
    os.makedirs(cache_dir, exist_ok=True)
    key = static_key(root)

    findings = {}
    complex_functions = set()
    failed = []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = pool.map(
            lambda command: analyse(root, build_dir, cache_dir, key, flags,
                                    command),
            commands)
        for path, output, error in results:
            if output is None:
                failed.append(path)
                sys.stdout.write(f"{path}: clang-tidy failed\n{error}")
                continue
            for block in blocks(output):
                diagnostic = DIAGNOSTIC.match(block[0])
                where = os.path.relpath(diagnostic.group("path"), root)
                if diagnostic.group("check") == COMPLEXITY:
                    match = COMPLEX.match(diagnostic.group("message"))
                    if match:
                        name = function_name(match)
                        if name != "TestBody":
                            complex_functions.add(f"{where} {name}")
                        continue
                findings.setdefault(block[0], block)

    for header in sorted(findings):
        print("\n".join(findings[header]))
    known = {name for name in known_functions(known_path)
             if selected.search(name.split(" ")[0])}
    new = sorted(complex_functions - known)
    gone = sorted(known - complex_functions)
    if new:
        print("over the cognitive complexity threshold of .clang-tidy "
              "(split them):")
        print("".join(f"  {name}\n" for name in new), end="")
    if gone:
        print(f"NOTE: no longer over the threshold, remove from {known_path}:")
        print("".join(f"  {name}\n" for name in gone), end="")
    print(f"{len(commands)} files, {len(findings)} findings, "
          f"{len(complex_functions)} complex functions "
          f"({len(new)} not listed)")
    return 1 if failed or findings or new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
