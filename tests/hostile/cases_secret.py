"""Hostile inputs for the secret scanner (`--scanners secret`): huge lines,
files full of keyword hits, malformed rules files. Each must end in bounded
time and memory with a report (exit 0) or one clear line (exit 2)."""

SECRET = ["--scanners", "secret"]


def build(c):
    # One 9 MiB line (under the 10 MiB per-file cap): the confirm windows
    # stay bounded, the line number is 1.
    line = (b"x" * (9 << 20)) + b" 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\n"
    c.archive_case("secret_huge_single_line", c.classic([c.files_tar([("app/one.txt", line)])]), [0],
                   args=SECRET, report=r"DD-SECRET-github-pat", why="a 9 MiB single-line file is scanned, not choked on")
    # 8 MiB of keyword hits that never confirm: the hit cap stops the work.
    hits = b"AKIA" * (2 << 20)
    c.archive_case("secret_keyword_flood", c.classic([c.files_tar([("app/flood.txt", hits)])]), [0], args=SECRET,
                   why="millions of keyword hits: capped, scan completes")
    # Many files each holding many near-matches of the generic rules.
    near = b"".join(b"DB_PASSWORD=%08d\nAPI_TOKEN=${X}\n" % i for i in range(20000))
    c.archive_case("secret_generic_flood", c.classic([c.files_tar([("app/f%d.env" % i, near) for i in range(8)])]), [0],
                   args=SECRET, why="files full of generic-rule candidates")
    # A 200 MB file of keyword hits: over the per-file cap, skipped without reading it all.
    big = b"ghp_" * (50 << 20)
    c.archive_case("secret_200mb_keywords", c.classic([c.files_tar([("app/big.txt", big)])]), [0], args=SECRET,
                   why="a 200 MB file over the size cap is skipped")
    ok = c.classic([c.files_tar([("app/a.txt", b"hello\n")])])
    target = "docker-archive:" + c.write_file("secret_cfg_target.tar", ok)
    bad = {
        "secret_config_not_yaml": b"rules: [\n",
        "secret_config_deep": b"[" * 100000,
        "secret_config_bad_regex": b"rules:\n  - id: x\n    regex: '(unclosed'\n",
        "secret_config_lookahead": b"rules:\n  - id: x\n    regex: 'a(?=b)'\n",
        "secret_config_unknown_key": b"rulez: []\n",
        "secret_config_binary": bytes(range(256)) * 4,
        "secret_config_unknown_disable": b"disable: [no-such-rule]\n",
    }
    for name, data in bad.items():
        path = c.write_file(name + ".yaml", data)
        c.case(name, target, [2], stderr=r"^drydock: .*" + name, args=SECRET + ["--secret-config", path],
               why="malformed --secret-config: one line naming the file, exit 2")
    c.case("secret_config_missing", target, [2], stderr=r"cannot read the secret config",
           args=SECRET + ["--secret-config", "/nonexistent/rules.yaml"], why="missing rules file: exit 2")
