// Image checks over an ImageInfo and a merged view: CIS 4.1 (runs as root)
// and CIS 4.6 (no HEALTHCHECK), their locations, and fingerprint stability.
#include "check/image/check.h"

#include <gtest/gtest.h>

#include "base/path.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace drydock {
namespace {

constexpr char kPasswd[] =
    "# system accounts\n"
    "root:x:0:0:root:/root:/bin/sh\n"
    "toor:x:0:0:alias of root:/root:/bin/sh\n"
    "app:x:1000:1000::/home/app:/bin/sh\n"
    "broken-line-without-fields\n";

// A view with /etc/passwd captured (or none when `passwd` is nullopt).
FileSystemView ViewWith(const std::optional<std::string>& passwd) {
  auto layer = std::make_shared<LayerResult>();
  layer->entries.push_back(FileNode{.path = "/etc", .type = EntryType::kDir, .mode = 0755});
  if (passwd) {
    layer->entries.push_back(FileNode{
        .path = "/etc/passwd", .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(passwd->size())});
    layer->captured["/etc/passwd"] = *passwd;
  }
  return FileSystemView({layer});
}

ImageInfo Image(std::string user, std::optional<Healthcheck> hc = Healthcheck{{"CMD", "true"}}) {
  ImageInfo info;
  info.source_kind = "docker-archive";
  info.config.user = std::move(user);
  info.config.healthcheck = std::move(hc);
  return info;
}

std::vector<Finding> RunChecks(const ImageInfo& image, const FileSystemView& fs) {
  const std::optional<OsRelease> os;
  return RunImageChecks(ImageCheckInput{image, fs, os});
}

// Only the findings of the two rules these tests are about (4.1 and 4.6);
// the other checks have their own tests (image_hardening_test.cc).
std::vector<Finding> UserAndHealth(const std::vector<Finding>& all) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule_id == "DD-CIS-4.1" || f.rule_id == "DD-CIS-4.6") out.push_back(f);
  }
  return out;
}

std::vector<Finding> Only(const std::vector<Finding>& all, std::string_view rule) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule_id == rule) out.push_back(f);
  }
  return out;
}

TEST(ImageChecks, RunsAsRoot) {
  const FileSystemView fs = ViewWith(kPasswd);
  struct Case {
    std::string name;
    std::string user;
    std::string want_evidence;  // "" = no finding
  };
  const Case cases[] = {
      {"unset user is root", "", "not set"},
      {"root by name", "root", "uid 0"},
      {"uid 0", "0", "uid 0"},
      {"uid 0 with zero padding", "000", "uid 0"},
      {"uid and gid 0", "0:0", "uid 0"},
      {"root user and group", "root:root", "uid 0"},
      {"name with uid 0 in /etc/passwd", "toor", "has uid 0 in /etc/passwd"},
      {"name with uid 0 and a group", "toor:app", "has uid 0 in /etc/passwd"},
      {"name missing from /etc/passwd", "ghost", "is not in /etc/passwd"},
      {"unprivileged name in /etc/passwd", "app", ""},
      {"unprivileged name and group", "app:app", ""},
      {"unprivileged uid", "1000", ""},
      {"unprivileged uid and gid 0", "1000:0", ""},
      {"numeric uid need not be in /etc/passwd", "4242", ""},
      {"uid 1 written with many leading zeros", "00000000001", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto found = Only(RunChecks(Image(c.user), fs), "DD-CIS-4.1");
    if (c.want_evidence.empty()) {
      EXPECT_TRUE(found.empty()) << found[0].evidence;
      continue;
    }
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].evidence.find(c.want_evidence), std::string::npos) << found[0].evidence;
    EXPECT_EQ(found[0].severity, Severity::kHigh);
    EXPECT_EQ(found[0].location.config_field, "config.User");
  }
}

TEST(ImageChecks, RunsAsRootWithoutPasswdJudgesNamesOnly) {
  const FileSystemView fs = ViewWith(std::nullopt);
  struct Case {
    std::string user;
    bool want_finding;
  };
  const Case cases[] = {{"root", true}, {"", true}, {"app", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.user);
    EXPECT_EQ(Only(RunChecks(Image(c.user), fs), "DD-CIS-4.1").size(), c.want_finding ? 1u : 0u);
  }
}

