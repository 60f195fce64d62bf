// The hardening checks (CIS 4.7-4.10, the Dockle classes and drydock's own):
// each case starts from a clean image, changes one thing, and states which
// rule fires, how often, where (path and layer, or config field) and why.
#include <gtest/gtest.h>

#include <functional>

#include "check/image/check.h"
#include "check/image/groups.h"
#include "check/image/test_image.h"

namespace drydock {
namespace {

using testing::CleanImage;
using testing::OnlyRule;
using testing::TestImage;

OsRelease Os(std::string id, std::string version) {
  OsRelease os;
  os.id = std::move(id);
  os.version_id = std::move(version);
  os.source_path = "/etc/os-release";
  return os;
}

struct Case {
  std::string name;
  std::string rule;
  std::function<void(TestImage&)> change;
  size_t want = 0;            // findings of `rule`
  std::string want_evidence;  // in the first finding
  std::string want_path;      // of the first finding ("" = not checked)
  int want_layer = -2;        // of the first finding (-2 = not checked)
  std::string want_field;     // config_field of the first finding ("" = not checked)
  std::optional<OsRelease> os;
};

void RunCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TestImage img = CleanImage();
    c.change(img);
    const auto found = OnlyRule(img.Run(c.os), c.rule);
    ASSERT_EQ(found.size(), c.want) << (found.empty() ? "" : found[0].evidence);
    if (c.want == 0) continue;
    const Finding& f = found[0];
    EXPECT_NE(f.evidence.find(c.want_evidence), std::string::npos) << f.evidence;
    if (!c.want_path.empty()) {
      EXPECT_EQ(f.location.path, c.want_path);
    }
    if (c.want_layer != -2) {
      EXPECT_EQ(f.location.layer_index, c.want_layer);
    }
    if (c.want_layer >= 0) {
      EXPECT_FALSE(f.location.diff_id.empty());
    }
    if (!c.want_field.empty()) {
      EXPECT_EQ(f.location.config_field, c.want_field);
    }
  }
}

TEST(ImageHardening, CleanImageHasNoFindings) {
  const auto all = CleanImage().Run(Os("debian", "12"));
  for (const auto& f : all) ADD_FAILURE() << f.rule_id << ": " << f.evidence;
}

TEST(ImageHardening, UpdateAloneInALayer) {
  RunCases({
      {"apt-get update alone", "DD-CIS-4.7", [](TestImage& i) { i.Layer("/bin/sh -c apt-get update"); }, 1,
       "installs nothing", "", 1},
      {"apk update alone (BuildKit)", "DD-CIS-4.7",
       [](TestImage& i) { i.Layer("RUN /bin/sh -c apk update # buildkit"); }, 1, "installs nothing", "", 1},
      {"update and install together", "DD-CIS-4.7",
       [](TestImage& i) { i.Layer("/bin/sh -c apt-get update && apt-get install -y curl"); }, 0},
      {"apk add --update is not an update alone", "DD-CIS-4.7",
       [](TestImage& i) { i.Layer("/bin/sh -c apk add --update --no-cache curl"); }, 0},
      {"the word update elsewhere", "DD-CIS-4.7", [](TestImage& i) { i.Layer("/bin/sh -c echo apt-get update"); }, 0},
  });
}

TEST(ImageHardening, SetuidFiles) {
  RunCases({
      {"setuid binary", "DD-CIS-4.8", [](TestImage& i) { i.Layer("RUN install su").File("/bin/su", "x", 04755); }, 1,
       "setuid", "/bin/su", 1},
      {"setgid binary", "DD-CIS-4.8", [](TestImage& i) { i.Layer("RUN x").File("/usr/bin/wall", "x", 02755); }, 1,
       "setgid", "/usr/bin/wall", 1},
      {"setgid directory is not a setuid file", "DD-CIS-4.8", [](TestImage& i) { i.Dir("/srv", 02775); }, 0},
      {"plain executable", "DD-CIS-4.8", [](TestImage& i) { i.File("/bin/tool", "x", 0755); }, 0},
      {"bits removed in a later layer", "DD-CIS-4.8",
       [](TestImage& i) { i.Layer("RUN a").File("/bin/su", "x", 04755).Layer("RUN chmod").File("/bin/su", "x", 0755); },
       0},
  });
}

