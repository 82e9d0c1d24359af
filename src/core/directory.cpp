#include "core/directory.hpp"

#include <algorithm>
#include <set>

#include "core/taxonomy.hpp"
#include "core/text.hpp"

namespace caredesk::core {

std::string_view DeskKindCode(DeskKind kind) {
  return kind == DeskKind::kDistrictDesk ? "district_desk" : "dong_center";
}

std::optional<DeskKind> ParseDeskKind(std::string_view code) {
  if (code == "dong_center") {
    return DeskKind::kDongCenter;
  }
  if (code == "district_desk") {
    return DeskKind::kDistrictDesk;
  }
  return std::nullopt;
}

std::string_view AgencyKindCode(AgencyKind kind) {
  return kind == AgencyKind::kInternal ? "internal" : "external";
}

std::optional<AgencyKind> ParseAgencyKind(std::string_view code) {
  if (code == "internal") {
    return AgencyKind::kInternal;
  }
  if (code == "external") {
    return AgencyKind::kExternal;
  }
  return std::nullopt;
}

Result<Agency> ValidateNewAgency(const NewAgency& input, DistrictId district_id) {
  std::vector<FieldViolation> v;
  const auto name = Trim(input.name);
  if (name.empty()) {
    v.push_back({"name", "required", "Name is required.", "기관명을 입력해 주세요."});
  } else if (CodePointCount(name) > kMaxNameChars) {
    v.push_back({"name", "too_long", "Name must be at most 100 characters.",
                 "기관명은 100자 이하여야 합니다."});
  }
  const auto kind = ParseAgencyKind(input.kind);
  if (!kind) {
    v.push_back({"kind", "invalid_choice", "Kind must be 'internal' or 'external'.",
                 "기관 구분은 'internal' 또는 'external'이어야 합니다."});
  }
  if (input.categories.empty()) {
    v.push_back({"categories", "required", "At least one category is required.",
                 "상담 분야를 하나 이상 선택해 주세요."});
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < input.categories.size(); ++i) {
    const auto& c = input.categories[i];
    const auto field = "categories[" + std::to_string(i) + "]";
    if (!FindCategory(c)) {
      v.push_back({field, "unknown_category", "Unknown category code.",
                   "알 수 없는 상담 분야 코드입니다."});
    } else if (!seen.insert(c).second) {
      v.push_back({field, "duplicate", "Category listed twice.", "중복된 상담 분야입니다."});
    }
  }
  if (CodePointCount(input.contact) > kMaxContactChars) {
    v.push_back({"contact", "too_long", "Contact must be at most 200 characters.",
                 "연락처는 200자 이하여야 합니다."});
  }
  if (input.response_hours < 1 || input.response_hours > kMaxResponseHours) {
    v.push_back({"response_hours", "out_of_range",
                 "Response time must be between 1 and 2160 hours.",
                 "응답 기한은 1~2160시간 사이여야 합니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  Agency a;
  a.district_id = district_id;
  a.name = std::string(name);
  a.kind = *kind;
  a.categories = input.categories;
  a.contact = std::string(Trim(input.contact));
  a.response_hours = input.response_hours;
  return a;
}

Error StaleAgencyError() {
  return Error::Make(
      ErrorCode::kPreconditionFailed,
      "This agency was changed by someone else. Reload and try again.",
      "다른 사용자가 먼저 이 기관 정보를 변경했습니다. 새로 고친 뒤 다시 시도해 주세요.");
}

Result<Agency> ApplyAgencyPatch(const Agency& current, const AgencyPatch& patch,
                                std::optional<std::int64_t> if_match) {
  if (if_match && *if_match != current.version) {
    return StaleAgencyError();
  }
  NewAgency input{patch.name.value_or(current.name),
                  patch.kind.value_or(std::string(AgencyKindCode(current.kind))),
                  patch.categories.value_or(current.categories),
                  patch.contact.value_or(current.contact),
                  patch.response_hours.value_or(current.response_hours)};
  auto changed = ValidateNewAgency(input, current.district_id);
  if (!changed.ok()) {
    return changed;
  }
  changed->id = current.id;
  changed->version = current.version;
  return changed;
}

bool AgencyChanged(const Agency& before, const Agency& after) {
  const std::set<std::string> before_categories(before.categories.begin(), before.categories.end());
  const std::set<std::string> after_categories(after.categories.begin(), after.categories.end());
  return before.name != after.name || before.kind != after.kind ||
         before_categories != after_categories || before.contact != after.contact ||
         before.response_hours != after.response_hours;
}

Result<SubCategory> ValidateNewSubCategory(const std::string& parent, const std::string& slug,
                                           const std::string& label_ko,
                                           const std::string& label_en) {
  constexpr std::size_t kMaxSlug = 40;
  std::vector<FieldViolation> v;
  if (!FindCategory(parent)) {
    v.push_back({"parent", "invalid_choice", "Sub-categories go under a top-level category.",
                 "상위 상담 분야가 올바르지 않습니다."});
  }
  const bool slug_ok =
      !slug.empty() && slug.size() <= kMaxSlug && std::all_of(slug.begin(), slug.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (!slug_ok) {
    v.push_back({"slug", "invalid", "Use 1-40 of a-z, 0-9 and _.",
                 "코드는 영문 소문자·숫자·_ 1~40자여야 합니다."});
  }
  if (Trim(label_ko).empty() || CodePointCount(label_ko) > kMaxNameChars ||
      !IsValidUtf8(label_ko)) {
    v.push_back({"label_ko", "required", "A Korean label of at most 100 characters is required.",
                 "한국어 이름(100자 이하)을 입력해 주세요."});
  }
  if (CodePointCount(label_en) > kMaxNameChars || !IsValidUtf8(label_en)) {
    v.push_back({"label_en", "too_long", "At most 100 characters.", "100자 이하여야 합니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return SubCategory{parent + "." + slug, parent, std::string(Trim(label_ko)),
                     std::string(Trim(label_en))};
}

}  // namespace caredesk::core
