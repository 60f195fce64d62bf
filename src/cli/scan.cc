#include "cli/scan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/path.h"
#include "catalog/catalog.h"
#include "catalog/os_release.h"
#include "check/image/check.h"
#include "layer/pipeline.h"
#include "layer/view.h"
#include "secret/analyzer.h"
#include "vuln/match.h"

namespace drydock {

namespace {

ImageSummary Summarize(const ImageInfo& image, const std::vector<std::shared_ptr<const LayerResult>>& layers,
                       const FileSystemView& view) {
  ImageSummary s;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerResult& r = *layers[i];
    const Layer& l = image.layers[i];
    LayerSummary ls;
    ls.index = static_cast<int>(i);
    ls.diff_id = r.compression == "dir" ? "" : r.diff_id.str();
    ls.blob_digest = r.compression == "dir" ? "" : r.blob_digest.str();
    ls.media_type = l.blob.media_type;
    ls.compression = r.compression;
    ls.blob_bytes = r.blob_bytes;
    ls.tar_bytes = r.tar_bytes;
    ls.files = static_cast<int64_t>(r.entries.size());
    ls.created_by = l.created_by;
    s.total_blob_bytes += ls.blob_bytes;
    s.total_tar_bytes += ls.tar_bytes;
    s.layers.push_back(std::move(ls));
  }
  s.files = static_cast<int64_t>(view.size());
  return s;
}

// Findings analyzers made while walking a layer get that layer's identity
// and the instruction that created it.
void CollectLayerFindings(const ImageInfo& image, const std::vector<std::shared_ptr<const LayerResult>>& layers,
                          ScanResult& out) {
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerResult& r = *layers[i];
    const Layer& l = image.layers[i];
    std::string where = fmt::format("layer {} of {} ({})", i + 1, layers.size(), l.diff_id.short_str());
    for (const auto& d : r.diagnostics) {
      out.diagnostics.push_back({d.where.empty() ? where : where + " " + Printable(d.where), d.message});
    }
    for (Finding f : r.findings) {
      f.location.layer_index = static_cast<int>(i);
      f.location.diff_id = l.diff_id.str();
      f.location.created_by = l.created_by;
      f.Fingerprint();
      out.findings.push_back(std::move(f));
    }
  }
}

// What reading an image yields before any stage runs on it.
struct ReadResult {
  ImageInfo image;
  std::vector<std::shared_ptr<const LayerResult>> layers;
};

bool Wants(const ScanOptions& opts, std::string_view scanner) {
  return std::find(opts.scanners.begin(), opts.scanners.end(), scanner) != opts.scanners.end();
}
// The image checks run for "misconfig" (not for `sbom`); the catalogers for
// the inventory and for "vuln", which matches it.
bool RunsChecks(const ScanOptions& opts) { return opts.checks && Wants(opts, "misconfig"); }

// The secret rules, compiled before the image is opened: a bad rules file
// fails fast. Null when the secret scanner is not asked for.
Result<std::shared_ptr<const secret::Engine>> SecretEngine(const ScanOptions& opts) {
  if (!Wants(opts, "secret")) return std::shared_ptr<const secret::Engine>();
  secret::Config secret_config;
  if (!opts.secret_config.empty()) {
    ASSIGN_OR_RETURN(secret_config, secret::LoadConfig(opts.secret_config));
  }
  auto engine =
      secret::Engine::Create(secret_config, opts.cache_dir.empty() ? "" : opts.cache_dir + "/secret");
  if (!engine.ok()) {
    return opts.secret_config.empty() ? engine.error() : engine.error().Wrap(Printable(opts.secret_config));
  }
  return std::move(engine).value();
}
// Every `created_by` that leaves drydock goes through RedactCreatedBy (the
// values of secret-looking ENV/ARG assignments and build args), whatever the
// scanners: the layer list, the history, package origins and finding
// locations all copy it. Strings a check already redacted are left alone.
void RedactHistory(ScanResult& out) {
  std::map<std::string, std::string> redacted;
  for (const auto& h : out.image.config.history) {
    std::string r = RedactCreatedBy(h.created_by);
    if (r != h.created_by) redacted.emplace(h.created_by, std::move(r));
  }
  if (redacted.empty()) return;
  auto fix = [&](auto& s) {  // a std::string or a SharedText
    if (auto it = redacted.find(s); it != redacted.end()) s = it->second;
  };
  for (auto& h : out.image.config.history) fix(h.created_by);
  for (auto& l : out.image.layers) fix(l.created_by);
  for (auto& l : out.summary.layers) fix(l.created_by);
  for (auto& f : out.findings) {
    fix(f.location.created_by);
    for (auto& l : f.more_locations) fix(l.created_by);
  }
  if (out.inventory) {
    for (auto& p : out.inventory->packages) fix(p.created_by);
  }
}

