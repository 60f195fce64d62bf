// Rust binaries built with cargo-auditable: their ".dep-v0" ELF section is
// zlib-compressed JSON, {"packages": [{"name", "version", "source", "kind",
// "dependencies", "root"}]}, listing every crate compiled in. One cargo
// package per entry, read during the layer walk.
//
// Build dependencies ("kind": "build": build scripts, proc-macros) are
// kept, marked with metadata "cargo.kind" = "build": their code ran when
// the binary was built and shapes it, so a vulnerable or malicious one
// matters, and a matcher or user can still filter them out. Non-crates.io
// sources ("local", "git", "registry") are kept as "cargo.source"; the
// root crate is marked "cargo.root".
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include <simdjson.h>

#include "catalog/catalogers.h"
#include "catalog/elf.h"

namespace drydock {

namespace {

constexpr std::string_view kId = "rust-cargo-auditable";
constexpr size_t kMaxJson = 8 << 20;
constexpr size_t kMaxPackages = 100000;

// zlib-inflates `in` up to kMaxJson bytes.
Result<std::string> Inflate(std::string_view in) {
  struct Stream {
    z_stream z{};
    bool live = inflateInit(&z) == Z_OK;
    ~Stream() {
      if (live) inflateEnd(&z);
    }
  } s;
  if (!s.live) return InputError("zlib: cannot initialise");
  std::string out;
  char buf[64 << 10];
  s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.z.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    s.z.next_out = reinterpret_cast<Bytef*>(buf);
    s.z.avail_out = sizeof(buf);
    rc = inflate(&s.z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      return InputError("zlib: {}", rc == Z_BUF_ERROR ? "truncated" : (s.z.msg ? s.z.msg : "corrupt"));
    }
    const size_t got = sizeof(buf) - s.z.avail_out;
    if (out.size() + got > kMaxJson) return InputError("dependency list inflates past {} bytes", kMaxJson);
    out.append(buf, got);
  }
  return out;
}

bool Plausible(std::string_view s) {
  return !s.empty() && s.size() <= 256 &&
         std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

void OnBinary(const FileNode& node, std::string_view content, LayerResult& out) {
  auto elf = ElfFile::Parse(content);
  if (!elf.ok()) return;
  const ElfSection* s = elf->Find(".dep-v0");
  if (s == nullptr) return;
  auto diag = [&](std::string message) {
    out.diagnostics.push_back({node.path, std::string(kId) + ": .dep-v0: " + std::move(message)});
  };
  auto json = Inflate(elf->Data(*s));
  if (!json.ok()) return diag(json.error().message);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json->data(), json->size()).get(root)) {
    return diag(std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::array packages;
  if (root["packages"].get_array().get(packages)) return diag("no \"packages\" array");
  size_t skipped = 0, count = 0;
  for (simdjson::dom::element e : packages) {
    if (++count > kMaxPackages) {
      diag("more than " + std::to_string(kMaxPackages) + " packages; the rest ignored");
      break;
    }
    std::string_view name, version, source, kind;
    bool is_root = false;
    if (e["name"].get_string().get(name) || e["version"].get_string().get(version) || !Plausible(name) ||
        !Plausible(version)) {
      ++skipped;
      continue;
    }
    if (e["source"].get_string().get(source)) source = {};
    if (e["kind"].get_string().get(kind)) kind = {};
    if (e["root"].get_bool().get(is_root)) is_root = false;
    Package p;
    p.type = std::string(pkgtype::kCargo);
    p.name = std::string(name);
    p.version = std::string(version);
    if (!source.empty() && source != "crates.io") p.metadata["cargo.source"] = std::string(source.substr(0, 256));
    if (kind == "build") p.metadata["cargo.kind"] = "build";
    if (is_root) p.metadata["cargo.root"] = "true";
    p.evidence.emplace_back();
    out.packages.push_back(std::move(p));
  }
  if (skipped > 0) diag(std::to_string(skipped) + " package(s) without a usable name and version skipped");
}

}  // namespace

void RustAuditableCatalogers(std::vector<Cataloger>& rows) {
  Cataloger c;
  c.id = kId;
  c.file_wants = ExecutableElfWants();
  c.on_file = &OnBinary;
  rows.push_back(std::move(c));
}

}  // namespace drydock
