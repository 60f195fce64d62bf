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

Result<std::string> Str(object o, std::string_view key, const std::string& where) {
  auto v = Field(o, key);
  if (!v) return std::string();
  std::string_view s;
  if (v->get_string().get(s)) return InputError("{}.{}: want a string", where, key);
  return std::string(s);
}

Result<std::optional<object>> Obj(object o, std::string_view key, const std::string& where) {
  auto v = Field(o, key);
  if (!v) return std::optional<object>();
  object out;
  if (v->get_object().get(out)) return InputError("{}.{}: want an object", where, key);
  return std::optional<object>(out);
}

Result<std::optional<array>> Arr(object o, std::string_view key, const std::string& where) {
  auto v = Field(o, key);
  if (!v) return std::optional<array>();
  array out;
  if (v->get_array().get(out)) return InputError("{}.{}: want an array", where, key);
  return std::optional<array>(out);
}

Result<std::optional<Instant>> Time(object o, std::string_view key, const std::string& where) {
  ASSIGN_OR_RETURN(std::string s, Str(o, key, where));
  if (s.empty()) return std::optional<Instant>();
  auto t = ParseRfc3339(s);
  if (!t) return InputError("{}.{}: {:?} is not an RFC 3339 date-time", where, key, Printable(s, 60));
  return t;
}

std::optional<Instant> FirstOf(std::initializer_list<std::optional<Instant>> times) {
  for (const auto& t : times) {
    if (t) return t;
  }
  return std::nullopt;
}

bool IsImageType(std::string_view type) { return type == "oci" || type == "docker"; }

class Builder {
 public:
  // `document` is the document's position among the --vex files; `earlier`
  // the claims the documents before it made (the limit is over all).
  Builder(VexSet& set, std::string_view name, int document, size_t earlier)
      : set_(set), name_(Printable(name)), document_(document), earlier_(earlier) {}

  Status Document(element root) {
    object doc;
    if (root.get_object().get(doc)) return InputError("{}: want a JSON object", name_);
    ASSIGN_OR_RETURN(std::string context, Str(doc, "@context", name_));
    ASSIGN_OR_RETURN(std::string bom_format, Str(doc, "bomFormat", name_));
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
    ASSIGN_OR_RETURN(auto doc_time, Time(doc, "timestamp", name_));
    ASSIGN_OR_RETURN(auto doc_updated, Time(doc, "last_updated", name_));
    ASSIGN_OR_RETURN(auto statements, Arr(doc, "statements", name_));
    if (!statements) return InputError("{}: OpenVEX without statements", name_);
    int i = 0;
    for (element e : *statements) {
      const std::string where = fmt::format("{}: statements[{}]", name_, i);
      object s;
      if (e.get_object().get(s)) return InputError("{}: want an object", where);
      RETURN_IF_ERROR(OpenVexStatement(s, where, i++, FirstOf({doc_time, doc_updated})));
    }
    return Ok();
  }