TEST(ImageHardening, AddInsteadOfCopy) {
  RunCases({
      {"ADD of local files (legacy builder)", "DD-CIS-4.9",
       [](TestImage& i) { i.Layer("/bin/sh -c #(nop) ADD dir:4f2a in /app "); }, 1, "ADD dir:4f2a", "", 1},
      {"ADD of local files (BuildKit)", "DD-CIS-4.9", [](TestImage& i) { i.Layer("ADD app.conf /etc/ # buildkit"); }, 1,
       "app.conf", "", 1},
      {"base image root filesystem", "DD-CIS-4.9",
       [](TestImage& i) { i.Layer("/bin/sh -c #(nop) ADD file:0c1b in / "); }, 0},
      {"archive extraction", "DD-CIS-4.9", [](TestImage& i) { i.Layer("ADD rootfs.tar.xz / # buildkit"); }, 0},
      {"COPY", "DD-CIS-4.9", [](TestImage& i) { i.Layer("COPY app /app # buildkit"); }, 0},
      {"remote URL is the other rule", "DD-CIS-4.9",
       [](TestImage& i) { i.Layer("ADD https://example.com/x.tgz /x # buildkit"); }, 0},
  });
}

TEST(ImageHardening, AddRemoteUrl) {
  RunCases({
      {"ADD https", "DD-IMG-010",
       [](TestImage& i) { i.Layer("ADD https://example.com/tool /usr/bin/tool # buildkit"); }, 1,
       "https://example.com/tool", "", 1},
      {"ADD --chown with URL", "DD-IMG-010",
       [](TestImage& i) { i.Layer("/bin/sh -c #(nop) ADD --chown=1:1 http://example.com/a /a"); }, 1,
       "http://example.com/a"},
      {"legacy builder records a download as its hash", "DD-IMG-010",
       [](TestImage& i) {
         i.Layer("/bin/sh -c #(nop) ADD 2e9c60ec6681d8134d95669d24710987727b29055c79e98a3abbaeb152a4b4e9 in /opt/t ");
       },
       1, "content hash 2e9c60ec6681", "", 1},
      {"ADD local", "DD-IMG-010", [](TestImage& i) { i.Layer("ADD a /a # buildkit"); }, 0},
  });
}

TEST(ImageHardening, SecretsInEnvAndArg) {
  RunCases({
      {"ENV password", "DD-CIS-4.10",
       [](TestImage& i) {
         i.Step("ENV DB_PASSWORD=hunter2hunter2");
         i.info.config.env = {"PATH=/usr/bin", "DB_PASSWORD=hunter2hunter2"};
       },
       1, "DB_PASSWORD=hu****** (14 chars)", "", -1, "config.Env[DB_PASSWORD]"},
      {"ARG token in a RUN's build args", "DD-CIS-4.10",
       [](TestImage& i) { i.Layer("|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz012345 /bin/sh -c npm ci"); }, 1,
       "ARG NPM_TOKEN=np******", "", 1, "history[3].created_by"},
      {"BuildKit ARG with a default", "DD-CIS-4.10", [](TestImage& i) { i.Step("ARG API_SECRET=s3cr3tvalue"); }, 1,
       "API_SECRET"},
      {"value is never shown whole", "DD-CIS-4.10",
       [](TestImage& i) { i.info.config.env = {"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzzzzzz"}; }, 1,
       "wJ******"},
      {"AWS key id value whatever the name", "DD-CIS-4.10",
       [](TestImage& i) { i.info.config.env = {"SOMETHING=AKIAZZZZZZZZZZZZZZZZ"}; }, 1, "SOMETHING"},
      {"password file path is a reference", "DD-CIS-4.10",
       [](TestImage& i) {
         i.info.config.env = {"DB_PASSWORD_FILE=/run/secrets/db", "DB_PASSWORD=$DB_PASS"};
       },
       0},
      {"GPG key fingerprint of official images", "DD-CIS-4.10",
       [](TestImage& i) { i.info.config.env = {"GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D"}; }, 0},
      {"cache key is not a secret", "DD-CIS-4.10", [](TestImage& i) { i.info.config.env = {"CACHE_KEY=v2"}; }, 0},
      {"empty secret-named variable", "DD-CIS-4.10", [](TestImage& i) { i.info.config.env = {"API_TOKEN="}; }, 0},
      {"created_by of every finding is redacted too", "DD-CIS-4.7",
       [](TestImage& i) { i.Layer("|1 API_TOKEN=tok_1234567890abcdef /bin/sh -c apt-get update"); }, 1, "installs"},
      {"same ENV and ARG value once each", "DD-CIS-4.10",
       [](TestImage& i) {
         i.Step("ARG DB_PASS=topsecret1");
         i.info.config.env = {"DB_PASS=topsecret1"};
       },
       1, "DB_PASS"},
  });
}

