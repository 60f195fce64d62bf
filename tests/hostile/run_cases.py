#!/usr/bin/python3
"""Runs drydock on every case of a hostile corpus and checks the outcome.

    /usr/bin/python3 tests/hostile/run_cases.py DRYDOCK CORPUS_DIR WORK_DIR [NAME_REGEX]

Normally called by tests/hostile/run.sh. For each case in CORPUS_DIR/cases.json:

    drydock image TARGET --format json --output WORK/out/NAME/report.json
            --no-progress --quiet [ARGS]

run in a fresh process group with HOME, XDG_CACHE_HOME and the working
directory inside WORK_DIR, killed after 60 s. A release binary also runs
under RLIMIT_AS (4 GB, HOSTILE_AS_BYTES); an ASan binary cannot (its shadow
memory needs the address space), so it gets hard_rss_limit_mb and
max_allocation_size_mb instead. Checks, in order:
  - no hang (60 s), no death by signal, no exit >= 128, no sanitizer report;
  - the exit status is one the case allows;
  - exit 2: stderr is exactly one line "drydock: …", printable UTF-8, <= 1000
    bytes, matching the case's regex; no report and no temp file left behind;
  - exit 0: the report exists, is strict UTF-8 JSON, and matches / does not
    match the case's report regexes; only report.json in the output dir;
  - RLIMIT_NOFILE is 1024, the usual default;
  - nothing was written to the working dir, to HOME outside the drydock cache,
    into the target, or at any must_not_exist path;
  - peak RSS (from wait4) under HOSTILE_MAX_RSS_MB for a release binary.
Prints "ok - NAME" / "not ok - NAME (why)" and "hostile: N passed, N failed".
"""

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("HOSTILE_TIMEOUT", "60"))
AS_BYTES = int(os.environ.get("HOSTILE_AS_BYTES", str(4_000_000_000)))
MAX_RSS_MB = int(os.environ.get("HOSTILE_MAX_RSS_MB", "512"))
SANITIZER_RE = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer)|"
    r"runtime error:|UndefinedBehaviorSanitizer|SUMMARY: \w+Sanitizer")
ABORT_RE = re.compile(r"terminate called|Assertion .* failed|DCHECK|Check failed")


