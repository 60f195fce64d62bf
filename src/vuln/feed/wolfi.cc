// Wolfi advisories: <package>.advisories.yaml with package.name and
// advisories[]{id, aliases, events[]{timestamp, type, data}}. The latest
// event decides the status: fixed (data.fixed-version) = "fixed";
// false-positive-determination = "not_affected"; fix-not-planned =
// "will_not_fix"; detection, true-positive-determination,
// pending-upstream-fix, analysis-not-planned = "affected".
#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
using importer::Get;
using importer::Str;
using importer::Strs;

Result<std::vector<Advisory>> ParseWolfi(std::string_view bytes, std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(nlohmann::json j, importer::ParseYaml(bytes));
  if (!j.is_object()) return InputError("wolfi: not a mapping");
  const std::string package = Str(Get(j, "package"), "name");
  if (package.empty()) return InputError("wolfi: no package.name");
  std::vector<Advisory> out;
  for (const auto& adv : Get(j, "advisories")) {
    Advisory a;
    a.source = "wolfi";
    a.id = Str(adv, "id");
    if (a.id.empty()) {
      warnings.push_back("advisory without an id");
      continue;
    }
    a.aliases = Strs(adv, "aliases");
    const nlohmann::json* latest = nullptr;
    std::string latest_ts;
    for (const auto& ev : Get(adv, "events")) {
      const std::string ts = Str(ev, "timestamp");
      if (latest == nullptr || ts >= latest_ts) {  // RFC 3339 UTC: text order is time order
        latest = &ev;
        latest_ts = ts;
      }
    }
    if (latest == nullptr) {
      warnings.push_back(a.id + ": no events");
      continue;
    }
    a.modified = latest_ts;
    const std::string type = Str(*latest, "type");
    Affected aff;
    aff.ecosystem = "wolfi";
    aff.package = package;
    aff.range_type = "DISTRO";
    if (type == "fixed") {
      const std::string fixed = Str(Get(*latest, "data"), "fixed-version");
      if (fixed.empty()) {
        warnings.push_back(a.id + ": fixed event without fixed-version");
        continue;
      }
      aff.status = "fixed";
      aff.ranges.push_back(AffectedRange{"", fixed, "", ""});
    } else if (type == "false-positive-determination") {
      aff.status = "not_affected";
      a.description = importer::Truncate(Str(Get(*latest, "data"), "note"), 2048);
    } else if (type == "fix-not-planned") {
      aff.status = "will_not_fix";
      a.description = importer::Truncate(Str(Get(*latest, "data"), "note"), 2048);
    } else {
      aff.status = "affected";
      aff.ranges.push_back(AffectedRange{});
    }
    std::string cve;
    for (const auto& al : a.aliases) {
      if (importer::IsCveId(al)) {
        cve = al;
        break;
      }
    }
    a.title = (cve.empty() ? a.id : cve) + " in " + package;
    a.affected.push_back(std::move(aff));
    out.push_back(std::move(a));
  }
  return out;
}

Status ImportWolfi(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "wolfi";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    return n.size() > 16 && n.compare(n.size() - 16, 16, ".advisories.yaml") == 0;
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    return importer::Deliver(name, ParseWolfi(bytes, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