TEST(ImageHardening, RedactsSecretsInCreatedBy) {
  TestImage img = CleanImage();
  img.Layer("|1 API_TOKEN=tok_1234567890abcdef /bin/sh -c apt-get update");
  img.Step("/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2hunter2");
  img.info.config.env = {"DB_PASSWORD=hunter2hunter2"};
  for (const auto& f : img.Run()) {
    EXPECT_EQ(f.location.created_by.find("tok_1234567890abcdef"), std::string::npos) << f.rule_id;
    EXPECT_EQ(f.location.created_by.find("hunter2hunter2"), std::string::npos) << f.rule_id;
    EXPECT_EQ(f.evidence.find("hunter2hunter2"), std::string::npos) << f.rule_id;
  }
  EXPECT_EQ(RedactCreatedBy("/bin/sh -c #(nop)  ENV DB_PASSWORD hunter2hunter2"),
            "/bin/sh -c #(nop)  ENV DB_PASSWORD hu****** (14 chars)");
  EXPECT_EQ(RedactCreatedBy("/bin/sh -c make"), "/bin/sh -c make");
}

TEST(ImageHardening, LooksLikeSecret) {
  struct C {
    std::string name, value;
    bool want;
  };
  const C cases[] = {
      {"DB_PASSWORD", "s3cret", true},
      {"POSTGRES_PASSWORD", "\"quoted\"", true},
      {"GITHUB_TOKEN", "ghp_x", true},
      {"API_KEY", "abc", true},
      {"STRIPE_KEY", "sk1234567890abcdefgh", true},
      {"STRIPE_KEY", "short", false},
      {"SSH_AUTH_SOCK", "/tmp/agent", false},
      {"PWD", "/app", false},
      {"NODE_VERSION", "20.1.0", false},
      {"DB_PASSWORD", "changeme", false},
      {"DB_PASSWORD", "${DB_PASSWORD}", false},
      {"DB_USER", "admin", false},
      {"AWS_ACCESS_KEY_ID", "AKIAZZZZZZZZZZZZZZZZ", true},
      {"DATABASE_URL", "postgres://app:pw123@db/app", true},
      {"DATABASE_URL", "postgres://db/app", false},
      {"TLS_KEY", "-----BEGIN PRIVATE KEY-----", true},
  };
  for (const auto& c : cases) EXPECT_EQ(LooksLikeSecret(c.name, c.value), c.want) << c.name << "=" << c.value;
}

TEST(ImageHardening, Sudo) {
  RunCases({
      {"sudo installed", "DD-IMG-001",
       [](TestImage& i) { i.Layer("RUN apt-get install sudo").File("/usr/bin/sudo", "x", 04755); }, 1,
       "/usr/bin/sudo is installed", "/usr/bin/sudo", 1},
      {"sudo used in a RUN", "DD-IMG-001", [](TestImage& i) { i.Layer("/bin/sh -c sudo make install"); }, 1,
       "sudo is used", "", 1},
      {"no sudo", "DD-IMG-001", [](TestImage&) {}, 0},
  });
}