bool RunsInventory(const ScanOptions& opts) { return opts.inventory || Wants(opts, "vuln"); }

// CIS 4.10 (a secret-looking ENV/ARG) and the secret scanner can report the
// same variable: keep the secret finding (it names the credential's kind),
// give it the CIS reference, and drop the 4.10 one.
void KeepOneFindingPerConfigSecret(std::vector<Finding>& findings) {
  std::set<std::string> fields;
  for (const Finding& f : findings) {
    if (f.kind != FindingKind::kSecret) continue;
    if (!f.location.config_field.empty()) fields.insert(f.location.config_field);
    for (const Location& l : f.more_locations) {
      if (!l.config_field.empty()) fields.insert(l.config_field);
    }
  }
  std::set<std::string> dropped;
  std::erase_if(findings, [&](const Finding& f) {
    const bool dup = f.rule_id == "DD-CIS-4.10" && fields.count(f.location.config_field) > 0;
    if (dup) dropped.insert(f.location.config_field);
    return dup;
  });
  for (Finding& f : findings) {
    if (f.kind != FindingKind::kSecret) continue;
    bool hit = dropped.count(f.location.config_field) > 0;
    for (const Location& l : f.more_locations) hit = hit || dropped.count(l.config_field) > 0;
    if (hit) f.references.push_back("CIS Docker Benchmark 4.10");
  }
}

// Source → pipeline → verified layers, with the analyzers `opts` asks for
// and `extra` ones.
Status ReadLayers(const std::string& target, const ScanOptions& opts, ReadResult& out,
                  const std::vector<const LayerAnalyzer*>& extra = {}) {
  ASSIGN_OR_RETURN(auto source, OpenSource(target, opts.source));
  CaptureAnalyzer os_files(OsReleaseWants());
  CaptureAnalyzer check_files(ImageCheckWants());
  PipelineOptions popts;
  popts.on_progress = opts.on_progress;
  std::vector<const LayerAnalyzer*> analyzers = {&os_files};
  if (RunsChecks(opts)) analyzers.push_back(&check_files);
  if (RunsInventory(opts)) {
    auto cat = CatalogAnalyzers();
    analyzers.insert(analyzers.end(), cat.begin(), cat.end());
  }
  analyzers.insert(analyzers.end(), extra.begin(), extra.end());
  // A cache dir that cannot be used only costs time: the layers are read.
  std::unique_ptr<LayerCache> cache;
  if (opts.layer_cache && !opts.cache_dir.empty()) {
    if (auto c = LayerCache::Open(opts.cache_dir + "/layers", opts.cache_max_bytes); c.ok()) cache = std::move(*c);
  }
  const LayerStore* store = opts.layer_store != nullptr ? opts.layer_store : cache.get();
  LayerCollector collector(std::move(analyzers), popts, store);
  auto info = source->Read(collector);
  if (!info.ok()) {
    // Errors about a member ("index.json: …") get the target named too.
    const std::string_view bare = std::string_view(target).substr(
        target.find(':') == std::string::npos || target.starts_with("/") || target.starts_with(".")
            ? 0
            : target.find(':') + 1);
    if (info.error().message.find(bare) == std::string::npos) return info.error().Wrap(Printable(target));
    return info.error();
  }
  out.image = std::move(info).value();
  const ImageConfig& cfg = out.image.config;
  if (opts.source.platform_explicit && !cfg.architecture.empty() &&
      !opts.source.platform.Matches(Platform{cfg.os, cfg.architecture, cfg.variant})) {
    // A single-platform archive cannot satisfy --platform: say so rather
    // than scan an image the user did not ask for.
    return InputError("{}: the image is {}, not {} (--platform)", Printable(target),
                      Platform{cfg.os, cfg.architecture, cfg.variant}.str(), opts.source.platform.str());
  }
  out.image.reference = target;
  auto taken = collector.Take(out.image);
  if (cache && collector.bytes_stored() > 0) cache->Evict();
  if (!taken.ok()) return taken.error().Wrap(Printable(target));
  out.layers = std::move(taken).value();
  if (opts.layer_counts != nullptr) {
    opts.layer_counts->from_store = collector.layers_from_cache();
    opts.layer_counts->read = static_cast<int>(out.layers.size()) - opts.layer_counts->from_store;
  }
  return Status();
}

}  // namespace

