// SPDX 2.3 JSON (placeholder until the writer lands).
#include "report/report.h"

namespace drydock {

std::string RenderSpdx(const ScanResult&, const ReportOptions&) { return "{}\n"; }

}  // namespace drydock
