// Image references as `docker pull` reads them. Most rows are the test
// vectors of distribution/reference (normalize_test.go and
// reference_test.go), rewritten for ParseNormalizedNamed semantics: every
// reference gets a registry, one-component Docker Hub names get
// "library/", and a missing tag stays empty (manifest_ref() says
// "latest").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "source/reference.h"

namespace drydock {
namespace {

const std::string kF64(64, 'f');
const std::string kDigestF = "sha256:" + kF64;
const std::string kDbcc = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
const std::string kHex64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

struct Ok {
  std::string input;
  std::string registry;
  std::string repository;
  std::string tag;
  std::string digest;
};

std::vector<Ok> OkCases() {
  return {
      // normalize_test.go TestValidateReferenceName (valid) and TestValidateRemoteName.
      {"docker/docker", "docker.io", "docker/docker", "", ""},
      {"library/debian", "docker.io", "library/debian", "", ""},
      {"debian", "docker.io", "library/debian", "", ""},
      {"localhost/library/debian", "localhost", "library/debian", "", ""},
      {"localhost/debian", "localhost", "debian", "", ""},
      {"LOCALDOMAIN/library/debian", "LOCALDOMAIN", "library/debian", "", ""},
      {"LOCALDOMAIN/debian", "LOCALDOMAIN", "debian", "", ""},
      {"docker.io/docker/docker", "docker.io", "docker/docker", "", ""},
      {"docker.io/library/debian", "docker.io", "library/debian", "", ""},
      {"docker.io/debian", "docker.io", "library/debian", "", ""},
      {"index.docker.io/docker/docker", "docker.io", "docker/docker", "", ""},
      {"index.docker.io/library/debian", "docker.io", "library/debian", "", ""},
      {"index.docker.io/debian", "docker.io", "library/debian", "", ""},
      {"127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", "", ""},
      {"127.0.0.1:5000/library/debian", "127.0.0.1:5000", "library/debian", "", ""},
      {"127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", "", ""},
      {"192.168.0.1", "docker.io", "library/192.168.0.1", "", ""},
      {"192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", ""},
      {"192.168.0.1:8/debian", "192.168.0.1:8", "debian", "", ""},
      {"192.168.0.2:25000/debian", "192.168.0.2:25000", "debian", "", ""},
      {"thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
       "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "", ""},
      {"[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", "", ""},
      {"[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", "", ""},
      {"[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", "", ""},
      {"docker.io/" + kHex64, "docker.io", "library/" + kHex64, "", ""},
      {"Docker/docker", "Docker", "docker", "", ""},
      {"DOCKER/docker", "DOCKER", "docker", "", ""},
      {"docker-rules/docker", "docker.io", "docker-rules/docker", "", ""},
      {"docker---rules/docker", "docker.io", "docker---rules/docker", "", ""},
      {"doc/docker", "docker.io", "doc/docker", "", ""},
      {"d/docker", "docker.io", "d/docker", "", ""},
      {"jess/t", "docker.io", "jess/t", "", ""},
      {"dock__er/docker", "docker.io", "dock__er/docker", "", ""},
      // TestParseRepositoryInfo: familiar, full and ambiguous spellings.
      {"localhost/fooo", "localhost", "fooo", "", ""},
      {"localhost/fooo/bar", "localhost", "fooo/bar", "", ""},
      {"LOCALDOMAIN/fooo", "LOCALDOMAIN", "fooo", "", ""},
      {"LOCALDOMAIN/fooo/bar", "LOCALDOMAIN", "fooo/bar", "", ""},
      {"fooo/bar", "docker.io", "fooo/bar", "", ""},
      {"docker.io/fooo/bar", "docker.io", "fooo/bar", "", ""},
      {"index.docker.io/fooo/bar", "docker.io", "fooo/bar", "", ""},
      {"ubuntu", "docker.io", "library/ubuntu", "", ""},
      {"docker.io/library/ubuntu", "docker.io", "library/ubuntu", "", ""},
      {"nonlibrary/ubuntu", "docker.io", "nonlibrary/ubuntu", "", ""},
      {"other/library", "docker.io", "other/library", "", ""},
      {"127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase", "", ""},
      {"127.0.0.1:8000/privatebase", "127.0.0.1:8000", "privatebase", "", ""},
      {"example.com/private/moonbase", "example.com", "private/moonbase", "", ""},
      {"example.com/privatebase", "example.com", "privatebase", "", ""},
      {"example.com:8000/private/moonbase", "example.com:8000", "private/moonbase", "", ""},
      {"example.com:8000/privatebasee", "example.com:8000", "privatebasee", "", ""},
      {"ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base", "", ""},
      {"index.docker.io/library/ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base", "", ""},
      {"foo", "docker.io", "library/foo", "", ""},
      {"docker.io/foo", "docker.io", "library/foo", "", ""},
      {"library/foo/bar", "docker.io", "library/foo/bar", "", ""},
      {"store/foo/bar", "docker.io", "store/foo/bar", "", ""},
      {"Foo/bar", "Foo", "bar", "", ""},
      {"FOO/bar", "FOO", "bar", "", ""},
      // TestParseReferenceWithTagAndDigest.
      {"busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa", "docker.io",
       "library/busybox", "latest", "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"},
      // TestParseAnyReference (the named ones; "sha256:…" alone is a name
      // with a tag to ParseNormalizedNamed).
      {"redis", "docker.io", "library/redis", "", ""},
      {"redis:latest", "docker.io", "library/redis", "latest", ""},
      {"docker.io/library/redis:latest", "docker.io", "library/redis", "latest", ""},
      {"redis@" + kDbcc, "docker.io", "library/redis", "", kDbcc},
      {"docker.io/library/redis@" + kDbcc, "docker.io", "library/redis", "", kDbcc},
      {"dmcgowan/myapp", "docker.io", "dmcgowan/myapp", "", ""},
      {"dmcgowan/myapp:latest", "docker.io", "dmcgowan/myapp", "latest", ""},
      {"docker.io/mcgowan/myapp:latest", "docker.io", "mcgowan/myapp", "latest", ""},
      {"dmcgowan/myapp@" + kDbcc, "docker.io", "dmcgowan/myapp", "", kDbcc},
      {"docker.io/dmcgowan/myapp@" + kDbcc, "docker.io", "dmcgowan/myapp", "", kDbcc},
      {"dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", "docker.io",
       "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", "", ""},
      {"dbcc1", "docker.io", "library/dbcc1", "", ""},
      {kDbcc, "docker.io", "library/sha256", kDbcc.substr(7), ""},
      // TestNormalizedSplitHostname.
      {"test.com/foo", "test.com", "foo", "", ""},
      {"test_com/foo", "docker.io", "test_com/foo", "", ""},
      {"docker/migrator", "docker.io", "docker/migrator", "", ""},
      {"test.com:8080/foo", "test.com:8080", "foo", "", ""},
      {"test-com:8080/foo", "test-com:8080", "foo", "", ""},
      {"xn--n3h.com/foo", "xn--n3h.com", "foo", "", ""},
      {"xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "", ""},
      {"docker.io/library/foo", "docker.io", "library/foo", "", ""},
      {"docker.io/library/foo/bar", "docker.io", "library/foo/bar", "", ""},
      // TestParseDockerRef (the tag stays empty where docker adds "latest",
      // and both tag and digest are kept).
      {"busybox:latest", "docker.io", "library/busybox", "latest", ""},
      {"busybox@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582", "docker.io",
       "library/busybox", "", "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"},
      {"library/busybox", "docker.io", "library/busybox", "", ""},
      {"docker.io/busybox", "docker.io", "library/busybox", "", ""},
      {"docker.io/busybox:latest", "docker.io", "library/busybox", "latest", ""},
      {"gcr.io/library/busybox", "gcr.io", "library/busybox", "", ""},
      {"gcr.io/library/busybox:latest@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582",
       "gcr.io", "library/busybox", "latest",
       "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"},
      // reference_test.go TestReferenceParse, normalized.
      {"test_com", "docker.io", "library/test_com", "", ""},
      {"test.com:tag", "docker.io", "library/test.com", "tag", ""},
      {"test.com:5000", "docker.io", "library/test.com", "5000", ""},
      {"test.com/repo:tag", "test.com", "repo", "tag", ""},
      {"test:5000/repo", "test:5000", "repo", "", ""},
      {"test:5000/repo:tag", "test:5000", "repo", "tag", ""},
      {"test:5000/repo@" + kDigestF, "test:5000", "repo", "", kDigestF},
      {"test:5000/repo:tag@" + kDigestF, "test:5000", "repo", "tag", kDigestF},
      {"lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", ""},
      {std::string("a/a/a") +
           [] {
             std::string s;
             for (int i = 0; i < 125; ++i) s += "/a";
             return s;
           }() +
           ":tag-puts-this-over-max",
       "docker.io",
       [] {
         std::string s = "a";
         for (int i = 0; i < 127; ++i) s += "/a";
         return s;
       }(),
       "tag-puts-this-over-max", ""},
      {"sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", "", ""},
      {"sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", ""},
      {"b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com",
       ""},
      {"xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", ""},
      {"xn--7o8h.com/myimage:xn--7o8h.com@" + kDigestF, "xn--7o8h.com", "myimage", "xn--7o8h.com", kDigestF},
      {"foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", ""},
      {"foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", ""},
      {"192.168.1.1", "docker.io", "library/192.168.1.1", "", ""},
      {"192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", ""},
      {"192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", ""},
      {"192.168.1.1/repo", "192.168.1.1", "repo", "", ""},
      {"192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", "", ""},
      {"192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", ""},
      {"[2001:db8::1]/repo", "[2001:db8::1]", "repo", "", ""},
      {"[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", ""},
      {"[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", "", ""},
      {"[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", ""},
      {"[2001:db8::1]:5000/repo@" + kDigestF, "[2001:db8::1]:5000", "repo", "", kDigestF},
      {"[2001:db8::1]:5000/repo:tag@" + kDigestF, "[2001:db8::1]:5000", "repo", "tag", kDigestF},
      {"[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", "", ""},
      {"[::1]:5000/repo", "[::1]:5000", "repo", "", ""},
      {"example.com/" + std::string(255, 'a') + ":tag", "example.com", std::string(255, 'a'), "tag", ""},
      // Ours: tag length limit, ports, hosts with inner dashes.
      {"alpine:" + std::string(128, 't'), "docker.io", "library/alpine", std::string(128, 't'), ""},
      {"alpine:_x", "docker.io", "library/alpine", "_x", ""},
      {"localhost:5000/app", "localhost:5000", "app", "", ""},
      {"registry-1.docker.io/library/alpine", "registry-1.docker.io", "library/alpine", "", ""},
      {"ghcr.io/o/a:1.4@" + kDigestF, "ghcr.io", "o/a", "1.4", kDigestF},
      {"my--host.example/x", "my--host.example", "x", "", ""},
  };
}

TEST(ReferenceTest, ParsesDistributionVectors) {
  for (const Ok& c : OkCases()) {
    SCOPED_TRACE(c.input);
    Result<Reference> r = ParseReference(c.input);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->registry, c.registry);
    EXPECT_EQ(r->repository, c.repository);
    EXPECT_EQ(r->tag, c.tag);
    EXPECT_EQ(r->digest.str(), c.digest);
    // str() is a canonical form: it parses back to the same reference.
    Result<Reference> again = ParseReference(r->str());
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->str(), r->str());
    EXPECT_EQ(again->registry, r->registry);
    EXPECT_EQ(again->repository, r->repository);
  }
}

struct Bad {
  std::string input;
  std::string want;  // a substring of the message
};

std::vector<Bad> BadCases() {
  return {
      // normalize_test.go (invalid).
      {"https://github.com/docker/docker", "URL scheme"},
      {"docker/Docker", "must be lowercase"},
      {"-docker", "repository component"},
      {"-docker/docker", "repository component"},
      {"-docker.io/docker/docker", "not a valid host"},
      {"docker///docker", "empty component"},
      {"docker.io/docker/Docker", "must be lowercase"},
      {"docker.io/docker///docker", "empty component"},
      {"[fc00::1]", "repository component"},
      {"[fc00::1]:5000", "repository component"},
      {"fc00::1:5000/debian", "not a valid host"},
      {"[fe80::1%eth0]:5000/debian", "not a valid host"},
      {"[2001:db8:3:4::192.0.2.33]:5000/debian", "not a valid host"},
      {kHex64, "image ID"},
      {"docker-/docker", "repository component"},
      {"-docker-/docker", "repository component"},
      {"____/____", "repository component"},
      {"_docker/_docker", "repository component"},
      {"dock..er/docker", "not a valid host"},
      {"dock_.er/docker", "not a valid host"},
      {"dock-.er/docker", "not a valid host"},
      {"docker/", "empty component"},
      {"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_"
       "its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_"
       "not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
       "more than 255"},
      {"-foo", "repository component"},
      // reference_test.go (errors).
      {"", "empty"},
      {":justtag", "empty component"},
      {"@" + kDigestF, "empty component"},
      {"repo@sha256:ffffffffffffffffffffffffffffffffff", "want 64 hex digits"},
      {"validname@invaliddigest:" + kF64, "not supported"},
      {"validname@sha512:" + std::string(128, 'f'), "not supported"},
      {"Uppercase:tag", "must be lowercase"},
      {"test:5000/Uppercase/lowercase:tag", "must be lowercase"},
      {"domain/" + std::string(256, 'a') + ":tag", "more than 255"},
      {"aa/asdf$$^/aa", "repository component"},
      {"[2001:db8::1]", "repository component"},
      {"[2001:db8::1]:5000", "repository component"},
      {"[2001:db8::1]:tag", "repository component"},
      {"[fe80::1%eth0]:5000/repo", "not a valid host"},
      {"[fe80::1%@invalidzone]:5000/repo", "not a valid host"},
      {"example.com/" + std::string(256, 'a') + ":tag", "more than 255"},
      // Ours.
      {std::string(250, 'a'), "more than 255"},  // with "library/" it is 258
      {"alpine:" + std::string(129, 't'), "tag"},
      {"alpine:", "tag"},
      {"alpine:-x", "tag"},
      {"alpine:.x", "tag"},
      {"alpine@", "digest"},
      {"alpine@sha256:" + std::string(64, 'F'), "not lower-case hex"},
      {"alpine@sha256", "digest"},
      {"alpine @sha256:" + kF64, "whitespace"},
      {" alpine", "whitespace"},
      {"alpine\n", "whitespace"},
      {"docker://alpine", "URL scheme"},
      {"foo_bar.com/x", "not a valid host"},
      {"host:/x", "not a valid host"},
      {"host:50a0/x", "not a valid host"},
      {"-host.io/x", "not a valid host"},
      {"host-.io/x", "not a valid host"},
      {"ho..st/x", "not a valid host"},
      {"[]:5000/x", "not a valid host"},
      {"[::1]x/y", "not a valid host"},
      {"ghcr.io/o/a:1.0/extra", "tag"},
      {"ghcr.io/o/a@" + kDigestF + "@" + kDigestF, "digest"},
      {std::string("alp\0ine", 7), "repository component"},
      {"alp\xc3\xa9ine", "repository component"},
  };
}

TEST(ReferenceTest, RejectsMalformedReferencesNamingThem) {
  for (const Bad& c : BadCases()) {
    SCOPED_TRACE(c.input);
    Result<Reference> r = ParseReference(c.input);
    ASSERT_FALSE(r.ok()) << r->str();
    EXPECT_EQ(r.error().kind, Error::Kind::kInput);
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("invalid image reference"), std::string::npos) << r.error().message;
  }
}

TEST(ReferenceTest, ErrorQuotesAHugeReferenceOnlyInPart) {
  const std::string huge(1 << 20, 'A');
  Result<Reference> r = ParseReference(huge);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message.size(), 1000u);
  EXPECT_NE(r.error().message.find("1048576 bytes"), std::string::npos) << r.error().message;
}