Result<ReadImageResult> ReadImage(const std::string& target, const ScanOptions& opts) {
  ReadResult read;
  RETURN_IF_ERROR(ReadLayers(target, opts, read));
  ReadImageResult out;
  out.image = std::move(read.image);
  out.layers = std::move(read.layers);
  out.view = std::make_unique<FileSystemView>(out.layers);
  out.os = DetectOs(*out.view);
  return out;
}

Result<ScanResult> ScanImage(const std::string& target, const ScanOptions& opts) {
  static constexpr std::string_view kScanners[] = {"vuln", "secret", "misconfig"};
  for (const auto& s : opts.scanners) {
    if (std::find(std::begin(kScanners), std::end(kScanners), s) == std::end(kScanners)) {
      return UsageError("--scanners {}: not a scanner (available: vuln, secret, misconfig)", s);
    }
  }
  ASSIGN_OR_RETURN(auto secret_engine, SecretEngine(opts));
  const bool vuln = Wants(opts, "vuln");
  const bool misconfig = RunsChecks(opts);
  std::optional<VulnDb> db;
  if (vuln) {
    // Opened before the image is read: a missing database fails fast.
    ASSIGN_OR_RETURN(db, VulnDb::Open(opts.vuln_db));
  }
  std::optional<secret::SecretAnalyzer> secret_files;
  std::vector<const LayerAnalyzer*> extra;
  if (secret_engine) extra.push_back(&secret_files.emplace(secret_engine));
  ReadResult read;
  RETURN_IF_ERROR(ReadLayers(target, opts, read, extra));
  ScanResult out;
  out.target = target;
  out.scanners = opts.scanners;
  out.image = std::move(read.image);
  const auto& layers = read.layers;
  FileSystemView view(layers);
  out.summary = Summarize(out.image, layers, view);
  out.summary.os = DetectOs(view);
  CollectLayerFindings(out.image, layers, out);
  if (RunsInventory(opts)) {
    out.inventory = BuildInventory(out.image, view, out.summary.os);
    for (const auto& d : out.inventory->diagnostics) out.diagnostics.push_back(d);
  }
  if (vuln) {
    MatchOptions mopts;
    mopts.include_unfixed = opts.include_unfixed;
    ASSIGN_OR_RETURN(auto vulns, MatchInventory(*out.inventory, out.summary.os, *db, mopts));
    out.findings.insert(out.findings.end(), std::make_move_iterator(vulns.begin()),
                        std::make_move_iterator(vulns.end()));
  }
  if (misconfig) {
    auto checks = RunImageChecks(ImageCheckInput{out.image, view, out.summary.os});
    out.findings.insert(out.findings.end(), std::make_move_iterator(checks.begin()),
                        std::make_move_iterator(checks.end()));
  }
  std::vector<std::string> secret_values;
  if (secret_engine) {
    auto found = secret::ScanImageConfig(*secret_engine, out.image, secret_values);
    out.findings.insert(out.findings.end(), std::make_move_iterator(found.begin()),
                        std::make_move_iterator(found.end()));
    secret::MergeSameSecrets(out.findings);
  }
  RedactHistory(out);
  if (secret_engine) {
    secret::RedactEverywhere(secret_values, out);
    if (misconfig) KeepOneFindingPerConfigSecret(out.findings);
  }
  SortFindings(out.findings);
  return out;
}

}  // namespace drydock
