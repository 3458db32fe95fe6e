#!/usr/bin/env python3
"""kill -9 a build of the generated corpus at random moments; the output must always be whole.

Usage:
    python3 bench/kill_build.py [--pages 10000] [--kills 20] [--seed N] [--bin PATH] [--work DIR]
                                [-- extra build flags, e.g. --no-search]

Generates the corpus with ../shared/tools/gen_corpus.py (site: `--root DIR/md --content .`), builds
it twice to get a reference of two versions (the second changes one page in 50), then 20 times:
switches the pages to the other version, starts `intark-docs build`, sends SIGKILL after a random
time between 0 and 1.1 x a whole build, and compares the output folder with both references, file
by file (SHA-256). Every kill must leave the old or the new build, whole. A last build must leave
no staging folder beside the output. Exit 0 when all held, 1 otherwise.
"""

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(os.path.dirname(ROOT), "shared", "tools", "gen_corpus.py")
CHANGED_LINE = "\nEndret i versjon B.\n"


def manifest(folder):
    files = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return files


def leftovers(parent, name):
    return [n for n in os.listdir(parent) if n.startswith(f".{name}.intark-")]


def set_version(pages, version):
    """Version A: the pages as generated; version B: one page in 50 with a line added."""
    for path in pages:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        changed = text.endswith(CHANGED_LINE)
        if changed != (version == "B"):
            text = text + CHANGED_LINE if version == "B" else text[: -len(CHANGED_LINE)]
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--bin", default=None, help="intark-docs binary (default: target/release, else debug)")
    parser.add_argument("--work", default=None, help="folder for corpus and outputs (default: a temp folder)")
    parser.add_argument("extra", nargs="*", help="more build flags (after --)")
    args = parser.parse_args()

    binary = args.bin
    if binary is None:
        for profile in ("release", "debug"):
            candidate = os.path.join(ROOT, "target", profile, "intark-docs")
            if os.path.exists(candidate):
                binary = candidate
                break
    if binary is None or not os.path.exists(binary):
        sys.exit("no intark-docs binary: run `cargo build --release` or pass --bin")
    if not os.path.exists(GEN):
        sys.exit(f"the corpus generator is not at {GEN} (../shared is missing)")
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    work = args.work or tempfile.mkdtemp(prefix="intark-kill-")
    corpus = os.path.join(work, "corpus")
    if not os.path.isdir(os.path.join(corpus, "md")):
        subprocess.run([sys.executable, GEN, str(args.pages), corpus], check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(corpus, "md")
    pages = sorted(
        os.path.join(base, n) for base, _, names in os.walk(site) for n in names if n.endswith(".md")
    )[::50]
    out = os.path.join(work, "public")
    shutil.rmtree(out, ignore_errors=True)

    def build_cmd():
        return [binary, "build", "--root", site, "--content", ".", "--out", out, *args.extra]

    print(f"binary {binary}\nseed {seed}\nwork {work}\nbuild: {' '.join(build_cmd())}", flush=True)
    references = {}
    longest = 0.0
    for version in ("A", "B"):
        set_version(pages, version)
        started = time.monotonic()
        run = subprocess.run(build_cmd(), capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if run.returncode != 0:
            sys.exit(f"the reference build of version {version} failed:\n{run.stderr}")
        longest = max(longest, elapsed)
        references[version] = manifest(out)
        print(f"reference {version}: {len(references[version])} files in {elapsed:.1f} s", flush=True)
    assert references["A"] != references["B"]

    current, failures, outcomes = "B", 0, {"A": 0, "B": 0}
    for round_ in range(args.kills):
        target = "A" if current == "B" else "B"
        set_version(pages, target)
        wait = rng.uniform(0, longest * 1.1)
        child = subprocess.Popen(build_cmd(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            code = child.wait(timeout=wait)
            how = f"finished ({code}) before the kill"
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            how = "killed"
        found = manifest(out) if os.path.isdir(out) else None
        which = next((v for v, m in references.items() if m == found), None)
        if which is None:
            failures += 1
            state = "MISSING" if found is None else f"NEITHER ({len(found)} files)"
            print(f"kill {round_ + 1:2}: at {wait:6.1f} s {how}: output {state}  <-- FAIL", flush=True)
        else:
            outcomes[which] += 1
            kind = "new" if which == target else "old"
            print(f"kill {round_ + 1:2}: at {wait:6.1f} s {how}: output is the whole {kind} build ({which})", flush=True)
            current = which
    left_before = leftovers(work, "public")
    run = subprocess.run(build_cmd(), capture_output=True, text=True)
    left_after = leftovers(work, "public")
    print(f"left beside the output by killed builds: {len(left_before)}; after one more build: {len(left_after)}")
    if run.returncode != 0 or left_after:
        failures += 1
    print(f"{args.kills} kills: {outcomes['A'] + outcomes['B']} whole outputs, {failures} failures")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
