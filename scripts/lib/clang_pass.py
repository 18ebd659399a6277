"""Runs clang++ -fsyntax-only over the project's own .cc files; scripts/check.

  clang_pass.py ROOT BUILD_DIR JOBS -- EXTRA_FLAG...

Takes each file's command from BUILD_DIR/compile_commands.json (configured
with clang++), drops the output, adds -fsyntax-only and the extra flags, and
runs JOBS at a time. The project's files are the .cc files git tracks, so
generated code is left out. Prints the diagnostics of the files that fail and
exits 1 when any does.
"""

import concurrent.futures
import json
import os
import shlex
import subprocess
import sys


def main(argv):
    root, build_dir, jobs = argv[1], argv[2], int(argv[3])
    extra = argv[argv.index("--") + 1:]
    tracked = set(
        subprocess.check_output(["git", "-C", root, "ls-files", "*.cc"],
                                text=True).split())
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    commands = []
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
        commands.append((path, args + ["-fsyntax-only"] + extra,
                         entry["directory"]))
    missing = tracked - {path for path, _, _ in commands}
    if missing:
        print("not in compile_commands.json: " + " ".join(sorted(missing)))
        return 1

    def run(command):
        path, args, directory = command
        done = subprocess.run(args, cwd=directory, capture_output=True,
                              text=True)
        return path, done.returncode, done.stderr

    failed = []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for path, code, stderr in pool.map(run, commands):
            if code != 0:
                failed.append(path)
                sys.stdout.write(stderr)
    if failed:
        print(f"{len(failed)} of {len(commands)} files fail: " +
              " ".join(failed))
        return 1
    print(f"{len(commands)} files clean")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
