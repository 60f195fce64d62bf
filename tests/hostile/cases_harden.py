"""Hostile inputs for `drydock harden`: image configs whose user, ports,
volumes and tags would break out of the generated shell, YAML or JSON if
they were pasted unquoted, accounts files that are garbage, and the usual
unreadable targets (harden reads images through the same sources)."""


def build(c):
    flags = ["--format", "run", "--quiet"]
    layers = [c.base_layer()]

    def image(name, extra, layer_list=None, why=""):
        # Every format decides the same profile; the seccomp one is JSON, so
        # the suite can check the output (the run/compose/k8s renderings of
        # such configs are checked in tests/harden/harden_test.cc).
        ls = layer_list or layers
        ids = ["sha256:" + c.sha(b) for b in ls]
        cfg = c.config_json(ids, extra=extra)
        c.archive_case("harden_" + name, c.classic(ls, config=cfg), [0], command="harden",
                       flags=["--format", "seccomp", "--output", "{report}", "--quiet"], report=r"SCMP_ACT_ERRNO",
                       why=why)

    image("shell_metachars", {
        "User": "app\n$(touch /tmp/pwned)",
        "ExposedPorts": {"80/tcp": {}, "99999999999/tcp": {}, "-1/tcp": {}, "abc": {}, "22/udp": {}},
        "Volumes": {"/data'$(id)\n": {}, "/x;rm -rf /": {}, "": {}},
        "Healthcheck": {"Test": ["NONE"]},
    }, why="config strings with quotes, $(…) and newlines must be quoted or sanitised in every format")
    image("numeric_overflow_user", {"User": "99999999999999999999:-5"},
          why="a numeric USER beyond int range falls back to a chosen account")
    garbage = (c.Tar().dir(b"etc")
               .file(b"etc/passwd", b"::::::\n:x:-1:-1\napp:x:1000\n\xff\xfe:x:1001:1001::/:/bin/sh\n" * 50)
               .file(b"etc/group", b"\x00\x00\x00")
               .dir(b"bin").file(b"bin/sh", b"x", 0o755).bytes())
    image("garbage_accounts", {"User": ""}, layer_list=[garbage],
          why="malformed /etc/passwd lines are skipped, not trusted")
    path = c.write_file("harden_truncated.tar", c.classic(layers)[:700])
    c.case("harden_truncated_archive", "docker-archive:" + path, [2], stderr=r"harden_truncated\.tar",
           command="harden", flags=flags, why="a truncated archive is an input error with one line")
    c.case("harden_missing_target", "/nonexistent/drydock-harden.tar", [2], stderr=r"nonexistent",
           command="harden", flags=flags, why="a missing target names itself")
    path = c.write_file("harden_ok.tar", c.classic(layers))
    c.case("harden_bad_format", "docker-archive:" + path, [2], stderr=r"--format",
           command="harden", flags=["--format", "xml"], why="an unknown format is a usage error")
    c.case("harden_bad_memory", "docker-archive:" + path, [2], stderr=r"--memory",
           command="harden", flags=["--memory", "1g; reboot"], why="limits end up in shell: plain tokens only")