TEST(ImageHardening, Accounts) {
  RunCases({
      {"empty password in shadow", "DD-IMG-002",
       [](TestImage& i) { i.Layer("RUN adduser").File("/etc/shadow", "root:!:1::::::\nguest::1::::::\n"); }, 1,
       "\"guest\"", "/etc/shadow", 1},
      {"empty password in passwd without shadow", "DD-IMG-002",
       [](TestImage& i) {
         i.Layer("RUN rm shadow").Remove("/etc/shadow").File("/etc/passwd", "root::0:0::/root:/bin/sh\n");
         i.info.config.user = "1000";
       },
       1, "/etc/passwd", "/etc/passwd", 1},
      {"locked accounts", "DD-IMG-002", [](TestImage&) {}, 0},
      {"duplicate uid", "DD-IMG-003",
       [](TestImage& i) {
         i.Layer("RUN useradd").File("/etc/passwd", "root:x:0:0::/:/x\napp:x:10001:10001::/:/x\nbob:x:10001:1::/:/x\n");
       },
       1, "UID 10001 is shared by app, bob", "/etc/passwd", 1},
      {"duplicate gid", "DD-IMG-003",
       [](TestImage& i) { i.Layer("RUN groupadd").File("/etc/group", "root:x:0:\napp:x:10001:\nstaff:x:10001:\n"); }, 1,
       "GID 10001", "/etc/group", 1},
      {"two uid 0 accounts", "DD-IMG-004",
       [](TestImage& i) {
         i.Layer("RUN x").File("/etc/passwd", "root:x:0:0::/:/x\ntoor:x:0:0::/:/x\napp:x:10001:10001::/:/x\n");
       },
       1, "root, toor", "/etc/passwd", 1},
      {"two uid 0 is not also a duplicate-uid finding", "DD-IMG-003",
       [](TestImage& i) {
         i.Layer("RUN x").File("/etc/passwd", "root:x:0:0::/:/x\ntoor:x:0:0::/:/x\napp:x:10001:10001::/:/x\n");
       },
       0},
  });
}

TEST(ImageHardening, FilesLeftBehind) {
  RunCases({
      {"ssh key", "DD-IMG-005", [](TestImage& i) { i.Layer("COPY . /app").File("/root/.ssh/id_rsa", "k", 0600); }, 1,
       "SSH private key", "/root/.ssh/id_rsa", 1},
      {"aws credentials", "DD-IMG-005",
       [](TestImage& i) { i.Layer("COPY . /").File("/home/app/.aws/credentials", "[default]"); }, 1, "AWS",
       "/home/app/.aws/credentials", 1},
      {"dotenv", "DD-IMG-005", [](TestImage& i) { i.Layer("COPY . /app").File("/app/.env", "A=1"); }, 1, "dotenv",
       "/app/.env"},
      {"dotenv example is fine", "DD-IMG-005", [](TestImage& i) { i.File("/app/.env.example", "A="); }, 0},
      {"credentials outside .aws is another file", "DD-IMG-005", [](TestImage& i) { i.File("/app/credentials"); }, 0},
      {"git directory", "DD-IMG-006",
       [](TestImage& i) { i.Layer("COPY . /app").Dir("/app/.git").File("/app/.git/HEAD"); }, 1, "version control",
       "/app/.git", 1},
      {"DS_Store", "DD-IMG-006", [](TestImage& i) { i.File("/app/.DS_Store"); }, 1, "Finder", "/app/.DS_Store"},
  });
}

TEST(ImageHardening, WorldWritable) {
  RunCases({
      {"world-writable dir without sticky", "DD-IMG-007",
       [](TestImage& i) { i.Layer("RUN chmod 777 /data").Dir("/data", 0777); }, 1, "without the sticky bit", "/data",
       1},
      {"world-writable file", "DD-IMG-007", [](TestImage& i) { i.File("/app/config.yml", "", 0666); }, 1, "mode 0666",
       "/app/config.yml", 0},
      {"sticky /tmp is fine", "DD-IMG-007", [](TestImage&) {}, 0},
      {"symlinks are always 0777", "DD-IMG-007", [](TestImage& i) { i.Link("/bin/sh", "busybox"); }, 0},
  });
}