  Status OpenVexStatement(object s, const std::string& where, int order, std::optional<Instant> doc_time) {
    VexStatement st;
    st.document = document_;
    st.order = order;
    st.source = where;
    ASSIGN_OR_RETURN(auto vuln, Obj(s, "vulnerability", where));
    if (!vuln) return InputError("{}: no vulnerability", where);
    ASSIGN_OR_RETURN(std::string vname, Str(*vuln, "name", where + ".vulnerability"));
    if (vname.empty()) return InputError("{}.vulnerability: no name", where);
    st.vulns.push_back(vname);
    ASSIGN_OR_RETURN(auto aliases, Arr(*vuln, "aliases", where + ".vulnerability"));
    if (aliases) {
      for (element a : *aliases) {
        std::string_view alias;
        if (a.get_string().get(alias)) return InputError("{}.vulnerability.aliases: want strings", where);
        st.vulns.emplace_back(alias);
      }
    }
    ASSIGN_OR_RETURN(std::string status, Str(s, "status", where));
    if (status == "not_affected") {
      st.status = VexStatus::kNotAffected;
    } else if (status == "fixed") {
      st.status = VexStatus::kFixed;
    } else if (status == "under_investigation") {
      st.status = VexStatus::kUnderInvestigation;
    } else if (status == "affected") {
      st.status = VexStatus::kAffected;
    } else {
      return InputError("{}: status {:?} (want not_affected, affected, fixed or under_investigation)", where,
                        Printable(status, 40));
    }
    ASSIGN_OR_RETURN(st.justification, Str(s, "justification", where));
    if (!st.justification.empty() && !kOpenVexJustifications.count(st.justification)) {
      return InputError("{}: justification {:?} is not one of OpenVEX's", where, Printable(st.justification, 60));
    }
    ASSIGN_OR_RETURN(std::string impact, Str(s, "impact_statement", where));
    ASSIGN_OR_RETURN(std::string notes, Str(s, "status_notes", where));
    ASSIGN_OR_RETURN(std::string action, Str(s, "action_statement", where));
    if (st.status == VexStatus::kNotAffected && st.justification.empty() && impact.empty()) {
      return InputError("{}: not_affected needs a justification or an impact_statement", where);
    }
    st.reason = !impact.empty() ? impact : !notes.empty() ? notes : action;
    ASSIGN_OR_RETURN(auto t, Time(s, "timestamp", where));
    ASSIGN_OR_RETURN(auto u, Time(s, "last_updated", where));
    st.time = FirstOf({t, u, doc_time});
    const size_t index = set_.statements.size();
    set_.statements.push_back(std::move(st));

    ASSIGN_OR_RETURN(auto products, Arr(s, "products", where));
    if (!products) return Ok();
    int p = 0;
    for (element pe : *products) {
      const std::string pwhere = fmt::format("{}.products[{}]", where, p++);
      object po;
      if (pe.get_object().get(po)) return InputError("{}: want an object", pwhere);
      ASSIGN_OR_RETURN(std::optional<Purl> product, ComponentPurl(po, pwhere));
      ASSIGN_OR_RETURN(auto subs, Arr(po, "subcomponents", pwhere));
      std::vector<Purl> sub_purls;
      if (subs) {
        int k = 0;
        for (element se : *subs) {
          const std::string swhere = fmt::format("{}.subcomponents[{}]", pwhere, k++);
          object so;
          if (se.get_object().get(so)) return InputError("{}: want an object", swhere);
          ASSIGN_OR_RETURN(std::optional<Purl> sp, ComponentPurl(so, swhere));
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
        RETURN_IF_ERROR(AddClaim(std::move(c), pwhere));
        continue;
      }
      const int scope = AddScope(std::move(*product));
      for (Purl& sp : sub_purls) {
        VexClaim c;
        c.statement = index;
        c.purl = std::move(sp);
        c.scope = scope;
        RETURN_IF_ERROR(AddClaim(std::move(c), pwhere));
      }
    }
    return Ok();
  }

  // identifiers.purl, else an @id that is a purl; nullopt when neither.
  Result<std::optional<Purl>> ComponentPurl(object o, const std::string& where) {
    ASSIGN_OR_RETURN(auto ids, Obj(o, "identifiers", where));
    std::string text;
    if (ids) {
      ASSIGN_OR_RETURN(text, Str(*ids, "purl", where + ".identifiers"));
    }
    if (text.empty()) {
      ASSIGN_OR_RETURN(std::string id, Str(o, "@id", where));
      if (id.size() >= 4 && (id.compare(0, 4, "pkg:") == 0)) text = id;
    }
    if (text.empty()) return std::optional<Purl>();
    auto p = ParsePurl(text);
    if (!p.ok()) return InputError("{}: {}", where, p.error().message);
    return std::optional<Purl>(std::move(*p));
  }

  // ---- CycloneDX ----

  Status CycloneDx(object doc) {
    ASSIGN_OR_RETURN(std::string spec, Str(doc, "specVersion", name_));
    if (spec != "1.4" && spec != "1.5" && spec != "1.6") {
      return InputError("{}: CycloneDX specVersion {:?} (want 1.4, 1.5 or 1.6)", name_, Printable(spec, 20));
    }
    ASSIGN_OR_RETURN(auto metadata, Obj(doc, "metadata", name_));
    std::optional<Instant> doc_time;
    if (metadata) {
      ASSIGN_OR_RETURN(doc_time, Time(*metadata, "timestamp", name_ + ": metadata"));
      ASSIGN_OR_RETURN(auto mc, Obj(*metadata, "component", name_ + ": metadata"));
      if (mc) RETURN_IF_ERROR(Components(*mc, name_ + ": metadata.component"));
    }
    ASSIGN_OR_RETURN(auto components, Arr(doc, "components", name_));
    if (components) {
      int i = 0;
      for (element c : *components) {
        object co;
        const std::string where = fmt::format("{}: components[{}]", name_, i++);
        if (c.get_object().get(co)) return InputError("{}: want an object", where);
        RETURN_IF_ERROR(Components(co, where));
      }
    }
    ASSIGN_OR_RETURN(auto vulns, Arr(doc, "vulnerabilities", name_));
    if (!vulns) return Ok();
    int i = 0;
    for (element v : *vulns) {
      const std::string where = fmt::format("{}: vulnerabilities[{}]", name_, i);
      object vo;
      if (v.get_object().get(vo)) return InputError("{}: want an object", where);
      RETURN_IF_ERROR(CdxVulnerability(vo, where, i++, doc_time));
    }
    return Ok();
  }

  // Records bom-ref -> purl for a component and the components nested in
  // it (an explicit stack: nesting depth is the document's to choose).
  Status Components(object root, const std::string& where) {
    std::vector<std::pair<object, std::string>> stack = {{root, where}};
    while (!stack.empty()) {
      auto [o, w] = stack.back();
      stack.pop_back();
      ASSIGN_OR_RETURN(std::string ref, Str(o, "bom-ref", w));
      ASSIGN_OR_RETURN(std::string purl, Str(o, "purl", w));
      if (!ref.empty() && !purl.empty()) {
        auto p = ParsePurl(purl);
        if (!p.ok()) return InputError("{}.purl: {}", w, p.error().message);
        refs_.emplace(ref, std::move(*p));
      }
      ASSIGN_OR_RETURN(auto nested, Arr(o, "components", w));
      if (!nested) continue;
      int k = 0;
      for (element c : *nested) {
        object co;
        std::string cw = fmt::format("{}.components[{}]", w, k++);
        if (c.get_object().get(co)) return InputError("{}: want an object", cw);
        stack.emplace_back(co, std::move(cw));
      }
    }
    return Ok();
  }

  Status CdxVulnerability(object v, const std::string& where, int order, std::optional<Instant> doc_time) {
    VexStatement st;
    st.document = document_;
    st.order = order;
    st.source = where;
    ASSIGN_OR_RETURN(std::string id, Str(v, "id", where));
    if (id.empty()) return InputError("{}: no id", where);
    st.vulns.push_back(id);
    ASSIGN_OR_RETURN(auto refs, Arr(v, "references", where));
    if (refs) {
      int k = 0;
      for (element r : *refs) {
        object ro;
        const std::string rw = fmt::format("{}.references[{}]", where, k++);
        if (r.get_object().get(ro)) return InputError("{}: want an object", rw);
        ASSIGN_OR_RETURN(std::string alias, Str(ro, "id", rw));
        if (!alias.empty()) st.vulns.push_back(std::move(alias));
      }
    }
    ASSIGN_OR_RETURN(auto analysis, Obj(v, "analysis", where));
    if (!analysis) return Ok();  // a vulnerability without analysis states nothing
    const std::string aw = where + ".analysis";
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
          "{}.state {:?} (want resolved, resolved_with_pedigree, exploitable, in_triage, false_positive or "
          "not_affected)",
          aw, Printable(state, 40));
    }
    ASSIGN_OR_RETURN(st.justification, Str(*analysis, "justification", aw));
    if (!st.justification.empty() && !kCdxJustifications.count(st.justification)) {
      return InputError("{}.justification {:?} is not one of CycloneDX's", aw, Printable(st.justification, 60));
    }
    if (state == "false_positive" && st.justification.empty()) st.justification = "false_positive";
    ASSIGN_OR_RETURN(st.reason, Str(*analysis, "detail", aw));
    ASSIGN_OR_RETURN(auto last, Time(*analysis, "lastUpdated", aw));
    ASSIGN_OR_RETURN(auto first, Time(*analysis, "firstIssued", aw));
    ASSIGN_OR_RETURN(auto updated, Time(v, "updated", where));
    ASSIGN_OR_RETURN(auto published, Time(v, "published", where));
    st.time = FirstOf({last, first, updated, published, doc_time});
    const size_t index = set_.statements.size();
    set_.statements.push_back(std::move(st));

