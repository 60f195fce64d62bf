// The compose loader (see compose.h).
#include "lint/compose/compose.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

extern char** environ;

namespace drydock {

namespace {

// Converts yaml-cpp's tree to ComposeNode, resolving merge keys and
// interpolating scalar values. Aliases are shared nodes in yaml-cpp; the
// budget counts every node the conversion produces, so a document whose
// aliases expand exponentially stops early.
class Converter {
 public:
  Converter(std::string_view file, const ComposeOptions& opts) : file_(file), opts_(opts) {}

  Result<ComposeNode> Convert(const YAML::Node& n, int depth) {
    if (++count_ > opts_.max_nodes) {
      return InputError("{}: more than {} YAML nodes after alias expansion (an alias bomb?)", file_, opts_.max_nodes);
    }
    if (depth > 256) return InputError("{}: YAML nested deeper than 256 levels", file_);
    ComposeNode out;
    out.file = file_;
    const YAML::Mark m = n.Mark();
    out.line = m.line >= 0 ? m.line + 1 : 0;
    out.column = m.column >= 0 ? m.column + 1 : 0;
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return out;
      case YAML::NodeType::Scalar: {
        out.kind = ComposeNode::Kind::kScalar;
        auto v = InterpolateCompose(n.Scalar(), opts_.env);
        if (!v.ok()) return v.error().Wrap(fmt::format("{}:{}", file_, out.line));
        out.scalar = std::move(*v);
        return out;
      }
      case YAML::NodeType::Sequence:
        out.kind = ComposeNode::Kind::kSeq;
        for (const auto& e : n) {
          ASSIGN_OR_RETURN(ComposeNode c, Convert(e, depth + 1));
          out.seq.push_back(std::move(c));
        }
        return out;
      case YAML::NodeType::Map: {
        out.kind = ComposeNode::Kind::kMap;
        std::vector<ComposeNode> merges;
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) return InputError("{}:{}: a map key that is not a string", file_, out.line);
          const std::string& key = kv.first.Scalar();
          ASSIGN_OR_RETURN(ComposeNode c, Convert(kv.second, depth + 1));
          if (key == "<<" && kv.first.Tag() != "tag:yaml.org,2002:str") {
            merges.push_back(std::move(c));
            continue;
          }
          out.map.push_back(ComposeEntry{key, std::move(c)});
        }
        // Merge keys: earlier sources win, explicit keys win over all.
        for (ComposeNode& src : merges) {
          std::vector<ComposeNode*> maps;
          if (src.IsMap()) maps.push_back(&src);
          if (src.IsSeq()) {
            for (auto& e : src.seq) {
              if (e.IsMap()) maps.push_back(&e);
            }
          }
          if (maps.empty() && src.kind != ComposeNode::Kind::kNull) {
            return InputError("{}:{}: merge key << wants a map or a list of maps", file_, src.line);
          }
          for (ComposeNode* mp : maps) {
            for (auto& [k, v] : mp->map) {
              if (!out.Get(k)) out.map.push_back(ComposeEntry{k, v});
            }
          }
        }
        return out;
      }
    }
    return out;
  }

 private:
  std::string file_;
  const ComposeOptions& opts_;
  size_t count_ = 0;
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Keys whose sequences compose appends (unique) when merging files.
bool AppendsOnMerge(std::string_view key) {
  static const std::set<std::string, std::less<>> k = {
      "ports",        "expose",         "cap_add",  "cap_drop", "dns",          "dns_search", "dns_opt",
      "security_opt", "external_links", "tmpfs",    "devices",  "secrets",      "configs",    "env_file",
      "extra_hosts",  "group_add",      "profiles", "links",    "volumes_from", "networks",   "device_cgroup_rules"};
  return k.contains(key);
}

