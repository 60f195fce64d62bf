#!/usr/bin/python3
"""Loopback servers for tests/integration/registry.sh (standard library only).

  free-port [HOST]
      Print a TCP port that was free on HOST (default 127.0.0.1) a moment ago:
      bound to port 0, read back, closed. The caller retries on a collision.
  token-proxy --upstream URL --port-file FILE --log FILE [options]
      A distribution token server and a reverse proxy in front of the plain
      registry at URL, on one ephemeral port of 127.0.0.1 (written to FILE once
      it listens). Every /v2/ request without a valid bearer token gets
          401 WWW-Authenticate: Bearer realm="http://127.0.0.1:P/token",
              service="test-registry"[,scope="repository:R:pull"]
      GET /token?service=…&scope=… checks Basic credentials (--user U:P, any
      number; without --anonymous an anonymous request is refused with 401),
      the service, and that every requested scope is pull on a repository the
      user may read (--repos R1,R2; default all) — else 403. POST /token takes
      the OAuth2 form (grant_type=password or refresh_token, with
      --refresh-token VALUE) the way the docker CLI uses an identitytoken.
      Tokens are opaque random strings; the body carries "token",
      "access_token" or both (--token-field), and --expires-in seconds.
      A token is valid for the repositories its scopes named; with
      --max-uses N the proxy refuses a token after N authorized requests
      (401, error="invalid_token") so that expiry is deterministic rather
      than wall-clock. Authorized requests are forwarded to the registry and
      the answers streamed back.
      Options:
        --user U:P               credentials /token accepts (repeatable)
        --anonymous              /token issues tokens without credentials
        --repos R1,R2            repositories tokens may be issued for
        --token-field F          token | access_token | both (default token)
        --expires-in N           expires_in in the token body (default 300)
        --max-uses N             authorized requests a token is good for (0: any)
        --refresh-token VALUE    refresh token POST /token accepts
  The log is one JSON object per line, written when the answer is complete:
      {"n": 7, "method": "GET", "path": "/v2/app/blobs/sha256:…",
       "auth": "none|basic|bearer|basic-bad|bearer-bad", "token": "t2",
       "status": 200, "bytes": 1234, "scope": […], "grant": "…"}
  "token" is the token's name (t1, t2, …, in the order issued), never the
  token itself; credentials are never written anywhere.
"""

import argparse
import base64
import http.client
import http.server
import json
import os
import secrets
import socket
import sys
import threading
import urllib.parse

SERVICE = "test-registry"


