// VEX documents (--vex FILE): OpenVEX 0.2 and CycloneDX 1.4–1.6
// (vulnerabilities[].analysis). Each statement becomes claims — one per
// product it names — indexed by vulnerability id and package identity, so
// matching a finding costs a few hash lookups whatever the documents hold.
#include <simdjson.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/path.h"
#include "policy/internal.h"

namespace drydock::policy {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// OpenVEX 0.2 justifications, and CycloneDX's analysis.justification.
const std::set<std::string_view> kOpenVexJustifications = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};
const std::set<std::string_view> kCdxJustifications = {
    "code_not_present",     "code_not_reachable",     "requires_configuration",
    "requires_dependency",  "requires_environment",   "protected_by_compiler",
    "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control"};

std::optional<element> Field(object o, std::string_view key) {
  element v;
  if (o.at_key(key).get(v) || v.is_null()) return std::nullopt;
  return v;
}

// Where an element is, for error messages: a chain of views on the stack,
// rendered ("v.json: statements[3].products[0]") only when an error or a
// statement's source needs the text.
class Where {
 public:
  explicit Where(std::string_view document) : name_(document) {}
  Where(const Where& parent, std::string_view key, int index = -1) : parent_(&parent), name_(key), index_(index) {}
  std::string str() const {
    if (parent_ == nullptr) return std::string(name_);
    std::string out = parent_->str();
    out += parent_->parent_ == nullptr ? ": " : ".";
    out += name_;
    if (index_ >= 0) out += fmt::format("[{}]", index_);
    return out;
  }

 private:
  const Where* parent_ = nullptr;
  std::string_view name_;
  int index_ = -1;
};

Result<std::string> Str(object o, std::string_view key, const Where& w) {
  auto v = Field(o, key);
  if (!v) return std::string();
  std::string_view s;
  if (v->get_string().get(s)) return InputError("{}: want a string", Where(w, key).str());
  return std::string(s);
}

Result<std::optional<object>> Obj(object o, std::string_view key, const Where& w) {
  auto v = Field(o, key);
  if (!v) return std::optional<object>();
  object out;
  if (v->get_object().get(out)) return InputError("{}: want an object", Where(w, key).str());
  return std::optional<object>(out);
}

Result<std::optional<array>> Arr(object o, std::string_view key, const Where& w) {
  auto v = Field(o, key);
  if (!v) return std::optional<array>();
  array out;
  if (v->get_array().get(out)) return InputError("{}: want an array", Where(w, key).str());
  return std::optional<array>(out);
}

Result<object> AsObject(element e, const Where& w) {
  object o;
  if (e.get_object().get(o)) return InputError("{}: want an object", w.str());
  return o;
}

Result<std::optional<Instant>> Time(object o, std::string_view key, const Where& w) {
  ASSIGN_OR_RETURN(std::string s, Str(o, key, w));
  if (s.empty()) return std::optional<Instant>();
  auto t = ParseRfc3339(s);
  if (!t) return InputError("{}: {:?} is not an RFC 3339 date-time", Where(w, key).str(), Printable(s, 60));
  return t;
}

std::optional<Instant> FirstOf(std::initializer_list<std::optional<Instant>> times) {
  for (const auto& t : times) {
    if (t) return t;
  }
  return std::nullopt;
}

bool IsImageType(std::string_view type) { return type == "oci" || type == "docker"; }