// A stable identity for a sequence entry, for de-duplicating on merge.
std::string EntryKey(const ComposeNode& n, std::string_view parent) {
  if (n.IsScalar()) {
    if (parent == "volumes") {
      // "src:/target:ro" → by target.
      std::string s = n.scalar;
      size_t c1 = s.find(':');
      if (c1 == std::string::npos) return s;
      size_t c2 = s.find(':', c1 + 1);
      return s.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
    }
    return n.scalar;
  }
  if (n.IsMap()) {
    for (std::string_view k : {"target", "source", "published"}) {
      if (const ComposeNode* v = n.Get(k); v && v->IsScalar()) return std::string(k) + "=" + v->scalar;
    }
  }
  return {};
}

// environment / labels as a list of "K=V" → a map.
void NormalizeKeyValueList(ComposeNode& n) {
  if (!n.IsSeq()) return;
  ComposeNode m;
  m.kind = ComposeNode::Kind::kMap;
  m.file = n.file;
  m.line = n.line;
  m.column = n.column;
  for (ComposeNode& e : n.seq) {
    if (!e.IsScalar()) continue;
    size_t eq = e.scalar.find('=');
    ComposeNode v = e;
    std::string key = e.scalar.substr(0, eq);
    if (eq == std::string::npos) {
      v.kind = ComposeNode::Kind::kNull;
      v.scalar.clear();
    } else {
      v.scalar = e.scalar.substr(eq + 1);
    }
    m.map.push_back(ComposeEntry{std::move(key), std::move(v)});
  }
  n = std::move(m);
}

void NormalizeService(ComposeNode& svc) {
  if (!svc.IsMap()) return;
  for (auto& [k, v] : svc.map) {
    if (k == "environment" || k == "labels") NormalizeKeyValueList(v);
  }
}

Result<std::string> ReadSmallFile(const std::string& path, size_t max) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return InputError("{}: is a directory, not a compose file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError("{}: cannot open: {}", path, std::strerror(errno));
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > max) return InputError("{}: larger than {} MiB", path, max >> 20);
  }
  return data;
}

Status ResolveService(ComposeNode& services, const std::string& name, const std::string& dir,
                      const ComposeOptions& opts, int depth, std::set<std::string>& done) {
  if (done.contains(name)) return Ok();
  ComposeNode* svc = services.GetMutable(name);
  if (!svc || !svc->IsMap()) return Ok();
  const ComposeNode* ext = svc->Get("extends");
  if (!ext) {
    done.insert(name);
    return Ok();
  }
  if (depth > 16) return InputError("{}:{}: extends chain deeper than 16 (a cycle?)", svc->file, ext->line);
  std::string base_name, base_file;
  if (ext->IsScalar()) {
    base_name = ext->scalar;
  } else if (ext->IsMap()) {
    if (const ComposeNode* s = ext->Get("service")) base_name = s->scalar;
    if (const ComposeNode* f = ext->Get("file")) base_file = f->scalar;
  }
  if (base_name.empty()) return InputError("{}:{}: extends without a service", svc->file, ext->line);
  ComposeNode base;
  if (base_file.empty()) {
    if (base_name == name) return InputError("{}:{}: service {} extends itself", svc->file, ext->line, name);
    RETURN_IF_ERROR(ResolveService(services, base_name, dir, opts, depth + 1, done));
    const ComposeNode* b = services.Get(base_name);
    if (!b) return InputError("{}:{}: extends names unknown service {}", svc->file, ext->line, base_name);
    base = *b;
    svc = services.GetMutable(name);  // the vector may not move, but stay safe
  } else {
    namespace fs = std::filesystem;
    std::string path = fs::path(base_file).is_absolute() ? base_file : (fs::path(dir) / base_file).string();
    ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, opts.max_bytes));
    ASSIGN_OR_RETURN(ComposeNode other, ParseComposeYaml(text, path, opts));
    ComposeNode* other_services = other.GetMutable("services");
    if (!other_services) return InputError("{}: no services (extends from {})", path, svc->file);
    std::set<std::string> other_done;
    RETURN_IF_ERROR(
        ResolveService(*other_services, base_name, fs::path(path).parent_path().string(), opts, depth + 1, other_done));
    const ComposeNode* b = other_services->Get(base_name);
    if (!b) return InputError("{}:{}: extends names unknown service {} in {}", svc->file, ext->line, base_name, path);
    base = *b;
  }
  ComposeNode merged = base;
  NormalizeService(merged);
  ComposeNode own = *svc;
  std::erase_if(own.map, [](const auto& kv) { return kv.first == "extends"; });
  NormalizeService(own);
  MergeComposeNode(merged, own, "services." + name);
  merged.line = svc->line;
  merged.column = svc->column;
  merged.file = svc->file;
  *svc = std::move(merged);
  done.insert(name);
  return Ok();
}

}  // namespace

