"""Planted secrets and bait for tests/integration/secrets.sh.

  secret_fixtures.py CONTEXT_DIR   writes the build context (files, Dockerfile,
                                   build args) and CONTEXT_DIR/planted.json
  secret_fixtures.py check PLANTED REPORT.json
                                   recall / false positives of a JSON report

Every value is made here from a random generator with the shape of its kind:
never a real key. The generator is seeded (DRYDOCK_TEST_SEED, default
20261207, printed to stderr): every run plants the same bytes. Bait strings look like secrets to a naive scanner (UUIDs,
hashes, base64 of random data, public keys, certificates, placeholders,
minified JS) and must not be reported.
"""
import base64
import json
import os
import random
import string
import sys
import uuid
import zlib

SEED = int(os.environ.get("DRYDOCK_TEST_SEED") or 20261207)
R = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
UPPER = string.ascii_uppercase + string.digits
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"


# Words the engine reads as "this is a placeholder" (kPlaceholderParts in
# src/secret/engine.cc): a random value that happens to spell one ("SAfakeEF",
# "PTODOzq") is drawn again, so recall does not depend on luck.
PLACEHOLDER_WORDS = ("example", "changeme", "placeholder", "your", "dummy", "sample", "redacted", "xxxx",
                     "fake", "insert", "replace", "todo", "fixme", "notreal", "secretkey", "mysecret",
                     "0123456", "123456789", "abcdefgh", "hunter2")


def r(chars, n):
    while True:
        v = "".join(R.choice(chars) for _ in range(n))
        if not any(w in v.lower() for w in PLACEHOLDER_WORDS):
            return v


def uid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def urandom(n):
    return R.randbytes(n)


BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def checksummed(prefix):
    """A GitHub/npm-format token: 30 random base62 characters, then their
    CRC32 in base62, zero-padded to 6 (secret/grammar.h)."""
    body = r(ALNUM, 30)
    v = zlib.crc32(body.encode()) & 0xffffffff
    tail = ""
    for _ in range(6):
        tail = BASE62[v % 62] + tail
        v //= 62
    return prefix + body + tail


def pem(kind, lines=8):
    body = base64.b64encode(urandom(48 * lines)).decode()
    return f"-----BEGIN {kind}-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + f"\n-----END {kind}-----\n"


def pem_value(text):
    body = text.split("-----\n", 1)[1]
    for line in body.splitlines():
        if line and ":" not in line:
            return line[:40]
    raise ValueError


