// CycloneDX 1.6 JSON (placeholder until the writer lands).
#include "report/report.h"

namespace drydock {

std::string RenderCycloneDx(const ScanResult&, const ReportOptions&) { return "{}\n"; }

}  // namespace drydock
