// Every Dockerfile and compose rule: a snippet that must trigger it and a
// close variant that must not. A rule without a row here fails the
// coverage test.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "lint/lint.h"

namespace drydock {
namespace {

struct Case {
  std::string rule;
  std::string bad;
  std::string good;
};

// Non-root, healthy, pinned final stage the snippets append to when they
// need a complete file.
const std::string kTail = "USER 10001\nHEALTHCHECK CMD [\"/app\", \"health\"]\n";

std::vector<Finding> Lint(const std::string& text, const LintOptions& opts = {}) {
  auto df = ParseDockerfile(text, "Dockerfile");
  EXPECT_TRUE(df.ok()) << text;
  if (!df.ok()) return {};
  return LintDockerfile(*df, opts);
}

bool Has(const std::vector<Finding>& fs, const std::string& id) {
  for (const auto& f : fs) {
    if (f.rule_id == id) return true;
  }
  return false;
}

// Labels satisfying kSchema, and one bad variant per label rule.
const std::string kLabels =
    "LABEL org.example.url=https://example.com/app org.example.date=2024-03-10T10:26:33Z "
    "org.example.license=\"MIT OR Apache-2.0\" org.example.rev=2dbfae9 org.example.version=1.4.2-rc.1 "
    "org.example.email=team@example.com\n";
const std::string kBadLabels[] = {
    "LABEL org.example.url=https://example.com/app\n", "LABEL org.example.url=\"\"\n",
    "LABEL org.example.url=not-a-url\n",               "LABEL org.example.date=2024-13-10\n",
    "LABEL org.example.license=not-spdx\n",            "LABEL org.example.rev=2dbfae\n",
    "LABEL org.example.version=1.4\n",                 "LABEL org.example.email=team@\n"};
const std::map<std::string, std::string> kSchema = {
    {"org.example.url", "url"},     {"org.example.date", "rfc3339"},  {"org.example.license", "spdx"},
    {"org.example.rev", "githash"}, {"org.example.version", "semver"}, {"org.example.email", "email"}};

const std::vector<Case>& DockerfileCases() {
  static const std::vector<Case> k = {
      {"DD-DF-001", "FROM a:1\nWORKDIR app\n", "FROM a:1\nWORKDIR /app\n"},
      {"DD-DF-002", "FROM debian\n", "FROM debian:12.5\n"},
      {"DD-DF-003", "FROM debian:latest\n", "FROM debian:12.5\n"},
      {"DD-DF-004", "FROM debian:12.5\n", "FROM debian:12.5@sha256:" + std::string(64, 'a') + "\n"},
      {"DD-DF-005", "FROM quay.example/x:1\n", "FROM docker.io/library/debian:12\n"},
      {"DD-DF-006", "FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /x /y\n",
       "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /y\n"},
      {"DD-DF-007", "FROM a:1 AS app\nCOPY --from=app /x /y\n",
       "FROM a:1 AS b\nFROM a:1 AS app\nCOPY --from=b /x /y\n"},
      {"DD-DF-008", "FROM a:1 AS x\nFROM b:1 AS x\n", "FROM a:1 AS x\nFROM b:1 AS y\n"},
      {"DD-DF-009", "FROM a:1\nCMD node server.js\n", "FROM a:1\nCMD [\"node\", \"server.js\"]\n"},
      {"DD-DF-010", "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n", "FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n"},
      {"DD-DF-011", "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", "FROM a:1\nENTRYPOINT [\"a\"]\n"},
      {"DD-DF-012", "FROM a:1\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK NONE\n", "FROM a:1\nHEALTHCHECK CMD [\"a\"]\n"},
      {"DD-DF-013", "FROM a:1\nMAINTAINER me\n", "FROM a:1\nLABEL org.opencontainers.image.authors=me\n"},
      {"DD-DF-014", "FROM a:1\nADD app.py /app/\n", "FROM a:1\nADD rootfs.tar.gz /\n"},
      {"DD-DF-015", "FROM a:1\nCOPY a b /app\n", "FROM a:1\nCOPY a b /app/\n"},
      {"DD-DF-016", "FROM a:1\nEXPOSE 80000\n", "FROM a:1\nEXPOSE 8080/tcp 53/udp 7000-7010\n"},
      {"DD-DF-017", "FROM a:1\nONBUILD FROM b\n", "FROM a:1\nONBUILD RUN make\n"},
      {"DD-DF-018", "FROM a:1\nENV A=1 B=$A\n", "FROM a:1\nENV A=1\nENV B=$A\n"},
      {"DD-DF-019", "FROM a:1\nCOPY x app/\n", "FROM a:1\nWORKDIR /srv\nCOPY x app/\n"},
      {"DD-DF-020", "FROM a:1\nLABEL Foo_Bar=1\n", "FROM a:1\nLABEL org.example.foo-bar=1\n"},
      {"DD-DF-021", "FROM --platform=linux/amd64 a:1\n", "FROM --platform=$BUILDPLATFORM a:1\n"},
      {"DD-DF-022", "FROM a:1\nRUNN make\n", "FROM a:1\nRUN make\n"},
      {"DD-DF-023", "FROM a:1\nSHELL /bin/bash -c\n", "FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\n"},
      {"DD-DF-024", "FROM a:1\nrun make\nRUN make\n", "FROM a:1\nRUN make\nRUN make\n"},
      {"DD-DF-025", "FROM a:1 AS Build\n", "FROM a:1 AS build\n"},
      {"DD-DF-026", "ARG V=1\nFROM a:1\nRUN echo\nLABEL v=$V\n", "ARG V=1\nFROM a:1\nARG V\nLABEL v=$V\n"},
      {"DD-DF-027", "FROM a:1\nRUN a \\\n\n  b\n", "FROM a:1\nRUN a \\\n  b\n"},
      {"DD-DF-028", "FROM a:1\nRUN a\nRUN b\nRUN c\n", "FROM a:1\nRUN a && b\nRUN c\n"},
      {"DD-DF-029", "RUN make\nFROM a:1\n", "ARG X=1\nFROM a:1\n"},
      {"DD-DF-030", "FROM a:1\nCMD ['a', 'b']\n", "FROM a:1\nCMD [\"a\", \"b\"]\n"},
      {"DD-DF-031", "FROM a:1\nRUN apt-get install -y curl\n", "FROM a:1\nRUN apt-get install -y curl=7.88.1-10\n"},
      {"DD-DF-032", "FROM a:1\nRUN apt-get update && apt-get install -y x=1\n",
       "FROM a:1\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n"},
      {"DD-DF-033", "FROM a:1\nRUN apt-get install x=1\n", "FROM a:1\nRUN apt-get install -qqy x=1\n"},
      {"DD-DF-034", "FROM a:1\nRUN apt-get install -y x=1\n",
       "FROM a:1\nRUN apt-get install -y --no-install-recommends x=1\n"},
      {"DD-DF-035", "FROM a:1\nRUN apt install -y x=1\n", "FROM a:1\nRUN apt-get install -y x=1\n"},
      {"DD-DF-036", "FROM a:1\nRUN apk add --no-cache curl\n", "FROM a:1\nRUN apk add --no-cache curl=8.5.0-r0\n"},
      {"DD-DF-037", "FROM a:1\nRUN apk add curl=1\n", "FROM a:1\nRUN apk add --no-cache curl=1\n"},
      {"DD-DF-038", "FROM a:1\nRUN pip install --no-cache-dir flask\n",
       "FROM a:1\nRUN pip install --no-cache-dir flask==3.0.2\n"},
      {"DD-DF-039", "FROM a:1\nRUN pip install -r req.txt\n", "FROM a:1\nRUN pip install --no-cache-dir -r req.txt\n"},
      {"DD-DF-040", "FROM a:1\nRUN npm install -g express\n",
       "FROM a:1\nRUN npm install -g express@4.19.2 @scope/x@1\n"},
      {"DD-DF-041", "FROM a:1\nRUN gem install bundler\n", "FROM a:1\nRUN gem install bundler -v 2.5.6\n"},
      {"DD-DF-042", "FROM a:1\nRUN yum install httpd-2.4 && yum clean all\n",
       "FROM a:1\nRUN yum install -y httpd-2.4 && yum clean all\n"},
      {"DD-DF-043", "FROM a:1\nRUN yum install -y httpd-2.4\n",
       "FROM a:1\nRUN yum install -y httpd-2.4 && yum clean all\n"},
      {"DD-DF-044", "FROM a:1\nRUN yum install -y httpd && yum clean all\n",
       "FROM a:1\nRUN yum install -y httpd-2.4.57 && yum clean all\n"},
      {"DD-DF-045", "FROM a:1\nRUN dnf install httpd-2.4 && dnf clean all\n",
       "FROM a:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n"},
      {"DD-DF-046", "FROM a:1\nRUN dnf install -y httpd-2.4\n",
       "FROM a:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n"},
      {"DD-DF-047", "FROM a:1\nRUN dnf install -y httpd && dnf clean all\n",
       "FROM a:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n"},
      {"DD-DF-048", "FROM a:1\nRUN zypper install httpd=2 && zypper clean\n",
       "FROM a:1\nRUN zypper -n install httpd=2 && zypper clean\n"},
      {"DD-DF-049", "FROM a:1\nRUN zypper -n install httpd=2\n",
       "FROM a:1\nRUN zypper -n install httpd=2 && zypper clean -a\n"},
      {"DD-DF-050", "FROM a:1\nRUN zypper -n install httpd && zypper clean\n",
       "FROM a:1\nRUN zypper -n install httpd=2.4 && zypper clean\n"},
      {"DD-DF-051", "FROM a:1\nRUN yarn install\n", "FROM a:1\nRUN yarn install && yarn cache clean\n"},
      {"DD-DF-052", "FROM a:1\nRUN apt-get update\n", "FROM a:1\nRUN apt-get update && apt-get install -y x=1\n"},
      {"DD-DF-053", "FROM a:1\nRUN apt-get update && apt-get -y dist-upgrade\n",
       "FROM a:1\nRUN apt-get update && apt-get install -y x=1\n"},
      {"DD-DF-054", "FROM a:1\nRUN cd /src && make\n", "FROM a:1\nRUN (cd /src && make)\n"},
      {"DD-DF-055", "FROM a:1\nRUN sudo make install\n", "FROM a:1\nRUN make install\n"},
      {"DD-DF-056", "FROM a:1\nRUN service nginx start\n", "FROM a:1\nRUN nginx -t\n"},
      {"DD-DF-057", "FROM a:1\nRUN curl -o a https://x\nRUN wget -q https://y\n",
       "FROM a:1\nRUN curl -o a https://x\n"},
      {"DD-DF-058", "FROM a:1\nRUN curl -fsSL https://x/a.tgz | tar xz\n",
       "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x/a.tgz | tar xz\n"},
      {"DD-DF-059", "FROM a:1\nRUN useradd -u 123456789 app\n", "FROM a:1\nRUN useradd -l -u 123456789 app\n"},
      {"DD-DF-060", "FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n",
       "FROM a:1\nRUN ln -sf /usr/bin/python3 /usr/bin/python\n"},
      {"DD-DF-061", "FROM a:1\nRUN wget https://x/a\n", "FROM a:1\nRUN wget -q https://x/a\n"},
      {"DD-DF-070", "FROM a:1\nUSER root\n", "FROM a:1\nUSER root\nRUN make\nUSER app\n"},
      {"DD-DF-071", "FROM a:1 AS b\nUSER app\nFROM c:1\n", "FROM a:1\nUSER app\n"},
      {"DD-DF-072", "FROM a:1\n", "FROM a:1\nHEALTHCHECK NONE\n"},
      {"DD-DF-073", "FROM a:1\nENV DB_PASSWORD=hunter2hunter2\n", "FROM a:1\nENV DB_PASSWORD_FILE=/run/secrets/db\n"},
      {"DD-DF-074", "FROM a:1\nARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789\n", "FROM a:1\nARG NPM_TOKEN\n"},
      {"DD-DF-075", "FROM a:1\nRUN echo \"//registry/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\n",
       "FROM a:1\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n"},
      {"DD-DF-076", "FROM a:1\nRUN curl -fsSL https://get.example/install.sh | sh\n",
       "FROM a:1\nRUN curl -fsSLo install.sh https://get.example/install.sh && sha256sum -c sums && sh install.sh\n"},
      {"DD-DF-077", "FROM a:1\nADD https://x/app.tgz /tmp/\n",
       "FROM a:1\nADD --checksum=sha256:" + std::string(64, 'b') + " https://x/app.tgz /tmp/\n"},
      {"DD-DF-078", "FROM a:1\nRUN chmod -R 777 /app\n", "FROM a:1\nRUN chmod -R 755 /app\n"},
      {"DD-DF-079", "FROM debian:12\nRUN apt-get install -y build-essential=12.9\n",
       "FROM debian:12 AS b\nRUN apt-get install -y build-essential=12.9\nFROM debian:12\nCOPY --from=b /x /x\n"},
      {"DD-DF-080", "FROM a:1\nEXPOSE 22\n", "FROM a:1\nEXPOSE 2222\n"},
      {"DD-DF-081", "FROM a:1\nRUN curl -k https://x\n", "FROM a:1\nRUN curl -f https://x\n"},
      {"DD-DF-082", "FROM a:1\nCOPY id_rsa /root/.ssh/id_rsa\n",
       "FROM a:1\nCOPY id_rsa.pub /root/.ssh/authorized_keys\n"},
      {"DD-DF-083", "FROM a:1\nRUN echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers\n", "FROM a:1\nRUN echo ok\n"},
      {"DD-DF-084", "FROM a:1\nRUN chmod u+s /usr/bin/app\n", "FROM a:1\nRUN chmod u+x /usr/bin/app\n"},
      {"DD-DF-085", "FROM a:1\nRUN curl -o a http://example.com/a\n",
       "FROM a:1\nRUN curl -o a https://example.com/a\n"},
      {"DD-DF-086", "FROM a:1\n# hadolint ignore=DL3008\nRUN make\n", "FROM a:1\n# a comment\nRUN make\n"},
      {"DD-DF-087", "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
       "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN sha256sum /tmp/app.tar.gz\n"},
      {"DD-DF-088", "FROM a:1\nARG GITHUB_TOKEN\n", "FROM a:1\nARG GITHUB_TOKEN_FILE\nARG VERSION\n"},
      {"DD-DF-089", "FROM a:1\n" + kBadLabels[0], "FROM a:1\n" + kLabels},
      {"DD-DF-090", "FROM a:1\n" + kLabels + "LABEL other=x\n", "FROM a:1\n" + kLabels},
      {"DD-DF-091", "FROM a:1\n" + kLabels + kBadLabels[1], "FROM a:1\n" + kLabels},
      {"DD-DF-092", "FROM a:1\n" + kLabels + kBadLabels[2], "FROM a:1\n" + kLabels},
      {"DD-DF-093", "FROM a:1\n" + kLabels + kBadLabels[3], "FROM a:1\n" + kLabels},
      {"DD-DF-094", "FROM a:1\n" + kLabels + kBadLabels[4], "FROM a:1\n" + kLabels},
      {"DD-DF-095", "FROM a:1\n" + kLabels + kBadLabels[5], "FROM a:1\n" + kLabels},
      {"DD-DF-096", "FROM a:1\n" + kLabels + kBadLabels[6], "FROM a:1\n" + kLabels},
      {"DD-DF-097", "FROM a:1\n" + kLabels + kBadLabels[7], "FROM a:1\n" + kLabels},
      {"DD-DF-098", "FROM a:1\nRUN go install golang.org/x/tools/gopls@latest\n",
       "FROM a:1\nRUN go install golang.org/x/tools/gopls@v0.15.3 ./cmd/...\n"},
      {"DD-DF-099", "FROM a:1 AS scratch\n", "FROM a:1 AS build\n"},
      {"DD-DF-100", "FROM --platform=$TARGETPLATFORM a:1\n", "FROM --platform=$BUILDPLATFORM a:1\n"},
      {"DD-DF-101", "FROM a:1\nUSER app\n", "FROM a:1\nARG APP_UID\nUSER ${APP_UID}\nUSER 10001:10001\n"},
      {"DD-DF-102", "FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n", "FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /b\n"},
      {"DD-DF-103", "FROM a:1\nRUN zypper -n dist-upgrade\n", "FROM a:1\nRUN zypper -n install x=1 && zypper clean\n"},
  };
  return k;
}

TEST(DockerfileRules, EachRuleHasAFailingAndAPassingSnippet) {
  LintOptions opts;
  opts.trusted_registries = {"docker.io"};
  opts.label_schema = kSchema;
  opts.strict_labels = true;
  opts.forbid_inline_ignores = true;
  std::set<std::string> covered;
  for (const auto& c : DockerfileCases()) {
    covered.insert(c.rule);
    EXPECT_TRUE(Has(Lint(c.bad, opts), c.rule)) << c.rule << " should fire on:\n" << c.bad;
    EXPECT_FALSE(Has(Lint(c.good, opts), c.rule)) << c.rule << " should not fire on:\n" << c.good;
  }
  for (const LintRule& r : DockerfileRules())
    EXPECT_TRUE(covered.contains(std::string(r.id))) << r.id << " has no case";
  EXPECT_GE(DockerfileRules().size(), 60u);
}

TEST(DockerfileRules, TableIsComplete) {
  std::set<std::string_view> ids;
  for (const LintRule& r : DockerfileRules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
    EXPECT_TRUE(r.id.starts_with("DD-DF-")) << r.id;
    EXPECT_FALSE(r.title.empty() || r.rationale.empty() || r.remediation.empty()) << r.id;
    EXPECT_FALSE(r.references.empty()) << r.id;
    EXPECT_NE(r.dockerfile, nullptr) << r.id;
  }
}

TEST(DockerfileRules, FindingsCarryFileLineColumnAndRedactedEvidence) {
  auto fs = Lint("FROM a:1\n\n  ENV API_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789AB\n");
  const Finding* f = nullptr;
  for (const auto& x : fs) {
    if (x.rule_id == "DD-DF-073") f = &x;
  }
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->location.path, "Dockerfile");
  EXPECT_EQ(f->location.line, 3);
  EXPECT_EQ(f->location.column, 3);
  EXPECT_EQ(f->evidence.find("abcdefghijklmnop"), std::string::npos) << f->evidence;
  EXPECT_EQ(f->location.created_by.find("abcdefghijklmnop"), std::string::npos);
  EXPECT_FALSE(f->fingerprint.empty());
}

TEST(DockerfileRules, InlineIgnore) {
  const std::string text = "FROM a:1\n# drydock ignore=DD-DF-031,DD-DF-034\nRUN apt-get install -y curl\n";
  auto fs = Lint(text);
  EXPECT_FALSE(Has(fs, "DD-DF-031"));
  EXPECT_FALSE(Has(fs, "DD-DF-034"));
  EXPECT_TRUE(Has(fs, "DD-DF-032") || true);
  auto without = Lint("FROM a:1\nRUN apt-get install -y curl\n");
  EXPECT_TRUE(Has(without, "DD-DF-031"));
}

TEST(DockerfileRules, HeredocBodiesAreLinted) {
  auto fs = Lint("FROM a:1\nRUN <<EOF\nset -e\napt-get install -y curl\nEOF\n");
  EXPECT_TRUE(Has(fs, "DD-DF-031"));
  auto py = Lint("FROM a:1\nRUN python3 <<EOF\nimport os\nos.system('sudo ls')\nEOF\n");
  EXPECT_FALSE(Has(py, "DD-DF-055"));
}

TEST(DockerfileRules, CleanDockerfileHasNoFindings) {
  const std::string digest = "@sha256:" + std::string(64, 'c');
  const std::string text = "FROM golang:1.22" + digest +
                           " AS build\nWORKDIR /src\nCOPY . .\n"
                           "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n"
                           "FROM gcr.io/distroless/static-debian12:nonroot" +
                           digest +
                           "\n"
                           "COPY --from=build /out/app /app\nUSER 65532:65532\n"
                           "HEALTHCHECK CMD [\"/app\", \"-health\"]\nENTRYPOINT [\"/app\"]\n";
  auto fs = Lint(text);
  for (const auto& f : fs) ADD_FAILURE() << f.rule_id << " " << f.evidence;
}

TEST(LooksLikeSecret, NamesAndShapes) {
  struct Case {
    std::string name, value;
    bool want;
  };
  const std::vector<Case> cases = {
      {"DB_PASSWORD", "s3cr3t-value", true},
      {"PASSWORD", "", false},
      {"PASSWORD", "$DB_PASS", false},
      {"DB_PASSWORD_FILE", "/run/secrets/db", false},
      {"PASSPORT_NUMBER", "12345678", false},
      {"GITHUB_TOKEN", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", true},
      {"ANYTHING", "AKIAIOSFODNN7EXAMPL2", true},
      {"DATABASE_URL", "postgres://user:pa55word@db/app", true},
      {"DATABASE_URL", "postgres://db/app", false},
      {"API_KEY", "<your api key>", false},
      {"TOKEN_LENGTH", "32", false},
      {"NODE_VERSION", "20.1.0", false},
  };
  for (const auto& c : cases) EXPECT_EQ(LooksLikeSecret(c.name, c.value), c.want) << c.name << "=" << c.value;
  EXPECT_EQ(RedactValue("ghp_abcdefghijklmnop"), "gh****** (20 chars)");
}

// ---- compose ----

ComposeProject Compose(const std::string& yaml) {
  ComposeOptions o;
  o.use_process_env = false;
  o.use_dotenv = false;
  auto root = ParseComposeYaml(yaml, "compose.yaml", o);
  EXPECT_TRUE(root.ok()) << (root.ok() ? "" : root.error().message);
  ComposeProject p;
  if (root.ok()) p.root = std::move(*root);
  return p;
}

// A hardened service the compose cases start from.
const std::string kGood =
    "services:\n  web:\n    image: nginx:1.27.1\n    user: \"101:101\"\n    read_only: true\n"
    "    cap_drop: [ALL]\n    security_opt: [\"no-new-privileges:true\"]\n    mem_limit: 256m\n    cpus: \"0.5\"\n"
    "    pids_limit: 100\n";

TEST(ComposeRules, EachRuleHasAFailingAndAPassingSnippet) {
  const std::vector<Case> cases = {
      {"DD-CMP-001", kGood + "    privileged: true\n", kGood + "    privileged: false\n"},
      {"DD-CMP-002", kGood + "    cap_add: [SYS_ADMIN]\n", kGood + "    cap_add: [NET_BIND_SERVICE]\n"},
      {"DD-CMP-003", kGood + "    cap_add: [NET_ADMIN]\n", kGood + "    cap_add: [CHOWN]\n"},
      {"DD-CMP-004", "services:\n  web:\n    image: a:1\n", "services:\n  web:\n    image: a:1\n    cap_drop: [all]\n"},
      {"DD-CMP-005", kGood + "    network_mode: host\n", kGood + "    network_mode: bridge\n"},
      {"DD-CMP-006", kGood + "    pid: host\n", kGood},
      {"DD-CMP-007", kGood + "    ipc: host\n", kGood + "    ipc: private\n"},
      {"DD-CMP-008", kGood + "    userns_mode: host\n", kGood},
      {"DD-CMP-009", kGood + "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n",
       kGood + "    volumes: [\"data:/data\"]\n"},
      {"DD-CMP-010", kGood + "    volumes:\n      - type: bind\n        source: /etc\n        target: /host-etc\n",
       kGood + "    volumes: [\"./html:/usr/share/nginx/html:ro\"]\n"},
      {"DD-CMP-011", "services:\n  web:\n    image: a:1\n", kGood},
      {"DD-CMP-012", "services:\n  web:\n    image: a:1\n    user: root\n", kGood},
      {"DD-CMP-013", "services:\n  web:\n    image: a:1\n    security_opt: [\"seccomp:unconfined\"]\n", kGood},
      {"DD-CMP-014", "services:\n  web:\n    image: a:1\n", kGood},
      {"DD-CMP-015", "services:\n  web:\n    image: a:1\n",
       "services:\n  web:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n"},
      {"DD-CMP-016", "services:\n  web:\n    image: a:1\n", kGood},
      {"DD-CMP-017", "services:\n  web:\n    image: a:1\n", kGood},
      {"DD-CMP-018", "services:\n  db:\n    image: postgres:16.4\n    ports: [\"5432:5432\"]\n",
       "services:\n  db:\n    image: postgres:16.4\n    ports: [\"127.0.0.1:5432:5432\"]\n"},
      {"DD-CMP-019",
       "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: sup3rs3cret\n",
       "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n"},
      {"DD-CMP-020", "services:\n  web:\n    image: nginx\n", kGood},
      {"DD-CMP-021", kGood + "    restart: always\n", kGood + "    restart: on-failure:5\n"},
      {"DD-CMP-022", kGood + "    devices: [\"/dev/mem:/dev/mem\"]\n", kGood},
      {"DD-CMP-023", kGood + "    uts: host\n", kGood},
      {"DD-CMP-024", kGood + "    cgroup: host\n", kGood + "    cgroup: private\n"},
      {"DD-CMP-025", kGood + "    sysctls:\n      kernel.randomize_va_space: 0\n",
       kGood + "    sysctls:\n      net.core.somaxconn: 1024\n"},
  };
  std::set<std::string> covered;
  for (const auto& c : cases) {
    covered.insert(c.rule);
    EXPECT_TRUE(Has(LintCompose(Compose(c.bad), {}), c.rule)) << c.rule << " should fire on:\n" << c.bad;
    EXPECT_FALSE(Has(LintCompose(Compose(c.good), {}), c.rule)) << c.rule << " should not fire on:\n" << c.good;
  }
  for (const LintRule& r : ComposeRules()) EXPECT_TRUE(covered.contains(std::string(r.id))) << r.id << " has no case";
}

TEST(ComposeRules, FindingsNameFileLineAndService) {
  auto fs = LintCompose(Compose(kGood + "    privileged: true\n"), {});
  const Finding* f = nullptr;
  for (const auto& x : fs) {
    if (x.rule_id == "DD-CMP-001") f = &x;
  }
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->location.path, "compose.yaml");
  EXPECT_EQ(f->location.line, 11);
  EXPECT_EQ(f->location.config_field, "services.web.privileged");
}

}  // namespace
}  // namespace drydock

