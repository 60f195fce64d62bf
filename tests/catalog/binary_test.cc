// The generic binary cataloger: every product of the rule table recognised
// from the version string its real binaries carry, the guards against
// mentions and near misses, where in the ELF it looks, layer attribution,
// and hostile input.
//
// Where the strings come from: the bytes around each version were copied
// from Debian 12 binaries (libssl3, nginx-core, apache2-bin, redis-tools,
// curl, libcurl4, libpython3.11, nodejs, busybox-static, bash,
// postgresql-15, mariadb-server-core, haproxy, memcached, php8.2-cli,
// libperl5.36, libruby3.1, openjdk-17, zlib1g, openssh-client) as
// `strings -a` and a hex dump show them; the other versions of a product
// follow the same format string in its upstream source (e.g. OpenSSL
// 1.1.1's OPENSSL_VERSION_TEXT, redis's mkreleasehdr.sh build id with a
// BuildKit host name, PG_VERSION_STR of a source build).
#include <gtest/gtest.h>

#include "catalog/bin_test_util.h"
#include "support/elf_writer.h"

namespace drydock {
namespace {

using namespace std::string_literals;
using testing::ElfSpec;
using testing::MakeElf;
using testing::RunOnFile;

// An ELF whose `section` holds `strings` between some unrelated data.
std::string WithStrings(const std::string& strings, const std::string& section = ".rodata") {
  ElfSpec spec;
  spec.sections = {{.name = ".text", .data = std::string(256, '\x90'), .flags = 6},
                   {.name = section, .data = "\x01\x02 some\0other\0strings\0"s + strings + "\0tail\0"s}};
  return MakeElf(spec);
}

std::vector<std::string> Found(const LayerResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages) {
    out.push_back(p.name + "@" + p.version);
    EXPECT_EQ(p.type, "generic");
    EXPECT_EQ(p.evidence.size(), 1u);
    EXPECT_EQ(p.evidence[0].cataloger, "binary");
    EXPECT_FALSE(p.metadata.at("binary.match").empty());
  }
  return out;
}

TEST(BinaryCataloger, RecognisesEveryProduct) {
  struct Case {
    std::string file;
    std::string strings;
    std::string want;
  };
  const Case cases[] = {
      {"libcrypto.so.3", "OpenSSL 3.0.11 19 Sep 2023", "openssl@3.0.11"},
      {"openssl", "OpenSSL 1.1.1w  11 Sep 2023", "openssl@1.1.1w"},
      {"node", "OpenSSL 3.2.0-alpha1 28 Sep 2023\0../deps/openssl/openssl/crypto/evp/evp_enc.c"s,
       "openssl@3.2.0-alpha1"},
      {"nginx", "nginx version: nginx/1.22.1\n\0nginx/1.22.1\0crypt_r() failed"s, "nginx@1.22.1"},
      {"httpd", "mailto:\0Apache/2.4.58\0 Server at"s, "httpd@2.4.58"},
      {"apache2", "Apache/2.4.71 (Debian)\0"s, "httpd@2.4.71"},
      {"redis-server",
       "\xc0\xff\xff\xff\xdf"
       "A7.0.151790282056000000000\0%llx"s,
       "redis@7.0.15"},
      {"redis-server",
       "7.2.3buildkitsandbox-17000000000"
       "00000000\0"s,
       "redis@7.2.3"},
      {"curl", "Accept: application/json\0curl/7.88.1\0"s, "curl@7.88.1"},
      {"libcurl.so.4.8.0", "CLIENT libcurl 8.4.0\0libcurl/8.4.0\0"s, "curl@8.4.0"},
      {"libpython3.11.so.1.0",
       "%s: '%s'\0"
       "3.11.2\0%.80s (%.80s) %.80s\0PYTHONINSPECT"s,
       "python@3.11.2"},
      {"python3.12", "3.12.0rc1\0%.80s (%.80s) %.80s\0"s, "python@3.12.0rc1"},
      {"node", "/json\0node.js/v20.10.0\0(delegate_) != nullptr"s, "node@20.10.0"},
      {"busybox", "out of memory\0BusyBox v1.36.1 (2023-06-10 12:00:00 UTC)\0"s, "busybox@1.36.1"},
      {"bash", "@(#)Bash version 5.2.15(1) release GNU\0"s, "bash@5.2.15"},
      {"postgres", "PostgreSQL 16.1 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 12.2.0, 64-bit\0"s,
       "postgresql@16.1"},
      {"postgres", "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu\0"s, "postgresql@15.20"},
      {"mariadbd",
       "Unknown\0-0+deb12u1\0"
       "10.11.19-MariaDB\0x86_64\0"s,
       "mariadb@10.11.19"},
      {"haproxy", " version 2.8.3, released 2023/09/08\0"s, "haproxy@2.8.3"},
      {"haproxy", "\0\0\0 version 2.6.12-1+deb12u4, released 2026/10/17\0"s, "haproxy@2.6.12"},
      {"memcached", "listen\0memcached 1.6.22\0udp-port\0"s, "memcached@1.6.22"},
      {"php", "%s,%s\0X-Powered-By: PHP/8.2.12\0ZEND_MM_MAX_ALLOCS"s, "php@8.2.12"},
      {"php", "X-Powered-By: PHP/8.3.0RC1\0"s, "php@8.3.0RC1"},
      {"libperl.so.5.36", "\nThis is perl 5, version 36, subversion 0 (%-p) built for x86_64-linux\0"s, "perl@5.36.0"},
      {"libruby.so.3.2", "ruby 3.2.2 (2023-03-30 revision e51014f9c0) [x86_64-linux]\0"s, "ruby@3.2.2"},
      {"libruby-3.1.so", "ruby 3.1.7p261 (2025-03-26 revision 0a3704f218) +YJIT [x86_64-linux-gnu]\0"s, "ruby@3.1.7"},
      {"libjvm.so", "OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1deb12u1) for linux-amd64 JRE\0"s, "openjdk@17.0.9"},
      {"java",
       "NOTE: Picked up %s: %s\0openjdk\0java\0"
       "0.0\0"
       "21+35-2513\0-J-ms8m\0"s,
       "openjdk@21"},
      {"libz.so.1", " deflate 1.2.13 Copyright 1995-2022 Jean-loup Gailly and Mark Adler \0"s, "zlib@1.2.13"},
      {"sshd", "OpenSSH_9.5p1\0"s, "openssh@9.5p1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file + ": " + c.want);
    const LayerResult got = RunOnFile("binary", "/usr/local/bin/" + c.file, WithStrings(c.strings));
    EXPECT_TRUE(got.diagnostics.empty());
    EXPECT_EQ(Found(got), std::vector<std::string>{c.want});
  }
}

TEST(BinaryCataloger, GuardsAgainstMentionsAndNearMisses) {
  struct Case {
    std::string name;
    std::string file;
    std::string strings;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"openssl's version in a program that only links it",
       "nginx",
       "built with \0OpenSSL 3.0.11 19 Sep 2023\0nginx/1.25.3\0"s,
       {"nginx@1.25.3"}},
      {"two components are not an httpd version", "httpd", "Apache\0Apache/2.4\0Apache/2\0"s, {}},
      {"a version running into letters", "curl", "curl/7.88.1abc\0"s, {}},
      {"a version in prose, not a string of its own",
       "mariadbd",
       "for example 10.1.1-MariaDB-mariadb1precise-log.\0"s,
       {}},
      {"redis build id in a file of another name", "valkey-server", "7.2.3buildkitsandbox-1700000000000000000\0"s, {}},
      {"postgres's name in a message", "pg_dump", "PostgreSQL 9.2 or later is required\0"s, {}},
      {"ruby without its build date", "tool", "requires ruby 2.7.0 or newer\0"s, {}},
      {"a later, longer find of the same version wins",
       "ssh-keyscan",
       "OpenSSH_9.2\0OpenSSH_9.2p1 Debian\0"s,
       {"openssh@9.2p1"}},
      {"several products in one file",
       "node",
       "node.js/v18.20.4\0 deflate 1.2.11 Copyright 1995-2017 Jean-loup Gailly\0"s,
       {"node@18.20.4", "zlib@1.2.11"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("binary", "/usr/bin/" + c.file, WithStrings(c.strings));
    EXPECT_EQ(Found(got), c.want);
  }
}

TEST(BinaryCataloger, LooksInDataNotCode) {
  const std::string s = "nginx/1.25.3\0"s;
  struct Case {
    std::string name;
    std::string bytes;
    bool found;
  };
  ElfSpec text_only;
  text_only.sections = {{.name = ".text", .data = "\x90" + s + "\x90", .flags = 6}};
  ElfSpec stripped;
  stripped.section_headers = false;
  stripped.sections = {{.name = ".text", .data = "\x90" + s, .flags = 6}, {.name = ".rodata", .data = "x\0"s + s}};
  ElfSpec stripped_code_only = stripped;
  stripped_code_only.sections.pop_back();
  const Case cases[] = {
      {".rodata", WithStrings(s), true},
      {".rodata.str1.1", WithStrings(s, ".rodata.str1.1"), true},
      {".data.rel.ro", WithStrings(s, ".data.rel.ro"), true},
      {".data", WithStrings(s, ".data"), true},
      {".comment is not read", WithStrings(s, ".comment"), false},
      {".text is not read", MakeElf(text_only), false},
      {"no section headers: the read-only segment", MakeElf(stripped), true},
      {"no section headers: never the code segment", MakeElf(stripped_code_only), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("binary", "/usr/sbin/nginx", c.bytes);
    EXPECT_EQ(Found(got), c.found ? std::vector<std::string>{"nginx@1.25.3"} : std::vector<std::string>{});
    EXPECT_TRUE(got.diagnostics.empty());
  }
}

TEST(BinaryCataloger, HostileInput) {
  struct Case {
    std::string name;
    std::string bytes;
    std::vector<std::string> want;
    std::string diagnostic;
  };
  std::string many;
  for (int i = 0; i < 120000; ++i) many += "curl/";
  std::string bad_sections = WithStrings("nginx/1.25.3\0"s);
  bad_sections.replace(40, 8, testing::PutUint(bad_sections.size() - 3, 8, true));  // e_shoff past the end
  const Case cases[] = {
      {"truncated header",
       std::string("\x7f") + "ELF\x02\x01\x01" + std::string(33, '\0'),
       {},
       "binary: elf: truncated header (40 bytes)"},
      {"section table outside the file: segments are read instead",
       bad_sections,
       {"nginx@1.25.3"},
       "binary: elf: section headers lie outside the file"},
      {"anchor flood",
       WithStrings(many + "curl/8.0.1\0"s),
       {},
       "binary: more than 100000 anchor matches; scan stopped"},
      {"anchor at the very end of the data", WithStrings("x\0nginx/"s), {}, ""},
      {"version at the very end of the data", WithStrings("x\0nginx/1.2"s), {}, ""},
      {"long digit runs", WithStrings("nginx/" + std::string(5000, '9') + ".1.2\0"), {}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("binary", "/bin/nginx", c.bytes);
    EXPECT_EQ(Found(got), c.want);
    if (c.diagnostic.empty()) {
      EXPECT_TRUE(got.diagnostics.empty());
    } else {
      ASSERT_EQ(got.diagnostics.size(), 1u);
      EXPECT_EQ(got.diagnostics[0].where, "/bin/nginx");
      EXPECT_EQ(got.diagnostics[0].message, c.diagnostic);
    }
  }
}

TEST(BinaryCataloger, LayerAttribution) {
  const std::string redis = WithStrings("7.2.3buildkitsandbox-1700000000000000000\0"s);
  const std::string nginx = WithStrings("nginx/1.25.3\0"s);
  const std::string ssl = WithStrings("OpenSSL 3.0.11 19 Sep 2023\0"s);
  const std::string l1 = testing::MakeTar({testing::File("usr/local/bin/redis-server", redis, 0755),
                                           testing::File("usr/local/sbin/nginx", nginx, 0755),
                                           testing::File("usr/lib/libcrypto.so.3", ssl, 0644)});
  const std::string l2 = testing::MakeTar(
      {testing::Whiteout("usr/local/sbin", "nginx"), testing::File("usr/local/lib/libcrypto.so.3", ssl, 0755)});
  auto scan = testing::ScanLayers({l1, l2});
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  std::vector<std::string> got;
  for (const auto& p : testing::OfType(*scan->inventory, "generic")) {
    got.push_back(p.purl + " " + p.evidence[0].path + " layer " + std::to_string(p.layer_index));
  }
  // nginx is deleted by layer 2; a 0644 library is a distribution's and not
  // read, the 0755 one a source install's.
  EXPECT_EQ(got, (std::vector<std::string>{"pkg:generic/openssl@3.0.11 /usr/local/lib/libcrypto.so.3 layer 1",
                                           "pkg:generic/redis@7.2.3 /usr/local/bin/redis-server layer 0"}));
}

}  // namespace
}  // namespace drydock
