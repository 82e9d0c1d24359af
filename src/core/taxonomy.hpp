// The consultation categories (상담 분야). The codes are stable API
// identifiers; administrators may add sub-categories but never remove these.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace caredesk::core {

struct CategoryInfo {
  std::string_view code;      // "welfare"
  std::string_view label_ko;  // "복지"
  std::string_view label_en;  // "Welfare"
};

// All top-level categories in their display order.
std::span<const CategoryInfo> Categories();

// The category with `code`, or nullopt when the code is unknown.
std::optional<CategoryInfo> FindCategory(std::string_view code);

}  // namespace caredesk::core
