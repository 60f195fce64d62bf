"""Hostile inputs for `drydock dockerfile` and `drydock compose`: huge files,
endless continuations, unterminated heredocs, NUL bytes, invalid UTF-8, YAML
alias bombs and deep nesting. Each must end in bounded time and memory with
findings (exit 0) or one clear error line (exit 2)."""


def build(c):
    def df(name, data, exit, stderr=None, report=None, why=""):
        path = c.write_file(name + ".Dockerfile", data)
        c.case(name, path, exit, stderr=stderr, report=report, command="dockerfile", why=why)

    def compose(name, data, exit, stderr=None, report=None, why=""):
        path = c.write_file(name + ".yml", data)
        c.case(name, path, exit, stderr=stderr, report=report, command="compose", why=why)

    df("lint_100k_lines", b"FROM alpine:3.20\n" + b"RUN echo line\n" * 100000, (0,), report=r"DD-DF-028",
       why="100k instructions lint in bounded time")
    df("lint_10k_continuations", b"FROM alpine:3.20\nRUN apk add --no-cache \\\n" + b"  pkg \\\n" * 10000 + b"  last\n",
       (0,), report=r"DD-DF-036", why="10k continuation lines join into one RUN")
    df("lint_huge_single_line", b"FROM alpine:3.20\nRUN " + b"a && " * 400000 + b"b\n", (0,),
       why="a 2 MB RUN line with 400k commands")
    df("lint_unterminated_heredoc", b"FROM alpine:3.20\nRUN <<EOF\necho never closed\n", (2,),
       stderr=r"unterminated heredoc", why="BuildKit refuses an unterminated heredoc")
    df("lint_many_heredocs", b"FROM a:1\nRUN " + b"<<A cat && " * 2000 + b"true\n" + b"x\nA\n" * 2000, (0,),
       why="2000 heredocs on one RUN")
    df("lint_nul_bytes", b"FROM alpine:3.20\nRUN echo \x00 hi\n", (2,), stderr=r"NUL byte",
       why="a binary file is not a Dockerfile")
    df("lint_invalid_utf8", b"FROM alpine:3.20\nLABEL x=\xff\xfe\xc3\x28\nRUN echo \xe2\x82\n", (0,),
       report=r"DD-DF", why="invalid UTF-8 is linted; the JSON report stays valid")
    df("lint_bad_escape", b"# escape=\x01\nFROM a\n", (2,), stderr=r"invalid escape",
       why="an escape directive other than \\ or ` is refused, control characters escaped")
    df("lint_deep_subshells", b"FROM a:1\nRUN " + b"(" * 100000 + b"true" + b")" * 100000 + b"\n", (0,),
       why="deeply nested subshells do not recurse")
    df("lint_var_bomb", b"FROM a:1\nENV A=xxxxxxxxxxxxxxxx\n" +
       b"".join(b"ENV A=$A$A\n" for _ in range(40)), (0,),
       why="ENV doubling 40 times stays bounded (instruction size limit)")
    df("lint_escape_only", b"\\\n" * 50000, (0,), why="a file of continuation characters")
    chain = b"FROM a:1 AS s0\n" + b"".join(
        b"FROM s%d AS s%d\nENV K%d=v\nONBUILD RUN pip install x\nRUN pip install y\n" % (i - 1, i, i)
        for i in range(1, 600))
    df("lint_onbuild_stage_chain", chain, (0,), report=r"DD-DF-038",
       why="600 stages each FROM the one before, with ENV and ONBUILD: the inherited state stays linear")
    df("lint_many_pragmas", b"FROM a:1\n" + b"# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y x\n" * 10000,
       (0,), why="10k ignore pragmas")
    df("lint_many_unused_stages",
       b"".join(b"FROM a:1 AS s%d\nRUN apt-get update && apt-get install -y x=1\n" % i for i in range(4000)),
       (0,), report=r"DD-DF-032", why="4000 stages: which stage is used later is found in one pass")

    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghij":
        bomb += ("%s: &%s [%s]\n" % (n, n, ",".join(["*" + prev] * 9))).encode()
        prev = n
    compose("compose_billion_laughs", bomb + b"services:\n  s:\n    image: x:1\n    labels: *j\n", (2,),
            stderr=r"alias", why="YAML alias bomb: bounded expansion, clear error")
    compose("compose_deep_flow", b"services: " + b"[" * 100000 + b"]" * 100000 + b"\n", (2,),
            stderr=r"nested deeper", why="deep flow nesting is refused before yaml-cpp recurses")
    compose("compose_deep_block", b"".join(b" " * i + b"k:\n" for i in range(3000)), (0, 2),
            stderr=r"nested deeper|invalid YAML|must be", why="deep block nesting")
    compose("compose_nul", b"services:\n  web:\x00\n", (2,), stderr=r"NUL", why="NUL byte in YAML")
    compose("compose_invalid_utf8", b"services:\n  web:\n    image: \"\xff\xfe:1\"\n    privileged: true\n",
            (0, 2), stderr=r"invalid|YAML", why="invalid UTF-8 in a scalar")
    compose("compose_not_map", b"- just\n- a list\n", (2,), stderr=r"map", why="top level must be a map")
    compose("compose_many_services",
            b"services:\n" + b"".join(b"  s%d:\n    image: nginx\n    privileged: true\n" % i for i in range(5000)),
            (0,), report=r"DD-CMP-001", why="5000 services, ~14 findings each")
    compose("compose_extends_cycle", b"services:\n  a:\n    extends: b\n  b:\n    extends: a\n", (2,),
            stderr=r"extends", why="an extends cycle is an error, not a hang")
    compose("compose_required_var", b"services:\n  a:\n    image: ${DRYDOCK_HOSTILE_UNSET:?must be set}\n", (2,),
            stderr=r"required variable", why="${VAR:?err} with VAR unset")
