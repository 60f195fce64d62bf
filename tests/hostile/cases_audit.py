"""Hostile host trees for `drydock host --root DIR` (issue 9).

A mounted host filesystem is untrusted: symlinks must stay inside it, loops
must end, and a garbage or oversized daemon.json, or a fifo where it should
be, must give one clear line and exit 2 rather than hang or crash.
"""
import os


def build(c):
    def root(name, files, links=()):
        r = c.write_dir(name, files)
        for path, target in links:
            p = os.path.join(r, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            os.symlink(target, p)
        return r

    flags = None  # the default report flags: --format json --output … --no-progress --quiet
    c.case("audit_host_symlink_loop", root("audit_host_symlink_loop", [("etc/group", b"root:x:0:\n")],
                                            [("etc/a", "/etc/docker"), ("etc/docker", "/etc/a")]),
           exit=(2,), stderr=r"too many levels of symbolic links", command="host --root", flags=flags,
           why="etc/docker -> etc/a -> etc/docker")
    c.case("audit_host_daemon_json_garbage",
           root("audit_host_daemon_json_garbage", [("etc/docker/daemon.json", b"\x00\xff{{\"icc\": tru")]),
           exit=(2,), stderr=r"daemon\.json: invalid JSON", command="host --root", flags=flags,
           why="binary garbage in daemon.json")
    c.case("audit_host_daemon_json_wrong_type",
           root("audit_host_daemon_json_wrong_type", [("etc/docker/daemon.json", b'{"icc": "no", "hosts": 1}')]),
           exit=(2,), stderr=r"daemon\.json: .* is not a boolean", command="host --root", flags=flags,
           why="a key of the wrong type")
    c.case("audit_host_daemon_json_huge",
           root("audit_host_daemon_json_huge", [("etc/docker/daemon.json", b"{" + b" " * (3 << 20) + b"}")]),
           exit=(2,), stderr=r"daemon\.json: larger than", command="host --root", flags=flags,
           why="a 3 MiB daemon.json is refused, not slurped")
    fifo_root = root("audit_host_daemon_json_fifo", [("etc/group", b"root:x:0:\n")])
    os.makedirs(os.path.join(fifo_root, "etc/docker"), exist_ok=True)
    os.mkfifo(os.path.join(fifo_root, "etc/docker/daemon.json"))
    c.case("audit_host_daemon_json_fifo", fifo_root, exit=(2,), stderr=r"daemon\.json: not a regular file",
           command="host --root", flags=flags, why="a fifo must not block the audit")
    c.case("audit_host_absolute_symlink_rerooted",
           root("audit_host_absolute_symlink_rerooted", [("real/daemon.json", b'{"icc": false}')],
                [("etc/docker/daemon.json", "/real/daemon.json"), ("etc/default", "/../../../../etc")]),
           exit=(0,), report=r'"id": "2\.2",\s*"level": 1,\s*"status": "PASS"', command="host --root", flags=flags,
           why="absolute and escaping symlinks resolve inside the root")
    c.case("audit_host_not_a_dir", c.write_file("audit_host_not_a_dir", b"x"), exit=(2,),
           stderr=r"--root .*: not a directory", command="host --root", flags=flags, why="--root on a file")
