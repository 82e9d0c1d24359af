// Demo data: 마포구, its 16 dongs and their desks, and an agency directory.
#pragma once

#include "core/auth_service.hpp"
#include "core/case_service.hpp"
#include "core/directory.hpp"
#include "core/result.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

struct DemoSummary {
  int dongs = 0;
  int desks = 0;
  int agencies_created = 0;
  int agencies_total = 0;
  int users_created = 0;
};

// The demo accounts; every one must replace this password at first sign-in.
inline constexpr std::string_view kDemoPassword = "Demo-2026!care";

struct DemoLogin {
  std::string_view login;
  std::string_view role;
  std::string_view description;
};
const std::vector<DemoLogin>& DemoLogins();

// The names of the demo district's 16 dongs (아현동 … 상암동).
std::vector<std::string> DemoDongNames();

// Idempotent: running it again creates nothing new and changes nothing.
core::Result<DemoSummary> SeedDemo(storage::Storage& storage, core::AuthService& auth,
                                   const core::District& district);

// A handful of realistic cases in 서교동 and 망원1동 (fictional residents), made
// through the real use cases so they carry timelines, clocks and next steps.
// Only when the district has no case yet; returns how many were created.
// With `history.weeks` > 0, SeedDemoHistory runs first (older cases, lower numbers).
struct DemoHistoryOptions {
  int weeks = 0;
  core::AccessLog* access_log = nullptr;  // required when weeks > 0
  core::TimePoint now;
  int scale = 1;  // times the history's cases a week (a busier district for the load benchmark)
};
core::Result<int> SeedDemoCases(storage::Storage& storage, core::CaseRepository& repository,
                                core::CaseService& cases, const core::District& district,
                                const DemoHistoryOptions& history = {});

// `weeks` weeks of past work before `now` (about five cases a week in 서교동
// and 망원1동, `scale` times that with `scale` > 1; most resolved and closed, some
// open with late steps), made through the real use cases under a clock that walks
// through those weeks. Call before SeedDemoCases, on a district without cases;
// returns how many were created. The same arguments make the same history.
core::Result<int> SeedDemoHistory(storage::Storage& storage, core::CaseRepository& repository,
                                  core::AccessLog& access_log, const core::District& district,
                                  int weeks, core::TimePoint now, int scale = 1);

}  // namespace caredesk::app
