#!/usr/bin/python3
"""A hostile registry on loopback and the cases that run drydock against it
(standard library only).

  registry_hostile.py list
      Print the case names, one a line.
  registry_hostile.py run CASE DRYDOCK WORKDIR
      Serve CASE's registry on 127.0.0.1 (an ephemeral port; the cross-host
      case adds a blob store on 127.0.0.2), run
          drydock --cache-dir WORK/CASE/cache image registry:127.0.0.1:P/hostile/app:1
                  --format json -o WORK/CASE/out/report.json --no-progress --quiet
      in a fresh process group (HOME, XDG_*, DOCKER_CONFIG and the working
      directory inside WORK/CASE; killed at the case's bound + 30 s) and check:
        - the exit status (2, or 0 for the cases that must succeed);
        - exit 2: stderr is exactly one line "drydock: …", printable, at most
          1000 bytes, matching the case's pattern, naming the registry or
          the repository (and not the same name twice in a row); no report
          written;
        - exit 0: nothing on stderr, a JSON report;
        - wall time under the case's bound, peak RSS (wait4) under
          REGISTRY_HOSTILE_MAX_RSS_MB (256; not for an ASan binary);
        - nothing under the cache dir's layers/ after a failure;
        - the password never in any output, report or cache file;
        - what the server saw: how many bytes it got to send before the client
          hung up, how many requests, which headers reached 127.0.0.2.
      Prints what happened (a "# " line per fact) and the problems; exits 0
      when there are none, 1 otherwise.
  registry_hostile.py serve CASE
      Serve CASE's registry until killed, printing its port (for debugging
      a case by hand).

The served image (repository hostile/app, tag 1) is made here from a fixed
seed (REGISTRY_SEED, printed): one layer, gzip level 0 (stored blocks, so a
byte changed in the tar keeps the blob's length), a config whose diff_ids
match, a Docker v2 schema 2 manifest. Each case changes one thing.

Cases: """

import base64
import gzip
import hashlib
import http.server
import io
import json
import os
import random
import re
import resource
import select
import signal
import socket
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import urllib.parse

SEED = int(os.environ.get("REGISTRY_SEED", "20261207"))
REPO = "hostile/app"
TAG = "1"
USER = "hostile"
MAX_RSS_MB = int(os.environ.get("REGISTRY_HOSTILE_MAX_RSS_MB", "256"))
# The client's stall deadline (RegistryOptions::stall_timeout_s) and what a
# case that must end by it may take: the deadline plus a generous margin.
# The client's stall window for every case (DRYDOCK_STALL_TIMEOUT): short, so
# the stalled and dripping servers cost seconds, not the default 30 s.
STALL_S = int(os.environ.get("REGISTRY_HOSTILE_STALL_S", "5"))
MIB = 1 << 20

MT_V2 = "application/vnd.docker.distribution.manifest.v2+json"
MT_V1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"
MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.docker.container.image.v1+json"
MT_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MT_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: \w+Sanitizer")


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def make_tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class Image:
    """The image every case serves, and the variants the cases need."""

    def __init__(self, seed):
        rnd = random.Random(seed)
        self.password = "hostile-pw-%016x" % rnd.getrandbits(64)
        data = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789\n") for _ in range(8192)).encode()
        files = [("etc/os-release", b'ID=hostile\nVERSION_ID="1"\nPRETTY_NAME="Hostile 1"\n'),
                 ("opt/data.txt", data)]
        self.tar = make_tar(files)
        self.layer = gzip.compress(self.tar, compresslevel=0, mtime=0)
        bad = bytearray(data)
        bad[100] = ord("!")  # same length: a valid gzip of a valid tar, another digest
        self.bad_layer = gzip.compress(make_tar([files[0], ("opt/data.txt", bytes(bad))]), compresslevel=0, mtime=0)
        assert len(self.bad_layer) == len(self.layer) and self.bad_layer != self.layer
        self.config = self._config(sha(self.tar))
        self.lying_config = self._config(sha(b"not the layer"))
        self.manifest = self._manifest(self.config)
        self.lying_manifest = self._manifest(self.lying_config)
        self.blobs = {sha(self.layer): self.layer, sha(self.config): self.config,
                      sha(self.lying_config): self.lying_config}

    @staticmethod
    def _config(diff_id):
        return json.dumps({
            "architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
            "config": {"Cmd": ["/bin/sh"], "User": "1000"},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created": "2026-01-01T00:00:00Z", "created_by": "COPY rootfs/ /"}],
        }, separators=(",", ":")).encode()

    def _manifest(self, config):
        return json.dumps({
            "schemaVersion": 2, "mediaType": MT_V2,
            "config": {"mediaType": MT_CONFIG, "digest": sha(config), "size": len(config)},
            "layers": [{"mediaType": MT_LAYER, "digest": sha(self.layer), "size": len(self.layer)}],
        }, separators=(",", ":")).encode()