    ASSIGN_OR_RETURN(auto affects, Arr(v, "affects", where));
    if (!affects) return Ok();
    int k = 0;
    for (element a : *affects) {
      const std::string fw = fmt::format("{}.affects[{}]", where, k++);
      object ao;
      if (a.get_object().get(ao)) return InputError("{}: want an object", fw);
      ASSIGN_OR_RETURN(std::string ref, Str(ao, "ref", fw));
      if (ref.empty()) return InputError("{}: no ref", fw);
      RETURN_IF_ERROR(CdxAffects(ao, ref, index, fw));
    }
    return Ok();
  }

  Status CdxAffects(object a, std::string ref, size_t statement, const std::string& where) {
    // A BOM-Link (urn:cdx:SERIAL/VERSION#bom-ref) names a component of
    // another BOM: its fragment is the bom-ref.
    if (ref.starts_with("urn:cdx:")) {
      const size_t hash = ref.find('#');
      if (hash == std::string::npos) return InputError("{}.ref: a BOM-Link to a whole BOM names no component", where);
      std::string frag;
      for (size_t i = hash + 1; i < ref.size(); ++i) {
        if (ref[i] == '%' && i + 2 < ref.size() && std::isxdigit(static_cast<unsigned char>(ref[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(ref[i + 2]))) {
          frag.push_back(static_cast<char>(std::stoi(ref.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          frag.push_back(ref[i]);
        }
      }
      ref = std::move(frag);
    }
    VexClaim base;
    base.statement = statement;
    if (auto it = refs_.find(ref); it != refs_.end()) {
      base.purl = it->second;
    } else if (ref.starts_with("pkg:")) {
      auto p = ParsePurl(ref);
      if (!p.ok()) return InputError("{}.ref: {}", where, p.error().message);
      base.purl = std::move(*p);
    } else {
      base.target = VexClaim::Target::kRef;
      base.ref = ref;
    }
    if (base.target == VexClaim::Target::kPurl && IsImageType(base.purl.type)) {
      base.target = VexClaim::Target::kAnyPackage;
      base.scope = AddScope(std::move(base.purl));
      base.purl = Purl{};
    }
    ASSIGN_OR_RETURN(auto versions, Arr(a, "versions", where));
    if (!versions) return AddClaim(std::move(base), where);
    // Listed versions narrow the statement to them; ranges (vers) are not
    // evaluated, so a statement with only ranges applies to nothing.
    int k = 0;
    bool ranges = false;
    for (element ve : *versions) {
      const std::string vw = fmt::format("{}.versions[{}]", where, k++);
      object vo;
      if (ve.get_object().get(vo)) return InputError("{}: want an object", vw);
      ASSIGN_OR_RETURN(std::string version, Str(vo, "version", vw));
      if (version.empty()) {
        ranges = true;
        continue;
      }
      VexClaim c = base;
      if (c.target == VexClaim::Target::kPurl) {
        if (!c.purl.version.empty() && c.purl.version != version) continue;
        c.purl.version = version;
      } else if (c.target == VexClaim::Target::kRef) {
        c.version = version;
      }
      RETURN_IF_ERROR(AddClaim(std::move(c), where));
    }
    if (ranges && !warned_ranges_) {
      set_.warnings.push_back(
          fmt::format("{}.versions: version ranges are not evaluated; the statement applies only "
                      "to the versions it lists",
                      where));
      warned_ranges_ = true;
    }
    return Ok();
  }

  // ---- common ----

  int AddScope(Purl p) {
    set_.scopes.push_back(std::move(p));
    return static_cast<int>(set_.scopes.size()) - 1;
  }

  Status AddClaim(VexClaim c, const std::string& where) {
    if (earlier_ + set_.claims.size() >= kMaxVexClaims) {
      return InputError("{}: more than {} product statements over all VEX documents", where, kMaxVexClaims);
    }
    set_.claims.push_back(std::move(c));
    return Ok();
  }

  VexSet& set_;
  std::string name_;
  int document_ = 0;
  size_t earlier_ = 0;
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
  // Built on the side: a document that fails leaves `set` as it was.
  VexSet one;
  Builder b(one, name, static_cast<int>(set.names.size()), set.claims.size());
  RETURN_IF_ERROR(b.Document(root));
  const size_t offset = set.statements.size();
  const int scope_offset = static_cast<int>(set.scopes.size());
  for (VexStatement& s : one.statements) {
    std::sort(s.vulns.begin(), s.vulns.end());
    s.vulns.erase(std::unique(s.vulns.begin(), s.vulns.end()), s.vulns.end());
    set.statements.push_back(std::move(s));
  }
  for (VexClaim& c : one.claims) {
    c.statement += offset;
    if (c.scope >= 0) c.scope += scope_offset;
    set.claims.push_back(std::move(c));
  }
  for (Purl& p : one.scopes) set.scopes.push_back(std::move(p));
  for (std::string& w : one.warnings) set.warnings.push_back(std::move(w));
  set.names.push_back(std::string(name));
  return Ok();
}

void IndexVex(VexSet& set) {
  set.by_vuln.clear();
  for (size_t i = 0; i < set.claims.size(); ++i) {
    const VexClaim& c = set.claims[i];
    for (const std::string& v : set.statements[c.statement].vulns) {
      VexSet::Bucket& b = set.by_vuln[v];
      switch (c.target) {
        case VexClaim::Target::kPurl:
          b.by_identity[c.purl.Identity()].push_back(i);
          break;
        case VexClaim::Target::kRef:
          b.by_ref[c.ref].push_back(i);
          break;
        case VexClaim::Target::kAnyPackage:
          b.any.push_back(i);
          break;
      }
    }
  }
}

}  // namespace drydock::policy