std::string DecodeFragment(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

class Builder {
 public:
  // Appends to `set`; `document` is the document's position among the
  // --vex files.
  Builder(VexSet& set, std::string_view name, int document)
      : set_(set), name_(Printable(name)), root_(name_), document_(document) {}

  Status Document(element e) {
    object doc;
    if (e.get_object().get(doc)) return InputError("{}: want a JSON object", name_);
    ASSIGN_OR_RETURN(std::string context, Str(doc, "@context", root_));
    ASSIGN_OR_RETURN(std::string bom_format, Str(doc, "bomFormat", root_));
    if (context.starts_with("https://openvex.dev/ns")) {
      if (context != "https://openvex.dev/ns" && context != "https://openvex.dev/ns/v0.2.0") {
        return InputError("{}: OpenVEX {:?} is not supported (want https://openvex.dev/ns/v0.2.0)", name_,
                          Printable(context, 80));
      }
      return OpenVex(doc);
    }
    if (bom_format == "CycloneDX") return CycloneDx(doc);
    if (Field(doc, "document") && Field(doc, "vulnerabilities")) {
      return InputError("{}: a CSAF document; drydock reads OpenVEX 0.2 and CycloneDX VEX", name_);
    }
    return InputError("{}: neither OpenVEX (@context https://openvex.dev/ns/v0.2.0) nor CycloneDX (bomFormat)", name_);
  }

 private:
  // ---- OpenVEX ----

  Status OpenVex(object doc) {
    ASSIGN_OR_RETURN(auto doc_time, Time(doc, "timestamp", root_));
    ASSIGN_OR_RETURN(auto doc_updated, Time(doc, "last_updated", root_));
    ASSIGN_OR_RETURN(auto statements, Arr(doc, "statements", root_));
    if (!statements) return InputError("{}: OpenVEX without statements", name_);
    set_.statements.reserve(set_.statements.size() + statements->size());
    set_.claims.reserve(set_.claims.size() + statements->size());
    int i = 0;
    for (element e : *statements) {
      const Where w(root_, "statements", i);
      ASSIGN_OR_RETURN(object s, AsObject(e, w));
      RETURN_IF_ERROR(OpenVexStatement(s, w, i++, FirstOf({doc_time, doc_updated})));
    }
    return Ok();
  }

  Status OpenVexStatement(object s, const Where& w, int order, std::optional<Instant> doc_time) {
    VexStatement st;
    st.document = document_;
    st.order = order;
    st.source = w.str();
    ASSIGN_OR_RETURN(auto vuln, Obj(s, "vulnerability", w));
    if (!vuln) return InputError("{}: no vulnerability", st.source);
    const Where vw(w, "vulnerability");
    ASSIGN_OR_RETURN(std::string vname, Str(*vuln, "name", vw));
    if (vname.empty()) return InputError("{}: no name", vw.str());
    st.vulns.push_back(std::move(vname));
    ASSIGN_OR_RETURN(auto aliases, Arr(*vuln, "aliases", vw));
    if (aliases) {
      for (element a : *aliases) {
        std::string_view alias;
        if (a.get_string().get(alias)) return InputError("{}: want strings", Where(vw, "aliases").str());
        if (st.vulns.size() > kMaxVexAliases) {
          return InputError("{}: more than {} aliases", Where(vw, "aliases").str(), kMaxVexAliases);
        }
        st.vulns.emplace_back(alias);
      }
    }
    ASSIGN_OR_RETURN(std::string status, Str(s, "status", w));
    if (status == "not_affected") {
      st.status = VexStatus::kNotAffected;
    } else if (status == "fixed") {
      st.status = VexStatus::kFixed;
    } else if (status == "under_investigation") {
      st.status = VexStatus::kUnderInvestigation;
    } else if (status == "affected") {
      st.status = VexStatus::kAffected;
    } else {
      return InputError("{}: status {:?} (want not_affected, affected, fixed or under_investigation)", st.source,
                        Printable(status, 40));
    }
    ASSIGN_OR_RETURN(st.justification, Str(s, "justification", w));
    if (!st.justification.empty() && !kOpenVexJustifications.count(st.justification)) {
      return InputError("{}: justification {:?} is not one of OpenVEX's", st.source, Printable(st.justification, 60));
    }
    ASSIGN_OR_RETURN(std::string impact, Str(s, "impact_statement", w));
    ASSIGN_OR_RETURN(std::string notes, Str(s, "status_notes", w));
    ASSIGN_OR_RETURN(std::string action, Str(s, "action_statement", w));
    if (st.status == VexStatus::kNotAffected && st.justification.empty() && impact.empty()) {
      return InputError("{}: not_affected needs a justification or an impact_statement", st.source);
    }
    st.reason = !impact.empty() ? impact : !notes.empty() ? notes : action;
    ASSIGN_OR_RETURN(auto t, Time(s, "timestamp", w));
    ASSIGN_OR_RETURN(auto u, Time(s, "last_updated", w));
    st.time = FirstOf({t, u, doc_time});
    const size_t index = set_.statements.size();
    set_.statements.push_back(std::move(st));

    ASSIGN_OR_RETURN(auto products, Arr(s, "products", w));
    if (!products) return Ok();
    // Refused before anything is parsed when the count alone is too many.
    if (set_.claims.size() + products->size() > kMaxVexClaims) return TooMany(Where(w, "products"));
    int p = 0;
    for (element pe : *products) {
      const Where pw(w, "products", p++);
      ASSIGN_OR_RETURN(object po, AsObject(pe, pw));
      ASSIGN_OR_RETURN(std::optional<Purl> product, ComponentPurl(po, pw));
      ASSIGN_OR_RETURN(auto subs, Arr(po, "subcomponents", pw));
      std::vector<Purl> sub_purls;
      if (subs) {
        int k = 0;
        for (element se : *subs) {
          const Where sw(pw, "subcomponents", k++);
          ASSIGN_OR_RETURN(object so, AsObject(se, sw));
          ASSIGN_OR_RETURN(std::optional<Purl> sp, ComponentPurl(so, sw));
          if (sp) sub_purls.push_back(std::move(*sp));
        }
      }
      // A product drydock cannot identify (no purl) cannot be matched.
      if (!product) continue;
      if (sub_purls.empty()) {
        VexClaim c;
        c.statement = index;
        if (IsImageType(product->type)) {
          c.target = VexClaim::Target::kAnyPackage;
          c.scope = AddScope(std::move(*product));
        } else {
          c.purl = std::move(*product);
        }
        RETURN_IF_ERROR(AddClaim(std::move(c), pw));
        continue;
      }
      const int scope = AddScope(std::move(*product));
      for (Purl& sp : sub_purls) {
        VexClaim c;
        c.statement = index;
        c.purl = std::move(sp);
        c.scope = scope;
        RETURN_IF_ERROR(AddClaim(std::move(c), pw));
      }
    }
    return Ok();
  }

  // identifiers.purl, else an @id that is a purl; nullopt when neither.
  Result<std::optional<Purl>> ComponentPurl(object o, const Where& w) {
    ASSIGN_OR_RETURN(auto ids, Obj(o, "identifiers", w));
    std::string text;
    if (ids) {
      ASSIGN_OR_RETURN(text, Str(*ids, "purl", Where(w, "identifiers")));
    }
    if (text.empty()) {
      ASSIGN_OR_RETURN(std::string id, Str(o, "@id", w));
      if (id.size() >= 4 && (id.compare(0, 4, "pkg:") == 0)) text = std::move(id);
    }
    if (text.empty()) return std::optional<Purl>();
    auto p = ParsePurl(text);
    if (!p.ok()) return InputError("{}: {}", w.str(), p.error().message);
    return std::optional<Purl>(std::move(*p));
  }

  // ---- CycloneDX ----

  Status CycloneDx(object doc) {
    ASSIGN_OR_RETURN(std::string spec, Str(doc, "specVersion", root_));
    if (spec != "1.4" && spec != "1.5" && spec != "1.6") {
      return InputError("{}: CycloneDX specVersion {:?} (want 1.4, 1.5 or 1.6)", name_, Printable(spec, 20));
    }
    ASSIGN_OR_RETURN(auto metadata, Obj(doc, "metadata", root_));
    std::optional<Instant> doc_time;
    if (metadata) {
      const Where mw(root_, "metadata");
      ASSIGN_OR_RETURN(doc_time, Time(*metadata, "timestamp", mw));
      ASSIGN_OR_RETURN(auto mc, Obj(*metadata, "component", mw));
      if (mc) RETURN_IF_ERROR(Components(*mc, Where(mw, "component").str()));
    }
    ASSIGN_OR_RETURN(auto components, Arr(doc, "components", root_));
    if (components) {
      int i = 0;
      for (element c : *components) {
        const Where cw(root_, "components", i++);
        ASSIGN_OR_RETURN(object co, AsObject(c, cw));
        RETURN_IF_ERROR(Components(co, cw.str()));
      }
    }
    ASSIGN_OR_RETURN(auto vulns, Arr(doc, "vulnerabilities", root_));
    if (!vulns) return Ok();
    set_.statements.reserve(set_.statements.size() + vulns->size());
    int i = 0;
    for (element v : *vulns) {
      const Where w(root_, "vulnerabilities", i);
      ASSIGN_OR_RETURN(object vo, AsObject(v, w));
      RETURN_IF_ERROR(CdxVulnerability(vo, w, i++, doc_time));
    }
    return Ok();
  }

  // Records bom-ref -> purl for a component and the components nested in
  // it (an explicit stack: nesting depth is the document's to choose).
  Status Components(object root, std::string where) {
    std::vector<std::pair<object, std::string>> stack;
    stack.emplace_back(root, std::move(where));
    while (!stack.empty()) {
      auto [o, path] = std::move(stack.back());
      stack.pop_back();
      const Where w(path);
      ASSIGN_OR_RETURN(std::string ref, Str(o, "bom-ref", w));
      ASSIGN_OR_RETURN(std::string purl, Str(o, "purl", w));
      if (!ref.empty() && !purl.empty()) {
        auto p = ParsePurl(purl);
        if (!p.ok()) return InputError("{}.purl: {}", path, p.error().message);
        refs_.emplace(std::move(ref), std::move(*p));
      }
      ASSIGN_OR_RETURN(auto nested, Arr(o, "components", w));
      if (!nested) continue;
      int k = 0;
      for (element c : *nested) {
        std::string cw = fmt::format("{}.components[{}]", path, k++);
        object co;
        if (c.get_object().get(co)) return InputError("{}: want an object", cw);
        stack.emplace_back(co, std::move(cw));
      }
    }
    return Ok();
  }

  Status CdxVulnerability(object v, const Where& w, int order, std::optional<Instant> doc_time) {
    VexStatement st;
    st.document = document_;
    st.order = order;
    st.source = w.str();
    ASSIGN_OR_RETURN(std::string id, Str(v, "id", w));
    if (id.empty()) return InputError("{}: no id", st.source);
    st.vulns.push_back(std::move(id));
    ASSIGN_OR_RETURN(auto refs, Arr(v, "references", w));
    if (refs) {
      int k = 0;
      for (element r : *refs) {
        const Where rw(w, "references", k++);
        ASSIGN_OR_RETURN(object ro, AsObject(r, rw));
        ASSIGN_OR_RETURN(std::string alias, Str(ro, "id", rw));
        if (alias.empty()) continue;
        if (st.vulns.size() > kMaxVexAliases) {
          return InputError("{}: more than {} aliases", Where(w, "references").str(), kMaxVexAliases);
        }
        st.vulns.push_back(std::move(alias));
      }
    }
    ASSIGN_OR_RETURN(auto analysis, Obj(v, "analysis", w));
    if (!analysis) return Ok();  // a vulnerability without analysis states nothing
    const Where aw(w, "analysis");
    ASSIGN_OR_RETURN(std::string state, Str(*analysis, "state", aw));
    if (state.empty()) return Ok();
    if (state == "not_affected" || state == "false_positive") {
      st.status = VexStatus::kNotAffected;
    } else if (state == "resolved" || state == "resolved_with_pedigree") {
      st.status = VexStatus::kFixed;
    } else if (state == "in_triage") {
      st.status = VexStatus::kUnderInvestigation;
    } else if (state == "exploitable") {
      st.status = VexStatus::kAffected;
    } else {
      return InputError(
          "{} {:?} (want resolved, resolved_with_pedigree, exploitable, in_triage, false_positive or "
          "not_affected)",
          Where(aw, "state").str(), Printable(state, 40));
    }
    ASSIGN_OR_RETURN(st.justification, Str(*analysis, "justification", aw));
    if (!st.justification.empty() && !kCdxJustifications.count(st.justification)) {
      return InputError("{} {:?} is not one of CycloneDX's", Where(aw, "justification").str(),
                        Printable(st.justification, 60));
    }
    if (state == "false_positive" && st.justification.empty()) st.justification = "false_positive";
    ASSIGN_OR_RETURN(st.reason, Str(*analysis, "detail", aw));
    ASSIGN_OR_RETURN(auto last, Time(*analysis, "lastUpdated", aw));
    ASSIGN_OR_RETURN(auto first, Time(*analysis, "firstIssued", aw));
    ASSIGN_OR_RETURN(auto updated, Time(v, "updated", w));
    ASSIGN_OR_RETURN(auto published, Time(v, "published", w));
    st.time = FirstOf({last, first, updated, published, doc_time});
    const size_t index = set_.statements.size();
    set_.statements.push_back(std::move(st));

    ASSIGN_OR_RETURN(auto affects, Arr(v, "affects", w));
    if (!affects) return Ok();
    if (set_.claims.size() + affects->size() > kMaxVexClaims) return TooMany(Where(w, "affects"));
    int k = 0;
    for (element a : *affects) {
      const Where fw(w, "affects", k++);
      ASSIGN_OR_RETURN(object ao, AsObject(a, fw));
      ASSIGN_OR_RETURN(std::string ref, Str(ao, "ref", fw));
      if (ref.empty()) return InputError("{}: no ref", fw.str());
      RETURN_IF_ERROR(CdxAffects(ao, std::move(ref), index, fw));
    }
    return Ok();
  }

  Status CdxAffects(object a, std::string ref, size_t statement, const Where& w) {
    // A BOM-Link (urn:cdx:SERIAL/VERSION#bom-ref) names a component of
    // another BOM: its fragment is the bom-ref.
    if (ref.starts_with("urn:cdx:")) {
      const size_t hash = ref.find('#');
      if (hash == std::string::npos) {
        return InputError("{}: a BOM-Link to a whole BOM names no component", Where(w, "ref").str());
      }
      ref = DecodeFragment(std::string_view(ref).substr(hash + 1));
    }
    VexClaim base;
    base.statement = statement;
    if (auto it = refs_.find(ref); it != refs_.end()) {
      base.purl = it->second;
    } else if (ref.starts_with("pkg:")) {
      auto p = ParsePurl(ref);
      if (!p.ok()) return InputError("{}: {}", Where(w, "ref").str(), p.error().message);
      base.purl = std::move(*p);
    } else {
      base.target = VexClaim::Target::kRef;
      base.ref = std::move(ref);
    }
    if (base.target == VexClaim::Target::kPurl && IsImageType(base.purl.type)) {
      base.target = VexClaim::Target::kAnyPackage;
      base.scope = AddScope(std::move(base.purl));
      base.purl = Purl{};
    }
    ASSIGN_OR_RETURN(auto versions, Arr(a, "versions", w));
    if (!versions) return AddClaim(std::move(base), w);
    // Listed versions narrow the statement to them; ranges (vers) are not
    // evaluated, so a statement with only ranges applies to nothing.
    int k = 0;
    bool ranges = false;
    for (element ve : *versions) {
      const Where vw(w, "versions", k++);
      ASSIGN_OR_RETURN(object vo, AsObject(ve, vw));
      ASSIGN_OR_RETURN(std::string version, Str(vo, "version", vw));
      if (version.empty()) {
        ranges = true;
        continue;
      }
      VexClaim c = base;
      if (c.target == VexClaim::Target::kPurl) {
        if (!c.purl.version.empty() && c.purl.version != version) continue;
        c.purl.version = std::move(version);
      } else if (c.target == VexClaim::Target::kRef) {
        c.version = std::move(version);
      }
      RETURN_IF_ERROR(AddClaim(std::move(c), w));
    }
    if (ranges && !warned_ranges_) {
      set_.warnings.push_back(
          fmt::format("{}: version ranges are not evaluated; the statement applies only to the versions it lists",
                      Where(w, "versions").str()));
      warned_ranges_ = true;
    }
    return Ok();
  }

  // ---- common ----

  int AddScope(Purl p) {
    set_.scopes.push_back(std::move(p));
    return static_cast<int>(set_.scopes.size()) - 1;
  }

  Error TooMany(const Where& w) const {
    return InputError("{}: more than {} product statements over all VEX documents", w.str(), kMaxVexClaims);
  }

  // Each claim is indexed under every name of its vulnerability: both the
  // claims and those index entries are bounded over all documents.
  Status AddClaim(VexClaim c, const Where& w) {
    if (set_.claims.size() >= kMaxVexClaims) return TooMany(w);
    set_.indexed += set_.statements[c.statement].vulns.size();
    if (set_.indexed > kMaxVexIndexed) {
      return InputError("{}: more than {} (vulnerability name, product) pairs over all VEX documents", w.str(),
                        kMaxVexIndexed);
    }
    set_.claims.push_back(std::move(c));
    return Ok();
  }

  VexSet& set_;
  std::string name_;
  Where root_;
  int document_ = 0;
  std::unordered_map<std::string, Purl> refs_;  // CycloneDX bom-ref -> purl
  bool warned_ranges_ = false;
};

}  // namespace