def build(ctx):
    files = {}      # path in image -> text
    planted = []    # {rule, where, value}
    env, labels, args = [], [], []

    def plant_file(path, rule, before, value, after="\n"):
        files[path] = files.get(path, "") + before + value + after
        planted.append({"rule": rule, "where": path, "value": value})

    # --- files in layer 2 (kept) ---
    p = "/app/config/cloud.ini"
    plant_file(p, "aws-access-key-id", "aws_access_key_id = ", "AKIA" + r(UPPER, 16))
    plant_file(p, "aws-secret-access-key", "aws_secret_access_key = ", r(B64, 40))
    plant_file("/app/config/gcp.txt", "gcp-api-key", "maps_key: ", "AIza" + r(URLSAFE, 35))
    plant_file("/app/config/azure.txt", "azure-storage-connection-string",
               "DefaultEndpointsProtocol=https;AccountName=ddstore;AccountKey=", r(B64, 86) + "==",
               ";EndpointSuffix=core.windows.net\n")
    plant_file("/app/config/do.txt", "digitalocean-pat", "do_token ", "dop_v1_" + r(HEX, 64))
    plant_file("/app/config/ali.txt", "alibaba-access-key-id", "id ", "LTAI" + r(ALNUM, 20))
    plant_file("/app/src/gh.py", "github-pat", "TOKEN = '", checksummed("ghp_"), "'\n")
    plant_file("/app/src/gh2.py", "github-fine-grained-pat", "T = '", "github_pat_" + r(ALNUM, 22) + "_" + r(ALNUM, 59), "'\n")
    plant_file("/app/src/gho.txt", "github-oauth-token", "", checksummed("gho_"))
    plant_file("/app/src/ghs.txt", "github-app-token", "", checksummed("ghs_"))
    plant_file("/app/src/gl.txt", "gitlab-pat", "", "glpat-" + r(URLSAFE, 20))
    plant_file("/app/src/bb.txt", "bitbucket-app-password", "", "ATBB" + r(ALNUM, 32))
    plant_file("/root/.npmrc", "npmrc-auth-token", "//registry.npmjs.org/:_authToken=", r(ALNUM, 40))
    plant_file("/app/pypi.txt", "pypi-token", "", "pypi-AgEIcHlwaS5vcmc" + r(URLSAFE, 70))
    plant_file("/app/gem.txt", "rubygems-api-key", "", "rubygems_" + r(HEX, 48))
    plant_file("/app/nuget.txt", "nuget-api-key", "", "oy2" + r(string.ascii_lowercase + string.digits, 43))
    auth = base64.b64encode(("robot:" + r(ALNUM, 16)).encode()).decode()
    plant_file("/root/.docker/config.json", "docker-config-auth", '{"auths": {"reg.example.io": {"auth": "', auth, '"}}}\n')
    plant_file("/app/chat/slack.txt", "slack-bot-token", "", "xoxb-" + r(string.digits, 12) + "-" + r(string.digits, 13) + "-" + r(ALNUM, 24))
    plant_file("/app/chat/hook.txt", "slack-webhook", "https://hooks.slack.com/services/",
               "T" + r(UPPER, 8) + "/B" + r(UPPER, 8) + "/" + r(ALNUM, 24))
    plant_file("/app/chat/discord.txt", "discord-webhook", "https://discord.com/api/webhooks/" + r(string.digits, 18) + "/", r(URLSAFE, 68))
    plant_file("/app/chat/tg.txt", "telegram-bot-token", "bot=", r(string.digits, 10) + ":AA" + r(URLSAFE, 33))
    plant_file("/app/pay/stripe.txt", "stripe-secret-key", "", "sk_live_" + r(ALNUM, 24))
    plant_file("/app/pay/square.txt", "square-oauth-secret", "", "sq0csp-" + r(URLSAFE, 43))
    plant_file("/app/pay/bt.txt", "braintree-access-token", "",
               "access_token$production$" + r(string.ascii_lowercase + string.digits, 16) + "$" + r(HEX, 32))
    plant_file("/app/saas/twilio.txt", "twilio-api-key", "", "SK" + r(HEX, 32))
    plant_file("/app/saas/sendgrid.txt", "sendgrid-api-key", "", "SG." + r(URLSAFE, 22) + "." + r(URLSAFE, 43))
    plant_file("/app/saas/mailgun.txt", "mailgun-api-key", "", "key-" + r(HEX, 32))
    plant_file("/app/saas/shopify.txt", "shopify-access-token", "", "shpat_" + r(HEX, 32))
    plant_file("/app/saas/atlassian.txt", "atlassian-api-token", "", "ATATT3" + r(URLSAFE, 186))
    plant_file("/app/saas/dd.env", "datadog-api-key", "DD_API_KEY=", r(HEX, 32))
    plant_file("/app/saas/nr.txt", "newrelic-user-api-key", "", "NRAK-" + r(UPPER, 27))
    plant_file("/app/saas/vault.txt", "vault-service-token", "", "hvs." + r(URLSAFE, 100))
    plant_file("/app/saas/tf.txt", "terraform-cloud-token", "", r(ALNUM, 14) + ".atlasv1." + r(URLSAFE, 67))
    plant_file("/app/saas/doppler.txt", "doppler-token", "", "dp.pt." + r(ALNUM, 43))
    plant_file("/app/saas/openai.txt", "openai-api-key", "", "sk-proj-" + r(URLSAFE, 40) + "T3BlbkFJ" + r(URLSAFE, 40))
    plant_file("/app/saas/anthropic.txt", "anthropic-api-key", "", "sk-ant-api03-" + r(URLSAFE, 93) + "AA")
    plant_file("/app/saas/hf.txt", "huggingface-token", "", "hf_" + r(string.ascii_letters, 34))
    for kind, rule in [("RSA PRIVATE KEY", "private-key-rsa"), ("EC PRIVATE KEY", "private-key-ec"),
                       ("PRIVATE KEY", "private-key-pkcs8"), ("ENCRYPTED PRIVATE KEY", "private-key-pkcs8-encrypted"),
                       ("PGP PRIVATE KEY BLOCK", "private-key-pgp")]:
        text = pem(kind)
        path = "/app/keys/" + rule + ".pem"
        files[path] = text
        planted.append({"rule": rule, "where": path, "value": pem_value(text)})
    text = pem("OPENSSH PRIVATE KEY")
    files["/home/dev/.ssh/id_ed25519"] = text
    planted.append({"rule": "ssh-key-in-home", "where": "/home/dev/.ssh/id_ed25519", "value": pem_value(text)})
    jwt = "eyJ" + r(URLSAFE, 30) + ".eyJ" + r(URLSAFE, 60) + "." + r(URLSAFE, 43)
    plant_file("/app/jwt.txt", "jwt", "Authorization: Bearer ", jwt)
    plant_file("/app/.env", "database-url-password", "DATABASE_URL=postgres://app:", r(ALNUM, 18), "@db:5432/app\n")
    plant_file("/app/.env", "env-password", "REDIS_PASSWORD=", r(ALNUM, 16))
    plant_file("/app/.env", "env-secret", "SESSION_SECRET=", r(ALNUM, 32))
    plant_file("/root/.netrc", "netrc-password", "machine api.example.io\nlogin deploy\npassword ", r(ALNUM, 18))
    plant_file("/root/.git-credentials", "git-credentials", "https://deploy:", r(ALNUM, 20), "@git.example.org\n")

    # --- layer 1 files that a later layer deletes or overwrites ---
    deleted = {}
    v = "glpat-" + r(URLSAFE, 20)
    deleted["/app/deleted.env"] = "GITLAB_TOKEN=" + v + "\n"
    planted.append({"rule": "gitlab-pat", "where": "/app/deleted.env", "value": v})
    v = "sk_live_" + r(ALNUM, 30)
    deleted["/app/overwritten.conf"] = "stripe=" + v + "\n"
    planted.append({"rule": "stripe-secret-key", "where": "/app/overwritten.conf", "value": v})

    # --- config: ENV, LABEL, build ARG (history) ---
    v = "xoxp-" + r(string.digits, 12) + "-" + r(string.digits, 12) + "-" + r(string.digits, 13) + "-" + r(HEX, 32)
    env.append(("SLACK_TOKEN", v))
    planted.append({"rule": "slack-user-token", "where": "config.Env[SLACK_TOKEN]", "value": v})
    v = r(ALNUM, 20)
    env.append(("DB_PASSWORD", v))
    planted.append({"rule": "env-password", "where": "config.Env[DB_PASSWORD]", "value": v})
    v = checksummed("npm_")
    labels.append(("ci.npm-token", v))
    planted.append({"rule": "npm-token", "where": "config.Labels[ci.npm-token]", "value": v})
    v = "glrt-" + r(URLSAFE, 24)
    labels.append(("runner.registration", v))
    planted.append({"rule": "gitlab-runner-token", "where": "config.Labels[runner.registration]", "value": v})
    v = "dckr_pat_" + r(URLSAFE, 27)
    args.append(("DOCKERHUB_TOKEN", v))
    planted.append({"rule": "dockerhub-pat", "where": "history:DOCKERHUB_TOKEN", "value": v})

    # --- bait: never reported ---
    bait = {}
    bait["/app/bait/ids.txt"] = "".join(f"request {uid()}\n" for _ in range(5))
    bait["/app/bait/hashes.txt"] = "".join(f"sha256:{urandom(32).hex()}\n" for _ in range(5)) + \
        "".join(f"commit {urandom(20).hex()}\n" for _ in range(3)) + f"md5 {urandom(16).hex()}\n"
    bait["/app/bait/blob.b64"] = "".join(base64.b64encode(urandom(120)).decode() + "\n" for _ in range(5))
    bait["/app/bait/pub.pem"] = pem("PUBLIC KEY", 4) + pem("RSA PUBLIC KEY", 4)
    bait["/app/bait/cert.pem"] = pem("CERTIFICATE", 10) + pem("CERTIFICATE REQUEST", 4)
    bait["/root/.ssh/id_ed25519.pub"] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r(B64, 43) + " dev@host\n"
    bait["/root/.ssh/authorized_keys"] = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + r(B64, 300) + " ops@host\n"
    bait["/app/bait/placeholders.env"] = "\n".join([
        "DB_PASSWORD=changeme", "ADMIN_PASSWORD=change_me_now", "API_KEY=your-api-key", "API_TOKEN=<your-token-here>",
        "SECRET_KEY=xxxxxxxxxxxxxxxxxxxxxxxx", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "DB_PASSWORD=${DB_PASSWORD}", "TOKEN={{ .Values.token }}", "PASSWORD=password", "APP_SECRET=aaaaaaaaaaaaaaaaaaaaaa",
        "REDIS_PASSWORD=$(cat /run/secrets/redis)", "MY_TOKEN=your_token_here_please", "STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "SLACK=xoxb-not-a-real-token-this-will-not-work", "DB_URL=postgres://user:password@localhost/db",
        "HOOK=https://user@example.org/no-password", "PASS_PROMPT=Enter your password", "JWT_SECRET=dummy-secret-for-tests",
    ]) + "\n"
    bait["/app/static/app.min.js"] = (
        "!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};"
        "return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e,n.c=t,n.d=function(e,t,r){n.o(e,t)||"
        "Object.defineProperty(e,t,{enumerable:!0,get:r})};var token=localStorage.getItem(\"token\"),password="
        "document.getElementById(\"pw\").value,apiKey=window.config.apiKey;n.p=\"" + r(HEX, 20) + "\"}([]);\n") * 20
    bait["/app/static/bundle.js"] = "const sri='sha384-" + base64.b64encode(urandom(48)).decode() + "';\n" + \
        "var integrity=\"sha512-" + base64.b64encode(urandom(64)).decode() + "\";\n"
    bait["/app/bait/jwt-example.md"] = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpv"
                                        "aG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n")
    bait["/usr/share/doc/tool/README"] = "export GITHUB_TOKEN=ghp_" + r(ALNUM, 36) + "\n"
    bait["/app/node_modules/lib/test/fixtures/keys.txt"] = "sk_live_" + r(ALNUM, 24) + "\n" + pem("RSA PRIVATE KEY", 2)
    bait["/app/bait/lock.json"] = json.dumps({"integrity": "sha512-" + base64.b64encode(urandom(64)).decode(),
                                              "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz"}) + "\n"
    bait["/app/bait/random.bin"] = None  # binary with an embedded token: skipped by content sniffing
    bait_env = [("BUILD_ID", uid()), ("GIT_COMMIT", urandom(20).hex()), ("API_KEY", "your-api-key"),
                ("DB_PASSWORD_FILE", "/run/secrets/db_password"), ("CHECKSUM", urandom(32).hex())]
    bait_labels = [("org.opencontainers.image.revision", urandom(20).hex()),
                   ("org.opencontainers.image.source", "https://github.com/example/app"),
                   ("build.uuid", uid()), ("signing.pubkey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r(B64, 43))]
    n_bait = 60  # strings above: ≥ 40 distinct bait strings

    def write(root, mapping):
        for path, text in mapping.items():
            full = os.path.join(ctx, root, path.lstrip("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if text is None:
                with open(full, "wb") as f:
                    f.write(b"\x7fELF\x02\x01\x01\x00" + urandom(64) + checksummed("ghp_").encode() + urandom(64))
            else:
                with open(full, "w") as f:
                    f.write(text)

    write("layer-kept", files)
    write("layer-bait", bait)
    write("layer-old", deleted)
    with open(os.path.join(ctx, "clean.conf"), "w") as f:
        f.write("stripe=loaded-from-env\n")
    lines = ["FROM scratch", "COPY rootfs/ /", "COPY layer-old/ /", "RUN rm /app/deleted.env",
             "COPY clean.conf /app/overwritten.conf", "COPY layer-kept/ /", "COPY layer-bait/ /"]
    for k, v in env + bait_env:
        lines.append(f"ENV {k}={v}")
    for k, v in labels + bait_labels:
        lines.append(f'LABEL "{k}"="{v}"')
    for k, _ in args:
        lines += [f"ARG {k}", "RUN echo building"]
    lines.append('CMD ["/bin/sh"]')
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(ctx, "build-args"), "w") as f:
        f.write("".join(f"--build-arg\n{k}={v}\n" for k, v in args))
    with open(os.path.join(ctx, "planted.json"), "w") as f:
        json.dump({"planted": planted, "bait_count": n_bait}, f, indent=1)
    kinds = {p["rule"] for p in planted}
    print(f"planted {len(planted)} secrets of {len(kinds)} kinds, {n_bait} bait strings")


def check(planted_path, report_path):
    planted = json.load(open(planted_path))["planted"]
    report = json.load(open(report_path))
    places = set()  # (rule, where) reported
    for f in report.get("findings", []):
        if f.get("kind") != "secret":
            continue
        rule = f["rule_id"].removeprefix("DD-SECRET-")
        for loc in [f["location"]] + f.get("more_locations", []):
            where = loc.get("path") or loc.get("config_field", "")
            if where.startswith("history["):
                where = "history"
            places.add((rule, where))
    want = set()
    for p in planted:
        w = "history" if p["where"].startswith("history:") else p["where"]
        want.add((p["rule"], w))
    # ENV and LABEL values also appear in the history lines that set them:
    # the same secret, merged into the config finding.
    config_rules = {p["rule"] for p in planted if p["where"].startswith("config.")}
    places = {(rule, w) for rule, w in places if not (w == "history" and rule in config_rules)}
    missed = sorted(want - places)
    extra = sorted(places - want)
    print(f"recall {len(want) - len(missed)}/{len(want)}, unexpected findings {len(extra)}")
    for m in missed:
        print(f"  missed: {m}")
    for e in extra:
        print(f"  unexpected: {e}")
    return 0 if not missed and not extra else 1


if __name__ == "__main__":
    if sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    print(f"secret fixtures: seed {SEED} (DRYDOCK_TEST_SEED)", file=sys.stderr)
    build(sys.argv[1])
