// Python catalogers: installed core metadata (dist-info, egg-info),
// poetry.lock, Pipfile.lock and pinned requirements files.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "catalog/lang_test_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::DescribeAll;
using testing::RunCollect;

using testing::RunCases;

constexpr const char* kSite = "/usr/lib/python3/dist-packages/";

TEST(PythonInstalled, Cases) {
  const std::string site = kSite;
  RunCases({
      {"dist-info METADATA with License field",
       "python-installed",
       {{site + "PyYAML-6.0.dist-info/METADATA", CatalogTestdata("python/PyYAML-6.0.METADATA")}},
       {"pypi PyYAML@6.0 [MIT] <" + site + "PyYAML-6.0.dist-info/METADATA>"},
       ""},
      {"no License field: the classifier, mapped to SPDX",
       "python-installed",
       {{site + "pyparsing-3.0.9.dist-info/METADATA", CatalogTestdata("python/pyparsing-3.0.9.METADATA")}},
       {"pypi pyparsing@3.0.9 [MIT] <" + site + "pyparsing-3.0.9.dist-info/METADATA>"},
       ""},
      {"egg-info directory PKG-INFO",
       "python-installed",
       {{site + "idna-3.3.egg-info/PKG-INFO", CatalogTestdata("python/idna-3.3.PKG-INFO")}},
       {"pypi idna@3.3 [BSD-3-Clause] <" + site + "idna-3.3.egg-info/PKG-INFO>"},
       ""},
      {"egg-info as a plain file",
       "python-installed",
       {{site + "rpm-4.18.0.egg-info", CatalogTestdata("python/rpm-4.18.0.egg-info")}},
       {"pypi rpm@4.18.0 [GNU General Public License v2] <" + site + "rpm-4.18.0.egg-info>"},
       ""},
      {"License-Expression wins over License and classifiers",
       "python-installed",
       {{"/app/x-1.dist-info/METADATA",
         "Metadata-Version: 2.4\nName: x\nVersion: 1\nLicense: see file\nLicense-Expression: MIT OR Apache-2.0\n"
         "Classifier: License :: OSI Approved :: BSD License\n"}},
       {"pypi x@1 [MIT OR Apache-2.0] </app/x-1.dist-info/METADATA>"},
       ""},
      {"a License holding the whole text falls back to the classifiers, unmapped ones kept",
       "python-installed",
       {{"/app/x-1.dist-info/METADATA",
         "Name: x\nVersion: 1\nLicense: Copyright (c) 2020\n        Permission is hereby granted\n"
         "Classifier: License :: OSI Approved :: Apache Software License\n"
         "Classifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI Approved\n"}},
       {"pypi x@1 [Apache-2.0,BSD License] </app/x-1.dist-info/METADATA>"},
       ""},
      {"License UNKNOWN and no classifiers: no license",
       "python-installed",
       {{"/app/x-1.dist-info/METADATA", "Name: x\nVersion: 1\nLicense: UNKNOWN\n"}},
       {"pypi x@1 </app/x-1.dist-info/METADATA>"},
       ""},
      {"fields in the body after the blank line are not read",
       "python-installed",
       {{"/app/x-1.dist-info/METADATA", "Name: x\nVersion: 1\n\nLicense: GPL\nVersion: 9\n"}},
       {"pypi x@1 </app/x-1.dist-info/METADATA>"},
       ""},
      {"CRLF line endings",
       "python-installed",
       {{"/app/x-1.dist-info/METADATA", "Name: x\r\nVersion: 1.0\r\nLicense: MIT\r\n\r\nbody"}},
       {"pypi x@1.0 [MIT] </app/x-1.dist-info/METADATA>"},
       ""},
      {"METADATA outside a dist-info directory is not read",
       "python-installed",
       {{"/app/docs/METADATA", "Name: x\nVersion: 1\n"}},
       {},
       ""},
      {"PKG-INFO of an unpacked sdist is not read",
       "python-installed",
       {{"/src/x-1.0/PKG-INFO", "Name: x\nVersion: 1\n"}},
       {},
       ""},
      {"missing Version is a diagnostic",
       "python-installed",
       {{"/app/x.dist-info/METADATA", "Metadata-Version: 2.1\nName: x\n"}},
       {},
       "no Version field"},
      {"missing Name is a diagnostic",
       "python-installed",
       {{"/app/x.dist-info/METADATA", "Version: 1\n"}},
       {},
       "no Name field"},
      {"binary garbage is a diagnostic",
       "python-installed",
       {{"/app/x.dist-info/METADATA", std::string("\x7f"
                                                  "ELF\0\0\x01Name: x",
                                                  13)}},
       {},
       "binary data"},
      {"upper-case .DIST-INFO directory",
       "python-installed",
       {{site + "Foo-1.0.DIST-INFO/METADATA", "Metadata-Version: 2.1\nName: Foo\nVersion: 1.0\n"}},
       {"pypi Foo@1.0 <" + site + "Foo-1.0.DIST-INFO/METADATA>"},
       ""},
      {"upper-case .EGG-INFO directory",
       "python-installed",
       {{site + "Bar-2.0.EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nName: Bar\nVersion: 2.0\n"}},
       {"pypi Bar@2.0 <" + site + "Bar-2.0.EGG-INFO/PKG-INFO>"},
       ""},
      {"upper-case .EGG-INFO file",
       "python-installed",
       {{site + "Baz-3.0.EGG-INFO", "Metadata-Version: 1.1\nName: Baz\nVersion: 3.0\n"}},
       {"pypi Baz@3.0 <" + site + "Baz-3.0.EGG-INFO>"},
       ""},
      {"CPython's own Python-2.7.egg-info is the interpreter, not a package",
       "python-installed",
       {{"/usr/local/lib/python2.7/lib-dynload/Python-2.7.egg-info",
         "Metadata-Version: 1.0\nName: Python\nVersion: 2.7.18\nSummary: UNKNOWN\nLicense: UNKNOWN\n"}},
       {},
       ""},
      {"empty file is a diagnostic", "python-installed", {{"/app/x.dist-info/METADATA", ""}}, {}, "no Name field"},
  });
}