const ComposeNode* ComposeNode::Get(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : map) {
    if (k == key) return &v;
  }
  return nullptr;
}

ComposeNode* ComposeNode::GetMutable(std::string_view key) {
  return const_cast<ComposeNode*>(static_cast<const ComposeNode*>(this)->Get(key));
}

Result<std::string> InterpolateCompose(std::string_view s, const std::map<std::string, std::string>& env) {
  if (s.find('$') == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '$' || i + 1 >= s.size()) {
      out.push_back(c);
      continue;
    }
    char n = s[i + 1];
    if (n == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    if (IsNameStart(n)) {
      size_t j = i + 1;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      auto it = env.find(std::string(s.substr(i + 1, j - i - 1)));
      if (it != env.end()) out += it->second;
      i = j - 1;
      continue;
    }
    if (n != '{') {
      out.push_back(c);
      continue;
    }
    // ${…} with nesting in the default ("${A:-${B}}").
    size_t j = i + 2;
    int level = 1;
    for (; j < s.size(); ++j) {
      if (s[j] == '{') ++level;
      if (s[j] == '}' && --level == 0) break;
    }
    if (j >= s.size()) return InputError("invalid interpolation format for {:?}: missing }}", std::string(s));
    std::string_view body = s.substr(i + 2, j - i - 2);
    size_t k = 0;
    while (k < body.size() && IsNameChar(body[k])) ++k;
    if (k == 0) return InputError("invalid interpolation format for {:?}", std::string(s));
    std::string name(body.substr(0, k));
    std::string_view op = body.substr(k);
    auto it = env.find(name);
    const bool set = it != env.end();
    const bool nonempty = set && !it->second.empty();
    if (op.empty()) {
      if (set) out += it->second;
    } else {
      const bool colon = op.front() == ':';
      if (colon) op.remove_prefix(1);
      if (op.empty()) return InputError("invalid interpolation format for {:?}", std::string(s));
      const char kind = op.front();
      ASSIGN_OR_RETURN(std::string word, InterpolateCompose(op.substr(1), env));
      const bool present = colon ? nonempty : set;
      if (kind == '-') {
        out += present ? it->second : word;
      } else if (kind == '+') {
        if (present) out += word;
      } else if (kind == '?') {
        if (!present) return InputError("required variable {} is missing a value: {}", name, word);
        out += it->second;
      } else {
        return InputError("invalid interpolation format for {:?}", std::string(s));
      }
    }
    i = j;
  }
  return out;
}

std::map<std::string, std::string> ParseDotEnv(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.starts_with("export ")) t = Trim(t.substr(7));
    size_t eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string key = Trim(t.substr(0, eq));
    std::string value = Trim(t.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (size_t hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));
    }
    if (!key.empty()) out[key] = value;
  }
  return out;
}