TEST(ImageChecks, RunsAsRootPointsAtTheLastUserInstruction) {
  const FileSystemView fs = ViewWith(kPasswd);
  ImageInfo image = Image("root");
  image.config.history = {
      {.created_by = "/bin/sh -c #(nop) USER app"},
      {.created_by = "RUN apk add curl"},
      {.created_by = "/bin/sh -c #(nop)  USER root", .empty_layer = true},
      {.created_by = "CMD [\"/bin/sh\"]", .empty_layer = true},
  };
  const auto found = Only(RunChecks(image, fs), "DD-CIS-4.1");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].location.created_by, "/bin/sh -c #(nop)  USER root");
}

TEST(ImageChecks, Healthcheck) {
  const FileSystemView fs = ViewWith(kPasswd);
  struct Case {
    std::string name;
    std::optional<Healthcheck> hc;
    std::string want_evidence;  // "" = no finding
  };
  const Case cases[] = {
      {"no healthcheck", std::nullopt, "no HEALTHCHECK"},
      {"healthcheck disabled with NONE", Healthcheck{{"NONE"}}, "HEALTHCHECK NONE"},
      {"healthcheck with an empty test", Healthcheck{{}}, "no HEALTHCHECK"},
      {"exec-form healthcheck", Healthcheck{{"CMD", "true"}}, ""},
      {"shell-form healthcheck", Healthcheck{{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto found = Only(RunChecks(Image("app", c.hc), fs), "DD-CIS-4.6");
    if (c.want_evidence.empty()) {
      EXPECT_TRUE(found.empty()) << found[0].evidence;
      continue;
    }
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].evidence.find(c.want_evidence), std::string::npos) << found[0].evidence;
    EXPECT_EQ(found[0].location.config_field, "config.Healthcheck");
    EXPECT_EQ(found[0].severity, Severity::kLow);
  }
}

TEST(ImageChecks, RootfsDirectoryHasNoRuntimeConfigToCheck) {
  const FileSystemView fs = ViewWith(kPasswd);
  ImageInfo image = Image("", std::nullopt);
  ASSERT_EQ(UserAndHealth(RunChecks(image, fs)).size(), 2u) << "as an image, it fails both checks";
  image.source_kind = "dir";
  EXPECT_TRUE(UserAndHealth(RunChecks(image, fs)).empty());
}

TEST(ImageChecks, FindingsCarryRuleMetadataAndStableFingerprints) {
  const FileSystemView fs = ViewWith(kPasswd);
  const ImageInfo image = Image("root", std::nullopt);
  const auto first = UserAndHealth(RunChecks(image, fs));
  const auto second = UserAndHealth(RunChecks(image, fs));
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    SCOPED_TRACE(first[i].rule_id);
    EXPECT_EQ(first[i].fingerprint.size(), 16u);
    EXPECT_EQ(first[i].fingerprint, second[i].fingerprint);
    EXPECT_EQ(first[i].kind, FindingKind::kMisconfiguration);
    EXPECT_FALSE(first[i].title.empty());
    EXPECT_FALSE(first[i].remediation.empty());
    EXPECT_FALSE(first[i].references.empty());
  }
  EXPECT_NE(first[0].fingerprint, first[1].fingerprint);
  // Wording is not part of the identity: another evidence, same fingerprint.
  const auto as_uid0 = Only(RunChecks(Image("0", std::nullopt), fs), "DD-CIS-4.1");
  ASSERT_EQ(as_uid0.size(), 1u);
  EXPECT_EQ(as_uid0[0].fingerprint, Only(first, "DD-CIS-4.1")[0].fingerprint);
}

TEST(ImageChecks, RuleTableIsWellFormed) {
  std::vector<std::string_view> ids;
  for (const auto& rule : ImageCheckRules()) {
    SCOPED_TRACE(rule.id);
    EXPECT_TRUE(rule.id.starts_with("DD-"));
    EXPECT_NE(rule.run, nullptr);
    EXPECT_FALSE(rule.rationale.empty());
    for (auto seen : ids) EXPECT_NE(seen, rule.id) << "duplicate rule id";
    ids.push_back(rule.id);
  }
  EXPECT_GE(ids.size(), 2u);
}

TEST(ImageChecks, WantsTheFilesTheyRead) {
  const FileWants w = ImageCheckWants();
  EXPECT_TRUE(w.capture);
  bool passwd = false;
  for (const auto& g : w.globs) passwd |= GlobMatch(g, "/etc/passwd");
  EXPECT_TRUE(passwd);
}

}  // namespace
}  // namespace drydock