TEST(PythonLockFiles, Cases) {
  RunCases({
      {"poetry.lock: [[package]] tables, dev category, subtables and multi-line strings skipped",
       "python-poetry-lock",
       {{"/app/poetry.lock", CatalogTestdata("python/poetry.lock")}},
       {"pypi certifi@2024.7.4 </app/poetry.lock>", "pypi charset-normalizer@3.3.2 </app/poetry.lock>",
        "pypi pytest@8.3.2 {python.dev=true scope=dev} </app/poetry.lock>", "pypi requests@2.32.3 </app/poetry.lock>"},
       ""},
      {"poetry.lock: an unterminated string is a diagnostic with its line",
       "python-poetry-lock",
       {{"/app/poetry.lock", "[[package]]\nname = \"a\nversion = \"1\"\n"}},
       {},
       "line 2: newline in a string"},
      {"poetry.lock: text that is not TOML is a diagnostic",
       "python-poetry-lock",
       {{"/app/poetry.lock", "<html>not found</html>\n"}},
       {},
       "line 1"},
      {"poetry.lock: binary garbage is a diagnostic",
       "python-poetry-lock",
       {{"/app/poetry.lock", std::string("[[package]]\0\xff\xfe", 14)}},
       {},
       "binary data"},
      {"poetry.lock: arrays nested past the cap are a diagnostic",
       "python-poetry-lock",
       {{"/app/poetry.lock", "[[package]]\nx = " + std::string(100, '[') + std::string(100, ']') + "\n"}},
       {},
       "nested too deep"},
      {"Pipfile.lock: default and develop, pins only, develop-only marked",
       "python-pipfile-lock",
       {{"/app/Pipfile.lock", CatalogTestdata("python/Pipfile.lock")}},
       {"pypi flask@3.0.3 </app/Pipfile.lock>", "pypi pytest@8.3.2 {python.dev=true scope=dev} </app/Pipfile.lock>",
        "pypi werkzeug@3.0.3 </app/Pipfile.lock>"},
       ""},
      {"Pipfile.lock: truncated JSON is a diagnostic",
       "python-pipfile-lock",
       {{"/app/Pipfile.lock", CatalogTestdata("python/Pipfile.lock").substr(0, 300)}},
       {},
       "invalid JSON"},
      {"Pipfile.lock: a JSON array is a diagnostic",
       "python-pipfile-lock",
       {{"/app/Pipfile.lock", "[1, 2]"}},
       {},
       "not a JSON object"},
      {"requirements.txt: exact pins only; options, ranges, wildcards and bare names skipped",
       "python-requirements",
       {{"/app/requirements.txt", CatalogTestdata("python/requirements.txt")}},
       {"pypi Django@4.2.14 </app/requirements.txt>", "pypi PyYAML@6.0.1 </app/requirements.txt>",
        "pypi black@24.4.2 </app/requirements.txt>", "pypi requests@2.32.3 </app/requirements.txt>",
        "pypi urllib3@2.2.2 </app/requirements.txt>"},
       ""},
      {"requirements-dev.txt is a requirements file too",
       "python-requirements",
       {{"/app/requirements-dev.txt", "pytest==8.3.2\n"}},
       {"pypi pytest@8.3.2 </app/requirements-dev.txt>"},
       ""},
      {"requirements: a continuation at the end of the file",
       "python-requirements",
       {{"/app/requirements.txt", "a==1 \\"}},
       {"pypi a@1 </app/requirements.txt>"},
       ""},
      {"requirements: binary garbage is a diagnostic",
       "python-requirements",
       {{"/app/requirements.txt", std::string("a==1\n\0\0", 7)}},
       {},
       "binary data"},
  });
}

TEST(PythonCatalog, LayerAttributionAndDeletion) {
  using testing::Dir;
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  const std::string meta = "Metadata-Version: 2.1\nName: NAME\nVersion: 1.0\n";
  auto md = [&](std::string name) {
    std::string m = meta;
    m.replace(m.find("NAME"), 4, name);
    return m;
  };
  auto r = testing::ScanLayers(dir, {
                                        {File("usr/lib/python3/site-packages/a-1.0.dist-info/METADATA", md("a")),
                                         File("usr/lib/python3/site-packages/gone-1.0.dist-info/METADATA", md("gone"))},
                                        {File("usr/lib/python3/site-packages/b-1.0.dist-info/METADATA", md("b")),
                                         Whiteout("usr/lib/python3/site-packages", "gone-1.0.dist-info"),
                                         File("app/requirements.txt", "c==2.0\n")},
                                    });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  std::vector<std::string> got;
  for (const auto& p : r->inventory->packages)
    got.push_back(p.name + "@" + p.version + " layer " + std::to_string(p.layer_index));
  EXPECT_EQ(got, (std::vector<std::string>{"a@1.0 layer 0", "b@1.0 layer 1", "c@2.0 layer 1"}));
  EXPECT_TRUE(r->inventory->diagnostics.empty());
}

}  // namespace
}  // namespace drydock
