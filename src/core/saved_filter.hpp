// Saved case-list filters: a user's own named sets of GET /cases query
// parameters. They carry codes, ids and dates only, never a search phrase (its
// words may name a resident). No I/O.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/identity.hpp"
#include "core/result.hpp"

namespace caredesk::core {

using SavedFilterId = std::int64_t;

struct SavedFilter {
  SavedFilterId id = 0;
  DistrictId district_id = 0;
  UserId owner_id = 0;
  std::string name;
  std::map<std::string, std::string> query;  // case-list parameter -> value
  TimePoint created_at;
};

inline constexpr std::size_t kMaxSavedFilterNameChars = 60;
inline constexpr int kMaxSavedFiltersPerUser = 50;

// The case-list parameters a saved filter may hold.
std::span<const std::string_view> SavedFilterKeys();

// Checks a name (1-60 characters once trimmed) and a query (known keys with
// values the case list accepts). Every violation at once, fields named
// "name" and "query.<key>". Returns the trimmed name.
Result<std::string> ValidateSavedFilter(std::string_view name,
                                        const std::map<std::string, std::string>& query);

}  // namespace caredesk::core