std::string_view VexStatusName(VexStatus s) {
  switch (s) {
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
    case VexStatus::kAffected:
      break;
  }
  return "affected";
}

Status AddVexDocument(VexSet& set, std::string_view text, std::string_view name) {
  const std::string shown = Printable(name);
  if (text.size() > kMaxVexFileBytes) {
    return InputError("{}: larger than {} MiB (the VEX size limit)", shown, kMaxVexFileBytes >> 20);
  }
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(text.data(), text.size(), true).get(root); err) {
    return InputError("{}: invalid JSON: {}", shown, simdjson::error_message(err));
  }
  // Built in place; a document that fails is taken out again, leaving `set`
  // as it was.
  const size_t statements = set.statements.size(), claims = set.claims.size(), scopes = set.scopes.size(),
               warnings = set.warnings.size(), indexed = set.indexed;
  Builder b(set, name, static_cast<int>(set.names.size()));
  if (Status s = b.Document(root); !s.ok()) {
    set.statements.resize(statements);
    set.claims.resize(claims);
    set.scopes.resize(scopes);
    set.warnings.resize(warnings);
    set.indexed = indexed;
    return s;
  }
  for (size_t i = statements; i < set.statements.size(); ++i) {
    std::vector<std::string>& v = set.statements[i].vulns;
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  set.names.push_back(std::string(name));
  return Ok();
}

std::string ClaimKey(std::string_view vuln, char kind, std::string_view target) {
  std::string key;
  key.reserve(vuln.size() + target.size() + 3);
  key.append(vuln).push_back('\x1f');
  key.push_back(kind);
  key.push_back('\x1f');
  key.append(target);
  return key;
}

void IndexVex(VexSet& set) {
  set.index.clear();
  set.index.reserve(set.claims.size());
  for (size_t i = 0; i < set.claims.size(); ++i) {
    const VexClaim& c = set.claims[i];
    for (const std::string& v : set.statements[c.statement].vulns) {
      switch (c.target) {
        case VexClaim::Target::kPurl:
          set.index[ClaimKey(v, 'p', c.purl.Identity())].push_back(i);
          break;
        case VexClaim::Target::kRef:
          set.index[ClaimKey(v, 'r', c.ref)].push_back(i);
          break;
        case VexClaim::Target::kAnyPackage:
          set.index[ClaimKey(v, '*', "")].push_back(i);
          break;
      }
    }
  }
}

}  // namespace drydock::policy
