#include "core/taxonomy.hpp"

#include <array>

namespace caredesk::core {
namespace {

constexpr std::array kCategories = {
    CategoryInfo{"welfare", "복지", "Welfare"},
    CategoryInfo{"housing", "주거", "Housing"},
    CategoryInfo{"health", "보건·의료", "Health"},
    CategoryInfo{"sanitation", "청소·환경", "Sanitation"},
    CategoryInfo{"jobs", "일자리", "Jobs"},
    CategoryInfo{"safety", "재난·안전", "Disaster safety"},
    CategoryInfo{"culture", "문화", "Culture"},
    CategoryInfo{"tourism", "관광", "Tourism"},
    CategoryInfo{"district_program", "구정 사업", "District programs"},
    CategoryInfo{"finance", "부채·금융", "Debt and finance"},
    CategoryInfo{"crime_victim", "범죄 피해", "Crime victims"},
    CategoryInfo{"mental_health", "심리 상담", "Psychological counseling"},
    CategoryInfo{"neighbour_dispute", "이웃 분쟁", "Neighbour disputes"},
    CategoryInfo{"legal", "법률", "Legal"},
    CategoryInfo{"tax", "세무", "Tax"},
    CategoryInfo{"other", "기타", "Other"},
};

}  // namespace

std::span<const CategoryInfo> Categories() { return kCategories; }

std::optional<CategoryInfo> FindCategory(std::string_view code) {
  for (const auto& c : kCategories) {
    if (c.code == code) {
      return c;
    }
  }
  return std::nullopt;
}

}  // namespace caredesk::core
