"""Hostile inputs for the suppression sources (`image --ignorefile`,
`--ignore-policy`, `--vex`): files of 10 MB and more, deep nesting, alias
bombs, invalid dates, bytes that are not UTF-8, huge VEX arrays, endless and
odd files. Each must end in bounded time and memory with a report (exit 0)
or one line naming the file (exit 2). Loaded by make_corpus.py (build(c),
c = that module)."""
import json


def build(c):
    w = c.write_file
    target = "docker-archive:" + w("policy_target.tar", c.classic([c.base_layer()]))

    def bad(name, flag, data, stderr, why):
        path = w(name + _ext(flag), data)
        c.case(name, target, [2], stderr=r"^drydock: .*" + name + r".*" + stderr, args=[flag, path], why=why)

    # ---- the ignore file
    # Long comments keep the line count (and the sanitizer build's time) down.
    ids = b"".join(b"CVE-2024-%07d exp:2099-12-31 # %s\n" % (i, b"why " * 60) for i in range(40000))
    assert 9 << 20 < len(ids) < 16 << 20, len(ids)
    c.case("policy_ignorefile_10mb", target, [0], args=["--ignorefile", w("policy_ignorefile_10mb", ids)],
           report=r'"suppressed": \[\]', why="a 10 MB ignore file of valid lines loads in bounded time and memory")
    bad("policy_ignorefile_17mb", "--ignorefile", b"CVE-2024-0001\n" * ((17 << 20) // 14), r"larger than 16 MiB",
        "an ignore file over the 16 MiB limit is refused, not read whole")
    bad("policy_ignorefile_bad_date", "--ignorefile", b"CVE-2024-0001\nCVE-2024-0002 exp:2024-02-30\n",
        r":2: exp: 2024-02-30: February 2024 has 29 days", "an impossible expiry date names file and line")
    bad("policy_ignorefile_not_utf8", "--ignorefile", b"CVE-2024-0001\nCVE-\xc3\x28\n", r":2: not UTF-8",
        "an id that is not UTF-8")
    bad("policy_ignorefile_binary", "--ignorefile", bytes(c.RNG.getrandbits(8) for _ in range(65536)),
        r":\d+: (NUL byte|not UTF-8|line longer)", "random bytes as an ignore file")
    bad("policy_ignorefile_long_line", "--ignorefile", b"A" * (1 << 20) + b"\n", r":1: line longer than 64 KiB",
        "a 1 MiB line")
    c.case("policy_ignorefile_dev_zero", target, [2], stderr=r"/dev/zero: (larger than 16 MiB|1: NUL)",
           args=["--ignorefile", "/dev/zero"], why="an endless file: read up to the limit, then refused")
    c.case("policy_ignorefile_missing", target, [2], stderr=r"nonexistent/ignore: cannot read the ignore file",
           args=["--ignorefile", "/nonexistent/ignore"], why="a missing --ignorefile is an error (Trivy ignores it)")
    c.case("policy_ignorefile_directory", target, [2], stderr=r"the ignore file is a directory",
           args=["--ignorefile", c.OUT], why="a directory as the ignore file")

    # ---- the policy
    entry = b"  - id: CVE-2024-0001\n    reason: %s\n" % (b"x" * 100)
    big = b"ignore:\n" + entry * ((10 << 20) // len(entry))
    bad("policy_yaml_10mb", "--ignore-policy", big, r"larger than 4 MiB", "a 10 MB policy is refused before parsing")
    bad("policy_yaml_deep", "--ignore-policy", b"ignore: " + b"[" * 100000, r":1: invalid YAML",
        "100000 nested flow sequences")
    bad("policy_yaml_deep_maps", "--ignore-policy", b"ignore:\n" + b"".join(b" " * i + b"a:\n" for i in range(2500)),
        r":\d+: (invalid YAML|ignore: want a list)", "2500 nested block mappings")
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((bytes([98 + i]),) * 2 + (bytes([97 + i]),) * 9)
        for i in range(9))
    bad("policy_yaml_alias_bomb", "--ignore-policy", bomb + b"ignore: *j\n", r":1: unknown key",
        "billion laughs: refused at the first key, never expanded")
    bad("policy_yaml_alias_bomb_entries", "--ignore-policy", b"ignore: &l [" + b"*l, " * 10 + b"]\n",
        r"invalid YAML|want a mapping", "an alias that names its own list")
    bad("policy_yaml_bad_date", "--ignore-policy", b"ignore:\n  - id: CVE-1\n    reason: r\n    expires: 2024-02-30\n",
        r":4: ignore\[0\]: expires: 2024-02-30: February 2024 has 29 days", "an impossible expiry date")
    bad("policy_yaml_not_utf8", "--ignore-policy", b"ignore:\n  - id: CVE-1\n    reason: caf\xe9\n", r":3: not UTF-8",
        "a reason in Latin-1")
    bad("policy_yaml_no_reason", "--ignore-policy", b"ignore:\n  - id: CVE-1\n", r":2: ignore\[0\]: reason: required",
        "an entry without a reason")
    bad("policy_yaml_many_entries", "--ignore-policy", b"ignore:\n" + b"- {path: /x, reason: r}\n" * 10001,
        r"more than 10000 entries", "more entries than the limit")
    glob = b"ignore:\n  - path: '/" + b"*a" * 2000 + b"b/**/x'\n    reason: r\n"
    c.case("policy_yaml_glob_bomb", target, [0], args=["--ignore-policy", w("policy_yaml_glob_bomb.yaml", glob)],
           why="a 4000-byte glob of stars is matched in pattern x path time")
    c.case("policy_yaml_missing", target, [2], stderr=r"nonexistent\.yaml: cannot read the ignore policy",
           args=["--ignore-policy", "/nonexistent.yaml"], why="a missing policy")

    # ---- VEX
    def openvex(statements):
        return json.dumps({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex",
                           "author": "hostile", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
                           "statements": statements}, separators=(",", ":")).encode()

    many = openvex([{"vulnerability": {"name": "CVE-2024-%06d" % i, "aliases": ["GHSA-%06d" % i]},
                     "products": [{"@id": "pkg:deb/debian/p%d@1.0" % i}], "status": "fixed"}
                    for i in range(40000)])
    assert 5 << 20 < len(many) < 16 << 20, len(many)
    c.case("policy_vex_huge_array", target, [0], args=["--vex", w("policy_vex_huge_array.json", many)],
           why="40000 statements (5 MB): parsed and indexed in bounded time and memory")
    names = ["GHSA-%06d" % i for i in range(100000)]
    bad("policy_vex_alias_bomb", "--vex", openvex([{"vulnerability": {"name": "CVE-1", "aliases": names},
                                                    "status": "fixed", "products": [{"@id": "pkg:a/b"}]}]),
        r"aliases: more than 256 aliases", "100000 aliases of one vulnerability")
    pairs = openvex([{"vulnerability": {"name": "CVE-%d" % s, "aliases": names[:250]}, "status": "fixed",
                      "products": [{"@id": "pkg:a/b%d" % i} for i in range(200)]} for s in range(25)])
    bad("policy_vex_name_product_pairs", "--vex", pairs, r"more than 1000000 \(vulnerability name, product\) pairs",
        "25 statements of 251 names x 200 products: each would be indexed under every name")
    products = openvex([{"vulnerability": {"name": "CVE-1"}, "status": "fixed",
                         "products": [{"@id": "pkg:a/b%d" % i} for i in range(600000)]}])
    bad("policy_vex_too_many_products", "--vex", products, r"more than 300000 product statements",
        "more product claims than the limit")
    bad("policy_vex_17mb", "--vex", b" " * (17 << 20) + b"{}", r"larger than 16 MiB", "a VEX file over the limit")
    bad("policy_vex_deep", "--vex", b"[" * 1000000, r"invalid JSON", "a million nested arrays")
    bad("policy_vex_not_utf8", "--vex", b'{"@context": "https://openvex.dev/ns/v0.2.0", "statements": ["\xff"]}',
        r"invalid JSON", "a string that is not UTF-8")
    bad("policy_vex_csaf", "--vex", b'{"document": {"csaf_version": "2.0"}, "vulnerabilities": []}',
        r"a CSAF document", "CSAF is named, not mistaken for something else")
    bad("policy_vex_bad_timestamp", "--vex",
        openvex([{"vulnerability": {"name": "CVE-1"}, "status": "fixed", "timestamp": "2024-02-30T00:00:00Z"}]),
        r"statements\[0\]\.timestamp: .*not an RFC 3339", "an impossible statement time")
    bad("policy_vex_bad_status", "--vex", openvex([{"vulnerability": {"name": "CVE-1"}, "status": "maybe"}]),
        r"statements\[0\]: status \"maybe\"", "a status OpenVEX does not have")
    deep_components = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ' + \
        b'[{"bom-ref": "x", "purl": "pkg:a/b", "components": ' * 450 + b"[]" + b"}]" * 450 + b"}"
    c.case("policy_vex_cdx_nested_components", target, [0],
           args=["--vex", w("policy_vex_cdx_nested_components.json", deep_components)],
           why="450 levels of nested CycloneDX components are walked without recursion")
    c.case("policy_vex_directory", target, [2], stderr=r"the VEX document is a directory", args=["--vex", c.OUT],
           why="a directory as a VEX document")

    # ---- everything suppressed (the rules base_layer() trips): the gate
    # passes, and the report says why
    every = b"DD-CIS-4.6 # fine here\nDD-IMG-014\nDD-IMG-017\nDD-IMG-018\n"
    c.case("policy_everything_suppressed", target, [0],
           args=["--ignorefile", w("policy_all.ignore", every), "--exit-code", "1"],
           report=r'"suppression": \{\s*"kind": "ignorefile"', why="suppressed findings stay in the report")


def _ext(flag):
    return {"--ignorefile": ".ignore", "--ignore-policy": ".yaml", "--vex": ".json"}[flag]