def free_port(host="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def repo_of(path):
    """The repository a /v2/ API path names ("" for /v2/ itself)."""
    rest = path[len("/v2/"):]
    for marker in ("/manifests/", "/blobs/", "/tags/"):
        i = rest.find(marker)
        if i > 0:
            return rest[:i]
    return ""


class State:
    def __init__(self, args):
        self.args = args
        self.users = dict(u.split(":", 1) for u in args.user)
        self.repos = set(r for r in args.repos.split(",") if r) if args.repos else None
        self.lock = threading.Lock()
        self.tokens = {}  # token -> {"name", "repos", "uses"}
        self.seq = 0
        self.log = open(args.log, "a", buffering=1)

    def record(self, entry):
        with self.lock:
            self.seq += 1
            entry = dict(n=self.seq, **entry)
            self.log.write(json.dumps(entry, sort_keys=True) + "\n")

    def issue(self, repos):
        with self.lock:
            tok = secrets.token_urlsafe(32)
            name = "t%d" % (len(self.tokens) + 1)
            self.tokens[tok] = {"name": name, "repos": set(repos), "uses": 0}
            return tok, name


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "token-proxy"
    state = None  # set by main

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body=b"", headers=(), entry=None):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        if entry is not None:
            entry.update(status=status, bytes=len(body))
            self.state.record(entry)

    def _basic(self):
        """(user, ok) from a Basic Authorization header; (None, False) when absent."""
        h = self.headers.get("Authorization", "")
        if not h.lower().startswith("basic "):
            return None, False
        try:
            user, _, pw = base64.b64decode(h[6:].strip()).decode().partition(":")
        except Exception:
            return "?", False
        return user, self.state.users.get(user) == pw

    def _token_reply(self, repos, entry):
        tok, name = self.state.issue(repos)
        field = self.state.args.token_field
        body = {"expires_in": self.state.args.expires_in, "issued_at": "2026-01-01T00:00:00Z"}
        if field in ("token", "both"):
            body["token"] = tok
        if field in ("access_token", "both"):
            body["access_token"] = tok
        entry["token"] = name
        self._send(200, json.dumps(body).encode(), [("Content-Type", "application/json")], entry)

    def _scopes_ok(self, scopes, user, entry):
        """The repositories the scopes grant, or None after answering 400/403."""
        repos = []
        for sc in scopes:
            parts = sc.split(":")
            if len(parts) < 3 or parts[0] != "repository":
                self._send(400, b'{"details":"bad scope"}', entry=entry)
                return None
            name, actions = ":".join(parts[1:-1]), parts[-1].split(",")
            allowed = self.state.repos is None or name in self.state.repos
            if "pull" not in actions or not allowed or any(a not in ("pull",) for a in actions):
                self._send(403, b'{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
                           [("Content-Type", "application/json")], entry)
                return None
            repos.append(name)
        return repos

    def do_token_get(self, query):
        entry = {"method": "GET", "path": "/token", "scope": query.get("scope", []),
                 "service": (query.get("service") or [""])[0], "account": (query.get("account") or [""])[0]}
        user, ok = self._basic()
        entry["auth"] = "none" if user is None else ("basic" if ok else "basic-bad")
        if user is None and not self.state.args.anonymous or user is not None and not ok:
            self._send(401, b'{"details":"incorrect username or password"}',
                       [("Content-Type", "application/json")], entry)
            return
        if entry["service"] != SERVICE:
            self._send(400, b'{"details":"unknown service"}', entry=entry)
            return
        repos = self._scopes_ok(entry["scope"], user, entry)
        if repos is not None:
            self._token_reply(repos, entry)

    def do_token_post(self):
        n = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(min(n, 1 << 20)).decode(errors="replace"))
        grant = (form.get("grant_type") or [""])[0]
        entry = {"method": "POST", "path": "/token", "grant": grant,
                 "scope": sum((s.split(" ") for s in form.get("scope", [])), []),
                 "service": (form.get("service") or [""])[0], "auth": "form"}
        ok = False
        if grant == "password":
            ok = self.state.users.get((form.get("username") or [""])[0]) == (form.get("password") or [None])[0]
        elif grant == "refresh_token":
            ok = bool(self.state.args.refresh_token) and \
                (form.get("refresh_token") or [""])[0] == self.state.args.refresh_token
        if not ok:
            self._send(401, b'{"error":"invalid_grant"}', [("Content-Type", "application/json")], entry)
            return
        if entry["service"] != SERVICE:
            self._send(400, b'{"error":"invalid_request"}', entry=entry)
            return
        repos = self._scopes_ok(entry["scope"], None, entry)
        if repos is None:
            return
        tok, name = self.state.issue(repos)
        entry["token"] = name
        body = {"access_token": tok, "expires_in": self.state.args.expires_in, "scope": " ".join(entry["scope"])}
        self._send(200, json.dumps(body).encode(), [("Content-Type", "application/json")], entry)

    def challenge(self, repo, error=None):
        c = 'Bearer realm="http://127.0.0.1:%d/token",service="%s"' % (self.server.server_address[1], SERVICE)
        if repo:
            c += ',scope="repository:%s:pull"' % repo
        if error:
            c += ',error="%s"' % error
        return c

    def do_v2(self):
        path = urllib.parse.urlsplit(self.path).path
        repo = repo_of(path)
        entry = {"method": self.command, "path": path}
        h = self.headers.get("Authorization", "")
        info = None
        if h.lower().startswith("bearer "):
            with self.state.lock:
                info = self.state.tokens.get(h[7:].strip())
                if info is not None:
                    entry["token"] = info["name"]
                    max_uses = self.state.args.max_uses
                    if max_uses and info["uses"] >= max_uses:
                        entry["expired"] = True
                        info = None
                    elif repo and repo not in info["repos"]:
                        entry["insufficient_scope"] = True
                        info = None
                    else:
                        info["uses"] += 1
            entry["auth"] = "bearer" if info is not None else "bearer-bad"
        else:
            entry["auth"] = "basic" if h.lower().startswith("basic ") else "none"
        if info is None:
            err = None
            if entry.get("expired"):
                err = "invalid_token"
            elif entry.get("insufficient_scope"):
                err = "insufficient_scope"
            body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required",
                                           "detail": None}]}).encode()
            self._send(401, body, [("Content-Type", "application/json"),
                                   ("Docker-Distribution-API-Version", "registry/2.0"),
                                   ("WWW-Authenticate", self.challenge(repo, err))], entry)
            return
        self.forward(entry)

    def forward(self, entry):
        up = urllib.parse.urlsplit(self.state.args.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("authorization", "host", "connection", "keep-alive")}
        conn.request(self.command, self.path, headers=headers)
        r = conn.getresponse()
        self.send_response(r.status)
        length = r.getheader("Content-Length")
        body = None
        if length is None and self.command != "HEAD":
            body = r.read()
            length = str(len(body))
        for k, v in r.getheaders():
            if k.lower() in ("content-length", "connection", "transfer-encoding", "keep-alive"):
                continue
            self.send_header(k, v)
        if length is not None:
            self.send_header("Content-Length", length)
        self.end_headers()
        sent = 0
        try:
            if self.command != "HEAD":
                if body is not None:
                    self.wfile.write(body)
                    sent = len(body)
                else:
                    while True:
                        chunk = r.read(1 << 16)
                        if not chunk:
                            break
                        self.wfile.write(chunk)
                        sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            entry["aborted"] = True
        finally:
            conn.close()
        entry.update(status=r.status, bytes=sent)
        self.state.record(entry)

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/token":
            if self.command == "POST":
                self.do_token_post()
            else:
                self.do_token_get(urllib.parse.parse_qs(u.query))
        elif u.path == "/v2" or u.path.startswith("/v2/"):
            self.do_v2()
        else:
            self._send(404, b"not found", entry={"method": self.command, "path": u.path})

    do_GET = do_HEAD = do_POST = route


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up (an HTTPS probe of this plain port, a
        # keep-alive connection closed) are not server errors.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def token_proxy(argv):
    ap = argparse.ArgumentParser(prog="token-proxy")
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--user", action="append", default=[])
    ap.add_argument("--anonymous", action="store_true")
    ap.add_argument("--repos", default="")
    ap.add_argument("--token-field", default="token", choices=["token", "access_token", "both"])
    ap.add_argument("--expires-in", type=int, default=300)
    ap.add_argument("--max-uses", type=int, default=0)
    ap.add_argument("--refresh-token", default="")
    args = ap.parse_args(argv)
    Handler.state = State(args)
    srv = Server(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    srv.serve_forever()


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    if argv[1] == "free-port":
        print(free_port(argv[2] if len(argv) > 2 else "127.0.0.1"))
        return 0
    if argv[1] == "token-proxy":
        token_proxy(argv[2:])
        return 0
    print("unknown command " + argv[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