Result<ComposeNode> ParseComposeYaml(std::string_view text, std::string_view file, const ComposeOptions& opts) {
  if (text.size() > opts.max_bytes) return InputError("{}: larger than {} MiB", file, opts.max_bytes >> 20);
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return InputError("{}: NUL byte at offset {}: not a YAML file", file, nul);
  }
  // Flow collections nested deeper than the converter allows would recurse
  // in yaml-cpp first; refuse them before parsing.
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '{') {
      if (++depth > 256) return InputError("{}: YAML nested deeper than 256 levels", file);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return InputError("{}:{}:{}: invalid YAML: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  } catch (const std::exception& e) {
    return InputError("{}: invalid YAML: {}", file, e.what());
  }
  if (!doc.IsMap()) return InputError("{}: a compose file must be a YAML map at the top level", file);
  Converter conv(file, opts);
  try {
    ASSIGN_OR_RETURN(ComposeNode root, conv.Convert(doc, 0));
    if (ComposeNode* services = root.GetMutable("services")) {
      if (services->kind == ComposeNode::Kind::kNull) services->kind = ComposeNode::Kind::kMap;
      if (!services->IsMap()) return InputError("{}:{}: services must be a map", file, services->line);
      for (auto& [name, svc] : services->map) {
        if (svc.kind == ComposeNode::Kind::kNull) svc.kind = ComposeNode::Kind::kMap;
        if (!svc.IsMap()) return InputError("{}:{}: service {} must be a map", file, svc.line, name);
        NormalizeService(svc);
      }
    }
    return root;
  } catch (const std::exception& e) {
    return InputError("{}: invalid YAML: {}", file, e.what());
  }
}

void MergeComposeNode(ComposeNode& base, const ComposeNode& over, const std::string& path) {
  if (base.IsMap() && over.IsMap()) {
    for (const auto& [k, v] : over.map) {
      ComposeNode* b = base.GetMutable(k);
      if (b) {
        MergeComposeNode(*b, v, path.empty() ? k : path + "." + k);
      } else {
        base.map.push_back(ComposeEntry{k, v});
      }
    }
    return;
  }
  const std::string_view key =
      std::string_view(path).substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  const bool in_service = path.starts_with("services.") && std::count(path.begin(), path.end(), '.') == 2;
  if (base.IsSeq() && over.IsSeq() && in_service && (AppendsOnMerge(key) || key == "volumes")) {
    for (const ComposeNode& e : over.seq) {
      const std::string id = EntryKey(e, key);
      bool replaced = false;
      for (ComposeNode& b : base.seq) {
        if (!id.empty() && EntryKey(b, key) == id) {
          b = e;
          replaced = true;
          break;
        }
      }
      if (!replaced) base.seq.push_back(e);
    }
    return;
  }
  base = over;
}

Status ResolveExtends(ComposeNode& root, const std::string& dir, const ComposeOptions& opts) {
  ComposeNode* services = root.GetMutable("services");
  if (!services || !services->IsMap()) return Ok();
  std::set<std::string> done;
  std::vector<std::string> names;
  // Only services with `extends` need work (and name lookups).
  for (const auto& [k, v] : services->map) {
    if (v.Get("extends")) names.push_back(k);
  }
  for (const std::string& n : names) RETURN_IF_ERROR(ResolveService(*services, n, dir, opts, 0, done));
  return Ok();
}

Result<ComposeProject> LoadCompose(const std::vector<std::string>& files, ComposeOptions opts) {
  namespace fs = std::filesystem;
  if (files.empty()) return UsageError("compose: no files given");
  ComposeProject project;
  project.files = files;
  const std::string dir = fs::path(files.front()).parent_path().string();
  if (opts.use_dotenv) {
    const std::string dotenv = (fs::path(dir.empty() ? "." : dir) / ".env").string();
    std::error_code ec;
    if (fs::is_regular_file(dotenv, ec)) {
      ASSIGN_OR_RETURN(std::string text, ReadSmallFile(dotenv, 1u << 20));
      for (auto& [k, v] : ParseDotEnv(text)) opts.env.try_emplace(k, v);
    }
  }
  if (opts.use_process_env) {
    for (char** e = environ; e && *e; ++e) {
      std::string_view kv(*e);
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      opts.env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
    }
  }
  bool first = true;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::string text, ReadSmallFile(f, opts.max_bytes));
    ASSIGN_OR_RETURN(ComposeNode root, ParseComposeYaml(text, f, opts));
    RETURN_IF_ERROR(ResolveExtends(root, fs::path(f).parent_path().string(), opts));
    if (first) {
      project.root = std::move(root);
      first = false;
    } else {
      MergeComposeNode(project.root, root, "");
    }
  }
  return project;
}

}  // namespace drydock