TEST(ImageHardening, PackageCachesKnowTheDistro) {
  auto apt_lists = [](TestImage& i) {
    i.Layer("/bin/sh -c apt-get update && apt-get install -y curl")
        .File("/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", "xxxx")
        .File("/var/lib/apt/lists/lock");
  };
  RunCases({
      {"apt lists left on Debian", "DD-IMG-008", apt_lists, 1, "apt package lists", "/var/lib/apt/lists", 1, "",
       Os("debian", "12")},
      {"apt lists never reported on Alpine", "DD-IMG-008", apt_lists, 0, "", "", -2, "", Os("alpine", "3.22.1")},
      {"apt lists never reported on Wolfi", "DD-IMG-008", apt_lists, 0, "", "", -2, "", Os("wolfi", "20230201")},
      {"only the lock file", "DD-IMG-008", [](TestImage& i) { i.File("/var/lib/apt/lists/lock"); }, 0, "", "", -2, "",
       Os("debian", "12")},
      {"apk cache on Alpine", "DD-IMG-008",
       [](TestImage& i) { i.Layer("RUN apk add curl").File("/var/cache/apk/APKINDEX.abc.tar.gz", "x"); }, 1,
       "apk package cache", "/var/cache/apk", 1, "", Os("alpine", "3.22.1")},
      {"pip cache in a home directory", "DD-IMG-008",
       [](TestImage& i) { i.Layer("RUN pip install x").File("/root/.cache/pip/http/a/b", "x"); }, 1, "pip cache",
       "/root/.cache/pip", 1},
  });
}

TEST(ImageHardening, Tag) {
  RunCases({
      {"latest", "DD-IMG-009", [](TestImage& i) { i.info.repo_tags = {"registry:5000/app:latest"}; }, 1, "latest", "",
       -2, "RepoTags"},
      {"untagged", "DD-IMG-009", [](TestImage& i) { i.info.repo_tags.clear(); }, 1, "no tag"},
      {"registry port is not a tag", "DD-IMG-009", [](TestImage& i) { i.info.repo_tags = {"registry:5000/app"}; }, 1,
       "moving tag"},
      {"version tag", "DD-IMG-009", [](TestImage&) {}, 0},
      {"bare OCI tag", "DD-IMG-009", [](TestImage& i) { i.info.repo_tags = {"1.2"}; }, 0},
      {"latest plus a version", "DD-IMG-009",
       [](TestImage& i) {
         i.info.repo_tags = {"app:latest", "app:1.2"};
       },
       0},
      // What an OCI layout's index gives (oci_test.cc): the oci:DIR:TAG
      // argument, ref.name, then io.containerd.image.name.
      {"OCI ref.name latest, containerd name pinned", "DD-IMG-009",
       [](TestImage& i) { i.info.repo_tags = {"latest", "docker.io/library/app:1.4"}; }, 0},
      {"OCI ref.name and containerd name both latest", "DD-IMG-009",
       [](TestImage& i) { i.info.repo_tags = {"latest", "docker.io/library/app:latest"}; }, 1, "moving tag"},
      {"OCI containerd name only, pinned", "DD-IMG-009",
       [](TestImage& i) { i.info.repo_tags = {"ghcr.io/acme/app:2024.05"}; }, 0},
      {"OCI containerd name only, untagged", "DD-IMG-009",
       [](TestImage& i) { i.info.repo_tags = {"ghcr.io/acme/app"}; }, 1, "moving tag"},
  });
}

TEST(ImageHardening, HistoryPractices) {
  RunCases({
      {"curl piped to sh", "DD-IMG-011",
       [](TestImage& i) { i.Layer("/bin/sh -c curl -fsSL https://get.example.com | sh"); }, 1, "piped", "", 1},
      {"wget piped to bash -s", "DD-IMG-011",
       [](TestImage& i) { i.Layer("RUN /bin/sh -c wget -qO- https://x/install | sudo bash -s -- -y # buildkit"); }, 1,
       "piped"},
      {"curl to a file then sh", "DD-IMG-011",
       [](TestImage& i) { i.Layer("/bin/sh -c curl -o i.sh https://x && sha256sum -c s && sh i.sh"); }, 0},
      {"curl || true is not a pipe", "DD-IMG-011",
       [](TestImage& i) { i.Layer("/bin/sh -c curl https://x || sh -c true"); }, 0},
      {"apt-get dist-upgrade", "DD-IMG-012",
       [](TestImage& i) { i.Layer("/bin/sh -c apt-get update && apt-get -y dist-upgrade"); }, 1, "apt-get dist-upgrade",
       "", 1},
      {"apk upgrade", "DD-IMG-012", [](TestImage& i) { i.Layer("/bin/sh -c apk upgrade --no-cache"); }, 1,
       "apk upgrade"},
      {"yum update of one package is an install", "DD-IMG-012",
       [](TestImage& i) { i.Layer("/bin/sh -c yum update openssl"); }, 0},
  });
}

