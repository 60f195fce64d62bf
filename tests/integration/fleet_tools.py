#!/usr/bin/python3
"""Helpers for tests/integration/fleet.sh (standard library only).

  images OUTDIR SEED
      Write docker-archive tarballs (classic `docker save` layout) built from
      data only: a.tar and b.tar share their base layer, c.tar has three
      layers with a secret and a whiteout. The file contents come from
      random.Random(SEED), so a seed reproduces the images byte for byte.
  free-port
      Print a TCP port free on 127.0.0.1 now.
  hold HOST PORT IDLE SECONDS PIDFILE
      Open IDLE idle connections and one slowloris (a request header sent a
      byte a second), hold them SECONDS, write "ready" to PIDFILE.ready once open.
  post-many URL TOKEN BODY N
      POST BODY N times from N threads at once; print each answer's id, one a line.
  metric TEXT_FILE NAME
      Print the value of sample NAME in a Prometheus text file (0 when absent).
  hook PORTFILE OUTDIR
      A webhook receiver on 127.0.0.1 (port written to PORTFILE): each POST to
      /hook is saved as OUTDIR/N.json and answered 204; /moved answers 302 to
      /elsewhere; every request's path is appended to OUTDIR/requests.
"""

import hashlib
import io
import json
import random
import socket
import sys
import tarfile
import threading
import time
import urllib.request


def layer_tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data, mode in files:
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            if data is None:
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                tf.addfile(ti)
            else:
                ti.size = len(data)
                ti.mode = mode
                tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def write_image(path, layers, created_by, cfg_extra):
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": dict({"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]}, **cfg_extra),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": c} for c in created_by],
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    names = []
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tf:
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            tf.addfile(ti, io.BytesIO(data))
        add(cfg_name, cfg)
        for i, l in enumerate(layers):
            name = "%064x/layer.tar" % (i + 1 + int(hashlib.sha256(l).hexdigest()[:8], 16))
            names.append(name)
            add(name, l)
        manifest = [{"Config": cfg_name, "RepoTags": ["fleet/" + path.rsplit("/", 1)[-1][:-4] + ":1"],
                     "Layers": names}]
        add("manifest.json", json.dumps(manifest).encode())


def images(out, seed):
    rnd = random.Random(int(seed))
    blob = lambda n: bytes(rnd.getrandbits(8) for _ in range(n))
    base = layer_tar([
        ("etc", None, 0), ("bin", None, 0),
        ("etc/os-release", b'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n', 0o644),
        ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", 0o644),
        ("etc/shadow", b"root:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\n", 0o640),
        ("bin/tool", blob(200000), 0o4755),
    ])
    app_a = layer_tar([("srv", None, 0), ("srv/app.bin", blob(50000), 0o755),
                       ("srv/config.env", b"AWS_ACCESS_KEY_ID=AKIA" + b"QWERTYUIOPASDFGH\n", 0o644)])
    app_b = layer_tar([("opt", None, 0), ("opt/data", blob(80000), 0o644)])
    write_image(out + "/a.tar", [base, app_a], ["ADD base /", "COPY app /srv"], {"User": ""})
    write_image(out + "/b.tar", [base, app_b], ["ADD base /", "COPY data /opt"], {"User": "app"})
    c2 = layer_tar([("tmp", None, 0), ("tmp/key.pem", b"-----BEGIN RSA PRIVATE KEY-----\n" + b"MIIEow" * 40 +
                                                     b"\n-----END RSA PRIVATE KEY-----\n", 0o600)])
    c3 = layer_tar([("tmp", None, 0), ("tmp/.wh.key.pem", b"", 0o644), ("srv", None, 0),
                    ("srv/big", blob(300000), 0o644)])
    write_image(out + "/c.tar", [base, c2, c3], ["ADD base /", "COPY key /tmp", "RUN rm /tmp/key.pem"],
                {"User": "1000", "ExposedPorts": {"22/tcp": {}}})
    # v.tar: an npm package with a known advisory (bassmaster 1.5.1,
    # CVE-2014-7205 in tests/testdata/vuln/nodejs), for the rematch checks.
    npm = layer_tar([("app", None, 0), ("app/node_modules", None, 0), ("app/node_modules/bassmaster", None, 0),
                     ("app/node_modules/bassmaster/package.json",
                      b'{"name": "bassmaster", "version": "1.5.1", "license": "BSD-3-Clause"}\n', 0o644)])
    write_image(out + "/v.tar", [base, npm], ["ADD base /", "COPY app /app"], {"User": "app"})


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def hold(host, port, idle, seconds, pidfile):
    conns = []
    for _ in range(int(idle)):
        conns.append(socket.create_connection((host, int(port))))
    slow = socket.create_connection((host, int(port)))
    open(pidfile + ".ready", "w").write("ready\n")
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
    end = time.time() + float(seconds)
    i = 0
    while time.time() < end:
        try:
            slow.send(request[i:i + 1])
        except OSError:
            slow = socket.create_connection((host, int(port)))
        i = (i + 1) % len(request)
        time.sleep(1)


def post_many(url, token, body, n):
    ids = [None] * int(n)
    start = threading.Barrier(int(n))

    def one(i):
        req = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        start.wait()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                ids[i] = json.load(r)["id"]
        except Exception as e:  # reported as a missing id
            ids[i] = "error:" + str(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(int(n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in ids:
        print(i)


def metric(path, name):
    for line in open(path):
        if line.startswith(name + " "):
            print(line.split()[1])
            return
    print(0)


def hook(portfile, outdir):
    import http.server
    count = [0]
    lock = threading.Lock()

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(min(n, 16 << 20))
            with lock:
                open(outdir + "/requests", "a").write(self.path + "\n")
                if self.path == "/moved":
                    self.send_response(302)
                    self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path != "/hook":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                count[0] += 1
                open("%s/%d.json" % (outdir, count[0]), "wb").write(body)
            self.send_response(204)
            self.end_headers()

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    open(portfile + ".tmp", "w").write(str(srv.server_address[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"images": images, "free-port": free_port, "hold": hold, "post-many": post_many, "metric": metric,
     "hook": hook}[cmd](*args)