def is_asan(binary):
    with open(binary, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"AddressSanitizer" in data


def tree(path):
    """A listing of everything under path: names, sizes, mtimes, types.
    find(1) rather than os.walk, which recurses and fails on the 4096-deep
    rootfs case."""
    r = subprocess.run(["find", path, "-printf", r"%P\t%y\t%s\t%T@\n"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    return r.stdout


def target_path(target):
    for prefix in ("docker-archive:", "oci:", "dir:"):
        if target.startswith(prefix):
            return target[len(prefix):]
    return target


def run_one(binary, asan, case, work, env_base):
    name = case["name"]
    out_dir = os.path.join(work, "out", name)
    home = os.path.join(work, "home", name)
    cwd = os.path.join(work, "cwd", name)
    for d in (out_dir, home, cwd):
        os.makedirs(d)
    # The compiled secret rules, made once per run (see seed_secret_rules):
    # a scan with the default scanners would otherwise compile them per case.
    seeded = os.path.join(work, "seed-home", ".cache", "drydock", "secret")
    if os.path.isdir(seeded):
        shutil.copytree(seeded, os.path.join(home, ".cache", "drydock", "secret"))
    report = os.path.join(out_dir, "report.json")
    env = dict(env_base)
    env.update({"HOME": home, "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                "XDG_CONFIG_HOME": os.path.join(home, ".config"), "TMPDIR": cwd})
    # "command" is the subcommand and its leading words ("image", "dockerfile",
    # "db import", …); "flags" replaces the report flags for commands without them.
    flags = case.get("flags")
    if flags is None:
        flags = ["--format", "json", "--output", report, "--no-progress", "--quiet"]
    flags = [f.replace("{report}", report) for f in flags]  # commands whose JSON output is not a report
    argv = [binary] + case.get("command", "image").split() + [case["target"]] + flags + case["args"]
    tpath = target_path(case["target"])
    before = tree(tpath)
    preexisting = {p for p in case["must_not_exist"] if os.path.lexists(p)}

    def limits():
        if not asan:
            resource.setrlimit(resource.RLIMIT_AS, (AS_BYTES, AS_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # The usual default; a walk that holds a descriptor per level fails here.
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    t0 = time.monotonic()
    with open(os.path.join(work, name + ".stderr"), "w+b") as errf:
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=errf, start_new_session=True, preexec_fn=limits)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() - t0 > TIMEOUT:
                timed_out = True
                os.killpg(p.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = 0  # reaped by wait4; keep Popen from waiting again
        elapsed = time.monotonic() - t0
        errf.seek(0)
        err = errf.read()

    rss_mb = usage.ru_maxrss / 1024
    code = os.waitstatus_to_exitcode(status)
    problems = []
    err_text = err.decode("utf-8", "replace")
    first = err_text.strip().splitlines()[0][:600] if err_text.strip() else ""
    if timed_out:
        problems.append("hung: killed after %.0f s" % TIMEOUT)
    elif code < 0:
        problems.append("killed by signal %d: %s" % (-code, first))
    elif code >= 128:
        problems.append("exit %d (crash?): %s" % (code, first))
    for label, rx in (("sanitizer", SANITIZER_RE), ("abort", ABORT_RE)):
        m = rx.search(err_text)
        if m and not (label == "abort" and first.startswith("terminate called") and code < 0):
            line = next((l for l in err_text.splitlines() if m.group(0) in l), m.group(0))
            problems.append("%s: %s" % (label, line.strip()[:300]))

    if not timed_out and 0 <= code < 128 and code not in case["exit"]:
        problems.append("exit %d, want %s; stderr: %s" % (code, "/".join(map(str, case["exit"])), first or "(empty)"))
    elif not problems and code == 2:
        problems += check_error(case, err)
    leftovers = sorted(os.listdir(out_dir))
    if not problems and code == 2 and leftovers:
        problems.append("error exit left files in the output dir: %s" % leftovers)
    if not problems and code == 0 and case.get("flags") is None:
        problems += check_report(case, report, leftovers)

    # Writes where there should be none.
    for p_ in case["must_not_exist"]:
        if p_ not in preexisting and os.path.lexists(p_):
            problems.append("created %s (escaped the image)" % p_)
    if os.listdir(cwd):
        problems.append("wrote into the working dir: %s" % sorted(os.listdir(cwd))[:5])
    for root, dirs, files in os.walk(home):
        rel = os.path.relpath(root, home)
        if rel == "." or rel == ".cache" or rel.startswith(os.path.join(".cache", "drydock")):
            if rel == ".":
                stray = [d for d in dirs if d != ".cache"] + files
            elif rel == ".cache":
                stray = [d for d in dirs if d != "drydock"] + files
            else:
                stray = []
            if stray:
                problems.append("wrote into HOME outside the cache: %s" % stray[:5])
    if tree(tpath) != before:
        problems.append("modified the target %s" % tpath)
    if not asan and not timed_out and rss_mb > MAX_RSS_MB:
        problems.append("peak RSS %.0f MB > %d MB" % (rss_mb, MAX_RSS_MB))
    return problems, code, elapsed, rss_mb, first


def check_error(case, err):
    problems = []
    try:
        text = err.decode("utf-8")
    except UnicodeDecodeError:
        return ["stderr is not UTF-8: %r" % err[:200]]
    lines = text.split("\n")
    if text == "" or lines[-1] != "" or len(lines) != 2:
        return ["stderr must be exactly one line, got %d: %r" % (len(text.splitlines()), text[:300])]
    line = lines[0]
    if not line.startswith("drydock: "):
        problems.append("stderr does not start with 'drydock: ': %r" % line[:200])
    if len(line.encode()) > 1000:
        problems.append("stderr line is %d bytes (> 1000)" % len(line.encode()))
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in line):
        problems.append("stderr has raw control characters: %r" % line[:200])
    if not re.search(case["stderr"], line):
        problems.append("stderr %r does not match /%s/" % (line[:300], case["stderr"]))
    return problems


def check_report(case, report, leftovers):
    if leftovers != ["report.json"]:
        return ["output dir holds %s, want just report.json" % leftovers]
    with open(report, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as e:
        return ["report is not valid UTF-8 JSON: %s" % str(e)[:200]]
    problems = []
    if case.get("report") and not re.search(case["report"], text):
        problems.append("report does not match /%s/" % case["report"])
    if case.get("no_report") and re.search(case["no_report"], text):
        problems.append("report matches /%s/, it must not" % case["no_report"])
    return problems


def seed_secret_rules(binary, work, env_base):
    """Compiles the built-in secret rules once into work/seed-home, for run_one to copy."""
    home = os.path.join(work, "seed-home")
    empty = os.path.join(work, "seed-empty")
    os.makedirs(empty)
    env = dict(env_base)
    env.update({"HOME": home, "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                "XDG_CONFIG_HOME": os.path.join(home, ".config")})
    r = subprocess.run([binary, "image", "dir:" + empty, "--scanners", "secret", "--quiet", "--no-progress",
                        "--output", os.devnull], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=TIMEOUT)
    if r.returncode != 0:
        print("# could not compile the secret rules once (exit %d): %s" % (r.returncode, r.stderr[:300]))


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    binary, corpus, work = (os.path.abspath(a) for a in sys.argv[1:4])
    only = re.compile(sys.argv[4]) if len(sys.argv) == 5 else None
    with open(os.path.join(corpus, "cases.json")) as f:
        cases = json.load(f)
    asan = is_asan(binary)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRYDOCK_")}
    env.pop("DOCKER_HOST", None)
    env["DOCKER_HOST"] = "unix://" + os.path.join(work, "no-docker.sock")  # never reach a real daemon
    if asan:
        env["ASAN_OPTIONS"] = ("detect_leaks=1:abort_on_error=0:allocator_may_return_null=0:"
                               "max_allocation_size_mb=2048:hard_rss_limit_mb=3500")
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    print("# hostile: %s (%s), %d cases" % (binary, "ASan" if asan else "release", len(cases)))
    seed_secret_rules(binary, work, env)
    passed = failed = 0
    slow = []
    for case in cases:
        if only and not only.search(case["name"]):
            continue
        problems, code, elapsed, rss, first = run_one(binary, asan, case, work, env)
        if problems:
            failed += 1
            print("not ok - %s (%s)" % (case["name"], "; ".join(problems)))
            print("#   target: %s %s" % (case["target"], " ".join(case["args"])))
        else:
            passed += 1
            print("ok - %s  # exit %d, %.1f s, %.0f MB%s" % (case["name"], code, elapsed, rss,
                                                             (": " + first[:400]) if code else ""))
        if elapsed > 10:
            slow.append("%s %.1f s" % (case["name"], elapsed))
        sys.stdout.flush()
    if slow:
        print("# slow: " + ", ".join(slow))
    print("hostile: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
