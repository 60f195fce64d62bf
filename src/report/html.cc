// The HTML report: one self-contained page. The style sheet and the script
// are constants of this file, allowed by their hashes in the page's
// Content-Security-Policy (nothing else may load or run, and no markup is
// built from data). The page reads without JavaScript; the script only adds
// the severity filter and the search box. All text from the image or the
// vulnerability data goes through HtmlWriter, which escapes it.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/common.h"
#include "report/html_writer.h"
#include "report/report.h"
#include "report/text.h"

namespace drydock {
namespace {

using report::Attr;
using report::HtmlWriter;

constexpr char kStyle[] = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--stripe:#fafbfc}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
header{background:#0d2538;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0}
header code{color:#fff;background:rgba(255,255,255,.12)}
main{padding:8px 24px 24px}
footer{padding:8px 24px 24px;color:var(--muted);font-size:12px}
h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0 12px}
table.summary{width:auto;min-width:640px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
tbody tr:nth-child(even){background:var(--stripe)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#afb8c1}
td.id{white-space:nowrap}
td.id code{overflow-wrap:normal}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
ul{margin:0;padding-left:18px}
details summary{cursor:pointer;color:var(--muted)}
details p{margin:4px 0}
.sev{display:inline-block;min-width:76px;padding:1px 6px;border-radius:4px;color:#fff;font-size:12px;font-weight:600;text-align:center}
.sev-critical{background:#82071e}
.sev-high{background:#cf222e}
.sev-medium{background:#9a6700}
.sev-low{background:#0969da}
.sev-unknown{background:#6e7781}
.muted{color:var(--muted)}
.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px}
#filters{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center;background:#fff;padding:10px 0;border-bottom:1px solid var(--line)}
#filters label{display:inline-flex;gap:4px;align-items:center}
#filters input[type=search]{width:320px;padding:4px 8px;font:inherit}
[hidden]{display:none !important}
)css";

// Progressive enhancement only: shows the filter form, hides the rows that
// the severity boxes and the search leave out (set from the URL's fragment
// too), and marks the page as scripted (data-js), which the integration
// test reads. It reads the page's text, never writes markup.
constexpr char kScript[] = R"js(
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var boxes = form.querySelectorAll('input[name=severity]');
  var rows = document.querySelectorAll('tr.finding, tr.suppressed, tr.package');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var q = search.value.trim().toLowerCase();
    var total = 0, visible = 0;
    rows.forEach(function (r) {
      var sev = r.getAttribute('data-severity');
      var ok = (sev === null || on[sev] === true) && (q === '' || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (r.classList.contains('finding')) { total++; if (ok) visible++; }
    });
    shown.textContent = visible + ' of ' + total + ' findings shown';
  }
  // A link can carry a filter: report.html#severity=CRITICAL,HIGH&q=openssl
  var params = new URLSearchParams(location.hash.slice(1));
  if (params.has('q')) search.value = params.get('q');
  if (params.has('severity')) {
    var want = params.get('severity').toUpperCase().split(',');
    boxes.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
  }
  form.addEventListener('input', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
  document.documentElement.setAttribute('data-js', 'ready');
})();
)js";

// "'sha256-<base64>'": a CSP source that allows exactly this inline text.
std::string CspHash(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), md.data(), &n, EVP_sha256(), nullptr);
  std::string b64(4 * ((n + 2) / 3) + 1, '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), md.data(), static_cast<int>(n));
  b64.resize(len > 0 ? static_cast<size_t>(len) : 0);
  return "'sha256-" + b64 + "'";
}

std::string SeverityClass(Severity s) {
  std::string name(SeverityName(s));
  for (char& c : name) c = static_cast<char>(c | 0x20);  // ASCII letters only
  return "sev sev-" + name;
}

void SeverityBadge(HtmlWriter& w, Severity s) { w.Element("span", SeverityName(s), {{"class", SeverityClass(s)}}); }

void Cell(HtmlWriter& w, std::string_view text) { w.Element("td", text); }

void CodeCell(HtmlWriter& w, std::string_view text) {
  w.Open("td");
  if (report::Sanitize(text).empty()) {
    w.Text("-");
  } else {
    w.Element("code", text);
  }
  w.Close("td");
}

// A rule or advisory id: kept on one line.
void IdCell(HtmlWriter& w, std::string_view id) {
  w.Open("td", {{"class", "id"}});
  w.Element("code", id);
  w.Close("td");
}

void NumberCell(HtmlWriter& w, int64_t n) { w.Element("td", std::to_string(n), {{"class", n == 0 ? "n zero" : "n"}}); }

void HeaderRow(HtmlWriter& w, std::initializer_list<std::string_view> names) {
  w.Open("thead");
  w.Open("tr");
  for (std::string_view name : names) w.Element("th", name);
  w.Close("tr");
  w.Close("thead");
}

// "sha256:" and the first 12 hex digits.
std::string ShortDigest(const std::string& digest) {
  constexpr size_t kShown = 7 + 12;
  return digest.starts_with("sha256:") && digest.size() > kShown ? digest.substr(0, kShown) : digest;
}

bool IsImage(const ScanResult& scan) { return !scan.image.config_digest.empty() || !scan.summary.layers.empty(); }

void Fact(HtmlWriter& w, std::string_view label, std::string_view value, bool code = false) {
  w.Element("dt", label);
  w.Open("dd");
  if (code && value != "-") {
    w.Element("code", value);
  } else {
    w.Text(value);
  }
  w.Close("dd");
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "-" : out;
}

void ImageSection(HtmlWriter& w, const ScanResult& scan, size_t findings) {
  const ImageConfig& config = scan.image.config;
  const ImageSummary& sum = scan.summary;
  w.Open("section", {{"id", "image"}});
  w.Element("h2", IsImage(scan) ? "Image" : "Target");
  w.Open("dl");
  Fact(w, "Target", scan.target.empty() ? "-" : scan.target, true);
  if (IsImage(scan)) {
    Fact(w, "Image ID", scan.image.config_digest.empty() ? "-" : scan.image.config_digest.str(), true);
    if (!scan.image.repo_tags.empty()) Fact(w, "Tags", Joined(scan.image.repo_tags), true);
    Fact(w, "OS", report::OsName(scan));
    Fact(w, "Platform", report::PlatformName(config));
    Fact(w, "User", config.user.empty() ? (scan.image.source_kind == "dir" ? "-" : "root (default)") : config.user);
    if (!config.created.empty()) Fact(w, "Created", config.created);
    Fact(w, "Layers",
         fmt::format("{}, {} ({} compressed), {} files", sum.layers.size(), report::HumanBytes(sum.total_tar_bytes),
                     report::HumanBytes(sum.total_blob_bytes), sum.files));
    Fact(w, "Entrypoint", report::ExecForm(config.entrypoint), true);
    Fact(w, "Cmd", report::ExecForm(config.cmd), true);
    if (!config.working_dir.empty()) Fact(w, "Working dir", config.working_dir, true);
    Fact(w, "Exposed ports", Joined(config.exposed_ports));
    if (!config.volumes.empty()) Fact(w, "Volumes", Joined(config.volumes), true);
    // Only the count: ENV values are where secrets are most often passed.
    Fact(w, "Environment",
         fmt::format("{} variable{} (values not shown)", config.env.size(), config.env.size() == 1 ? "" : "s"));
    Fact(w, "Healthcheck", config.healthcheck ? report::ExecForm(config.healthcheck->test) : "none", true);
  }
  Fact(w, "Scanners", Joined(scan.scanners));
  Fact(w, "Findings", std::to_string(findings));
  w.Close("dl");
  if (!scan.diagnostics.empty()) {
    w.Element("p",
              fmt::format("The scan is partial: {} file{} could not be read (see Diagnostics).",
                          scan.diagnostics.size(), scan.diagnostics.size() == 1 ? "" : "s"),
              {{"class", "note"}});
  }
  if (!config.labels.empty()) {
    w.Element("h3", fmt::format("Labels ({})", config.labels.size()));
    w.Open("table", {{"class", "labels"}});
    HeaderRow(w, {"Key", "Value"});
    w.Open("tbody");
    for (const auto& [key, value] : config.labels) {
      w.Open("tr");
      CodeCell(w, key);
      CodeCell(w, value);
      w.Close("tr");
    }
    w.Close("tbody");
    w.Close("table");
  }
  w.Close("section");
}

void SummarySection(HtmlWriter& w, const ScanResult& scan, const report::FindingList& findings) {
  std::map<FindingKind, report::SeverityCounts> counts;
  for (const Finding& f : findings) ++counts[f.kind][static_cast<size_t>(f.severity)];
  w.Open("section", {{"id", "summary"}});
  w.Element("h2", "Summary");
  w.Open("table", {{"class", "summary"}});
  HeaderRow(w, {"Kind", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "Total"});
  w.Open("tbody");
  auto row = [&](std::string_view label, const report::SeverityCounts& c) {
    w.Open("tr");
    w.Element("th", label);
    int64_t total = 0;
    for (Severity s : report::kSeveritiesDescending) {
      NumberCell(w, c[static_cast<size_t>(s)]);
      total += c[static_cast<size_t>(s)];
    }
    NumberCell(w, total);
    w.Close("tr");
  };
  for (FindingKind k : report::kFindingKinds) {
    if (report::KindReported(scan, k)) row(report::KindTitle(k), counts[k]);
  }
  row("Total", report::CountBySeverity(findings));
  w.Close("tbody");
  w.Close("table");
  w.Close("section");
}

// Hidden until the script shows it: without JavaScript every row is shown
// and there is nothing to filter with.
void FilterForm(HtmlWriter& w) {
  w.Open("form", {{"id", "filters"}, {"hidden", ""}});
  w.Element("span", "Severity:", {{"class", "muted"}});
  for (Severity s : report::kSeveritiesDescending) {
    w.Open("label");
    w.Open("input",
           {{"type", "checkbox"}, {"name", "severity"}, {"value", std::string(SeverityName(s))}, {"checked", ""}});
    SeverityBadge(w, s);
    w.Close("label");
  }
  w.Open("label");
  w.Text("Search");
  w.Open("input", {{"type", "search"}, {"id", "search"}, {"placeholder", "CVE, package, path, rule, instruction"}});
  w.Close("label");
  w.Element("output", "", {{"id", "shown"}});
  w.Close("form");
}

void LayerSection(HtmlWriter& w, const ScanResult& scan, const report::FindingList& findings) {
  if (scan.summary.layers.empty()) return;
  std::map<int, int64_t> per_layer;
  for (const Finding& f : findings) ++per_layer[f.location.layer_index];
  w.Open("section", {{"id", "layers"}});
  w.Element("h2", fmt::format("Layers ({})", scan.summary.layers.size()));
  w.Open("table", {{"class", "layers"}});
  HeaderRow(w, {"#", "Created by", "Size", "Diff ID", "Findings"});
  w.Open("tbody");
  for (const LayerSummary& layer : scan.summary.layers) {
    w.Open("tr");
    w.Element("td", std::to_string(layer.index + 1), {{"class", "n"}});
    CodeCell(w, report::Instruction(layer.created_by));
    w.Element("td", report::HumanBytes(layer.tar_bytes), {{"class", "n"}});
    w.Open("td");
    if (layer.diff_id.empty()) {
      w.Text("-");
    } else {
      w.Element("code", ShortDigest(layer.diff_id), {{"title", layer.diff_id}});
    }
    w.Close("td");
    NumberCell(w, per_layer[layer.index]);
    w.Close("tr");
  }
  w.Close("tbody");
  w.Close("table");
  w.Close("section");
}

// Where, without the layer (it has its own column): "path:line", the
// config field, or "-".
std::string PlaceText(Location loc) {
  loc.layer_index = -1;
  return report::LocationText(loc, std::string::npos);
}

void LayerCell(HtmlWriter& w, const Location& loc) {
  if (loc.layer_index < 0) {
    Cell(w, "-");
    return;
  }
  w.Element("td", std::to_string(loc.layer_index + 1), {{"class", "n"}, {"title", loc.diff_id}});
}

void LocationCell(HtmlWriter& w, const Finding& f) {
  w.Open("td");
  const std::string place = PlaceText(f.location);
  if (place == "-") {
    w.Text(place);
  } else {
    w.Element("code", place);
  }
  if (!f.more_locations.empty()) {
    w.Element("div", fmt::format("also at {} more:", f.more_locations.size()), {{"class", "muted"}});
    w.Open("ul");
    for (const Location& l : f.more_locations) w.Element("li", report::LocationText(l, std::string::npos));
    w.Close("ul");
  }
  w.Close("td");
}

// The title, with the rationale, the fix and the references folded under it.
void TitleCell(HtmlWriter& w, const Finding& f) {
  w.Open("td");
  w.Text(f.title.empty() ? "-" : f.title);
  if (f.vex_note) {
    w.Element("div", fmt::format("VEX {}: {}", f.vex_note->status, f.vex_note->reason), {{"class", "muted"}});
  }
  if (!f.description.empty() || !f.remediation.empty() || !f.references.empty()) {
    w.Open("details");
    w.Element("summary", "details");
    if (!f.description.empty()) w.Element("p", f.description);
    if (!f.remediation.empty()) w.Element("p", "Fix: " + f.remediation);
    if (!f.references.empty()) {
      w.Open("ul");
      for (const std::string& r : f.references) w.Element("li", r);
      w.Close("ul");
    }
    w.Close("details");
  }
  w.Close("td");
}

std::string FixedText(const VulnerabilityDetail& v) {
  if (!v.fixed_versions.empty()) return Joined(v.fixed_versions);
  return v.status.empty() ? "no fix" : "no fix (" + v.status + ")";
}

void FindingRow(HtmlWriter& w, const Finding& f) {
  w.Open("tr", {{"class", "finding"}, {"data-severity", std::string(SeverityName(f.severity))}});
  w.Open("td");
  SeverityBadge(w, f.severity);
  w.Close("td");
  if (f.kind == FindingKind::kVulnerability) {
    const VulnerabilityDetail v = f.vuln.value_or(VulnerabilityDetail{});
    IdCell(w, v.id.empty() ? f.rule_id : v.id);
    CodeCell(w, v.package_name);
    CodeCell(w, v.installed_version);
    CodeCell(w, FixedText(v));
  } else {
    IdCell(w, f.rule_id);
  }
  TitleCell(w, f);
  LocationCell(w, f);
  LayerCell(w, f.location);
  CodeCell(w, report::Instruction(f.location.created_by));
  if (f.kind != FindingKind::kVulnerability) CodeCell(w, f.evidence);
  w.Close("tr");
}

std::string_view SectionId(FindingKind k) {
  switch (k) {
    case FindingKind::kVulnerability:
      return "vulnerabilities";
    case FindingKind::kSecret:
      return "secrets";
    case FindingKind::kMisconfiguration:
      return "misconfigurations";
    case FindingKind::kLicense:
      return "licenses";
  }
  return "findings";
}

void FindingSection(HtmlWriter& w, FindingKind kind, const report::FindingList& findings) {
  std::vector<const Finding*> rows;
  for (const Finding& f : findings) {
    if (f.kind == kind) rows.push_back(&f);
  }
  w.Open("section", {{"id", std::string(SectionId(kind))}});
  w.Element("h2", fmt::format("{} ({})", report::KindTitle(kind), rows.size()));
  if (rows.empty()) {
    w.Element("p", "None found.", {{"class", "muted"}});
    w.Close("section");
    return;
  }
  w.Open("table", {{"class", "findings"}});
  if (kind == FindingKind::kVulnerability) {
    HeaderRow(w, {"Severity", "ID", "Package", "Installed", "Fixed in", "Title", "Location", "Layer", "Instruction"});
  } else {
    HeaderRow(w, {"Severity", "Rule", "Title", "Location", "Layer", "Instruction", "Evidence"});
  }
  w.Open("tbody");
  for (const Finding* f : rows) FindingRow(w, *f);
  w.Close("tbody");
  w.Close("table");
  w.Close("section");
}

// What an ignore file, a policy or a VEX statement dismissed: not counted
// above, shown with who dismissed it and why.
void SuppressedSection(HtmlWriter& w, const ScanResult& scan) {
  if (scan.suppressed.empty()) return;
  std::vector<Finding> suppressed = scan.suppressed;
  SortFindings(suppressed);
  w.Open("section", {{"id", "suppressed"}});
  w.Element("h2", fmt::format("Suppressed ({})", suppressed.size()));
  w.Element("p", "Dismissed by an ignore file, a policy or a VEX statement; not counted above.", {{"class", "muted"}});
  w.Open("table", {{"class", "findings"}});
  HeaderRow(w, {"Severity", "ID", "Title", "Location", "Suppressed by", "Reason"});
  w.Open("tbody");
  for (const Finding& f : suppressed) {
    const Suppression why = f.suppression.value_or(Suppression{});
    w.Open("tr", {{"class", "suppressed"}, {"data-severity", std::string(SeverityName(f.severity))}});
    w.Open("td");
    SeverityBadge(w, f.severity);
    w.Close("td");
    IdCell(w, f.vuln && !f.vuln->id.empty() ? f.vuln->id : f.rule_id);
    Cell(w, f.title.empty() ? "-" : f.title);
    CodeCell(w, f.vuln ? f.vuln->package_name + " " + f.vuln->installed_version : PlaceText(f.location));
    Cell(w, why.kind.empty() ? "-" : why.kind + " " + why.source);
    Cell(w, why.justification.empty() ? why.reason : why.reason + " [" + why.justification + "]");
    w.Close("tr");
  }
  w.Close("tbody");
  w.Close("table");
  w.Close("section");
}

void PackageSection(HtmlWriter& w, const ScanResult& scan, const report::FindingList& findings) {
  if (!scan.inventory) return;
  std::map<std::string, std::vector<const Finding*>> vulns;  // by Package::id, in report order
  for (const Finding& f : findings) {
    if (f.vuln && !f.vuln->package_id.empty()) vulns[f.vuln->package_id].push_back(&f);
  }
  const std::vector<Package>& pkgs = scan.inventory->packages;
  w.Open("section", {{"id", "packages"}});
  w.Element("h2", fmt::format("Packages ({})", pkgs.size()));
  if (pkgs.empty()) {
    w.Element("p", "None found.", {{"class", "muted"}});
    w.Close("section");
    return;
  }
  w.Open("table", {{"class", "packages"}});
  HeaderRow(w, {"Type", "Name", "Version", "Layer", "Location", "Vulnerabilities"});
  w.Open("tbody");
  for (const Package& p : pkgs) {
    w.Open("tr", {{"class", "package"}});
    Cell(w, p.type);
    CodeCell(w, p.FullName());
    CodeCell(w, p.version);
    Location at;
    at.layer_index = p.layer_index;
    at.diff_id = p.diff_id;
    LayerCell(w, at);
    CodeCell(w, p.evidence.empty() ? "" : p.evidence.front().Location());
    w.Open("td");
    const auto it = vulns.find(p.id);
    if (it == vulns.end()) {
      w.Text("-");
    } else {
      w.Open("ul");
      for (const Finding* f : it->second) {
        w.Open("li");
        SeverityBadge(w, f->severity);
        w.Markup(" ");
        w.Element("code", f->vuln->id.empty() ? f->rule_id : f->vuln->id);
        w.Close("li");
      }
      w.Close("ul");
    }
    w.Close("td");
    w.Close("tr");
  }
  w.Close("tbody");
  w.Close("table");
  w.Close("section");
}

void DiagnosticSection(HtmlWriter& w, const ScanResult& scan) {
  if (scan.diagnostics.empty()) return;
  w.Open("section", {{"id", "diagnostics"}});
  w.Element("h2", fmt::format("Diagnostics ({})", scan.diagnostics.size()));
  w.Open("ul");
  for (const Diagnostic& d : scan.diagnostics) {
    w.Open("li");
    w.Element("code", d.where);
    w.Text(": " + d.message);
    w.Close("li");
  }
  w.Close("ul");
  w.Close("section");
}

}  // namespace

std::string RenderHtml(const ScanResult& scan, const ReportOptions& opts) {
  const report::FindingList findings = report::PreparedFindings(scan);
  const std::string version = report::ToolVersion(opts.tool_version);
  HtmlWriter w;
  w.Markup("<!DOCTYPE html>\n");
  w.Open("html", {{"lang", "en"}});
  w.Open("head");
  w.Open("meta", {{"charset", "utf-8"}});
  // Only this page's own style sheet and script, by hash; no network, no
  // frames, no forms sent anywhere.
  w.Open("meta", {{"http-equiv", "Content-Security-Policy"},
                  {"content", fmt::format("default-src 'none'; style-src {}; script-src {}; img-src 'none'; "
                                          "base-uri 'none'; form-action 'none'",
                                          CspHash(kStyle), CspHash(kScript))}});
  w.Open("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  w.Open("meta", {{"name", "generator"}, {"content", "drydock " + version}});
  w.Element("title", "drydock: " + (scan.target.empty() ? std::string("scan") : scan.target));
  w.Open("style");
  w.Markup(kStyle);
  w.Close("style");
  w.Markup("\n");
  w.Close("head");
  w.Open("body");
  w.Open("header");
  w.Element("h1", "drydock report");
  w.Open("p");
  w.Element("code", scan.target.empty() ? "-" : scan.target);
  w.Close("p");
  w.Close("header");
  w.Open("main");
  ImageSection(w, scan, findings.size());
  SummarySection(w, scan, findings);
  FilterForm(w);
  LayerSection(w, scan, findings);
  for (FindingKind kind : report::kFindingKinds) {
    if (report::KindReported(scan, kind)) FindingSection(w, kind, findings);
  }
  SuppressedSection(w, scan);
  PackageSection(w, scan, findings);
  DiagnosticSection(w, scan);
  w.Close("main");
  w.Open("footer");
  w.Text("drydock " + version);
  w.Close("footer");
  w.Open("script");
  w.Markup(kScript);
  w.Close("script");
  w.Markup("\n");
  w.Close("body");
  w.Close("html");
  return std::move(w).Take();
}

}  // namespace drydock