IMAGE = Image(SEED)


class Registry:
    """What a case's servers saw and how they answer. One per case."""

    def __init__(self, mode):
        self.mode = mode
        self.lock = threading.Lock()
        self.log = []          # dicts: server, method, path, auth, status, sent, aborted
        self.seen = set()      # (method, path) answered once already (mode 429)
        self.tokens = set()
        self.token_requests = 0
        self.stop = threading.Event()
        self.port = 0
        self.blobstore_port = 0
        self.active = 0        # handlers running

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def quiesce(self, timeout_s=10):
        """Stops the slow answers and waits for the handlers still running."""
        self.stop.set()
        end = time.monotonic() + timeout_s
        while self.active and time.monotonic() < end:
            time.sleep(0.05)

    def requests(self, server="registry", path_re=None):
        return [e for e in self.log if e["server"] == server and (path_re is None or re.search(path_re, e["path"]))]

    def sent(self, path_re):
        return sum(e.get("sent", 0) for e in self.requests(path_re=path_re))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile-registry"
    reg = None      # set per server class
    server_name = "registry"

    def log_message(self, fmt, *args):
        pass

    # ---- low-level answers ----------------------------------------------
    def _entry(self):
        auth = self.headers.get("Authorization")
        return {"server": self.server_name, "method": self.command, "path": urllib.parse.urlsplit(self.path).path,
                "query": urllib.parse.urlsplit(self.path).query,
                "auth": auth.split(" ", 1)[0].lower() if auth else None,
                "password_seen": IMAGE.password in str(self.headers) or
                base64.b64encode(("%s:%s" % (USER, IMAGE.password)).encode()).decode() in str(self.headers),
                "t": time.monotonic(), "sent": 0}

    def _write(self, entry, data):
        try:
            self.wfile.write(data)
            entry["sent"] += len(data)
            return True
        except (BrokenPipeError, ConnectionResetError, OSError):
            entry["aborted"] = True
            self.close_connection = True
            return False

    def reply(self, entry, status, body=b"", ctype="application/json", headers=()):
        entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self._write(entry, body)

    def headers_only(self, entry, status, ctype, length, extra=()):
        """Sends the status line and headers; the caller streams the body."""
        entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()

    def wait_for_hangup(self, entry, limit_s):
        """Holds the connection open, sending nothing, until the client closes it."""
        end = time.monotonic() + limit_s
        while not self.reg.stop.is_set() and time.monotonic() < end:
            r, _, _ = select.select([self.connection], [], [], 0.5)
            if r:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        break
                except OSError:
                    break
        entry["held_s"] = round(time.monotonic() - entry["t"], 1)
        self.close_connection = True

    def stream(self, entry, chunks, limit):
        """Writes chunks (a generator) until the client hangs up or `limit` bytes."""
        for c in chunks:
            if entry["sent"] >= limit or self.reg.stop.is_set() or not self._write(entry, c):
                break

    def error(self, entry, status, code, message, headers=()):
        body = json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()
        self.reply(entry, status, body, headers=headers)

    # ---- routing ------------------------------------------------------------
    def do_GET(self):
        entry = self._entry()
        with self.reg.lock:
            self.reg.active += 1
        try:
            self.route(entry)
        finally:
            self.reg.record(entry)
            with self.reg.lock:
                self.reg.active -= 1

    do_HEAD = do_GET

    def route(self, entry):
        reg, mode, path = self.reg, self.reg.mode, entry["path"]
        if self.server_name == "blobstore":
            return self.blobstore(entry)
        if mode == "retry-after-429" or mode == "retry-after-429-blobs" and "/v2/" != path:
            with reg.lock:
                first = (self.command, path) not in reg.seen
                reg.seen.add((self.command, path))
            if first:
                return self.error(entry, 429, "TOOMANYREQUESTS", "slow down", [("Retry-After", "1")])
        if mode == "retry-after-huge":
            return self.error(entry, 429, "TOOMANYREQUESTS", "come back tomorrow", [("Retry-After", "86400")])
        if mode == "always-503":
            return self.error(entry, 503, "UNAVAILABLE", "service unavailable")
        if path == "/token":
            return self.token(entry)
        if mode in AUTH_MODES:
            if not self.authorized(entry):
                return
        if path in ("/v2", "/v2/"):
            return self.reply(entry, 200, b"{}")
        prefix = "/v2/%s/" % REPO
        if path.startswith(prefix + "manifests/"):
            return self.manifest(entry, path[len(prefix + "manifests/"):])
        if path.startswith(prefix + "blobs/"):
            return self.blob(entry, path[len(prefix + "blobs/"):])
        return self.error(entry, 404, "NAME_UNKNOWN", "repository name not known to registry")

    def challenge(self, error=None):
        scope = ',scope="repository:%s:pull"' % REPO
        if self.reg.mode == "huge-www-authenticate":
            scope = ',scope="repository:%s:pull%s"' % (REPO, "," + "x" * MIB)
        if self.reg.mode in ("cross-host-redirect-basic", "foreign-layer", "foreign-layer-allowed"):
            return 'Basic realm="hostile-registry"'
        realm = "http://127.0.0.1:%d/token" % self.reg.port
        if self.reg.mode == "realm-file-scheme":
            realm = "file:///etc/passwd"
        c = 'Bearer realm="%s",service="hostile-registry"%s' % (realm, scope)
        return c + (',error="%s"' % error if error else "")

    def authorized(self, entry):
        h = self.headers.get("Authorization", "")
        ok = h.startswith("Bearer ") and h[7:] in self.reg.tokens and self.reg.mode != "401-loop"
        if self.reg.mode in ("cross-host-redirect-basic", "foreign-layer", "foreign-layer-allowed"):
            ok = h == "Basic " + base64.b64encode(("%s:%s" % (USER, IMAGE.password)).encode()).decode()
        if not ok:
            err = "invalid_token" if h.startswith("Bearer ") else None
            self.error(entry, 401, "UNAUTHORIZED", "authentication required", [("WWW-Authenticate", self.challenge(err))])
        return ok

    def token(self, entry):
        with self.reg.lock:
            self.reg.token_requests += 1
            tok = "tok-%d-%s" % (self.reg.token_requests, hashlib.sha256(b"%d" % self.reg.token_requests).hexdigest())
            self.reg.tokens.add(tok)
        if self.reg.mode == "cross-host-redirect":
            want = "Basic " + base64.b64encode(("%s:%s" % (USER, IMAGE.password)).encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.error(entry, 401, "UNAUTHORIZED", "bad credentials")
        if self.reg.mode == "huge-token":
            size = 50 * MIB
            head, tail = b'{"token":"', b'","expires_in":300}'
            self.headers_only(entry, 200, "application/json", size)
            self._write(entry, head)
            pad = b"A" * (64 << 10)
            remaining = size - len(head) - len(tail)

            def chunks():
                nonlocal remaining
                while remaining > 0:
                    n = min(remaining, len(pad))
                    remaining -= n
                    yield pad[:n]
                yield tail
            self.stream(entry, chunks(), size)
            self.close_connection = True
            return
        self.reply(entry, 200, json.dumps({"token": tok, "expires_in": 300}).encode())

    def manifest(self, entry, ref):
        mode = self.reg.mode
        body, ctype = (IMAGE.lying_manifest if mode == "bad-diff-id" else IMAGE.manifest), MT_V2
        padded = body + b" " * (4096 - len(body))  # the drip case's: JSON allows trailing white space
        if ref not in (TAG, sha(body), sha(padded)) and mode not in ("self-index", "wrong-manifest-for-digest"):
            return self.error(entry, 404, "MANIFEST_UNKNOWN", "manifest unknown")
        if mode == "wrong-manifest-for-digest":
            return self.reply(entry, 200, body, ctype)  # whatever digest was asked for
        if mode.startswith("foreign-layer"):
            m = json.loads(body)
            m["layers"][0]["mediaType"] = MT_FOREIGN
            m["layers"][0]["urls"] = ["http://127.0.0.2:%d/store/%s" % (self.reg.blobstore_port, sha(IMAGE.layer))]
            return self.reply(entry, 200, json.dumps(m).encode(), ctype)
        if mode == "huge-layer-size":
            m = json.loads(body)
            m["layers"][0]["size"] = 1 << 62
            return self.reply(entry, 200, json.dumps(m).encode(), ctype)
        if mode == "endless-redirect":
            n = int((urllib.parse.parse_qs(entry["query"]).get("r") or ["0"])[0])
            return self.reply(entry, 302, b"", headers=[("Location", "/v2/%s/manifests/%s?r=%d" % (REPO, TAG, n + 1))])
        if mode in ("huge-manifest", "huge-manifest-chunked"):
            size = 100 * MIB
            head = b'{"schemaVersion":2,"mediaType":"%s","layers":[' % MT_V2.encode()
            item = b'{"mediaType":"%s","digest":"sha256:%s","size":1},' % (MT_LAYER.encode(), b"0" * 64)
            chunk = item * ((64 << 10) // len(item))
            if mode == "huge-manifest":
                self.headers_only(entry, 200, MT_V2, size)
                if self.command == "HEAD":
                    return
                self._write(entry, head)
                self.stream(entry, iter(lambda: chunk, None), size)
            else:
                self.headers_only(entry, 200, MT_V2, None, [("Transfer-Encoding", "chunked")])
                if self.command == "HEAD":
                    return
                framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                self._write(entry, b"%x\r\n%s\r\n" % (len(head), head))
                self.stream(entry, iter(lambda: framed, None), 2 * size)
            self.close_connection = True
            return
        if mode == "self-index":
            placeholder = {"schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": []}
            me = sha(json.dumps(placeholder).encode())
            body = json.dumps({"schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": [
                {"mediaType": MT_OCI_INDEX, "digest": me, "size": 100,
                 "platform": {"os": "linux", "architecture": "amd64"}}]}).encode()
            return self.reply(entry, 200, body, MT_OCI_INDEX, [("Docker-Content-Digest", me)])
        if mode == "non-json-manifest":
            return self.reply(entry, 200, b"<html><body><h1>502 Bad Gateway</h1></body></html>\n", MT_V2)
        if mode == "schema1-manifest":
            body = json.dumps({"schemaVersion": 1, "name": REPO, "tag": TAG, "architecture": "amd64",
                               "fsLayers": [{"blobSum": sha(IMAGE.layer)}],
                               "history": [{"v1Compatibility": json.dumps({"id": "0" * 64})}],
                               "signatures": [{"header": {"alg": "ES256"}, "signature": "x", "protected": "e30"}]
                               }).encode()
            return self.reply(entry, 200, body, MT_V1)
        if mode == "drip":
            self.headers_only(entry, 200, ctype, len(padded), [("Docker-Content-Digest", sha(padded))])
            if self.command == "HEAD":
                return
            for i in range(len(padded)):
                if self.reg.stop.is_set() or not self._write(entry, padded[i:i + 1]):
                    break
                self.wfile.flush()
                time.sleep(1)
            self.close_connection = True
            return
        self.reply(entry, 200, body, ctype, [("Docker-Content-Digest", sha(body))])

    def blob(self, entry, digest):
        mode = self.reg.mode
        data = IMAGE.blobs.get(digest)
        if data is None:
            return self.error(entry, 404, "BLOB_UNKNOWN", "blob unknown to registry")
        is_layer = data is IMAGE.layer
        if mode.startswith("foreign-layer") and is_layer:
            return self.error(entry, 404, "BLOB_UNKNOWN", "blob unknown to registry")  # it lives at its URL
        if mode.startswith("cross-host-redirect"):
            loc = "http://127.0.0.2:%d/store/%s?X-Signature=%s" % (self.reg.blobstore_port, digest, "s" * 16)
            return self.reply(entry, 307, b"", headers=[("Location", loc)])
        if mode == "redirect-file-scheme" and is_layer:
            return self.reply(entry, 302, b"", headers=[("Location", "file:///etc/passwd")])
        if mode == "bad-blob-digest" and is_layer:
            return self.reply(entry, 200, IMAGE.bad_layer, "application/octet-stream")
        if mode == "truncated-blob" and is_layer:
            self.headers_only(entry, 200, "application/octet-stream", len(data))
            if self.command != "HEAD":
                self._write(entry, data[:len(data) // 2])
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode == "stalled-blob" and is_layer:
            self.headers_only(entry, 200, "application/octet-stream", len(data))
            if self.command != "HEAD":
                self.wait_for_hangup(entry, 600)
            return
        if mode == "oversized-blob" and is_layer:
            # No length: the body runs until the client hangs up (or 1 GiB).
            self.headers_only(entry, 200, "application/octet-stream", None, [("Connection", "close")])
            self.close_connection = True
            if self.command != "HEAD":
                self._write(entry, data)
                zeros = b"\0" * (64 << 10)
                self.stream(entry, iter(lambda: zeros, None), 1 << 30)
            return
        self.reply(entry, 200, data, "application/octet-stream", [("Docker-Content-Digest", digest)])

    def blobstore(self, entry):
        m = re.match(r"^/store/(sha256:[0-9a-f]{64})$", entry["path"])
        data = IMAGE.blobs.get(m.group(1)) if m else None
        if data is None:
            return self.reply(entry, 404, b"no such object", "text/plain")
        self.reply(entry, 200, data, "application/octet-stream")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up (its HTTPS probe of a plain port, a
        # keep-alive connection it closed, a transfer it abandoned) is what
        # these cases are about, not a server error.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def serve(reg):
    """Starts the case's servers in daemon threads; returns them."""
    servers = []
    for host, name in (("127.0.0.1", "registry"), ("127.0.0.2", "blobstore")):
        if name == "blobstore" and not reg.mode.startswith(("cross-host-redirect", "foreign-layer")):
            continue
        cls = type("H_" + name, (Handler,), {"reg": reg, "server_name": name})
        srv = Server((host, 0), cls)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        if name == "registry":
            reg.port = srv.server_address[1]
        else:
            reg.blobstore_port = srv.server_address[1]
    return servers


# ---- the cases ----------------------------------------------------------------
def c_none(reg):
    return []


def c_bytes(path_re, cap_mib):
    def check(reg):
        n = reg.sent(path_re)
        facts = ["server got %.1f MiB out before the client hung up" % (n / MIB)]
        return facts, ([] if n <= cap_mib * MIB else ["client read %.1f MiB of %s (cap ~%d MiB)" % (n / MIB, path_re, cap_mib)])
    return check


def c_requests(path_re, most):
    def check(reg):
        n = len(reg.requests(path_re=path_re))
        return ["%d requests to %s" % (n, path_re)], ([] if n <= most else ["%d requests to %s, want at most %d" % (n, path_re, most)])
    return check


def c_cross_host(reg):
    store = reg.requests("blobstore")
    facts = ["%d requests reached 127.0.0.2, %d with an Authorization header" % (
        len(store), sum(1 for e in store if e["auth"]))]
    problems = []
    if not store:
        problems.append("no blob request followed the redirect to 127.0.0.2")
    if any(e["auth"] for e in store):
        problems.append("an Authorization header was sent to 127.0.0.2 (%s)" % sorted({e["auth"] for e in store}))
    if any(e["password_seen"] for e in store):
        problems.append("the password reached 127.0.0.2")
    return facts, problems


def c_foreign_skipped(reg):
    store = reg.requests("blobstore")
    return ["%d requests reached the foreign URL's host" % len(store)], (
        ["the foreign layer was fetched without --allow-foreign-layers"] if store else [])


def r_partial(report):
    """The report says it is partial and names the foreign layer's URL."""
    problems = []
    if report.get("partial") is not True:
        problems.append("report not marked partial")
    if "127.0.0.2" not in json.dumps(report.get("diagnostics")):
        problems.append("no diagnostic names the foreign URL: %s" % json.dumps(report.get("diagnostics"))[:300])
    return problems


def r_complete(report):
    problems = []
    if report.get("partial") is not False:
        problems.append("report marked partial")
    if (report.get("artifact", {}).get("os") or {}).get("id") != "hostile":
        problems.append("the layer's /etc/os-release was not read (os %s)" % report.get("artifact", {}).get("os"))
    return problems


def c_429(reg):
    """Every path that got a 429 was asked again, and answered."""
    limited = sorted({e["path"] for e in reg.requests() if e.get("status") == 429})
    gaps, never = [], []
    for p in limited:
        es = [e for e in reg.requests() if e["path"] == p]
        later = [e for e in es[1:] if e.get("status", 0) < 400]
        if later:
            gaps.append(later[0]["t"] - es[0]["t"])
        else:
            never.append(p)
    facts = ["%d paths answered 429, %d asked again after %.1f-%.1f s (Retry-After: 1)" % (
        len(limited), len(gaps), min(gaps or [0]), max(gaps or [0]))]
    return facts, (["paths never asked again after 429: %s" % never] if never else [])


def c_both(*checks):
    def check(reg):
        facts, problems = [], []
        for c in checks:
            r = c(reg)
            if isinstance(r, tuple):
                facts += r[0]
                problems += r[1]
            else:
                problems += r
        return facts, problems
    return check


# Modes whose registry wants credentials (Bearer, or Basic for the ones challenge() says).
AUTH_MODES = ("cross-host-redirect", "cross-host-redirect-basic", "foreign-layer", "foreign-layer-allowed",
              "401-loop", "huge-www-authenticate", "huge-token", "realm-file-scheme")
REG = r"(127\.0\.0\.1:\d+|hostile/app)"
# Extra flags and report checks (exit 0) of some cases.
CASE_ARGS = {"foreign-layer-allowed": ["--allow-foreign-layers"]}
REPORT_CHECKS = {"foreign-layer": r_partial, "foreign-layer-allowed": r_complete, "baseline": r_complete,
                 "cross-host-redirect": r_complete, "cross-host-redirect-basic": r_complete,
                 "retry-after-429": r_complete, "retry-after-429-blobs": r_complete}
# name: (exit status, stderr pattern, bound in seconds, server-side check, needs credentials, what it is)
CASES = {
    "baseline": (0, None, 30, c_none, False, "the image as it should be served: the control case"),
    "bad-blob-digest": (2, r"(?i)digest", 30, c_none, False,
                        "the layer blob's bytes do not hash to the digest the manifest names (same length, valid gzip)"),
    "bad-diff-id": (2, r"(?i)diff.?id", 30, c_none, False,
                    "valid blob digest, but the config's diff_id is not the uncompressed layer's"),
    "huge-manifest": (2, r"(?i)manifest", 30, c_bytes("/manifests/", 40), False,
                      "a 100 MiB manifest (Content-Length set), streamed until the client stops at its cap"),
    "huge-manifest-chunked": (2, r"(?i)manifest", 30, c_bytes("/manifests/", 40), False,
                              "an endless chunked manifest (no Content-Length)"),
    "self-index": (2, r"(?i)(digest|index|nest|loop|cycle|deep)", 30, c_requests("/manifests/", 20), False,
                   "a manifest index whose only entry names an index, answered with the same index for any digest"),
    "endless-redirect": (2, r"(?i)redirect", 30, c_requests("/manifests/", 40), False,
                         "every manifest request redirected to another manifest URL, forever"),
    "cross-host-redirect": (0, None, 30, c_cross_host, True,
                            "blobs redirected to 127.0.0.2 (a blob store): must work, with no Authorization sent there"),
    "cross-host-redirect-basic": (0, None, 30, c_cross_host, True,
                                  "the same behind Basic auth: the password itself must stay with the registry"),
    "foreign-layer": (0, None, 30, c_foreign_skipped, True,
                      "a non-distributable layer (urls on 127.0.0.2), no --allow-foreign-layers: skipped, partial report"),
    "foreign-layer-allowed": (0, None, 30, c_cross_host, True,
                              "the same with --allow-foreign-layers: fetched from its URL, no credentials sent there"),
    "redirect-file-scheme": (2, r"(?i)(redirect|scheme|file:)", 30, c_none, False,
                             "a layer blob redirected to file:///etc/passwd"),
    "truncated-blob": (2, r"(?i)(layer|blob)", 30, c_requests("/blobs/", 12), False,
                       "Content-Length of the whole layer, half of it sent, then the connection closed"),
    "stalled-blob": (2, r"(?i)(stall|time|no data|no byte)", STALL_S + 15, c_none, False,
                     "layer headers, then silence with the connection open"),
    "oversized-blob": (2, r"(?i)(layer|blob|size|larger|long)", 30, c_bytes("/blobs/", 64), False,
                       "a layer blob that goes on past its descriptor's size (1 GiB, no Content-Length)"),
    "retry-after-429": (0, None, 30, c_429, False,
                        "the first request to every path answered 429 Retry-After: 1"),
    "retry-after-429-blobs": (0, None, 30, c_429, False,
                              "the same for the manifest and blob requests only (GET /v2/ answered at once)"),
    "401-loop": (2, r"(?i)(auth|unauthori|denied|token)", 30, c_both(c_requests("/token", 10), c_requests("/v2/", 40)),
                 False, "the token endpoint issues tokens the registry keeps refusing"),
    "non-json-manifest": (2, r"(?i)(json|manifest|pars)", 30, c_none, False,
                          "an HTML page served as a v2 manifest"),
    "schema1-manifest": (2, r"(?i)(schema ?(version)? ?1|v1).*not supported|not supported.*(schema ?(version)? ?1|v1)", 30,
                         c_none, False, "a signed schema 1 manifest"),
    "realm-file-scheme": (2, r"(?i)(realm|token|scheme|URL)", 30, c_none, False,
                          "a Bearer challenge whose realm is file:///etc/passwd"),
    "retry-after-huge": (2, r"(?i)(429|retry|rate)", 30, c_requests("/v2/", 4), False,
                         "429 with Retry-After: 86400: refused at once, not slept on"),
    "always-503": (2, r"(?i)^(?!.*not a registry).*(503|unavailable)", 30, c_requests("/v2/", 12), False,
                   "every request answered 503: a few retries with backoff, then an error"),
    "wrong-manifest-for-digest": (2, r"(?i)digest", 30, c_none, False,
                                  "scanned by @sha256:…, the registry answers another manifest (no Docker-Content-Digest)"),
    "huge-layer-size": (2, r"(?i)(size|limit|large|bytes)", 30, c_requests("/blobs/", 1), False,
                        "a layer descriptor of 2^62 bytes"),
    "huge-www-authenticate": (2, r"(?i)(auth|header|challenge)", 30, c_none, False,
                              "a 1 MiB WWW-Authenticate challenge"),
    "huge-token": (2, r"(?i)token", 30, c_bytes("/token", 24), False,
                   "a 50 MiB token endpoint response"),
    "drip": (2, r"(?i)(time|deadline|slow|stall)", STALL_S + 15, c_bytes("/manifests/", 1), False,
             "a 4 KiB manifest sent one byte a second (never stalls, never ends in time)"),
}
__doc__ += ", ".join(CASES) + ".\n"


def is_asan(binary):
    with open(binary, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"AddressSanitizer" in data


def tree_files(path):
    out = []
    for root, _, files in os.walk(path):
        out += [os.path.join(root, f) for f in files]
    return out


def seed_secret_rules(drydock, work, env):
    """The built-in secret rules compiled into work/seed-cache/secret (once), or None."""
    cache = os.path.join(work, "seed-cache")
    compiled = os.path.join(cache, "secret")
    if not os.path.isdir(compiled):
        empty = os.path.join(work, "seed-empty")
        os.makedirs(empty, exist_ok=True)
        subprocess.run([drydock, "--cache-dir", cache, "image", "dir:" + empty, "--scanners", "secret",
                        "--quiet", "--no-progress", "--output", os.devnull], env=env, cwd=empty,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    return compiled if os.path.isdir(compiled) else None


def run_case(name, drydock, work):
    want_exit, pattern, bound, server_check, creds, _ = CASES[name]
    asan = is_asan(drydock)
    reg = Registry(name)
    servers = serve(reg)
    d = os.path.join(work, name)
    dirs = {k: os.path.join(d, k) for k in ("out", "home", "cwd", "cache", "docker")}
    for p in dirs.values():
        os.makedirs(p, exist_ok=True)
    report = os.path.join(dirs["out"], "report.json")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRYDOCK_")}
    env.update({"HOME": dirs["home"], "XDG_CACHE_HOME": os.path.join(dirs["home"], ".cache"),
                "XDG_CONFIG_HOME": os.path.join(dirs["home"], ".config"), "DOCKER_CONFIG": dirs["docker"],
                "TMPDIR": dirs["cwd"], "DRYDOCK_STALL_TIMEOUT": str(STALL_S)})
    if asan:
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:allocator_may_return_null=0:hard_rss_limit_mb=3500"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    # The default scan includes the secret scanner: its rules are compiled
    # once per work dir (seconds under ASan) and copied into the case's
    # private cache, so a case's time bound measures the network path.
    seeded = seed_secret_rules(drydock, work, env)
    if seeded:
        shutil.copytree(seeded, os.path.join(dirs["cache"], "secret"))
    ref = "registry:127.0.0.1:%d/%s:%s" % (reg.port, REPO, TAG)
    if name == "wrong-manifest-for-digest":
        ref = "registry:127.0.0.1:%d/%s@%s" % (reg.port, REPO, sha(b"the manifest the user pinned"))
    argv = [drydock, "--cache-dir", dirs["cache"], "image", ref, "--format", "json", "-o", report,
            "--no-progress", "--quiet"]
    if creds:
        argv += ["--username", USER, "--password-stdin"]
    argv += CASE_ARGS.get(name, [])

    def limits():
        if not asan:
            resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    t0 = time.monotonic()
    errpath = os.path.join(d, "stderr")
    with open(errpath, "w+b") as errf, open(os.path.join(d, "stdout"), "w+b") as outf:
        p = subprocess.Popen(argv, cwd=dirs["cwd"], env=env, stdin=subprocess.PIPE, stdout=outf, stderr=errf,
                             start_new_session=True, preexec_fn=limits)
        try:
            p.stdin.write((IMAGE.password + "\n").encode() if creds else b"")
            p.stdin.close()
        except BrokenPipeError:
            pass
        killed = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > bound + 30:
                killed = True
                os.killpg(p.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = 0
        elapsed = time.monotonic() - t0
        errf.seek(0)
        err = errf.read()
        outf.seek(0)
        out = outf.read()
    reg.quiesce()
    for s in servers:
        s.shutdown()
        s.server_close()
    code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024
    text = err.decode("utf-8", "replace")
    facts = ["exit %d in %.1f s, peak RSS %.0f MB%s" % (code, elapsed, rss, " (ASan)" if asan else "")]
    if text.strip():
        facts.append("stderr: " + text.strip().splitlines()[0][:300])
    problems = []
    if killed:
        problems.append("still running after %.0f s (bound %d s): killed" % (elapsed, bound))
    elif code != want_exit:
        problems.append("exit %d, want %d" % (code, want_exit))
    if SANITIZER_RE.search(text):
        problems.append("sanitizer report on stderr")
    if not killed and elapsed > bound:
        problems.append("took %.1f s, bound %d s" % (elapsed, bound))
    if not asan and rss > MAX_RSS_MB:
        problems.append("peak RSS %.0f MB > %d MB" % (rss, MAX_RSS_MB))
    if code == 2:
        lines = text.split("\n")
        if len(lines) != 2 or lines[1] != "":
            problems.append("stderr must be exactly one line, got %d" % len(text.splitlines()))
        line = lines[0]
        if not line.startswith("drydock: "):
            problems.append("stderr does not start with 'drydock: '")
        if len(line.encode()) > 1000:
            problems.append("stderr line is %d bytes (> 1000)" % len(line.encode()))
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in line):
            problems.append("stderr has control characters")
        if pattern and not re.search(pattern, line):
            problems.append("stderr does not match /%s/" % pattern)
        if not re.search(REG, line):
            problems.append("stderr names neither the registry nor the repository")
        rep = re.search(r"(\S{8,}): \1:", line)
        if rep:
            problems.append("stderr says %r twice in a row" % rep.group(1))
        if os.listdir(dirs["out"]):
            problems.append("a failed scan left %s in the output dir" % os.listdir(dirs["out"]))
        left = tree_files(os.path.join(dirs["cache"], "layers"))
        if left:
            problems.append("a failed scan left %d files in the cache's layers/: %s" % (len(left), left[:3]))
    elif code == 0:
        if text:
            problems.append("stderr not empty with --quiet")
        try:
            doc = json.load(open(report))
            problems += REPORT_CHECKS.get(name, lambda r: [])(doc)
        except (OSError, ValueError) as e:
            problems.append("no JSON report: %s" % e)
    if out and code != 0:
        problems.append("stdout not empty: %r" % out[:100])
    leaks = [f for f in tree_files(d) + [] if IMAGE.password.encode() in open(f, "rb").read()]
    if leaks:
        problems.append("the password is in %s" % [os.path.relpath(f, d) for f in leaks])
    f2, p2 = server_check(reg) if server_check is not c_none else ([], [])
    return facts + f2, problems + p2


def main(argv):
    if len(argv) >= 2 and argv[1] == "list":
        print("\n".join(CASES))
        return 0
    if len(argv) == 5 and argv[1] == "run" and argv[2] in CASES:
        facts, problems = run_case(argv[2], os.path.abspath(argv[3]), os.path.abspath(argv[4]))
        for f in facts:
            print(f)
        for p in problems:
            print("PROBLEM: " + p)
        return 1 if problems else 0
    if len(argv) == 3 and argv[1] == "serve" and argv[2] in CASES:
        reg = Registry(argv[2])
        serve(reg)
        print("registry 127.0.0.1:%d%s" % (reg.port, " blobstore 127.0.0.2:%d" % reg.blobstore_port
                                                      if reg.blobstore_port else ""), flush=True)
        threading.Event().wait()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
