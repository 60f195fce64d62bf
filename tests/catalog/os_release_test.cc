// OS identification: the os-release(5) parser and the fallbacks DetectOs
// uses when an image has no os-release file.
#include "catalog/os_release.h"

#include <gtest/gtest.h>

#include "base/path.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace drydock {
namespace {

TEST(ParseOsRelease, Cases) {
  struct Case {
    std::string name;
    std::string text;
    OsRelease want;  // source_path is never set by the parser
  };
  const Case cases[] = {
      {"debian with double quotes",
       "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
       "VERSION_CODENAME=bookworm\nID=debian\n",
       {"debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", ""}},
      {"unquoted values", "ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=Alpine\n", {"alpine", "3.19.1", "", "Alpine", ""}},
      {"single quotes", "ID='ubuntu'\nVERSION_ID='22.04'\n", {"ubuntu", "22.04", "", "", ""}},
      {"backslash escapes in double quotes",
       R"(PRETTY_NAME="A \"quoted\" \\ name \$x")"
       "\nID=x\n",
       {"x", "", "", R"(A "quoted" \ name $x)", ""}},
      {"single quotes take backslashes literally",
       R"(PRETTY_NAME='a\b')"
       "\nID=x\n",
       {"x", "", "", R"(a\b)", ""}},
      {"comments and blank lines skipped",
       "# ID=wrong\n\n   \nID=fedora\n  # VERSION_ID=0\nVERSION_ID=40\n",
       {"fedora", "40", "", "", ""}},
      {"CRLF line endings", "ID=rhel\r\nVERSION_ID=\"9.3\"\r\n", {"rhel", "9.3", "", "", ""}},
      {"no trailing newline", "ID=arch", {"arch", "", "", "", ""}},
      {"lines without = ignored", "garbage line\nID=void\n", {"void", "", "", "", ""}},
      {"later assignment wins", "ID=a\nID=b\n", {"b", "", "", "", ""}},
      {"value containing =", "PRETTY_NAME=\"a=b\"\nID=x\n", {"x", "", "", "a=b", ""}},
      {"empty input", "", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const OsRelease got = ParseOsRelease(c.text);
    EXPECT_EQ(got.id, c.want.id);
    EXPECT_EQ(got.version_id, c.want.version_id);
    EXPECT_EQ(got.version_codename, c.want.version_codename);
    EXPECT_EQ(got.pretty_name, c.want.pretty_name);
    EXPECT_EQ(got.source_path, "");
  }
}

// A one-layer view whose files (all regular, all captured) are `files`.
FileSystemView ViewOf(const std::map<std::string, std::string>& files) {
  auto layer = std::make_shared<LayerResult>();
  for (const auto& [path, content] : files) {
    layer->entries.push_back(
        FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
    layer->captured[path] = content;
  }
  return FileSystemView({layer});
}

TEST(DetectOs, Cases) {
  struct Case {
    std::string name;
    std::map<std::string, std::string> files;
    std::optional<OsRelease> want;
  };
  const Case cases[] = {
      {"etc/os-release",
       {{"/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"}},
       OsRelease{"debian", "12", "", "", "/etc/os-release"}},
      {"usr/lib/os-release when etc has none",
       {{"/usr/lib/os-release", "ID=ubuntu\nVERSION_ID=24.04\n"}},
       OsRelease{"ubuntu", "24.04", "", "", "/usr/lib/os-release"}},
      {"os-release without ID falls through to alpine-release",
       {{"/etc/os-release", "NAME=thing\n"}, {"/etc/alpine-release", "3.19.1\n"}},
       OsRelease{"alpine", "3.19.1", "", "Alpine Linux 3.19.1", "/etc/alpine-release"}},
      {"alpine-release alone",
       {{"/etc/alpine-release", "3.18.4\n"}},
       OsRelease{"alpine", "3.18.4", "", "Alpine Linux 3.18.4", "/etc/alpine-release"}},
      {"debian_version alone",
       {{"/etc/debian_version", "12.5\n"}},
       OsRelease{"debian", "12.5", "", "Debian GNU/Linux 12.5", "/etc/debian_version"}},
      {"os-release beats the distro files",
       {{"/etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n"}, {"/etc/alpine-release", "3.19.1\n"}},
       OsRelease{"alpine", "3.20.0", "", "", "/etc/os-release"}},
      {"nothing to go on", {{"/etc/hostname", "box\n"}}, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = ViewOf(c.files);
    const auto got = DetectOs(fs);
    ASSERT_EQ(got.has_value(), c.want.has_value());
    if (!got) continue;
    EXPECT_EQ(got->id, c.want->id);
    EXPECT_EQ(got->version_id, c.want->version_id);
    EXPECT_EQ(got->pretty_name, c.want->pretty_name);
    EXPECT_EQ(got->source_path, c.want->source_path);
  }
}

TEST(DetectOs, FollowsTheUsualOsReleaseSymlink) {
  // Debian and Ubuntu ship /etc/os-release -> ../usr/lib/os-release.
  auto layer = std::make_shared<LayerResult>();
  layer->entries = {
      FileNode{
          .path = "/etc/os-release", .type = EntryType::kSymlink, .mode = 0777, .link_target = "../usr/lib/os-release"},
      FileNode{.path = "/usr/lib/os-release", .type = EntryType::kFile, .mode = 0644, .size = 10},
  };
  layer->captured["/usr/lib/os-release"] = "ID=debian\n";
  const FileSystemView fs({layer});
  const auto got = DetectOs(fs);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, "debian");
}

TEST(DetectOs, Distroless) {
  // /etc/os-release of gcr.io/distroless/base-debian12.
  const std::string distroless_release =
      "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\n"
      "VERSION=\"Debian GNU/Linux 12 (bookworm)\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n";
  const std::string debian_release = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
  const std::string stanza = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n";
  struct Case {
    std::string name;
    std::vector<FileNode> entries;
    std::map<std::string, std::string> files;  // regular, captured
    bool want;
  };
  const FileNode status_d{.path = "/var/lib/dpkg/status.d", .type = EntryType::kDir, .mode = 0755};
  const Case cases[] = {
      {"distroless: status.d, no status, os-release says so",
       {status_d},
       {{"/etc/os-release", distroless_release}, {"/var/lib/dpkg/status.d/base-files", stanza}},
       true},
      {"status.d without a status file", {status_d}, {{"/etc/os-release", debian_release}}, true},
      {"status.d files captured without a directory entry",
       {},
       {{"/etc/os-release", debian_release}, {"/var/lib/dpkg/status.d/base-files", stanza}},
       true},
      {"os-release says Distroless", {}, {{"/etc/os-release", distroless_release}}, true},
      {"plain Debian: a status file", {}, {{"/etc/os-release", debian_release}, {"/var/lib/dpkg/status", ""}}, false},
      {"status file and status.d",
       {status_d},
       {{"/etc/os-release", debian_release}, {"/var/lib/dpkg/status", ""}},
       false},
      {"status.d is a file, not a directory",
       {},
       {{"/etc/os-release", debian_release}, {"/var/lib/dpkg/status.d", stanza}},
       false},
      {"no dpkg at all", {}, {{"/etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"}}, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto layer = std::make_shared<LayerResult>();
    layer->entries = c.entries;
    for (const auto& [path, content] : c.files) {
      layer->entries.push_back(
          FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
      layer->captured[path] = content;
    }
    const FileSystemView fs({layer});
    const auto got = DetectOs(fs);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->distroless, c.want);
  }
}

TEST(DetectOs, WantsEveryFileItReads) {
  const FileWants w = OsReleaseWants();
  EXPECT_TRUE(w.capture);
  for (const char* p : {"/etc/os-release", "/usr/lib/os-release", "/etc/alpine-release", "/etc/debian_version",
                        "/etc/redhat-release"}) {
    SCOPED_TRACE(p);
    bool wanted = false;
    for (const auto& g : w.globs) wanted |= GlobMatch(g, p);
    EXPECT_TRUE(wanted);
  }
}

}  // namespace
}  // namespace drydock