TEST(ImageHardening, Ssh) {
  RunCases({
      {"EXPOSE 22", "DD-IMG-013",
       [](TestImage& i) {
         i.info.config.exposed_ports = {"22/tcp"};
         i.Step("/bin/sh -c #(nop)  EXPOSE 22");
       },
       1, "EXPOSE 22", "", -1, "config.ExposedPorts"},
      {"sshd installed", "DD-IMG-013",
       [](TestImage& i) { i.Layer("RUN apt-get install openssh-server").File("/usr/sbin/sshd", "x", 0755); }, 1,
       "/usr/sbin/sshd", "/usr/sbin/sshd", 1},
      {"port 2222 is not ssh's", "DD-IMG-013", [](TestImage& i) { i.info.config.exposed_ports = {"2222/tcp"}; }, 0},
  });
}

TEST(ImageHardening, DistrolessGoals) {
  RunCases({
      {"busybox shell link", "DD-IMG-014",
       [](TestImage& i) { i.Layer("COPY busybox").File("/bin/busybox", "x", 0755).Link("/bin/sh", "busybox"); }, 1,
       "shell /bin/sh", "/bin/sh", 1},
      {"dangling shell link", "DD-IMG-014", [](TestImage& i) { i.Link("/bin/sh", "busybox"); }, 0},
      {"bash", "DD-IMG-014", [](TestImage& i) { i.File("/usr/bin/bash", "x", 0755); }, 1, "/usr/bin/bash"},
      {"shell-named file elsewhere", "DD-IMG-014", [](TestImage& i) { i.File("/app/sh", "x", 0755); }, 0},
      {"apt and dpkg", "DD-IMG-015",
       [](TestImage& i) { i.File("/usr/bin/apt-get", "x", 0755).File("/usr/bin/dpkg", "x", 0755); }, 2,
       "package manager"},
      {"apk", "DD-IMG-015", [](TestImage& i) { i.Layer("FROM alpine").File("/sbin/apk", "x", 0755); }, 1, "/sbin/apk",
       "/sbin/apk", 1},
      {"gcc versioned", "DD-IMG-016",
       [](TestImage& i) { i.Layer("RUN apt-get install gcc").File("/usr/bin/gcc-12", "x", 0755); }, 1,
       "/usr/bin/gcc-12", "/usr/bin/gcc-12", 1},
      {"go toolchain", "DD-IMG-016", [](TestImage& i) { i.File("/usr/local/go/bin/go", "x", 0755); }, 1, "go"},
      {"gccgo-ish names are not gcc", "DD-IMG-016", [](TestImage& i) { i.File("/usr/bin/gcc-ar-x", "x", 0755); }, 0},
  });
}

TEST(ImageHardening, EndOfLifeOs) {
  auto os_file = [](TestImage& i) { i.Layer("FROM base").File("/etc/os-release", "ID=x"); };
  RunCases({
      {"debian 9", "DD-IMG-017", os_file, 1, "2022-06-30", "/etc/os-release", 1, "", Os("debian", "9")},
      {"alpine 3.14 patch release", "DD-IMG-017", os_file, 1, "2023-05-01", "", -2, "", Os("alpine", "3.14.8")},
      {"centos 8", "DD-IMG-017", os_file, 1, "2021-12-31", "", -2, "", Os("centos", "8")},
      {"ubuntu 18.04", "DD-IMG-017", os_file, 1, "2023-05-31", "", -2, "", Os("ubuntu", "18.04")},
      {"debian 13 is supported", "DD-IMG-017", os_file, 0, "", "", -2, "", Os("debian", "13")},
      {"alpine 3.1 is not 3.14", "DD-IMG-017", os_file, 0, "", "", -2, "", Os("alpine", "3.1")},
      {"unknown distro", "DD-IMG-017", os_file, 0, "", "", -2, "", Os("ddlinux", "1.0")},
  });
}

