// Internal to audit/host/: each host check group appends its rules to the
// table. The list of groups is checks.inc.
#pragma once

#include <vector>

#include "audit/host/host.h"

namespace drydock {

#define DRYDOCK_HOST_CHECK_GROUP(fn) void fn(std::vector<HostCheck>& rules);
#include "audit/host/checks.inc"
#undef DRYDOCK_HOST_CHECK_GROUP

inline HostVerdict On(std::string target, Verdict v) { return {std::move(target), std::move(v)}; }
inline Verdict NotApplicable(std::string why) { return {CheckStatus::kNotApplicable, std::move(why)}; }
inline Verdict Info(std::string ev) { return {CheckStatus::kInfo, std::move(ev)}; }
inline Verdict Note(std::string ev) { return {CheckStatus::kNote, std::move(ev)}; }

// The members of a group in the root's /etc/group; nullopt when no such group.
struct GroupEntry {
  gid_t gid = 0;
  std::vector<std::string> members;
};
Result<std::optional<GroupEntry>> FindGroup(const HostFs& fs, std::string_view name);

}  // namespace drydock