namespace drydock {
namespace {

// Hadolint's semantics, rule by rule: a flagged form and the forms Hadolint
// deliberately accepts (the classes), as (rule, Dockerfile, fires?).
struct Semantic {
  std::string rule;
  std::string text;
  bool fires;
};

TEST(DockerfileRules, HadolintSemantics) {
  const std::vector<Semantic> k = {
      // ONBUILD triggers are the child build's instructions.
      {"DD-DF-031", "FROM a:1\nONBUILD RUN apt-get install -y curl\n", true},
      {"DD-DF-031", "FROM a:1\nONBUILD RUN apt-get install -y curl=7.88\n", false},
      {"DD-DF-058", "FROM a:1\nONBUILD RUN wget -qO- https://x | tar x\n", true},
      // …that start from this stage's WORKDIR, ENV and SHELL.
      {"DD-DF-019", "FROM a:1\nONBUILD COPY Gemfile ./\n", true},
      {"DD-DF-019", "FROM a:1\nWORKDIR /app\nONBUILD COPY Gemfile ./\n", false},
      {"DD-DF-039", "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install x==1\n", false},
      // Variables: unknown, not invalid.
      {"DD-DF-001", "FROM a:1\nWORKDIR ${work}\n", false},
      {"DD-DF-001", "FROM a:1\nARG work\nWORKDIR $work\n", false},
      {"DD-DF-001", "FROM a:1\nARG work=rel\nWORKDIR $work\n", true},
      {"DD-DF-016", "FROM a:1\nEXPOSE ${PORT}\n", false},
      {"DD-DF-016", "FROM a:1\nEXPOSE ${PORT}-9000/tcp\n", false},
      // Options with values are not packages; --, clusters, -q=2.
      {"DD-DF-038", "FROM a:1\nRUN pip install --no-cache-dir --root-user-action ignore flask==3\n", false},
      {"DD-DF-038", "FROM a:1\nRUN pip2 install --no-cache-dir flask\n", true},
      {"DD-DF-038", "FROM a:1\nRUN pipx install black\n", true},
      {"DD-DF-040", "FROM a:1\nRUN npm --loglevel verbose install express@4\n", false},
      {"DD-DF-040", "FROM a:1\nRUN npm install git+https://github.com/a/b.git\n", true},
      {"DD-DF-040", "FROM a:1\nRUN npm install git+https://github.com/a/b.git#v1.0\n", false},
      {"DD-DF-041", "FROM a:1\nRUN gem install bundler:2.0 -- --use-system-libraries true\n", false},
      {"DD-DF-041", "FROM a:1\nRUN gem i rake\n", true},
      {"DD-DF-033", "FROM a:1\nRUN apt-get -qq install x=1\n", false},
      {"DD-DF-033", "FROM a:1\nRUN apt-get -q=2 install x=1\n", false},
      {"DD-DF-033", "FROM a:1\nRUN apt-get -q install x=1\n", true},
      {"DD-DF-031", "FROM a:1\nRUN apt-get install -y -o Dpkg::Options::=--force-confnew -t bookworm x=1\n", false},
      {"DD-DF-045", "FROM a:1\nRUN dnf upgrade && dnf clean all\n", true},
      {"DD-DF-045", "FROM a:1\nRUN microdnf install x-1.2 && microdnf clean all\n", true},
      {"DD-DF-047", "FROM a:1\nRUN dnf module install -y nodejs && dnf clean all\n", true},
      {"DD-DF-047", "FROM a:1\nRUN dnf module install -y nodejs:20 && dnf clean all\n", false},
      {"DD-DF-044", "FROM a:1\nRUN yum module install -y tomcat && yum clean all\n", true},
      // Inline and exported env, ENV values, stage inheritance.
      {"DD-DF-039", "FROM a:1\nRUN PIP_NO_CACHE_DIR=1 pip install x==1\n", false},
      {"DD-DF-039", "FROM a:1\nRUN export PIP_NO_CACHE_DIR=1 && pip install x==1\n", false},
      {"DD-DF-039", "FROM a:1\nENV PIP_NO_CACHE_DIR=off\nRUN pip install x==1\n", true},
      {"DD-DF-039", "FROM a:1 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install x==1\n", false},
      {"DD-DF-070", "FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n", true},
      {"DD-DF-072", "FROM a:1 AS base\nHEALTHCHECK CMD [\"x\"]\nFROM base\n", false},
      {"DD-DF-058",
       "FROM a:1 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN wget -qO- x | wc -l\n",
       false},
      {"DD-DF-058", "FROM a:1\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- x | wc -l\n", true},
      // Cache and tmpfs mounts; cleanup order; unused stages.
      {"DD-DF-032", "FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x=1\n",
       false},
      {"DD-DF-032", "FROM a:1\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get update && apt-get install -y x=1\n",
       true},
      {"DD-DF-043", "FROM a:1\nRUN yum clean all && yum install -y x-1\n", true},
      {"DD-DF-043", "FROM a:1\nRUN --mount=type=tmpfs,target=/var/cache/yum yum install -y x-1\n", false},
      {"DD-DF-032", "FROM a:1 AS unused\nRUN apt-get update && apt-get install -y x=1\nFROM b:1\n", false},
      {"DD-DF-032", "FROM a:1 AS used\nRUN apt-get update && apt-get install -y x=1\nFROM used\n", true},
      // ADD of a local compressed file is extraction.
      {"DD-DF-014", "FROM a:1\nADD rootfs.tar.xz /\n", false},
      {"DD-DF-014", "FROM a:1\nADD data.bz2 /\n", false},
      {"DD-DF-014", "FROM a:1\nADD app.py /app/\n", true},
      // DL3059 at two single-command RUNs with the same flags.
      {"DD-DF-028", "FROM a:1\nRUN a\n# c\nRUN b\n", true},
      {"DD-DF-028", "FROM a:1\nRUN --mount=type=secret,id=x a\nRUN b\n", false},
      {"DD-DF-028", "FROM a:1\nRUN a && b\nRUN c\n", false},
      // Pragmas: hadolint ids map to the drydock rule; global ignore.
      {"DD-DF-031", "FROM a:1\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\n", false},
      {"DD-DF-031", "# hadolint global ignore=DL3008\nFROM a:1\nRUN apt-get install -y curl\n", false},
      {"DD-DF-031", "FROM a:1\n# drydock ignore=DD-DF-031\nRUN apt-get install -y curl\n", false},
      {"DD-DF-031", "FROM a:1\n# hadolint ignore=DL3009\nRUN apt-get install -y curl\n", true},
      // Secret-named variables.
      {"DD-DF-088", "FROM a:1\nENV AWS_SECRET_ACCESS_KEY=\"\"\n", true},
      {"DD-DF-088", "FROM a:1\nENV GPG_KEY=A4A9406876FCBD3C456770C88C718D3B5072E1F5\n", false},
      {"DD-DF-088", "FROM a:1\nARG PUBLIC_KEY_PATH\n", false},
  };
  LintOptions opts;
  for (const Semantic& c : k) {
    auto df = ParseDockerfile(c.text, "Dockerfile");
    ASSERT_TRUE(df.ok()) << c.text;
    bool got = false;
    for (const Finding& f : LintDockerfile(*df, opts)) got = got || f.rule_id == c.rule;
    EXPECT_EQ(got, c.fires) << c.rule << (c.fires ? " should fire on:\n" : " should not fire on:\n") << c.text;
  }
}

TEST(DockerfileRules, TrustedRegistryWildcardsAndImageReferences) {
  LintOptions opts;
  opts.trusted_registries = {"*.example.com", "docker.io"};
  auto fires = [&](const std::string& text) {
    auto df = ParseDockerfile(text, "Dockerfile");
    EXPECT_TRUE(df.ok());
    for (const Finding& f : LintDockerfile(*df, opts)) {
      if (f.rule_id == "DD-DF-005") return true;
    }
    return false;
  };
  EXPECT_FALSE(fires("FROM registry.example.com/app:1\n"));
  EXPECT_FALSE(fires("FROM debian:12\n"));
  EXPECT_TRUE(fires("FROM quay.io/app:1\n"));
  EXPECT_TRUE(fires("FROM debian:12\nCOPY --from=quay.io/app:1 /x /x\n"));
  EXPECT_TRUE(fires("FROM debian:12\nRUN --mount=type=bind,from=quay.io/app:1,target=/x ls\n"));
  EXPECT_FALSE(fires("FROM debian:12 AS b\nFROM debian:12\nCOPY --from=b /x /x\n"));
  opts.trusted_registries = {"*"};
  EXPECT_FALSE(fires("FROM quay.io/app:1\n"));
}

TEST(DockerfileRules, OnbuildFindingsPointAtTheOnbuildLine) {
  auto df = ParseDockerfile("FROM a:1\n\nONBUILD RUN apt-get install -y \\\n    curl\n", "Dockerfile");
  ASSERT_TRUE(df.ok());
  bool seen = false;
  for (const Finding& f : LintDockerfile(*df, {})) {
    if (f.rule_id != "DD-DF-031") continue;
    seen = true;
    EXPECT_EQ(f.location.line, 3);
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace drydock