TEST(ImageHardening, LabelsSizeVolumes) {
  RunCases({
      {"no labels", "DD-IMG-018", [](TestImage& i) { i.info.config.labels.clear(); }, 1,
       "org.opencontainers.image.source, org.opencontainers.image.revision, org.opencontainers.image.created", "", -2,
       "config.Labels"},
      {"revision missing", "DD-IMG-018",
       [](TestImage& i) { i.info.config.labels.erase("org.opencontainers.image.revision"); }, 1,
       "missing label: org.opencontainers.image.revision"},
      {"big layer", "DD-IMG-019",
       [](TestImage& i) { i.Layer("RUN apt-get install texlive").Size(int64_t{3} << 30).Layer("COPY app /app"); }, 1,
       "largest: layer 2 3.0 GiB (RUN apt-get install texlive)", "", 1},
      {"many layers", "DD-IMG-019",
       [](TestImage& i) {
         for (int k = 0; k < 21; ++k) i.Layer("RUN step " + std::to_string(k));
       },
       1, "in 22 layers"},
      {"small image", "DD-IMG-019", [](TestImage&) {}, 0},
      {"VOLUME /etc", "DD-IMG-020",
       [](TestImage& i) {
         i.info.config.volumes = {"/data", "/etc/"};
       },
       1, "VOLUME /etc", "/etc", -2, "config.Volumes"},
      {"VOLUME /data", "DD-IMG-020", [](TestImage& i) { i.info.config.volumes = {"/data"}; }, 0},
  });
}

TEST(ImageHardening, ListsAreCapped) {
  TestImage img = CleanImage();
  img.Layer("RUN chmod -R 777 /data");
  for (int k = 0; k < 60; ++k) img.File("/data/f" + std::to_string(k), "", 0666);
  const auto found = OnlyRule(img.Run(), "DD-IMG-007");
  ASSERT_EQ(found.size(), 51u);
  EXPECT_NE(found.back().evidence.find("10 more"), std::string::npos) << found.back().evidence;
}

TEST(ImageHardening, ParsesHistoryOfBothBuilders) {
  struct C {
    std::string created_by, instruction, args;
    size_t build_args = 0;
  };
  const C cases[] = {
      {"/bin/sh -c #(nop) ADD file:abc in / ", "ADD", "file:abc in /"},
      {"/bin/sh -c #(nop)  CMD [\"sh\"]", "CMD", "[\"sh\"]"},
      {"/bin/sh -c apt-get update", "RUN", "apt-get update"},
      {"|2 A=1 B=2 /bin/sh -c make", "RUN", "make", 2},
      {"RUN |1 TOKEN=x /bin/sh -c make # buildkit", "RUN", "make", 1},
      {"COPY . /app # buildkit", "COPY", ". /app"},
      {"ARG VERSION=1", "ARG", "VERSION=1"},
      {"|99999999999 x", "RUN", "|99999999999 x"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.created_by);
    HistoryStep s = ParseHistoryStep(c.created_by);
    EXPECT_EQ(s.instruction, c.instruction);
    EXPECT_EQ(s.args, c.args);
    EXPECT_EQ(s.build_args.size(), c.build_args);
  }
}

TEST(ImageHardening, EveryRuleHasReferencesAndRemediation) {
  for (const auto& rule : ImageCheckRules()) {
    SCOPED_TRACE(rule.id);
    EXPECT_FALSE(rule.references.empty());
    EXPECT_FALSE(rule.remediation.empty());
    EXPECT_TRUE(rule.id.starts_with("DD-CIS-4.") == !rule.cis.empty());
  }
  EXPECT_GE(ImageCheckRules().size(), 24u);
}

}  // namespace
}  // namespace drydock
