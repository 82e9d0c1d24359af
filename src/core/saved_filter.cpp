#include "core/saved_filter.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "core/case.hpp"
#include "core/text.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {
namespace {

constexpr std::array<std::string_view, 10> kKeys = {
    "status",  "open",         "category", "urgency", "channel",
    "dong_id", "counselor_id", "from",     "to",      "overdue",
};

constexpr std::size_t kMaxIdDigits = 18;
constexpr std::size_t kMaxCategoryChars = 100;
constexpr std::size_t kDateChars = 10;
constexpr std::size_t kMaxTimeChars = 35;  // 2026-11-30T09:00:00.000000+09:00

bool IsPositiveId(std::string_view v) {
  return !v.empty() && v.size() <= kMaxIdDigits && v.front() != '0' &&
         std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A category code: lower-case letters, digits, '_' and one level of '.'.
bool IsCategoryCode(std::string_view v) {
  return !v.empty() && v.size() <= kMaxCategoryChars && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

// YYYY-MM-DD, or an RFC 3339 time: what the case list reads (GET /cases from/to).
bool IsDateOrTime(std::string_view v) {
  if (v.size() == kDateChars) {
    return ParseDate(v).has_value();
  }
  return v.size() <= kMaxTimeChars && ParseRfc3339(v).has_value();
}

template <typename T>
bool IsCode(std::string_view v) {
  return Parse<T>(v).has_value();
}

bool ValueFits(std::string_view key, std::string_view v) {
  if (key == "status") {
    return IsCode<CaseStatus>(v);
  }
  if (key == "urgency") {
    return IsCode<Urgency>(v);
  }
  if (key == "channel") {
    return IsCode<Channel>(v);
  }
  if (key == "open" || key == "overdue") {
    return v == "true" || v == "false";
  }
  if (key == "dong_id" || key == "counselor_id") {
    return IsPositiveId(v);
  }
  if (key == "category") {
    return IsCategoryCode(v);
  }
  return IsDateOrTime(v);  // from, to
}

}  // namespace

std::span<const std::string_view> SavedFilterKeys() { return kKeys; }

Result<std::string> ValidateSavedFilter(std::string_view name,
                                        const std::map<std::string, std::string>& query) {
  std::vector<FieldViolation> v;
  const std::string_view trimmed = Trim(name);
  if (!IsValidUtf8(trimmed) || trimmed.empty() ||
      CodePointCount(trimmed) > kMaxSavedFilterNameChars) {
    v.push_back({"name", "invalid", "Give a name of 1 to 60 characters.",
                 "이름을 1~60자로 입력해 주세요."});
  }
  for (const auto& [key, value] : query) {
    const std::string field = "query." + key;
    if (key == "q") {
      v.push_back({field, "not_saved",
                   "Search words are not saved: they may name a resident. Save list filters only.",
                   "검색어는 주민을 알아볼 수 있는 말이 들어갈 수 있어 저장하지 않습니다. 목록 "
                   "조건만 저장해 주세요."});
    } else if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      v.push_back(
          {field, "unknown_field", "Not a case-list filter.", "상담 목록의 조회 조건이 아닙니다."});
    } else if (!ValueFits(key, value)) {
      v.push_back({field, "invalid", "Not a value the case list accepts for this filter.",
                   "이 조건에 쓸 수 없는 값입니다."});
    }
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return std::string(trimmed);
}

}  // namespace caredesk::core
