// The district's organisation: its dongs, the desks where cases are received,
// and the agency directory that referrals go to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"

namespace caredesk::core {

using DistrictId = std::int64_t;
using DongId = std::int64_t;
using DeskId = std::int64_t;
using AgencyId = std::int64_t;

struct District {
  DistrictId id = 0;
  std::string code;  // stable slug, e.g. "mapo"
  std::string name;  // "마포구"
};

struct Dong {
  DongId id = 0;
  DistrictId district_id = 0;
  std::string name;        // "서교동"
  std::string short_name;  // "서교": used in case numbers (2026-서교-000123)
};

enum class DeskKind { kDongCenter, kDistrictDesk };
std::string_view DeskKindCode(DeskKind kind);
std::optional<DeskKind> ParseDeskKind(std::string_view code);

struct Desk {
  DeskId id = 0;
  DistrictId district_id = 0;
  std::optional<DongId> dong_id;  // empty for the district civil-affairs desk
  std::string name;
  DeskKind kind = DeskKind::kDongCenter;
};

enum class AgencyKind { kInternal, kExternal };
std::string_view AgencyKindCode(AgencyKind kind);
std::optional<AgencyKind> ParseAgencyKind(std::string_view code);

// An internal department or outside organisation that handles referrals.
struct Agency {
  AgencyId id = 0;
  DistrictId district_id = 0;
  std::string name;
  AgencyKind kind = AgencyKind::kExternal;
  std::vector<std::string> categories;  // taxonomy codes it handles
  std::string contact;                  // phone, e-mail or office
  int response_hours = 0;               // expected time to accept a referral
  std::int64_t version = 1;
};

// What a caller supplies to register an agency; checked by ValidateNewAgency.
struct NewAgency {
  std::string name;
  std::string kind;
  std::vector<std::string> categories;
  std::string contact;
  int response_hours = 0;
};

// A sub-category an administrator added under one of the fixed top-level
// categories (taxonomy.hpp): code "<parent>.<slug>", e.g. "housing.jeonse_fraud".
// Top-level categories can never be removed; sub-categories are data.
struct SubCategory {
  std::string code;
  std::string parent;
  std::string label_ko;
  std::string label_en;
};

// Checks the slug ([a-z0-9_], 1-40), the parent (a top-level code) and the labels.
Result<SubCategory> ValidateNewSubCategory(const std::string& parent, const std::string& slug,
                                           const std::string& label_ko,
                                           const std::string& label_en);

inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxContactChars = 200;
inline constexpr int kMaxResponseHours = 24 * 90;

// Checks every field and returns all violations at once, so a form can show
// them together. On success returns the agency ready to store (id 0).
Result<Agency> ValidateNewAgency(const NewAgency& input, DistrictId district_id);

// An administrator's change to an agency; absent fields stay as they are.
struct AgencyPatch {
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::vector<std::string>> categories;
  std::optional<std::string> contact;
  std::optional<int> response_hours;
};

// 412: the agency was changed since the caller read its version.
Error StaleAgencyError();

// `current` with `patch` applied, checked by ValidateNewAgency (the same rules,
// codes and messages as a registration). Keeps the id, district and version of
// `current`. kPreconditionFailed when `if_match` is given and is not its version.
Result<Agency> ApplyAgencyPatch(const Agency& current, const AgencyPatch& patch,
                                std::optional<std::int64_t> if_match);

// Whether `after` differs from `before` in what an administrator can change;
// categories compare as a set (their order means nothing).
bool AgencyChanged(const Agency& before, const Agency& after);

}  // namespace caredesk::core