TEST(ReferenceTest, StrManifestRefAndApiHost) {
  struct Case {
    std::string input;
    std::string str;
    std::string manifest_ref;
    std::string api_host;
  };
  const Case cases[] = {
      {"alpine", "docker.io/library/alpine", "latest", "registry-1.docker.io"},
      {"alpine:3.19", "docker.io/library/alpine:3.19", "3.19", "registry-1.docker.io"},
      {"index.docker.io/x/y", "docker.io/x/y", "latest", "registry-1.docker.io"},
      {"127.0.0.1:5000/app@" + kDigestF, "127.0.0.1:5000/app@" + kDigestF, kDigestF, "127.0.0.1:5000"},
      {"ghcr.io/o/a:1.4@" + kDigestF, "ghcr.io/o/a:1.4@" + kDigestF, kDigestF, "ghcr.io"},
      {"[::1]:5000/app:v1", "[::1]:5000/app:v1", "v1", "[::1]:5000"},
      {"registry-1.docker.io/library/alpine", "registry-1.docker.io/library/alpine", "latest", "registry-1.docker.io"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    Result<Reference> r = ParseReference(c.input);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->str(), c.str);
    EXPECT_EQ(r->manifest_ref(), c.manifest_ref);
    EXPECT_EQ(r->api_host(), c.api_host);
  }
}

TEST(ReferenceTest, LoopbackRegistries) {
  struct Case {
    std::string input;
    bool loopback;
  };
  const Case cases[] = {
      {"localhost/app", true},
      {"localhost:5000/app", true},
      {"LOCALHOST:5000/app", true},
      {"127.0.0.1/app", true},
      {"127.0.0.1:5000/app", true},
      {"127.255.3.4:80/app", true},
      {"[::1]/app", true},
      {"[::1]:5000/app", true},
      {"[0:0:0:0:0:0:0:1]:5000/app", true},
      {"alpine", false},
      {"128.0.0.1:5000/app", false},
      {"127.0.0/app", false},
      {"127.0.0.1.example.com/app", false},
      {"localhost.example.com/app", false},
      {"[::2]:5000/app", false},
      {"[::]:5000/app", false},
      {"ghcr.io/o/a", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    Result<Reference> r = ParseReference(c.input);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->is_loopback(), c.loopback);
  }
}

}  // namespace
}  // namespace drydock
